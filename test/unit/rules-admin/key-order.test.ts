// Rules read back from the table are printed with their keys in the order rules files are written in.
import { compact, orderedRules } from '../../../lib/rules-admin/key-order';
import type { Rules } from '../../../lib/scoring';

describe('orderedRules', () => {
  it('puts keys in the order of the README example, at every depth', () => {
    // Arrange: keys as DynamoDB may return them
    const stored = {
      stages: [{ min: 50, stage: 'mql' }, { stage: 'lead' }],
      limits: { max: 100, min: 0 },
      reengagement: { points: 10, after: '30d' },
      engagement: [
        {
          once: true,
          points: 40,
          where: { equals: 'demo', field: 'formId' },
          event: 'form.submitted',
          id: 'demo',
        },
      ],
      fit: [{ points: 15, all: [{ lt: 5000, field: 'n' }], id: 'mid' }],
      grades: [{ min: 40, grade: 'A' }, { grade: 'B' }],
      name: 'default',
    } as Rules;

    // Act
    const ordered = orderedRules(stored);

    // Assert
    expect(Object.keys(ordered)).toEqual([
      'name',
      'fit',
      'engagement',
      'reengagement',
      'limits',
      'grades',
      'stages',
    ]);
    expect(compact(ordered.limits)).toBe('{min: 0, max: 100}');
    expect(compact(ordered.reengagement)).toBe('{after: "30d", points: 10}');
    expect(compact(ordered.grades)).toBe('[{grade: "A", min: 40}, {grade: "B"}]');
    expect(compact(ordered.stages?.[0])).toBe('{stage: "mql", min: 50}');
    expect(compact(ordered.engagement?.[0])).toBe(
      '{id: "demo", event: "form.submitted", where: {field: "formId", equals: "demo"}, points: 40, once: true}',
    );
    expect(compact(ordered.fit?.[0])).toBe('{id: "mid", all: [{field: "n", lt: 5000}], points: 15}');
  });
});
