/** scoreLead: one lead, its events and a scoring time → score, fit, engagement, grade, stage and reasons. */
import { keepOncePerId, startDedupe } from './dedupe-events';
import type { CompiledRules, ScoringModel, Threshold } from './model';
import { REENGAGEMENT_RULE_ID } from './vocabulary';
import { scoringTimeMs, toEpochMs } from './time';
import type { Lead, Reason, ScoreResult, ScoringEvent } from './types';

// Semantics decided here (the issue is silent on them):
// - an event with an unreadable occurredAt is ignored, like one after the scoring time;
// - `within` keeps events strictly newer than `at - within`;
// - `once` counts the lead's first matching event ever, and only while that event is inside `within`:
//   a later repeat never takes its place, so a score never rises as time passes without new activity;
// - the first event of a lead is not a re-engagement (there is no silence before it);
// - grades compare the fit rounded to one decimal, stages the final (whole) score, as shown to people;
// - a reason whose points round to 0.0 is left out.

const EMPTY_PROFILE: Readonly<Record<string, unknown>> = Object.freeze({});
const NO_EVENTS: readonly ScoringEvent[] = Object.freeze([]);

// Reused across calls (scoring is synchronous): event times, and a sorted copy for re-engagement gaps.
let times = new Float64Array(64);
let sorted = new Float64Array(64);

// Results and reasons are built by constructors, not object or array literals: V8 may "pretenure" a
// literal's allocation site (allocate its objects straight in the old generation) when objects from it
// happened to survive a young collection, which interleaved async work (the worker's AWS calls, or another
// engine in the benchmark) makes likely. Every result then costs a full collection's work, and scoring ran up to
// 2× slower for the rest of the process; constructors and Array.prototype.slice are not subject to it.
class ReasonEntry implements Reason {
  constructor(
    readonly rule: string,
    readonly points: number,
  ) {}
}

class Result implements ScoreResult {
  constructor(
    readonly score: number,
    readonly fit: number,
    readonly engagement: number,
    readonly grade: string,
    readonly stage: string,
    readonly reasons: Reason[],
  ) {}
}

/** The reasons of the lead being scored, in order; reused across calls and copied out with slice. */
class ReasonBuffer {
  items: Reason[] = [];
  size = 0;

  take(): Reason[] {
    const reasons = this.items.slice(0, this.size);
    this.size = 0;
    return reasons;
  }
}

const reasonBuffer = new ReasonBuffer();

/** Half away from zero, so that +x and -x round alike. */
function roundHalfAway(value: number, scale: number): number {
  const rounded = (Math.sign(value) * Math.round(Math.abs(value) * scale)) / scale;
  return rounded === 0 ? 0 : rounded;
}

/** Whether `a` goes before `b`: larger magnitude first, then rule id, so the order is deterministic. */
function goesBefore(a: Reason, b: Reason): boolean {
  const difference = Math.abs(a.points) - Math.abs(b.points);
  return difference !== 0 ? difference > 0 : a.rule < b.rule;
}

/** Inserts in order: a lead has a handful of reasons, and this spares a sort call per lead. */
function addReason(buffer: ReasonBuffer, rule: string, points: number): void {
  const rounded = roundHalfAway(points, 10);
  if (rounded === 0) return;
  const reason: Reason = new ReasonEntry(rule, rounded);
  const items = buffer.items;
  let i = buffer.size++;
  while (i > 0 && goesBefore(reason, items[i - 1] as Reason)) {
    items[i] = items[i - 1] as Reason;
    i--;
  }
  items[i] = reason;
}

function pick(thresholds: readonly Threshold[], value: number): string {
  for (const threshold of thresholds) if (value >= threshold.min) return threshold.label;
  return '';
}

/** 0.5^(age / halfLife), as exp(-age·ln2/halfLife): the same value, several times cheaper than Math.pow. */
function decay(model: CompiledRules, ageMs: number): number {
  return model.decayRate === 0 ? 1 : Math.exp(-ageMs * model.decayRate);
}

/**
 * Event times into the scratch buffer, NaN for events that do not count (unreadable time, after the
 * scoring time, or a duplicate id); returns an upper bound of how many count. Events without a string
 * id cannot be told apart, so they are all kept.
 */
