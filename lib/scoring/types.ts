/** The scoring engine's public data shapes: what goes in (a lead and its events) and what comes out. */

/** One thing a lead did. `id` is the dedupe key; other fields are what engagement rules filter on. */
export interface ScoringEvent {
  readonly id: string;
  readonly type: string;
  /** ISO-8601 string or epoch milliseconds. */
  readonly occurredAt: string | number;
  readonly [field: string]: unknown;
}

export interface Lead {
  readonly id: string;
  /** CRM fields by name; CRMs send strings, so numeric rules accept numeric strings. */
  readonly profile: Readonly<Record<string, unknown>>;
  readonly events: readonly ScoringEvent[];
}

/** One contributing rule and its points (rounded to one decimal). */
export interface Reason {
  readonly rule: string;
  readonly points: number;
}

export interface ScoreResult {
  readonly score: number;
  readonly fit: number;
  readonly engagement: number;
  readonly grade: string;
  readonly stage: string;
  readonly reasons: readonly Reason[];
}
