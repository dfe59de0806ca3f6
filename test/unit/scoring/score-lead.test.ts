import { SCORED_EVENT_TYPES } from '../../../lib/events/lead-event';
import { InvalidTimeError, scoreLead, type Lead, type ScoringEvent } from '../../../lib/scoring';
import { DAY, NOW, daysAgo, event, model } from './helpers';

function lead(profile: Record<string, unknown>, events: ScoringEvent[] = []): Lead {
  return { id: 'lead-1', profile, events };
}

describe('scoreLead', () => {
  describe('fit', () => {
    const fitModel = model({
      fit: [
        { id: 'exec', field: 'title', matches: '\\bvp\\b', points: 20 },
        {
          id: 'size',
          all: [
            { field: 'employees', gte: 200 },
            { field: 'employees', lt: 5000 },
          ],
          points: 15,
        },
        { id: 'free-email', field: 'email', endsWith: ['@gmail.com'], points: -10 },
        { id: 'any-title', field: 'title', exists: true, points: 0 },
      ],
    });

    it('sums the points of every matching rule, each once', () => {
      // Act
      const result = scoreLead(
        fitModel,
        lead({ title: 'VP Sales', employees: '250', email: 'a@gmail.com' }),
        NOW,
      );

      // Assert
      expect(result.fit).toBe(20 + 15 - 10);
      expect(result.score).toBe(25);
      expect(result.engagement).toBe(0);
    });

    it('gives 0 to a lead with no matching rule', () => {
      // Act
      const result = scoreLead(fitModel, lead({}), NOW);

      // Assert
      expect(result).toEqual({ score: 0, fit: 0, engagement: 0, grade: '', stage: '', reasons: [] });
    });

    it('lists contributing rules as reasons, largest magnitude first, without zero-point rules', () => {
      // Act
      const result = scoreLead(fitModel, lead({ title: 'vp', employees: 300, email: 'a@gmail.com' }), NOW);

      // Assert
      expect(result.reasons).toEqual([
        { rule: 'exec', points: 20 },
        { rule: 'size', points: 15 },
        { rule: 'free-email', points: -10 },
      ]);
    });

    it("gives each result its own reasons: scoring the next lead leaves an earlier result's as they were", () => {
      // Arrange
      const first = scoreLead(fitModel, lead({ title: 'vp', employees: 300, email: 'a@gmail.com' }), NOW);
      const reasonsBefore = structuredClone(first.reasons);

      // Act
      const second = scoreLead(fitModel, lead({ email: 'b@gmail.com' }), NOW);
      const third = scoreLead(fitModel, lead({}), NOW);

      // Assert
      expect(first.reasons).toEqual(reasonsBefore);
      expect(first.reasons).toHaveLength(3);
      expect(second.reasons).toEqual([{ rule: 'free-email', points: -10 }]);
      expect(third.reasons).toEqual([]);
      expect(JSON.parse(JSON.stringify(first))).toEqual({
        score: 25,
        fit: 25,
        engagement: 0,
        grade: '',
        stage: '',
        reasons: reasonsBefore,
      });
    });
  });

  describe('engagement rules', () => {
    it.each([3, 12])(
      'counts events of each of %i types for the rules that read that type, and only those',
      (types) => {
        // Rules may only name the types the pipeline scores (the validator refuses others).
        const typeName = (k: number) => SCORED_EVENT_TYPES[k]!;
        const manyTypes = model({
          engagement: [
            ...Array.from({ length: types }, (_, k) => ({ id: `r${k}`, event: typeName(k), points: k + 1 })),
            {
              id: 'tagged',
              event: [typeName(0), typeName(2)],
              where: { field: 'tag', equals: 'yes' },
              points: 100,
            },
            { id: 'first-of-last', event: typeName(types - 1), points: 7, once: true },
          ],
        });
        const events = [
          ...Array.from({ length: types }, (_, k) => event(typeName(k), 0)),
          event(typeName(2), 0, { tag: 'yes' }),
          event(typeName(types - 1), 0),
          event('custom.unread', 0),
        ];

        const result = scoreLead(manyTypes, lead({}, events), NOW);

        // Each type's own rule once per event, r2 again for the tagged event, the last type's rule again,
        // the tagged rule once, the `once` rule once.
        const perType = (types * (types + 1)) / 2;
        expect(result.engagement).toBeCloseTo(perType + 3 + types + 100 + 7, 6);
        expect(result.reasons.map((reason) => reason.rule)).toEqual(
          expect.arrayContaining(['tagged', 'first-of-last', 'r0', `r${types - 1}`]),
        );
      },
    );

    it('sums points over matching events of the listed types that pass where', () => {
      // Arrange
      const rules = model({
        engagement: [
          { id: 'pricing', event: 'page.viewed', where: { field: 'url', contains: '/pricing' }, points: 10 },
          { id: 'email', event: ['email.opened', 'email.clicked'], points: 2 },
        ],
      });
      const events = [
        event('page.viewed', 1, { url: '/pricing' }),
        event('page.viewed', 2, { url: '/PRICING/enterprise' }),
        event('page.viewed', 3, { url: '/blog' }),
        event('page.viewed', 4),
        event('email.opened', 5),
        event('email.clicked', 6),
        event('email.delivered', 7),
      ];

      // Act
      const result = scoreLead(rules, lead({}, events), NOW);

      // Assert
      expect(result.engagement).toBe(10 + 10 + 2 + 2);
      expect(result.reasons).toEqual([
        { rule: 'pricing', points: 20 },
        { rule: 'email', points: 4 },
      ]);
    });

    it('counts an event once even when its type is listed twice', () => {
      // Arrange
      const rules = model({
        engagement: [{ id: 'open', event: ['email.opened', 'email.opened'], points: 2 }],
      });

      // Act
      const result = scoreLead(rules, lead({}, [event('email.opened', 1)]), NOW);

      // Assert
      expect(result.engagement).toBe(2);
    });

    it('lets one event feed several rules', () => {
      // Arrange
      const rules = model({
        engagement: [
          { id: 'any-form', event: 'form.submitted', points: 5 },
          { id: 'demo', event: 'form.submitted', where: { field: 'formId', equals: 'demo' }, points: 40 },
        ],
      });

      // Act
      const result = scoreLead(rules, lead({}, [event('form.submitted', 0, { formId: 'Demo' })]), NOW);

      // Assert
      expect(result.engagement).toBe(45);
    });

    it('caps a rule total at max, in absolute value', () => {
      // Arrange
      const rules = model({
        engagement: [
          { id: 'pricing', event: 'page.viewed', points: 10, max: 25 },
          { id: 'unsubscribe', event: 'email.unsubscribed', points: -20, max: 30 },
        ],
      });
      const events = [
        ...[1, 2, 3, 4].map((days) => event('page.viewed', days)),
        ...[1, 2].map((days) => event('email.unsubscribed', days)),
      ];

      // Act
      const result = scoreLead(rules, lead({}, events), NOW);

      // Assert: 4 × 10 capped at 25; 2 × -20 capped at -30.
      expect(result.engagement).toBe(25 - 30);
      expect(result.reasons).toEqual([
        { rule: 'unsubscribe', points: -30 },
        { rule: 'pricing', points: 25 },
      ]);
    });

    it('counts only events strictly newer than within', () => {
      // Arrange
      const rules = model({ engagement: [{ id: 'open', event: 'email.opened', points: 2, within: '90d' }] });
      const events = [
        event('email.opened', 10),
        event('email.opened', 89.9),
        event('email.opened', 90),
        event('email.opened', 200),
      ];

      // Act
      const result = scoreLead(rules, lead({}, events), NOW);

      // Assert
      expect(result.engagement).toBe(2 + 2);
    });

    it('with once, counts only the first matching event', () => {
      // Arrange
      const rules = model({
        engagement: [
          {
            id: 'demo',
            event: 'form.submitted',
            where: { field: 'formId', equals: 'demo' },
            points: 40,
            once: true,
          },
        ],
        decay: { halfLife: '30d' },
      });
      const events = [
        event('form.submitted', 5, { formId: 'demo' }),
        event('form.submitted', 60, { formId: 'newsletter' }),
        event('form.submitted', 30, { formId: 'demo' }),
        event('form.submitted', 1, { formId: 'demo' }),
      ];

      // Act
      const result = scoreLead(rules, lead({}, events), NOW);

      // Assert: the first demo request is the one 30 days ago.
      expect(result.engagement).toBe(20);
    });

    it('with once and within, counts the first event while it is inside the window, never a later repeat', () => {
      // Arrange
      const rules = model({
        engagement: [{ id: 'demo', event: 'form.submitted', points: 40, once: true, within: '90d' }],
      });
      const early = event('form.submitted', 100);
      const later = event('form.submitted', 10);

      // Act
      const both = scoreLead(rules, lead({}, [later, early]), NOW);
      const laterOnly = scoreLead(rules, lead({}, [later]), NOW);

      // Assert
      expect(both.engagement).toBe(0);
      expect(laterOnly.engagement).toBe(40);
    });

    it('gives nothing for once without a matching event', () => {
      // Arrange
      const rules = model({ engagement: [{ id: 'demo', event: 'form.submitted', points: 40, once: true }] });

      // Act
      const result = scoreLead(rules, lead({}, [event('page.viewed', 1)]), NOW);

      // Assert
      expect(result).toMatchObject({ engagement: 0, reasons: [] });
    });
  });

  describe('decay', () => {
    const decaying = model({
      engagement: [{ id: 'visit', event: 'page.viewed', points: 10 }],
      decay: { halfLife: '30d' },
    });

    it('multiplies each event by 0.5^(age / halfLife)', () => {
      // Arrange
      const events = [
        event('page.viewed', 0),
        event('page.viewed', 30),
        event('page.viewed', 60),
        event('page.viewed', 15),
      ];

      // Act
      const result = scoreLead(decaying, lead({}, events), NOW);

      // Assert
      const expected = 10 + 5 + 2.5 + 10 * 0.5 ** (15 / 30);
      expect(result.engagement).toBe(Math.round(expected * 10) / 10);
      expect(result.score).toBe(Math.round(expected));
    });

    it('applies the cap after decay', () => {
      // Arrange
      const capped = model({
        engagement: [{ id: 'visit', event: 'page.viewed', points: 10, max: 12 }],
        decay: { halfLife: '30d' },
      });
      const events = [event('page.viewed', 30), event('page.viewed', 30), event('page.viewed', 60)];

      // Act
      const result = scoreLead(capped, lead({}, events), NOW);

      // Assert: 5 + 5 + 2.5 = 12.5, capped at 12.
      expect(result.engagement).toBe(12);
    });

    it('leaves points as they are without a decay section', () => {
      // Arrange
      const flat = model({ engagement: [{ id: 'visit', event: 'page.viewed', points: 10 }] });

      // Act
      const result = scoreLead(flat, lead({}, [event('page.viewed', 365)]), NOW);

      // Assert
      expect(result.engagement).toBe(10);
    });
  });

  describe('re-engagement', () => {
    const rules = model({ reengagement: { after: '30d', points: 10 } });

    it('adds points for each event that follows at least `after` of silence, not for the first event', () => {
      // Arrange: gaps 40d (bonus), 5d, exactly 30d (bonus), 24.9d.
      const events = [
        event('email.opened', 100),
        event('page.viewed', 60),
        event('crm.updated', 55),
        event('page.viewed', 25),
        event('email.opened', 0.1),
      ];

      // Act
      const result = scoreLead(rules, lead({}, events), NOW);

      // Assert
      expect(result.engagement).toBe(20);
      expect(result.reasons).toEqual([{ rule: 'reengagement', points: 20 }]);
    });

    it('does not depend on event order', () => {
      // Arrange
      const events = [event('a', 0), event('b', 100), event('c', 50)];

      // Act
      const result = scoreLead(rules, lead({}, events), NOW);

      // Assert: 100 → 50 (gap 50d) and 50 → 0 (gap 50d).
      expect(result.engagement).toBe(20);
    });

    it('decays the bonus like an event at that time', () => {
      // Arrange
      const decaying = model({ reengagement: { after: '30d', points: 10 }, decay: { halfLife: '30d' } });
      const events = [event('page.viewed', 100), event('page.viewed', 30)];

      // Act
      const result = scoreLead(decaying, lead({}, events), NOW);

      // Assert
      expect(result.engagement).toBe(5);
    });

    it('gives nothing to a single event', () => {
      expect(scoreLead(rules, lead({}, [event('page.viewed', 100)]), NOW).engagement).toBe(0);
    });
  });

  describe('events', () => {
    const visits = model({ engagement: [{ id: 'visit', event: 'page.viewed', points: 10 }] });

    it('ignores events after the scoring time', () => {
      // Arrange
      const events = [event('page.viewed', 1), event('page.viewed', -1)];

      // Act
      const result = scoreLead(visits, lead({}, events), NOW);

      // Assert
      expect(result.engagement).toBe(10);
    });

    it('counts an event at exactly the scoring time', () => {
      expect(scoreLead(visits, lead({}, [event('page.viewed', 0)]), NOW).engagement).toBe(10);
    });

    it('ignores events whose time cannot be read', () => {
      // Arrange
      const events = [event('page.viewed', 1), { id: 'x', type: 'page.viewed', occurredAt: 'last week' }];

      // Act
      const result = scoreLead(visits, lead({}, events), NOW);

      // Assert
      expect(result.engagement).toBe(10);
    });

    it('takes epoch milliseconds as occurredAt', () => {
      // Arrange
      const events = [{ id: 'x', type: 'page.viewed', occurredAt: NOW.getTime() - DAY }];

      // Act
      const result = scoreLead(visits, lead({}, events), NOW);

      // Assert
      expect(result.engagement).toBe(10);
    });

    it('counts events once per id', () => {
      // Arrange
      const once = event('page.viewed', 1);
      const events = [once, { ...once }, event('page.viewed', 2), once];

      // Act
      const result = scoreLead(visits, lead({}, events), NOW);

      // Assert
      expect(result.engagement).toBe(20);
    });

    it('keeps the earliest of differing duplicates, whatever their order', () => {
      // Arrange
      const decaying = model({
        engagement: [{ id: 'visit', event: 'page.viewed', points: 10 }],
        decay: { halfLife: '30d' },
      });
      const early = { id: 'same', type: 'page.viewed', occurredAt: daysAgo(30) };
      const late = { id: 'same', type: 'page.viewed', occurredAt: daysAgo(0) };

      // Act
      const forward = scoreLead(decaying, lead({}, [early, late]), NOW);
      const backward = scoreLead(decaying, lead({}, [late, early]), NOW);

      // Assert
      expect(forward.engagement).toBe(5);
      expect(backward.engagement).toBe(5);
    });

    it('picks the same one of same-time duplicates that differ in content, whatever their order', () => {
      // Arrange
      const a = { id: 'same', type: 'page.viewed', occurredAt: daysAgo(1), url: '/pricing' };
      const b = { id: 'same', type: 'page.viewed', occurredAt: daysAgo(1), url: '/blog' };
      const pricing = model({
        engagement: [
          { id: 'pricing', event: 'page.viewed', where: { field: 'url', contains: 'pricing' }, points: 10 },
        ],
      });

      // Act
      const forward = scoreLead(pricing, lead({}, [a, b]), NOW);
      const backward = scoreLead(pricing, lead({}, [b, a]), NOW);

      // Assert
      expect(forward.engagement).toBe(backward.engagement);
    });

    it('ignores a later duplicate that is after the scoring time', () => {
      // Arrange
      const events = [
        { id: 'same', type: 'page.viewed', occurredAt: daysAgo(-1) },
        { id: 'same', type: 'page.viewed', occurredAt: daysAgo(1) },
      ];

      // Act
      const result = scoreLead(visits, lead({}, events), NOW);

      // Assert
      expect(result.engagement).toBe(10);
    });

    it('handles more events than its scratch space holds', () => {
      // Arrange
      const events = Array.from({ length: 500 }, (_, i) => event('page.viewed', i / 10));
      events.push(...events.slice(0, 100));

      // Act
      const result = scoreLead(visits, lead({}, events), NOW);

      // Assert
      expect(result.engagement).toBe(5000);
    });
  });

  describe('score, limits, grades and stages', () => {
    const full = model({
      fit: [{ id: 'exec', field: 'title', equals: 'vp', points: 45 }],
      engagement: [{ id: 'visit', event: 'page.viewed', points: 10 }],
      limits: { min: 0, max: 100 },
      grades: [{ grade: 'A', min: 40 }, { grade: 'B', min: 20 }, { grade: 'C' }],
      stages: [{ stage: 'sql', min: 80 }, { stage: 'mql', min: 50 }, { stage: 'lead' }],
    });

    it('clamps the score to the limits', () => {
      // Arrange
      const events = Array.from({ length: 10 }, (_, i) => event('page.viewed', i));

      // Act
      const result = scoreLead(full, lead({ title: 'VP' }, events), NOW);

      // Assert: fit and engagement are reported unclamped.
      expect(result).toMatchObject({ score: 100, fit: 45, engagement: 100, grade: 'A', stage: 'sql' });
    });

    it('clamps at the lower limit', () => {
      // Arrange
      const negative = model({
        fit: [{ id: 'student', field: 'title', equals: 'student', points: -30 }],
        limits: { min: 0 },
      });

      // Act / Assert
      expect(scoreLead(negative, lead({ title: 'Student' }), NOW).score).toBe(0);
    });

    it('does not clamp without limits', () => {
      // Arrange
      const negative = model({ fit: [{ id: 'student', field: 'title', equals: 'student', points: -30 }] });

      // Act / Assert
      expect(scoreLead(negative, lead({ title: 'Student' }), NOW).score).toBe(-30);
    });

    it('grades on fit and stages on the score, first match top-down', () => {
      // Act
      const fitOnly = scoreLead(full, lead({ title: 'vp' }), NOW);
      const engagedOnly = scoreLead(
        full,
        lead(
          {},
          [1, 2, 3, 4, 5].map((days) => event('page.viewed', days)),
        ),
        NOW,
      );

      // Assert
      expect(fitOnly).toMatchObject({ score: 45, grade: 'A', stage: 'lead' });
      expect(engagedOnly).toMatchObject({ score: 50, grade: 'C', stage: 'mql' });
    });

    it('rounds the score half away from zero, fit and engagement to one decimal', () => {
      // Arrange
      const fractional = model({
        fit: [{ id: 'a', field: 'x', exists: true, points: 0.25 }],
        engagement: [{ id: 'b', event: 'page.viewed', points: 2.25 }],
      });

      // Act
      const result = scoreLead(fractional, lead({ x: 1 }, [event('page.viewed', 1)]), NOW);

      // Assert: 0.25 + 2.25 = 2.5.
      expect(result).toMatchObject({ score: 3, fit: 0.3, engagement: 2.3 });
      expect(result.reasons).toEqual([
        { rule: 'b', points: 2.3 },
        { rule: 'a', points: 0.3 },
      ]);
    });

    it('rounds negative scores symmetrically', () => {
      // Arrange
      const negative = model({ fit: [{ id: 'a', field: 'x', exists: true, points: -2.5 }] });

      // Act / Assert
      expect(scoreLead(negative, lead({ x: 1 }), NOW)).toMatchObject({ score: -3, fit: -2.5 });
    });
  });

  describe('reasons', () => {
    it('orders by magnitude, then rule id, and leaves out points that round to 0.0', () => {
      // Arrange
      const rules = model({
        fit: [
          { id: 'b-ten', field: 'x', exists: true, points: 10 },
          { id: 'a-ten', field: 'x', exists: true, points: -10 },
          { id: 'tiny', field: 'x', exists: true, points: 0.04 },
          { id: 'big', field: 'x', exists: true, points: 12.34 },
        ],
      });

      // Act
      const result = scoreLead(rules, lead({ x: 'y' }), NOW);

      // Assert
      expect(result.reasons).toEqual([
        { rule: 'big', points: 12.3 },
        { rule: 'a-ten', points: -10 },
        { rule: 'b-ten', points: 10 },
      ]);
    });
  });

  describe('the scoring time', () => {
    const visits = model({ engagement: [{ id: 'v', event: 'page.viewed', points: 1, within: '1d' }] });
    const events = [event('page.viewed', 0.5)];

    it('can be a Date, an ISO string or epoch milliseconds', () => {
      // Act
      const results = [NOW, NOW.toISOString(), NOW.getTime()].map((at) =>
        scoreLead(visits, lead({}, events), at),
      );

      // Assert
      expect(results.map((result) => result.engagement)).toEqual([1, 1, 1]);
    });

    it('must be a valid time', () => {
      expect(() => scoreLead(visits, lead({}, events), 'soon')).toThrow(InvalidTimeError);
      expect(() => scoreLead(visits, lead({}, events), new Date(Number.NaN))).toThrow(InvalidTimeError);
    });
  });
});
