/** The active rules as a compiled model, cached for a short while and compiled once per version. */
import { cachedFor } from '../config/cached';
// A deep import: stored rules were validated when pushed, and the schema would bring zod along.
import { compileRules } from '../scoring/model';
import type { RuleStore } from './ports';
import type { ScoredModel } from './rescore';

export function activeModel(
  rules: RuleStore,
  ttlMs: number,
  clock?: () => number,
): () => Promise<ScoredModel> {
  let compiled: ScoredModel | undefined;
  return cachedFor(
    async () => {
      const active = await rules.getActive();
      if (compiled?.version !== active.version)
        compiled = { version: active.version, model: compileRules(active.rules) };
      return compiled;
    },
    ttlMs,
    clock,
  );
}
