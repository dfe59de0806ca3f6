/**
 * When a lead's score will next change with no new event: an event entering or leaving a rule's window,
 * or decay carrying the total across a rounding boundary. Errs early, never late: the sweep then finds
 * no change and only moves the due time on.
 */
import type { ScoringModel } from '../scoring';
import { toEpochMs } from '../scoring/time';
import type { ScoreResult } from '../scoring/types';
import type { StoredEvent } from './lead-state';

/** Never due again sooner than this after a scoring, so that a total sitting on a boundary is not re-run hot. */
export const MIN_RESCORE_STEP_MS = 15 * 60 * 1000;
/** Slack for fit and engagement being reported to one decimal. */
const ROUNDING_SLACK = 0.1;

export function nextChangeAt(
  model: ScoringModel,
  events: readonly StoredEvent[],
  result: ScoreResult,
  atMs: number,
): number | undefined {
  let next = Math.min(windowEdge(model, events, atMs), atMs + decayDelay(model, result));
  if (!Number.isFinite(next)) return undefined;
  next = Math.max(next, atMs + MIN_RESCORE_STEP_MS);
  return next;
}

/** The first future moment an event starts counting (it is dated later) or leaves a rule's `within`. */
function windowEdge(model: ScoringModel, events: readonly StoredEvent[], atMs: number): number {
  const windows = model.compiled.engagement.filter((rule) => Number.isFinite(rule.withinMs));
  let edge = Number.POSITIVE_INFINITY;
  for (const event of events) {
    const time = toEpochMs(event.occurredAt);
    if (time > atMs) {
      edge = Math.min(edge, time);
      continue;
    }
    const rules = model.compiled.rulesByEventType.get(event.type) ?? [];
    for (const rule of rules) {
      if (windows.includes(rule) && time + rule.withinMs > atMs) edge = Math.min(edge, time + rule.withinMs);
    }
  }
  return edge;
}

/**
 * Every decaying contribution shrinks by the same factor f(Δ) = exp(-rate·Δ), so the total moves by at
 * most M·(1 − f) where M is the engagement's magnitude; the score cannot change before that reaches the
 * distance d to the edge of the interval that rounds (and clamps) to the current score. Returns that delay.
 */
function decayDelay(model: ScoringModel, result: ScoreResult): number {
  const rate = model.compiled.decayRate;
  if (rate === 0) return Number.POSITIVE_INFINITY;
  const fitRules = new Set(model.compiled.fit.map((rule) => rule.id));
  let magnitude = 0;
  for (const reason of result.reasons) {
    if (!fitRules.has(reason.rule)) magnitude += Math.abs(reason.points) + ROUNDING_SLACK / 2;
  }
  if (magnitude === 0) return Number.POSITIVE_INFINITY;
  const total = result.fit + result.engagement;
  const { minScore, maxScore } = model.compiled;
  const low = result.score <= minScore ? Number.NEGATIVE_INFINITY : result.score - 0.5;
  const high = result.score >= maxScore ? Number.POSITIVE_INFINITY : result.score + 0.5;
  const distance = Math.min(total - low, high - total) - ROUNDING_SLACK;
  if (distance <= 0) return 0;
  if (distance >= magnitude) return Number.POSITIVE_INFINITY;
  return -Math.log(1 - distance / magnitude) / rate;
}
