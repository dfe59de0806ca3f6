/** Injected misbehaviour shared by both sandboxes: failing responses, slowness and outages. */
import { z } from 'zod';
import type { SeededRandom } from './seeded-random';

export const FaultSpecSchema = z.object({
  status: z.union([z.literal(429), z.literal(500), z.literal(502), z.literal(503), z.literal(504)]),
  /** How many matching requests fail; unlimited (until `clearFaults`) when omitted. */
  count: z.number().int().positive().optional(),
  /** Probability that a matching request fails, drawn from the sandbox's seeded RNG; 1 when omitted. */
  ratio: z.number().min(0).max(1).optional(),
  retryAfterSeconds: z.number().nonnegative().optional(),
  /** Only requests whose path contains this text. */
  path: z.string().min(1).optional(),
  /** Only requests with this method. */
  method: z.string().min(1).optional(),
});

export type FaultSpec = z.infer<typeof FaultSpecSchema>;

export interface FaultDecision {
  readonly kind: 'outage' | 'injected';
  readonly status: number;
  readonly retryAfterSeconds?: number;
}

interface ActiveFault {
  readonly spec: FaultSpec;
  remaining: number;
}

export class FaultInjector {
  private faults: ActiveFault[] = [];
  private outageUntil = 0;
  private extraDelayMs = 0;

  constructor(
    private readonly clock: () => number,
    private readonly random: SeededRandom,
  ) {}

  fail(spec: FaultSpec): void {
    const parsed = FaultSpecSchema.parse(spec);
    this.faults.push({ spec: parsed, remaining: parsed.count ?? Number.POSITIVE_INFINITY });
  }

  /** Adds `ms` to every API response from now on (0 restores normal speed). */
  slow(ms: number): void {
    this.extraDelayMs = Math.max(0, ms);
  }

  /** Every API call answers 503 for the next `seconds` of the sandbox clock. */
  outage(seconds: number): void {
    this.outageUntil = this.clock() + Math.max(0, seconds) * 1000;
  }

  clear(): void {
    this.faults = [];
    this.outageUntil = 0;
    this.extraDelayMs = 0;
  }

  get delayMs(): number {
    return this.extraDelayMs;
  }

  decide(method: string, path: string): FaultDecision | undefined {
    if (this.clock() < this.outageUntil) return { kind: 'outage', status: 503 };
    for (const fault of this.faults) {
      const { spec } = fault;
      if (spec.path !== undefined && !path.includes(spec.path)) continue;
      if (spec.method !== undefined && spec.method.toUpperCase() !== method.toUpperCase()) continue;
      // Drawn only for matching requests so that unrelated traffic does not shift the sequence.
      if (spec.ratio !== undefined && this.random.next() >= spec.ratio) continue;
      fault.remaining -= 1;
      this.faults = this.faults.filter((candidate) => candidate.remaining > 0);
      return { kind: 'injected', status: spec.status, retryAfterSeconds: spec.retryAfterSeconds };
    }
    return undefined;
  }
}
