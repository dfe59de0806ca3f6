import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
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

  it('reports an empty file', () => {
    expect(parseRulesText('')).toEqual({ ok: false, problems: ['(root): expected an object'] });
  });
});
