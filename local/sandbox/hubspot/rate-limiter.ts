/** HubSpot's per-app budgets: a rolling 10-second window and a daily count, reported in X-HubSpot-RateLimit-* headers. */
export type RatePolicy = 'TEN_SECONDLY_ROLLING' | 'DAILY';

export type RateDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly policy: RatePolicy; readonly retryAfterSeconds: number };

const WINDOW_MS = 10_000;
const DAY_MS = 86_400_000;

export class HubSpotRateLimiter {
  private window: number[] = [];
  private day = -1;
  private usedToday = 0;

  constructor(
    private readonly clock: () => number,
    readonly tenSecondLimit: number,
    readonly dailyLimit: number,
  ) {}

  /** Counts the call if a budget is left; refused calls are not counted. */
  take(): RateDecision {
    const now = this.refresh();
    if (this.usedToday >= this.dailyLimit) {
      const nextDay = (Math.floor(now / DAY_MS) + 1) * DAY_MS;
      return { allowed: false, policy: 'DAILY', retryAfterSeconds: Math.ceil((nextDay - now) / 1000) };
    }
    if (this.window.length >= this.tenSecondLimit) {
      const oldest = this.window[0] ?? now;
      return {
        allowed: false,
        policy: 'TEN_SECONDLY_ROLLING',
        retryAfterSeconds: Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000)),
      };
    }
    this.window.push(now);
    this.usedToday += 1;
    return { allowed: true };
  }

  headers(): Record<string, string> {
    this.refresh();
    return {
      'X-HubSpot-RateLimit-Max': String(this.tenSecondLimit),
      'X-HubSpot-RateLimit-Remaining': String(Math.max(0, this.tenSecondLimit - this.window.length)),
      'X-HubSpot-RateLimit-Interval-Milliseconds': String(WINDOW_MS),
      'X-HubSpot-RateLimit-Daily': String(this.dailyLimit),
      'X-HubSpot-RateLimit-Daily-Remaining': String(Math.max(0, this.dailyLimit - this.usedToday)),
    };
  }

  /** Drops calls older than the window; the daily count restarts at midnight UTC. */
  private refresh(): number {
    const now = this.clock();
    const day = Math.floor(now / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.usedToday = 0;
    }
    while (this.window.length > 0 && (this.window[0] ?? 0) <= now - WINDOW_MS) this.window.shift();
    return now;
  }
}
