// Throughput measurement: warm up, then several timed rounds, reporting the median rate.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
/** A full collection on demand (what `node --expose-gc` gives as global `gc`). */
const collectGarbage = runInNewContext('gc') as () => void;

export interface RateOptions {
  readonly warmupMs: number;
  readonly rounds: number;
  /** Each round repeats the pass until at least this long has elapsed, so short passes still time well. */
  readonly minRoundMs: number;
}

export interface Rate {
  /** Median items per second over the rounds. */
  readonly perSecond: number;
  readonly roundsPerSecond: readonly number[];
}

/** Processes a batch and returns how many items it processed. */
export type Pass = () => number | Promise<number>;

export const DEFAULT_RATE_OPTIONS: RateOptions = { warmupMs: 1000, rounds: 7, minRoundMs: 400 };

async function timeRound(pass: Pass, minRoundMs: number): Promise<number> {
  let items = 0;
  const start = performance.now();
  let elapsed: number;
  do {
    items += await pass();
    elapsed = performance.now() - start;
  } while (elapsed < minRoundMs);
  return (items / elapsed) * 1000;
}

/**
 * Times several passes round by round, in turn, rather than one after the other: on a shared machine
 * the load drifts, and interleaving exposes every pass to the same drift, so their ratios stay fair.
 * Each round starts from a fully collected heap, so that no pass pays for the garbage another one left.
 */
export async function measureRates<K extends string>(
  passes: Readonly<Record<K, Pass>>,
  options: RateOptions = DEFAULT_RATE_OPTIONS,
): Promise<Record<K, Rate>> {
  const names = Object.keys(passes) as K[];
  for (const name of names) {
    const warmupEnd = performance.now() + options.warmupMs;
    do await passes[name]();
    while (performance.now() < warmupEnd);
  }
  const rounds = new Map<K, number[]>(names.map((name) => [name, []]));
  for (let round = 0; round < options.rounds; round++) {
    for (const name of names) {
      collectGarbage();
      rounds.get(name)?.push(await timeRound(passes[name], options.minRoundMs));
    }
  }
  const rates = {} as Record<K, Rate>;
  for (const name of names) {
    const perRound = rounds.get(name) ?? [];
    rates[name] = { perSecond: median(perRound), roundsPerSecond: perRound };
  }
  return rates;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
}

/** Progress for people watching; stdout stays one JSON document. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
