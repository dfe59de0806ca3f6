/** Allowed numbers for a setting or an option, and the words that say so (CLI options, calibration settings). */

export interface NumberRange {
  readonly min: number;
  readonly max: number;
  readonly whole: boolean;
}

/** `0.05 to 0.5`. */
export function rangeText(range: NumberRange): string {
  return `${range.min} to ${range.max}`;
}

/** E.g. `must be a whole number from 2 to 50`; undefined when `value` is allowed. */
export function rangeProblem(value: number, range: NumberRange): string | undefined {
  const allowed =
    Number.isFinite(value) &&
    value >= range.min &&
    value <= range.max &&
    (!range.whole || Number.isInteger(value));
  return allowed
    ? undefined
    : `must be ${range.whole ? 'a whole number' : 'a number'} from ${rangeText(range)}`;
}
