/** Keeps one event per id, chosen so that neither event order nor which duplicate arrived first matters. */
import type { ScoringEvent } from './types';

// A Set or Map per lead (or one cleared per lead) allocates hash tables on every call and measured as
// the largest cost of scoring. Instead: an open-addressing table of event indexes, reused across calls
// (scoring is synchronous) and emptied in O(1) by bumping a generation stamp. The hash reads only the
// length and three characters (the last two and the middle one); ids of one lead differ there, and a
// collision only costs a string comparison.
const MIN_SLOTS = 64;
let slots = new Int32Array(MIN_SLOTS);
let stamps = new Int32Array(MIN_SLOTS);
let generation = 0;

function quickHash(id: string): number {
  const length = id.length;
  if (length < 3) return length === 0 ? 0 : Math.imul(length ^ id.charCodeAt(0), 0x9e3779b1);
  let hash = Math.imul(length ^ id.charCodeAt(length - 1), 0x9e3779b1);
  hash = Math.imul(hash ^ id.charCodeAt(length - 2), 0x85ebca6b);
  hash = Math.imul(hash ^ id.charCodeAt(length >> 1), 0xc2b2ae35);
  return hash ^ (hash >>> 15);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/** Webhook retries repeat an event verbatim; telling those apart needs no serialization. */
function shallowEqual(a: ScoringEvent, b: ScoringEvent): boolean {
  if (a === b) return true;
  let keys = 0;
  for (const key in a) {
    if (a[key] !== b[key]) return false;
    keys++;
  }
  for (const _key in b) keys--;
  return keys === 0;
}

/** Earliest wins; equal times fall back to the content itself, so the pick is the same in any order. */
function prefer(events: readonly ScoringEvent[], times: Float64Array, a: number, b: number): boolean {
  const timeA = times[a] as number;
  const timeB = times[b] as number;
  if (timeA !== timeB) return timeA < timeB;
  const eventA = events[a] as ScoringEvent;
  const eventB = events[b] as ScoringEvent;
  return !shallowEqual(eventA, eventB) && canonicalJson(eventA) < canonicalJson(eventB);
}

let mask = MIN_SLOTS - 1;

/** Starts on a new lead with up to `count` events, forgetting the previous lead's ids in O(1). */
export function startDedupe(count: number): void {
  let size = slots.length;
  if (size < count * 2) {
    while (size < count * 2) size *= 2;
    slots = new Int32Array(size);
    stamps = new Int32Array(size);
    generation = 0;
  }
  if (generation === 0x7fffffff) {
    stamps.fill(0);
    generation = 0;
  }
  generation++;
  mask = size - 1;
}

/**
 * Called for each counted event `index` (in any order) after startDedupe: when an event with the same id
 * was seen before, the one not preferred is dropped by setting its time to NaN (the scorer's "ignore"
 * mark). `times` must already hold the times of this event and of every event seen before it.
 */
export function keepOncePerId(
  events: readonly ScoringEvent[],
  times: Float64Array,
  index: number,
  id: string,
): void {
  const stamp = generation;
  let slot = quickHash(id) & mask;
  while (stamps[slot] === stamp) {
    const kept = slots[slot] as number;
    if ((events[kept] as ScoringEvent).id === id) {
      if (prefer(events, times, index, kept)) {
        times[kept] = Number.NaN;
        slots[slot] = index;
      } else {
        times[index] = Number.NaN;
      }
      return;
    }
    slot = (slot + 1) & mask;
  }
  stamps[slot] = stamp;
  slots[slot] = index;
}
