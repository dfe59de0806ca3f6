import { CallBudget } from '../../../lib/writeback/call-budget';

const T0 = Date.parse('2026-11-23T12:00:00.000Z');

describe('CallBudget', () => {
  it('lets calls go while nothing is known', () => {
    expect(new CallBudget().decide(T0)).toEqual({ kind: 'go' });
  });

  it('counts calls against the window remainder the CRM reported, then waits for the window to pass', () => {
    const budget = new CallBudget();
    budget.observe({ windowRemaining: 2, windowMs: 10_000 }, T0);

    budget.spend();
    const afterOne = budget.decide(T0 + 100);
    budget.spend();
    const afterTwo = budget.decide(T0 + 1_000);

    expect(afterOne).toEqual({ kind: 'go' });
    // Reported at T0 with 2 left; both spent: the window frees a slot by T0 + 10 s at the latest.
    expect(afterTwo).toEqual({ kind: 'wait', ms: 9_000 });
    expect(budget.decide(T0 + 10_000)).toEqual({ kind: 'go' });
  });

  it('takes a new report over its own count', () => {
    const budget = new CallBudget();
    budget.observe({ windowRemaining: 0, windowMs: 10_000 }, T0);

    budget.observe({ windowRemaining: 50, windowMs: 10_000 }, T0 + 2_000);

    expect(budget.decide(T0 + 2_000)).toEqual({ kind: 'go' });
  });

  it('keeps the window length it knows when a later report leaves it out, else 10 s', () => {
    const known = new CallBudget();
    known.observe({ windowRemaining: 5, windowMs: 1_000 }, T0);
    known.observe({ windowRemaining: 0 }, T0);
    const unknown = new CallBudget();
    unknown.observe({ windowRemaining: 0 }, T0);

    expect(known.decide(T0)).toEqual({ kind: 'wait', ms: 1_000 });
    expect(unknown.decide(T0)).toEqual({ kind: 'wait', ms: 10_000 });
  });

  it('holds calls for a pause (Retry-After) and never shortens one already asked for', () => {
    const budget = new CallBudget();

    budget.pause(3_000, T0);
    budget.pause(1_000, T0 + 500);

    expect(budget.decide(T0 + 1_000)).toEqual({ kind: 'wait', ms: 2_000 });
    expect(budget.decide(T0 + 3_000)).toEqual({ kind: 'go' });
  });

  it('is exhausted once the daily remainder reaches the floor, and counts its own calls toward it', () => {
    // Limit 1000, floor 10% = 100: exhausted when used >= 900.
    const budget = new CallBudget({ dailyFloor: (limit) => limit / 10 });
    budget.observe({ dailyUsed: 898, dailyLimit: 1_000 }, T0);

    const before = budget.decide(T0);
    budget.spend();
    const atFloorMinusOne = budget.decide(T0);
    budget.spend();
    const atFloor = budget.decide(T0);

    expect(before.kind).toBe('go');
    expect(atFloorMinusOne.kind).toBe('go');
    expect(atFloor).toEqual({
      kind: 'exhausted',
      reason: 'daily API usage 900/1000 leaves no more than the floor of 100 calls',
    });
    expect(budget.dailyUsage).toEqual({ used: 900, limit: 1_000 });
  });

  it('ignores the daily allocation when no floor is configured', () => {
    const budget = new CallBudget();
    budget.observe({ dailyUsed: 1_000, dailyLimit: 1_000 }, T0);

    expect(budget.decide(T0)).toEqual({ kind: 'go' });
  });
});
