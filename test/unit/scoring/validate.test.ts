import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SCORED_EVENT_TYPES as SCORED } from '../../../lib/events/lead-event';
import { parseRulesText, validateRules } from '../../../lib/scoring';

const DEFAULT_YAML = readFileSync(resolve(__dirname, '../../fixtures/rules/default.yaml'), 'utf8');

function problemsOf(data: unknown): string[] {
  const result = validateRules(data);
  return result.ok ? [] : result.problems;
}

/** A valid base document to break one thing at a time. */
function rules(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'test',
    fit: [{ id: 'exec', field: 'jobtitle', matches: 'vp', points: 20 }],
    engagement: [
      { id: 'pricing', event: 'page.viewed', where: { field: 'url', contains: '/pricing' }, points: 10 },
      { id: 'open', event: 'email.opened', points: 2, within: '90d' },
      { id: 'demo', event: 'form.submitted', points: 40, once: true },
    ],
    ...overrides,
  };
}

describe('validateRules', () => {
  it('accepts a valid document', () => {
    // Act
    const result = validateRules(rules());

    // Assert
    expect(result).toEqual({ ok: true, rules: rules() });
  });

  it('accepts the minimum: a name', () => {
    expect(validateRules({ name: 'empty' }).ok).toBe(true);
  });

  it('reports a wrong type as path: expected …', () => {
    // Arrange
    const data = rules();
    (data.engagement as Record<string, unknown>[])[2]!.points = 'forty';

    // Act
    const problems = problemsOf(data);

    // Assert
    expect(problems).toEqual(['engagement[2].points: expected a number']);
  });

  it('reports a missing key the same way', () => {
    // Arrange
    const data = rules({ fit: [{ id: 'exec', field: 'jobtitle', matches: 'vp' }] });

    // Act / Assert
    expect(problemsOf(data)).toEqual(['fit[0].points: expected a number']);
  });

  it('reports an unknown key, with a hint when it looks like a typo', () => {
    // Arrange
    const data = rules({
      fit: [{ id: 'exec', field: 'jobtitle', matches: 'vp', pionts: 20 }],
      colour: 'red',
    });

    // Act / Assert
    expect(problemsOf(data)).toEqual([
      'fit[0].points: expected a number',
      'fit[0].pionts: unknown key (did you mean points?)',
      'colour: unknown key',
    ]);
  });

  it('reports every problem at once, nested ones included', () => {
    // Arrange
    const data = {
      name: '',
      fit: [
        {
          id: 'a',
          all: [
            { field: 'n', gte: '200' },
            { field: 'n', lt: 5000, typo: 1 },
          ],
          points: 5,
        },
        { id: 'b', field: 'email', endsWith: [], points: 1 },
      ],
      engagement: [{ id: 'c', event: 7, points: 1, max: 0, within: 'soon', once: 'yes' }],
      decay: { halfLife: '30 days' },
      limits: { min: 0.5 },
    };

    // Act / Assert
    expect(problemsOf(data)).toEqual([
      'name: must not be empty',
      'fit[0].all[0].gte: expected a number',
      'fit[0].all[1].typo: unknown key',
      'fit[1].endsWith: expected at least one item',
      'engagement[0].event: expected an event type or a list of event types',
      'engagement[0].max: must be greater than 0',
      'engagement[0].within: invalid duration "soon": expected a whole number and a unit m, h, d or w (e.g. 90d)',
      'engagement[0].once: expected true or false',
      'decay.halfLife: invalid duration "30 days": expected a whole number and a unit m, h, d or w (e.g. 90d)',
      'limits.min: expected a whole number',
    ]);
  });

  it('names an invalid regular expression', () => {
    // Arrange
    const data = rules({
      fit: [{ id: 'exec', field: 'jobtitle', matches: ['ok', '(vp|chief'], points: 20 }],
    });

    // Act / Assert
    expect(problemsOf(data)).toEqual([
      'fit[0].matches[1]: invalid regular expression "(vp|chief": Unterminated group',
    ]);
  });

  it('reports duplicate rule ids across fit and engagement, and the reserved id', () => {
    // Arrange
    const data = rules({
      fit: [
        { id: 'pricing', field: 'a', exists: true, points: 1 },
        { id: 'reengagement', field: 'a', exists: true, points: 1 },
      ],
    });

    // Act / Assert
    expect(problemsOf(data)).toEqual([
      'fit[1].id: "reengagement" is reserved for the re-engagement bonus',
      'engagement[0].id: duplicate rule id "pricing" (also fit[0])',
    ]);
  });

  it('reports malformed conditions', () => {
    // Arrange
    const data = rules({
      fit: [
        { id: 'no-op', field: 'a', points: 1 },
        { id: 'no-field', equals: 'x', points: 1 },
        { id: 'empty', points: 1 },
        { id: 'mixed', field: 'a', equals: 'x', all: [{ field: 'b', exists: true }], points: 1 },
        { id: 'two', all: [{ field: 'b', exists: true }], any: [{ field: 'c', exists: true }], points: 1 },
        { id: 'never', field: 'n', gte: 5000, lt: 200, points: 1 },
        { id: 'deep', not: { all: [{ field: 'n' }] }, points: 1 },
      ],
    });

    // Act / Assert
    expect(problemsOf(data)).toEqual([
      'fit[0]: field needs an operator (one of equals, notEquals, in, notIn, contains, startsWith, endsWith, matches, gt, gte, lt, lte, exists)',
      'fit[1].field: expected a string',
      'fit[2]: expected a condition: field with an operator, or all, any or not',
      'fit[3]: a condition has either field with operators, or all, not both',
      'fit[4]: use one of all, any per condition and nest them to combine',
      'fit[5]: the lower bound 5000 is not below the upper bound 200, so this never matches',
      'fit[6].not.all[0]: field needs an operator (one of equals, notEquals, in, notIn, contains, startsWith, endsWith, matches, gt, gte, lt, lte, exists)',
    ]);
  });

  it('finds ranges that leave no number across the leaves of one field in an all, as in one leaf', () => {
    // Arrange
    const data = rules({
      fit: [
        {
          id: 'range',
          all: [
            { field: 'n', gte: 200 },
            { field: 'n', lt: 5000 },
          ],
          points: 1,
        },
        {
          id: 'inverted',
          all: [
            { field: 'n', gte: 5000 },
            { field: 'n', lt: 200 },
          ],
          points: 1,
        },
        {
          id: 'touching',
          all: [
            { field: 'n', gte: 5 },
            { field: 'n', lte: 5 },
          ],
          points: 1,
        },
        {
          id: 'open-end',
          all: [
            { field: 'n', gt: 5 },
            { field: 'n', lte: 5 },
          ],
          points: 1,
        },
        {
          id: 'two-fields',
          all: [
            { field: 'n', gte: 5000 },
            { field: 'm', lt: 200 },
          ],
          points: 1,
        },
        {
          id: 'tightest',
          not: {
            all: [
              { field: 'n', gt: 10, gte: 1 },
              { field: 'n', lt: 50 },
              { field: 'n', lte: 10 },
            ],
          },
          points: 1,
        },
        {
          id: 'once',
          all: [
            { field: 'n', gte: 9, lt: 1 },
            { field: 'n', lt: 0 },
          ],
          points: 1,
        },
      ],
    });

    // Act / Assert
    expect(problemsOf(data)).toEqual([
      'fit[1]: the lower bound 5000 is not below the upper bound 200, so this never matches',
      'fit[3]: the lower bound 5 is not below the upper bound 5, so this never matches',
      'fit[5].not: the lower bound 10 is not below the upper bound 10, so this never matches',
      'fit[6].all[0]: the lower bound 9 is not below the upper bound 1, so this never matches',
    ]);
  });

  it('refuses an event type outside the vocabulary, suggesting the closest one', () => {
    // Arrange
    const data = rules({
      engagement: [
        { id: 'typo', event: 'email.open', points: 1 },
        { id: 'case', event: ['page.viewed', 'Form.Submitted'], points: 1 },
        { id: 'made-up', event: 'webinar.attended', points: 1 },
      ],
    });

    // Act / Assert
    expect(problemsOf(data)).toEqual([
      'engagement[0].event: unknown event type "email.open": did you mean email.opened?',
      'engagement[1].event[1]: unknown event type "Form.Submitted": did you mean form.submitted?',
      `engagement[2].event: unknown event type "webinar.attended": expected one of ${SCORED.join(', ')}`,
    ]);
  });

  it('accepts every event type the pipeline scores, and refuses record changes, which it never scores', () => {
    expect(problemsOf(rules({ engagement: [{ id: 'any', event: SCORED, points: 1 }] }))).toEqual([]);
    expect(problemsOf(rules({ engagement: [{ id: 'edits', event: 'crm.updated', points: 1 }] }))).toEqual([
      'engagement[0].event: "crm.updated" changes the lead record and is never scored as an event: score what the record holds with fit rules',
    ]);
  });

  it('checks engagement where clauses too', () => {
    // Arrange
    const data = rules({
      engagement: [{ id: 'x', event: 'page.viewed', where: { field: 'url' }, points: 1 }],
    });

    // Act / Assert
    expect(problemsOf(data)).toEqual([
      'engagement[0].where: field needs an operator (one of equals, notEquals, in, notIn, contains, startsWith, endsWith, matches, gt, gte, lt, lte, exists)',
    ]);
  });

  it('needs grades and stages to end with a catch-all and to descend', () => {
    // Arrange
    const data = rules({
      grades: [{ grade: 'A', min: 40 }, { grade: 'B', min: 40 }, { grade: 'C' }, { grade: 'D', min: 0 }],
      stages: [
        { stage: 'sql', min: 80 },
        { stage: 'mql', min: 50 },
      ],
    });

    // Act / Assert
    expect(problemsOf(data)).toEqual([
      'grades[1].min: 40 is not below the min above it (40), so it never applies',
      'grades[2]: only the last grade may omit min (the ones after it could never apply)',
      'grades[3].min: the last grade must have no min, so that every lead gets one',
      'stages[1].min: the last stage must have no min, so that every lead gets one',
    ]);
  });

  it('refuses grade and stage names longer than the CRM fields they are written to', () => {
    const data = rules({
      grades: [{ grade: 'Hot lead, call today!', min: 40 }, { grade: 'x'.repeat(20) }],
      stages: [{ stage: 's'.repeat(41) }],
    });

    expect(problemsOf(data)).toEqual([
      'grades[0].grade: a grade is written to a CRM text field of 20 characters: use a shorter name',
      'stages[0].stage: a stage is written to a CRM text field of 40 characters: use a shorter name',
    ]);
  });

  it('reports inverted limits', () => {
    expect(problemsOf(rules({ limits: { min: 100, max: 0 } }))).toEqual([
      'limits: min (100) is above max (0)',
    ]);
  });

  it('reports a document that is not an object', () => {
    expect(problemsOf(null)).toEqual(['(root): expected an object']);
    expect(problemsOf(['name'])).toEqual(['(root): expected an object']);
  });
});

