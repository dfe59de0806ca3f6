/**
 * Column plans → indicator features and the encoding of a row into them. Each column gives a row at most
 * one feature, and the encoding mirrors how the engine will read the rules written from them.
 */
import { isMissingCell, levelKey, numberOf, type ColumnPlan, type DataRow, type Level } from './columns';
import { sparseFromRows, type SparseMatrix } from './sparse-matrix';

interface FeatureBase {
  readonly index: number;
  readonly column: string;
}

/** What a feature tests, whatever its column. */
export type FeatureTest =
  | { readonly kind: 'level'; readonly level: Level }
  /** Any present value that is not one of the column's common levels (rare in training, or unseen). */
  | { readonly kind: 'other'; readonly known: readonly Level[]; readonly rare: readonly Level[] }
  /** lower ≤ value < upper; an absent bound is open. */
  | { readonly kind: 'bin'; readonly lower?: number; readonly upper?: number }
  | { readonly kind: 'missing' };

export type Feature = FeatureBase & FeatureTest;

export interface Design {
  readonly features: readonly Feature[];
  readonly plans: readonly ColumnPlan[];
  /** Per feature, the position of its column in `plans`. */
  readonly columnOf: Int32Array;
  /** The feature each column activates for this row (at most one per column). */
  encode(row: DataRow): number[];
}

interface ColumnEncoder {
  (cell: string | undefined): number | undefined;
}

export function buildDesign(plans: readonly ColumnPlan[]): Design {
  const features: Feature[] = [];
  const encoders: { column: string; encode: ColumnEncoder }[] = [];
  const columnOf: number[] = [];
  for (const plan of plans) {
    const first = features.length;
    const add = (feature: FeatureTest): number => {
      const index = features.length;
      features.push({ ...feature, index, column: plan.name });
      return index;
    };
    let encode: ColumnEncoder;
    if (plan.kind === 'categorical') {
      const byKey = new Map(plan.levels.map((level) => [level.key, add({ kind: 'level', level })]));
      const other = plan.pooled ? add({ kind: 'other', known: plan.levels, rare: plan.rare }) : undefined;
      const missing = plan.missingFeature ? add({ kind: 'missing' }) : undefined;
      encode = (cell) =>
        isMissingCell(cell) ? missing : (byKey.get(levelKey(cell as string, plan.numeric)) ?? other);
    } else {
      const { cuts } = plan;
      const bins = [-1, ...cuts.map((_, i) => i)].map((i) =>
        add({
          kind: 'bin',
          ...(i < 0 ? {} : { lower: cuts[i] }),
          ...(i + 1 < cuts.length ? { upper: cuts[i + 1] } : {}),
        }),
      );
      const missing = plan.missingFeature ? add({ kind: 'missing' }) : undefined;
      encode = (cell) => {
        if (isMissingCell(cell)) return missing;
        const value = numberOf(cell as string);
        // Text in a number column matches no bin rule in the engine either.
        if (!Number.isFinite(value)) return undefined;
        let bin = 0;
        while (bin < cuts.length && value >= (cuts[bin] as number)) bin++;
        return bins[bin];
      };
    }
    for (let i = first; i < features.length; i++) columnOf.push(encoders.length);
    encoders.push({ column: plan.name, encode });
  }
  return {
    features,
    plans,
    columnOf: Int32Array.from(columnOf),
    encode(row) {
      const active: number[] = [];
      for (const { column, encode } of encoders) {
        const feature = encode(row[column]);
        if (feature !== undefined) active.push(feature);
      }
      return active;
    },
  };
}

export function designMatrix(design: Design, rows: readonly DataRow[]): SparseMatrix {
  return sparseFromRows(
    rows.map((row) => design.encode(row).map((feature) => [feature, 1] as const)),
    design.features.length,
  );
}

/**
 * Each column's reference, worth 0 points: its missing-value feature when it has one, else its most
 * common feature (so a column every lead answers reads "Yes: -24", not "No: +12, Yes: -12").
 */
export function referenceFeatures(design: Design, counts: ArrayLike<number>): Int32Array {
  const reference = new Int32Array(design.plans.length).fill(-1);
  for (const feature of design.features) {
    const column = design.columnOf[feature.index] as number;
    const held = reference[column] as number;
    const heldFeature = design.features[held];
    if (
      held < 0 ||
      feature.kind === 'missing' ||
      (heldFeature?.kind !== 'missing' && (counts[feature.index] as number) > (counts[held] as number))
    )
      reference[column] = feature.index;
  }
  return reference;
}

/**
 * Weights re-expressed relative to each column's reference. A row activates at most one feature per
 * column, and none only where it is missing or unseen, which the rules score like the reference (0).
 * Subtracting the reference's weight from all of a column's features therefore shifts every row that
 * has one by the same constant; rows with none are scored as the reference, as the engine will.
 */
export function relativeToReference(
  design: Design,
  weights: ArrayLike<number>,
  reference: Int32Array,
): Float64Array {
  return Float64Array.from(design.features, (_, i) => {
    const held = reference[design.columnOf[i] as number] as number;
    return (weights[i] as number) - (held < 0 ? 0 : (weights[held] as number));
  });
}
