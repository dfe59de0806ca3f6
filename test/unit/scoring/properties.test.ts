import fc from 'fast-check';
import { scoreLead, type Lead, type Reason, type Rules, type ScoringEvent } from '../../../lib/scoring';
import { DAY, NOW, model } from './helpers';

// Property tests over generated rules and leads. Ids come from a small pool so that duplicates, including
// duplicates with differing content, are common.

const TYPES = ['page.viewed', 'email.opened', 'form.submitted', 'email.clicked'] as const;
const WHERE = [
  { field: 'url', contains: '/pricing' },
  { field: 'formId', equals: 'demo-request' },
  { field: 'reason', matches: 'academ' },
  { not: { field: 'url', exists: true } },
] as const;
const FIT = [
  { field: 'jobtitle', matches: '\\b(vp|chief)\\b' },
  {
    all: [
      { field: 'employees', gte: 200 },
      { field: 'employees', lt: 5000 },
    ],
  },
  { field: 'email', endsWith: ['@gmail.com', '@yahoo.com'] },
  { field: 'country', in: ['France', 'Japan'] },
] as const;

const tenths = (min: number, max: number) => fc.integer({ min: min * 10, max: max * 10 }).map((n) => n / 10);

function eventAt(maxAgeDays: number, base: number) {
  return fc.record(
    {
      id: fc.integer({ min: 0, max: 12 }).map((n) => `e${n}`),
      type: fc.constantFrom(...TYPES),
      occurredAt: fc
        .integer({ min: 0, max: maxAgeDays * DAY })
        .chain((age) => fc.constantFrom<string | number>(new Date(base - age).toISOString(), base - age)),
      url: fc.constantFrom('/pricing', '/PRICING/enterprise', '/blog'),
      formId: fc.constantFrom('demo-request', 'newsletter'),
      reason: fc.constantFrom('academic research', 'buying'),
    },
    { requiredKeys: ['id', 'type', 'occurredAt'] },
  ) as fc.Arbitrary<ScoringEvent>;
}

const leadArb = (events: fc.Arbitrary<ScoringEvent>) =>
  fc.record({
    id: fc.constant('lead'),
    profile: fc.record(
      {
        jobtitle: fc.constantFrom('VP Sales', 'Engineer', 'chief of staff', ''),
        employees: fc.constantFrom('150', '200', '4999', 5000, 'n/a'),
        email: fc.constantFrom('a@gmail.com', 'b@acme.io', ' C@YAHOO.COM '),
        country: fc.constantFrom('France', 'Brazil'),
      },
      { requiredKeys: [] },
    ),
    events: fc.array(events, { maxLength: 25 }),
  }) as fc.Arbitrary<Lead>;

function rulesArb(points: fc.Arbitrary<number>): fc.Arbitrary<Omit<Rules, 'name'>> {
  const engagementRule = fc.record(
    {
      event: fc.oneof(fc.constantFrom(...TYPES), fc.subarray([...TYPES], { minLength: 1 })),
      where: fc.constantFrom(...WHERE),
      points,
      max: fc.integer({ min: 1, max: 60 }),
      within: fc.constantFrom('12h', '7d', '30d', '90d'),
      once: fc.boolean(),
    },
    { requiredKeys: ['event', 'points'] },
  );
  return fc
    .record(
      {
        fit: fc.array(
          fc
            .tuple(fc.constantFrom(...FIT), tenths(-30, 30))
            .map(([condition, fitPoints]) => ({ ...condition, points: fitPoints })),
          { maxLength: 4 },
        ),
        engagement: fc.array(engagementRule, { maxLength: 5 }),
        decay: fc.record({ halfLife: fc.constantFrom('12h', '7d', '30d') }),
        reengagement: fc.record({ after: fc.constantFrom('1d', '30d'), points }),
        limits: fc
          .tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: 0, max: 100 }))
          .map(([min, width]) => ({ min, max: min + width })),
      },
      { requiredKeys: [] },
    )
    .map((rules) => ({
      ...rules,
      fit: rules.fit?.map((rule, index) => ({ id: `fit-${index}`, ...rule })),
      engagement: rules.engagement?.map((rule, index) => ({ id: `engagement-${index}`, ...rule })),
    })) as fc.Arbitrary<Omit<Rules, 'name'>>;
}

