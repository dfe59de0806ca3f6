/**
 * What calibration accepts: the range of each setting it fits sensibly, and the least data it learns
 * from. The CLI checks its options against the same ranges, so both say the same thing.
 */

import type { NumberRange } from '../number-range';

export const SETTING_RANGES = {
  // The split's generator keeps 32 bits: larger seeds would repeat smaller ones.
  seed: { min: 0, max: 2 ** 32 - 1, whole: true },
  // Below 5% the held-out AUC rests on a handful of rows; above half, fewer rows are fitted than checked.
  holdout: { min: 0.05, max: 0.5, whole: false },
  // Weaker penalties stop converging (or lose precision) on columns that separate the outcomes;
  // stronger ones shrink every weight towards nothing.
  l2: { min: 0.001, max: 1000, whole: false },
  bins: { min: 2, max: 50, whole: true },
  minCount: { min: 1, max: 1_000_000, whole: true },
  // Points are whole numbers well inside 32 bits at any scale tried.
  maxPoints: { min: 1, max: 1000, whole: true },
} as const satisfies Record<string, NumberRange>;

export type SettingName = keyof typeof SETTING_RANGES;

/** The rules' name is shown by `rules list` and `rules show`; a blank one names nothing. */
export function nameProblem(name: string): string | undefined {
  return name.trim() === '' ? 'must not be empty' : undefined;
}

/** The least data calibration learns from; with less, the points and the held-out AUC would be noise. */
export const MINIMUM_DATA = {
  /** Rows with a yes/no outcome. */
  rows: 100,
  /** Of each outcome: enough to fit with and, at the default hold-out, 5 to check with. */
  perOutcome: 20,
  /** Of each outcome among the held-out rows, for an AUC that means something. */
  heldOutPerOutcome: 5,
} as const;
