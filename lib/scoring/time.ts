/** Timestamps (ISO-8601 strings, epoch milliseconds, Dates) → epoch milliseconds, fast on the common ISO shape. */

export class InvalidTimeError extends Error {
  constructor(readonly value: unknown) {
    super(`invalid time ${JSON.stringify(value)}: expected an ISO-8601 string, epoch milliseconds or a Date`);
    this.name = 'InvalidTimeError';
  }
}

const DAY_MS = 86_400_000;
const ZERO = 48;

function digits(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const digit = text.charCodeAt(i) - ZERO;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/**
 * `YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM)` without Date.parse, which costs ~10× more and dominates scoring
 * when leads carry dozens of events. Anything else (or any out-of-range part) goes to Date.parse, and the
 * fast path mirrors its quirks (day 31 of a short month rolls over, extra fraction digits truncate).
 */
function parseIsoFast(text: string): number {
  const length = text.length;
  if (length < 20 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84) {
    return Number.NaN;
  }
  if (text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return Number.NaN;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31) return Number.NaN;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return Number.NaN;
  let i = 19;
  let millis = 0;
  if (text.charCodeAt(i) === 46) {
    const start = ++i;
    while (i < length) {
      const digit = text.charCodeAt(i) - ZERO;
      if (digit < 0 || digit > 9) break;
      if (i - start < 3) millis = millis * 10 + digit;
      i++;
    }
    if (i === start) return Number.NaN;
    for (let scale = i - start; scale < 3; scale++) millis *= 10;
  }
  let offsetMinutes = 0;
  const zone = text.charCodeAt(i);
  if (zone === 90 && i + 1 === length) {
    // UTC: no offset.
  } else if ((zone === 43 || zone === 45) && i + 6 === length && text.charCodeAt(i + 3) === 58) {
    const offsetHours = digits(text, i + 1, 2);
    const offsetMins = digits(text, i + 4, 2);
    if (offsetHours < 0 || offsetHours > 23 || offsetMins < 0 || offsetMins > 59) return Number.NaN;
    offsetMinutes = (zone === 45 ? -1 : 1) * (offsetHours * 60 + offsetMins);
  } else {
    return Number.NaN;
  }
  const days = daysFromCivil(year, month, day);
  return days * DAY_MS + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 + millis;
}

/** Epoch milliseconds, or NaN when the value is not a usable time. */
export function toEpochMs(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : Number.NaN;
  if (typeof value === 'string') {
    const fast = parseIsoFast(value);
    return fast === fast ? fast : Date.parse(value);
  }
  if (value instanceof Date) return value.getTime();
  return Number.NaN;
}

/** Like toEpochMs, but for the scoring time, where a bad value is the caller's bug. */
export function scoringTimeMs(at: Date | string | number): number {
  const ms = toEpochMs(at);
  if (ms !== ms) throw new InvalidTimeError(at instanceof Date ? String(at) : at);
  return ms;
}
