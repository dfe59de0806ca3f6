/** Calibration's public API: learn whole-point fit rules from outcomes, and measure any rules against outcomes. */
export {
  calibrate,
  CalibrationInputError,
  notUsedColumns,
  type Calibration,
  type CalibrationOptions,
} from './calibrate';
export { evaluateRules, rowProfile, type RulesEvaluation, type ScoreBasis } from './evaluate';
export { fitLogistic, sigmoid, type LogisticModel, type LogisticOptions } from './logistic-regression';
export { rocAuc, liftByDecile, ratesByGroup, type DecileLift, type GroupRate } from './metrics';
export { labelRows, outcomeLabel, type LabelledRows } from './outcome';
export { stratifiedSplit, seededRandom } from './random';
export { readTable, TableHeaderError, type DataTable, type TableProblem } from './read-table';
export { reportHtml, type ReportInput } from './report-html';
export { liftTable, ratesTable, percent } from './format-text';
export { MINIMUM_DATA, nameProblem, SETTING_RANGES, type SettingName } from './settings';
export type { DataRow, ExcludedColumn } from './columns';