describe('parseRulesText', () => {
  it('parses the example YAML from the issue', () => {
    // Act
    const result = parseRulesText(DEFAULT_YAML, 'default.yaml');

    // Assert
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.rules.name).toBe('default');
    expect(result.rules.fit?.map((rule) => rule.id)).toEqual(['title-exec', 'mid-market', 'free-email']);
    expect(result.rules.fit?.[0]?.matches).toBe('\\b(vp|vice president|chief|director|head of)\\b');
    expect(result.rules.engagement?.[0]?.where).toEqual({ field: 'url', contains: '/pricing' });
    expect(result.rules.decay).toEqual({ halfLife: '30d' });
  });

  it('parses JSON, tab-indented included', () => {
    // Arrange
    const text =
      '{\n\t"name": "json",\n\t"fit": [{"id": "a", "field": "x", "exists": true, "points": 1}]\n}\n';

    // Act
    const result = parseRulesText(text, 'rules.json');

    // Assert
    expect(result.ok).toBe(true);
  });

  it('reports syntax errors with file, line and column', () => {
    // Arrange
    const text = 'name: x\nname: y\nfit: [\n';

    // Act / Assert
    expect(parseRulesText(text, 'rules.yaml')).toEqual({
      ok: false,
      problems: [
        'rules.yaml:2:1: Map keys must be unique',
        'rules.yaml:4:1: Flow sequence in block collection must be sufficiently indented and end with a ]',
      ],
    });
  });

  it('reports syntax errors with line and column when there is no file name', () => {
    expect(parseRulesText('name: [x\n')).toEqual({ ok: false, problems: [expect.stringMatching(/^2:1: /)] });
  });

  it('validates what it parsed, with the schema paths', () => {
    // Arrange
    const text = DEFAULT_YAML.replace('points: 40', 'points: forty');

    // Act / Assert
    expect(parseRulesText(text)).toEqual({
      ok: false,
      problems: ['engagement[2].points: expected a number'],
    });
  });

  it('says an empty file is empty, comments only included', () => {
    expect(parseRulesText('')).toEqual({ ok: false, problems: ['the file is empty'] });
    expect(parseRulesText('# rules go here\n', 'rules.yaml')).toEqual({
      ok: false,
      problems: ['rules.yaml: the file is empty'],
    });
  });

  it('takes aliases of anchors set before them', () => {
    // Arrange
    const text = [
      'name: x',
      'fit:',
      '  - { id: a, all: [&exec { field: jobtitle, matches: vp }], points: 3 }',
      '  - { id: b, all: [*exec, { field: country, equals: US }], points: 2 }',
    ].join('\n');

    // Act
    const result = parseRulesText(text);

    // Assert
    expect(result.ok && result.rules.fit?.[1]?.all?.[0]).toEqual({ field: 'jobtitle', matches: 'vp' });
  });

  it.each([
    [
      'an alias without an anchor before it',
      'name: x\nfit:\n  - &a { id: a, field: f, equals: 1, points: 3 }\n  - *b\n',
      ['rules.yaml:4:5: unknown alias *b: put the anchor &b before it'],
    ],
    [
      'an alias inside the value it repeats',
      'name: x\nfit:\n  - id: a\n    points: 1\n    all:\n      - &c { all: [*c] }\n',
      ['rules.yaml:6:20: alias *c is inside the value &c it repeats: write the value out'],
    ],
    [
      'aliases of aliases that multiply (an alias bomb)',
      [
        'name: x',
        'a: &a [1, 2]',
        'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
        'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
        'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
      ].join('\n'),
      [
        expect.stringMatching(
          /^rules\.yaml:\d+:\d+: aliases here would repeat values more than 100 times: write the values out$/,
        ),
      ],
    ],
    [
      'a merge key',
      'name: x\nfit:\n  - &base { id: a, field: f, equals: 1, points: 3 }\n  - <<: *base\n    id: b\n',
      ['rules.yaml:4:5: merge keys (<<) are not supported: write the keys out in full'],
    ],
    [
      'a second document',
      'name: x\nfit: []\n---\nname: y\n',
      ['rules.yaml:3:1: a rules file holds one YAML document: remove this --- and the document after it'],
    ],
  ])('reports %s as a problem with its place in the file', (_label, text, expected) => {
    expect(parseRulesText(text, 'rules.yaml')).toEqual({ ok: false, problems: expected });
  });
});
