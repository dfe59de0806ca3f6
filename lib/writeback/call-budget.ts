/**
 * What the CRM lets us spend, as it last told us: calls left in its rolling window (HubSpot's 10 seconds),
 * a pause it asked for (Retry-After), and the daily allocation against a floor we keep free (Salesforce).
 * Kept per process, so that the next invocation starts from what the last one learnt.
 */
import type { BudgetReport } from './crm-writer';

export type BudgetDecision =
  | { readonly kind: 'go' }
  | { readonly kind: 'wait'; readonly ms: number }
  | { readonly kind: 'exhausted'; readonly reason: string };

export interface CallBudgetOptions {
  /** Daily calls to leave for everyone else, given the daily limit; none when omitted. */
  readonly dailyFloor?: (limit: number) => number;
  /** The window's length when the CRM did not say (HubSpot: 10 s). */
  readonly defaultWindowMs?: number;
}

export class CallBudget {
  private pausedUntil = 0;
  private window: { remaining: number; windowMs: number; observedAt: number } | undefined;
  private daily: { used: number; limit: number } | undefined;

  constructor(private readonly options: CallBudgetOptions = {}) {}

  /** Whether a call may go out at `now`, how long to wait first, or that the daily floor is reached. */
  decide(now: number): BudgetDecision {
    const { daily } = this;
    if (daily && this.options.dailyFloor) {
      const floor = this.options.dailyFloor(daily.limit);
      if (daily.limit - daily.used <= floor) {
        return {
          kind: 'exhausted',
          reason: `daily API usage ${daily.used}/${daily.limit} leaves no more than the floor of ${floor} calls`,
        };
      }
    }
    if (now < this.pausedUntil) return { kind: 'wait', ms: this.pausedUntil - now };
    const { window } = this;
    if (window && window.remaining <= 0) {
      // A rolling window frees a slot at the latest one window after we learnt it was full.
      const until = window.observedAt + window.windowMs;
      if (now < until) return { kind: 'wait', ms: until - now };
      this.window = undefined;
    }
    return { kind: 'go' };
  }

  /** Counts a call about to go out, so that calls between two reports are not forgotten. */
  spend(): void {
    if (this.window) this.window.remaining -= 1;
    if (this.daily) this.daily.used += 1;
  }

  observe(report: BudgetReport | undefined, now: number): void {
    if (!report) return;
    if (report.windowRemaining !== undefined) {
      this.window = {
        remaining: report.windowRemaining,
        windowMs: report.windowMs ?? this.window?.windowMs ?? this.options.defaultWindowMs ?? 10_000,
        observedAt: now,
      };
    }
    if (report.dailyUsed !== undefined && report.dailyLimit !== undefined) {
      this.daily = { used: report.dailyUsed, limit: report.dailyLimit };
    }
  }

  /** The CRM asked us to hold off (429 with Retry-After). */
  pause(ms: number, now: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, now + Math.max(0, ms));
  }

  /** What we last learnt of the daily allocation, for metrics. */
  get dailyUsage(): { readonly used: number; readonly limit: number } | undefined {
    return this.daily && { ...this.daily };
  }
}
