/** Duration strings in rules (`90d`, `12h`, `2w`, `30m`) → milliseconds. */

export class InvalidDurationError extends Error {
  constructor(readonly text: string) {
    super(
      `invalid duration ${JSON.stringify(text)}: expected a whole number and a unit m, h, d or w (e.g. 90d)`,
    );
    this.name = 'InvalidDurationError';
  }
}

const MINUTE = 60_000;
const UNIT_MS: Readonly<Record<string, number>> = {
  m: MINUTE,
  h: 60 * MINUTE,
  d: 24 * 60 * MINUTE,
  w: 7 * 24 * 60 * MINUTE,
};

// Months and years are left out on purpose: their length varies, and `m` already means minutes.
const DURATION = /^\s*(\d+)\s*([mhdw])\s*$/;

/** Zero is rejected: a zero window or half-life is always a mistake (and would divide by zero). */
export function parseDuration(text: string): number {
  const match = typeof text === 'string' ? DURATION.exec(text) : null;
  const amount = match ? Number(match[1]) : 0;
  const unit = match ? UNIT_MS[match[2] ?? ''] : undefined;
  if (unit === undefined || !(amount > 0) || !Number.isSafeInteger(amount * unit)) {
    throw new InvalidDurationError(text);
  }
  return amount * unit;
}
