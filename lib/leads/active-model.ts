/** The active rules as a compiled model, cached for a short while and compiled once per version. */
import { cachedFor } from '../config/cached';
// A deep import: stored rules were validated when pushed, and the schema would bring zod along.
import { compileRules } from '../scoring/model';
import type { RuleStore } from './ports';
import type { ScoredModel } from './rescore';

/** At most one early reload a second, whatever the leads say (see below). */
const RELOAD_INTERVAL_MS = 1000;

/**
 * The active model. Given the newest rules version a lead of the batch was scored with, and that version
 * is newer than the cached one, the rules are read again at once instead of at the end of the cache's
 * time: another worker already scores with the newer rules, and saving with the older would set the lead's
 * score back a version (or undo a rescore run just after `rules activate`).
 */
export function activeModel(
  rules: RuleStore,
  ttlMs: number,
  clock: () => number = Date.now,
): (seenVersion?: number) => Promise<ScoredModel> {
  let compiled: ScoredModel | undefined;
  const cached = cachedFor(
    async () => {
      const active = await rules.getActive();
      if (compiled?.version !== active.version)
        compiled = { version: active.version, model: compileRules(active.rules) };
      return compiled;
    },
    ttlMs,
    clock,
  );
  let reloadedAt = Number.NEGATIVE_INFINITY;
  return async (seenVersion) => {
    const current = await cached();
    if (seenVersion === undefined || seenVersion <= current.version) return current;
    if (clock() - reloadedAt < RELOAD_INTERVAL_MS) return current;
    reloadedAt = clock();
    cached.invalidate();
    return cached();
  };
}
