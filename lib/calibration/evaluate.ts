/** How well any rules file ranks outcomes: each row scored as a profile by the real engine. */
import { scoreLead, type ScoringModel } from '../scoring';
import type { DataRow } from './columns';
import { liftByDecile, ratesByGroup, rocAuc, type DecileLift, type GroupRate } from './metrics';

export type ScoreBasis = 'score' | 'fit';

export interface RulesEvaluation {
  readonly rows: number;
  readonly positives: number;
  readonly auc: number;
  readonly lift: readonly DecileLift[];
  readonly grades: readonly GroupRate[];
  readonly stages: readonly GroupRate[];
  /** The score each row got (by `basis`), in row order. */
  readonly scores: Float64Array;
}

/** A CSV row as a profile: empty cells are missing fields, as `leadscore score --csv` reads them. */
export function rowProfile(row: DataRow): Record<string, string> {
  const profile: Record<string, string> = {};
  for (const [name, value] of Object.entries(row))
    if (value !== undefined && value.trim() !== '') profile[name] = value;
  return profile;
}

export function evaluateRules(
  model: ScoringModel,
  rows: readonly DataRow[],
  labels: ArrayLike<number>,
  options: { readonly at: Date; readonly basis?: ScoreBasis },
): RulesEvaluation {
  const basis = options.basis ?? 'score';
  const scores = new Float64Array(rows.length);
  const grades: string[] = [];
  const stages: string[] = [];
  let positives = 0;
  rows.forEach((row, i) => {
    const result = scoreLead(model, { id: String(i + 1), profile: rowProfile(row), events: [] }, options.at);
    scores[i] = basis === 'fit' ? result.fit : result.score;
    grades.push(result.grade);
    stages.push(result.stage);
    if (labels[i] === 1) positives++;
  });
  const rules = model.rules;
  return {
    rows: rows.length,
    positives,
    auc: rocAuc(scores, labels),
    lift: liftByDecile(scores, labels),
    grades: ratesByGroup(grades, labels, rules.grades?.map((grade) => grade.grade) ?? []),
    stages: ratesByGroup(stages, labels, rules.stages?.map((stage) => stage.stage) ?? []),
    scores,
  };
}
