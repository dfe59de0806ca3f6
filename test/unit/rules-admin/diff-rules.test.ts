import { diffRules, formatDiff, isEmptyDiff } from '../../../lib/rules-admin/diff-rules';
import type { Rules } from '../../../lib/scoring';

const BEFORE: Rules = {
  name: 'default',
  fit: [
    { id: 'title-exec', field: 'jobtitle', matches: '\\bvp\\b', points: 20 },
    { id: 'free-email', field: 'email', endsWith: ['@gmail.com'], points: -10 },
  ],
  engagement: [
    { id: 'pricing', event: 'page.viewed', where: { field: 'url', contains: '/pricing' }, points: 10 },
  ],
  decay: { halfLife: '30d' },
  grades: [{ grade: 'A', min: 40 }, { grade: 'B', min: 20 }, { grade: 'C' }],
  stages: [{ stage: 'mql', min: 50 }, { stage: 'lead' }],
};

const AFTER: Rules = {
  name: 'default',
  fit: [
    { id: 'title-exec', field: 'jobtitle', matches: '\\b(vp|cto)\\b', points: 25 },
    { id: 'big-company', field: 'numberofemployees', gte: 1000, points: 15 },
  ],
  engagement: [
    {
      id: 'pricing',
      event: 'page.viewed',
      where: { field: 'url', contains: '/pricing' },
      points: 10,
      max: 30,
    },
  ],
  decay: { halfLife: '14d' },
  grades: [{ grade: 'A', min: 45 }, { grade: 'B', min: 20 }, { grade: 'C' }],
  stages: [{ stage: 'sql', min: 80 }, { stage: 'mql', min: 50 }, { stage: 'lead' }],
};

describe('diffRules', () => {
  it('finds added, removed and changed rules with each changed property', () => {
    const diff = diffRules(BEFORE, AFTER);

    expect(diff.rules).toEqual([
      {
        section: 'fit',
        id: 'title-exec',
        kind: 'changed',
        changes: [
          { property: 'matches', before: '\\bvp\\b', after: '\\b(vp|cto)\\b' },
          { property: 'points', before: 20, after: 25 },
        ],
      },
      { section: 'fit', id: 'free-email', kind: 'removed', rule: BEFORE.fit?.[1] },
      { section: 'fit', id: 'big-company', kind: 'added', rule: AFTER.fit?.[1] },
      {
        section: 'engagement',
        id: 'pricing',
        kind: 'changed',
        changes: [{ property: 'max', before: undefined, after: 30 }],
      },
    ]);
  });

  it('finds decay, grade and stage changes', () => {
    const diff = diffRules(BEFORE, AFTER);

    expect(diff.settings).toEqual([
      { property: 'decay', before: { halfLife: '30d' }, after: { halfLife: '14d' } },
    ]);
    expect(diff.grades).toEqual([{ label: 'A', kind: 'changed', before: 40, after: 45 }]);
    expect(diff.stages).toEqual([{ label: 'sql', kind: 'added', after: 80 }]);
  });

  it('ignores key order (rules read back from DynamoDB come in any order) and reports no difference', () => {
    const reordered = JSON.parse(JSON.stringify(BEFORE, Object.keys(BEFORE).reverse())) as Rules;
    const shuffled: Rules = {
      ...BEFORE,
      fit: BEFORE.fit?.map((rule) => Object.fromEntries(Object.entries(rule).reverse()) as typeof rule),
    };

    expect(isEmptyDiff(diffRules(BEFORE, shuffled))).toBe(true);
    expect(isEmptyDiff(diffRules(BEFORE, { ...reordered, ...BEFORE }))).toBe(true);
  });

  it('notices grades listed in another order', () => {
    const swapped: Rules = { ...BEFORE, stages: [{ stage: 'lead', min: 50 }, { stage: 'mql' }] };

    const diff = diffRules(BEFORE, swapped);

    expect(diff.reordered).toEqual(['stages']);
  });

  it('prints one line per rule change, then settings and ladders', () => {
    expect(formatDiff(diffRules(BEFORE, AFTER))).toEqual([
      'fit:',
      '  ~ title-exec  matches: "\\\\bvp\\\\b" → "\\\\b(vp|cto)\\\\b"; points: 20 → 25',
      '  - free-email  {field: "email", endsWith: ["@gmail.com"], points: -10}',
      '  + big-company  {field: "numberofemployees", gte: 1000, points: 15}',
      'engagement:',
      '  ~ pricing  max: (none) → 30',
      'decay: {halfLife: "30d"} → {halfLife: "14d"}',
      'grades: A min 40 → min 45',
      'stages: sql added (min 80)',
    ]);
  });
});
