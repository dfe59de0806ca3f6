/** Timestamps (ISO-8601 strings, epoch milliseconds, Dates) → epoch milliseconds, fast on the common ISO shape. */

export class InvalidTimeError extends Error {
  constructor(readonly value: unknown) {
    super(`invalid time ${JSON.stringify(value)}: expected an ISO-8601 string, epoch milliseconds or a Date`);
    this.name = 'InvalidTimeError';
  }
}

const DAY_MS = 86_400_000;
const ZERO = 48;

/** Days since 1970-01-01 of a proleptic Gregorian date, for years 1–9999 (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = (y / 400) | 0;
  const yearOfEra = y - era * 400;
  const dayOfYear = (((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) | 0) + day - 1;
  const dayOfEra = yearOfEra * 365 + ((yearOfEra / 4) | 0) - ((yearOfEra / 100) | 0) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/**
 * `YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM)` without Date.parse, which costs several times more and dominates
 * scoring when leads carry dozens of events; straight-line on purpose. Anything else (or any out-of-range
 * part) goes to Date.parse, and the fast path mirrors its quirks (day 31 of a short month rolls over, extra
 * fraction digits truncate).
 */
function parseIsoFast(text: string): number {
  const length = text.length;
  if (length < 20) return Number.NaN;
  const y0 = text.charCodeAt(0) - ZERO;
  const y1 = text.charCodeAt(1) - ZERO;
  const y2 = text.charCodeAt(2) - ZERO;
  const y3 = text.charCodeAt(3) - ZERO;
  const mo0 = text.charCodeAt(5) - ZERO;
  const mo1 = text.charCodeAt(6) - ZERO;
  const d0 = text.charCodeAt(8) - ZERO;
  const d1 = text.charCodeAt(9) - ZERO;
  const h0 = text.charCodeAt(11) - ZERO;
  const h1 = text.charCodeAt(12) - ZERO;
  const mi0 = text.charCodeAt(14) - ZERO;
  const mi1 = text.charCodeAt(15) - ZERO;
  const s0 = text.charCodeAt(17) - ZERO;
  const s1 = text.charCodeAt(18) - ZERO;
  // `>>> 0` turns a negative (non-digit below '0') into a huge number, so one comparison per digit suffices.
  if (
    y0 >>> 0 > 9 ||
    y1 >>> 0 > 9 ||
    y2 >>> 0 > 9 ||
    y3 >>> 0 > 9 ||
    mo0 >>> 0 > 9 ||
    mo1 >>> 0 > 9 ||
    d0 >>> 0 > 9 ||
    d1 >>> 0 > 9 ||
    h0 >>> 0 > 9 ||
    h1 >>> 0 > 9 ||
    mi0 >>> 0 > 9 ||
    mi1 >>> 0 > 9 ||
    s0 >>> 0 > 9 ||
    s1 >>> 0 > 9 ||
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 84 ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58
  ) {
    return Number.NaN;
  }
  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const month = mo0 * 10 + mo1;
  const day = d0 * 10 + d1;
  const hour = h0 * 10 + h1;
  const minute = mi0 * 10 + mi1;
  const second = s0 * 10 + s1;
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
    return Number.NaN;
  }
  let i = 19;
  let millis = 0;
  const afterSeconds = text.charCodeAt(i);
  if (length === 24 && afterSeconds === 46 && text.charCodeAt(23) === 90) {
    // toISOString()'s own shape, by far the most common: exactly three fraction digits, then Z.
    const f0 = text.charCodeAt(20) - ZERO;
    const f1 = text.charCodeAt(21) - ZERO;
    const f2 = text.charCodeAt(22) - ZERO;
    if (f0 >>> 0 > 9 || f1 >>> 0 > 9 || f2 >>> 0 > 9) return Number.NaN;
    millis = f0 * 100 + f1 * 10 + f2;
    return daysFromCivil(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
  }
  if (afterSeconds === 46) {
    const start = ++i;
    let digit = text.charCodeAt(i) - ZERO;
    while (digit >>> 0 <= 9) {
      if (i - start < 3) millis = millis * 10 + digit;
      digit = text.charCodeAt(++i) - ZERO;
    }
    if (i === start) return Number.NaN;
    if (i - start === 1) millis *= 100;
    else if (i - start === 2) millis *= 10;
  }
  let offsetMinutes = 0;
  const zone = text.charCodeAt(i);
  if (zone === 43 || zone === 45) {
    if (i + 6 !== length || text.charCodeAt(i + 3) !== 58) return Number.NaN;
    const oh0 = text.charCodeAt(i + 1) - ZERO;
    const oh1 = text.charCodeAt(i + 2) - ZERO;
    const om0 = text.charCodeAt(i + 4) - ZERO;
    const om1 = text.charCodeAt(i + 5) - ZERO;
    if (oh0 >>> 0 > 9 || oh1 >>> 0 > 9 || om0 >>> 0 > 9 || om1 >>> 0 > 9) return Number.NaN;
    const offsetHours = oh0 * 10 + oh1;
    const offsetMins = om0 * 10 + om1;
    if (offsetHours > 23 || offsetMins > 59) return Number.NaN;
    offsetMinutes = (zone === 45 ? -1 : 1) * (offsetHours * 60 + offsetMins);
  } else if (zone !== 90 || i + 1 !== length) {
    return Number.NaN;
  }
  return (
    daysFromCivil(year, month, day) * DAY_MS +
    ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 +
    millis
  );
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