const base = NOW.getTime();

describe('scoreLead properties', () => {
  it('does not depend on event order or on repeated events', () => {
    // Arrange
    const scenario = fc.record({
      rules: rulesArb(tenths(-50, 50)),
      lead: leadArb(eventAt(120, base + DAY)),
      seed: fc.integer(),
      repeats: fc.array(fc.nat(), { maxLength: 8 }),
    });

    // Act / Assert
    fc.assert(
      fc.property(scenario, ({ rules, lead, seed, repeats }) => {
        const compiled = model(rules);
        const events = [...lead.events];
        for (const index of repeats)
          if (events.length > 0) events.push({ ...events[index % events.length]! });
        const shuffled = fc.sample(
          fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
          {
            seed,
            numRuns: 1,
          },
        )[0]!;
        expect(scoreLead(compiled, { ...lead, events: shuffled }, NOW)).toEqual(
          scoreLead(compiled, lead, NOW),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the score within the limits', () => {
    // Arrange: points large enough to reach past the limits.
    const scenario = fc.record({
      rules: rulesArb(tenths(-200, 200)),
      limits: fc
        .tuple(fc.integer({ min: -50, max: 50 }), fc.nat(100))
        .map(([min, width]) => ({ min, max: min + width })),
      lead: leadArb(eventAt(60, base)),
    });

    // Act / Assert
    fc.assert(
      fc.property(scenario, ({ rules, limits, lead }) => {
        const result = scoreLead(model({ ...rules, limits }), lead, NOW);
        expect(Number.isInteger(result.score)).toBe(true);
        expect(result.score).toBeGreaterThanOrEqual(limits.min);
        expect(result.score).toBeLessThanOrEqual(limits.max);
      }),
      { numRuns: 300 },
    );
  });

  it('never lets a positive contribution grow as time passes without new events', () => {
    // Arrange: only positive engagement points; fit may be anything (it does not depend on time), and the
    // clamp to limits and the rounding are monotonic, so the score must not rise either.
    const scenario = fc.record({
      rules: rulesArb(tenths(0.1, 50)),
      lead: leadArb(eventAt(120, base)),
      later: fc.integer({ min: 0, max: 60 * DAY }),
      step: fc.integer({ min: 1, max: 120 * DAY }),
    });
    const points = (reasons: readonly Reason[]) =>
      new Map(reasons.map((reason) => [reason.rule, reason.points]));

    // Act / Assert
    fc.assert(
      fc.property(scenario, ({ rules, lead, later, step }) => {
        const compiled = model(rules);
        const before = scoreLead(compiled, lead, base + later);
        const after = scoreLead(compiled, lead, base + later + step);
        expect(after.score).toBeLessThanOrEqual(before.score);
        expect(after.engagement).toBeLessThanOrEqual(before.engagement);
        const earlier = points(before.reasons);
        for (const [rule, value] of points(after.reasons))
          expect(value).toBeLessThanOrEqual(earlier.get(rule) ?? 0);
      }),
      { numRuns: 300 },
    );
  });

  it('gives every contributing rule its reason, and reasons add up to fit and engagement', () => {
    // Arrange
    const scenario = fc.record({ rules: rulesArb(tenths(-50, 50)), lead: leadArb(eventAt(60, base)) });

    // Act / Assert
    fc.assert(
      fc.property(scenario, ({ rules, lead }) => {
        const result = scoreLead(model(rules), lead, NOW);
        const total = result.reasons.reduce((sum, reason) => sum + reason.points, 0);
        // Each reason is rounded to 0.1, and those rounded to 0.0 are left out: at most 0.05 off per rule.
        const rulesCount = (rules.fit?.length ?? 0) + (rules.engagement?.length ?? 0) + 1;
        expect(Math.abs(total - (result.fit + result.engagement))).toBeLessThanOrEqual(
          0.05 * (rulesCount + 2) + 1e-9,
        );
        const magnitudes = result.reasons.map((reason) => Math.abs(reason.points));
        expect(magnitudes).toEqual([...magnitudes].sort((a, b) => b - a));
      }),
      { numRuns: 200 },
    );
  });
});
