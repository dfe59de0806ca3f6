/** Calibration's public API: learn whole-point fit rules from outcomes, and measure any rules against outcomes. */
export { calibrate, CalibrationInputError, type Calibration, type CalibrationOptions } from './calibrate';
export { evaluateRules, rowProfile, type RulesEvaluation, type ScoreBasis } from './evaluate';
export { fitLogistic, sigmoid, type LogisticModel, type LogisticOptions } from './logistic-regression';
export { rocAuc, liftByDecile, ratesByGroup, type DecileLift, type GroupRate } from './metrics';
export { outcomeLabel } from './outcome';
export { stratifiedSplit, seededRandom } from './random';
export { readTable, TableHeaderError, type DataTable } from './read-table';
export { reportHtml, type ReportInput } from './report-html';
export { liftTable, ratesTable, percent } from './format-text';
export type { DataRow, ExcludedColumn } from './columns';