function readTimes(events: readonly ScoringEvent[], atMs: number): number {
  const count = events.length;
  if (times.length < count) times = new Float64Array(Math.max(count, times.length * 2));
  // Locals, so that the optimizer keeps the arrays in registers instead of reloading module variables.
  const eventTimes = times;
  startDedupe(count);
  let kept = 0;
  for (let i = 0; i < count; i++) {
    const event = events[i] as ScoringEvent;
    const time = toEpochMs(event.occurredAt);
    if (time <= atMs) {
      eventTimes[i] = time;
      kept++;
      const id = event.id;
      if (typeof id === 'string') keepOncePerId(events, eventTimes, i, id);
    } else {
      eventTimes[i] = Number.NaN;
    }
  }
  return kept;
}

function reengagementBonus(
  model: CompiledRules,
  eventTimes: Float64Array,
  count: number,
  atMs: number,
): number {
  const bonus = model.reengagement;
  if (bonus === undefined) return 0;
  if (sorted.length < count) sorted = new Float64Array(Math.max(count, sorted.length * 2));
  const ordered = sorted;
  let size = 0;
  let inOrder = true;
  for (let i = 0; i < count; i++) {
    const time = eventTimes[i] as number;
    if (time !== time) continue;
    if (size > 0 && time < (ordered[size - 1] as number)) inOrder = false;
    ordered[size++] = time;
  }
  // Insertion sort: a lead has tens of events, mostly already in time order.
  if (!inOrder) {
    for (let i = 1; i < size; i++) {
      const time = ordered[i] as number;
      let j = i - 1;
      while (j >= 0 && (ordered[j] as number) > time) {
        ordered[j + 1] = ordered[j] as number;
        j--;
      }
      ordered[j + 1] = time;
    }
  }
  let total = 0;
  for (let i = 1; i < size; i++) {
    const time = ordered[i] as number;
    if (time - (ordered[i - 1] as number) >= bonus.afterMs) total += bonus.points * decay(model, atMs - time);
  }
  return total;
}

function scoreEvents(
  model: CompiledRules,
  events: readonly ScoringEvent[],
  atMs: number,
  reasons: ReasonBuffer,
): number {
  const { engagement: rules, ruleSums: sums, ruleFirstTimes: firstTimes } = model;
  for (let r = 0; r < rules.length; r++) {
    sums[r] = 0;
    firstTimes[r] = Number.POSITIVE_INFINITY;
  }
  const count = events.length;
  const kept = count === 0 ? 0 : readTimes(events, atMs);
  const eventTimes = times;
  for (let i = 0; kept > 0 && i < count; i++) {
    const time = eventTimes[i] as number;
    if (time !== time) continue;
    model.applyEvent(events[i] as ScoringEvent, time, atMs - time, sums, firstTimes);
  }
  let engagement = 0;
  for (const rule of rules) {
    let total = sums[rule.index] as number;
    if (rule.once) {
      const first = firstTimes[rule.index] as number;
      const age = atMs - first;
      total = first !== Number.POSITIVE_INFINITY && age < rule.withinMs ? rule.points * decay(model, age) : 0;
    }
    if (total > rule.max) total = rule.max;
    else if (total < -rule.max) total = -rule.max;
    engagement += total;
    addReason(reasons, rule.id, total);
  }
  if (kept > 1 && model.reengagement !== undefined) {
    const bonus = reengagementBonus(model, eventTimes, count, atMs);
    engagement += bonus;
    addReason(reasons, REENGAGEMENT_RULE_ID, bonus);
  }
  return engagement;
}

export function scoreLead(model: ScoringModel, lead: Lead, at: Date | string | number): ScoreResult {
  const compiled = model.compiled;
  const atMs = scoringTimeMs(at);
  const profile = lead.profile ?? EMPTY_PROFILE;
  const reasons = reasonBuffer;
  reasons.size = 0;
  const fit = compiled.scoreFit(profile, reasons, addReason);
  const engagement =
    compiled.engagement.length > 0 || compiled.reengagement !== undefined
      ? scoreEvents(compiled, lead.events ?? NO_EVENTS, atMs, reasons)
      : 0;
  const total = Math.min(compiled.maxScore, Math.max(compiled.minScore, fit + engagement));
  const score = roundHalfAway(total, 1);
  const roundedFit = roundHalfAway(fit, 10);
  return new Result(
    score,
    roundedFit,
    roundHalfAway(engagement, 10),
    pick(compiled.grades, roundedFit),
    pick(compiled.stages, score),
    reasons.take(),
  );
}
