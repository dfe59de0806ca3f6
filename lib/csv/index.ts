// The CSV reader's public surface: RFC 4180 rows and header-keyed records, whole-text or streamed.
export { CsvParser, CsvSyntaxError, parseCsv, type CsvRow } from './csv-parser';
export {
  CsvHeaderError,
  readCsvRecords,
  readCsvRows,
  recordPlace,
  recordProblem,
  type CsvRecord,
  type CsvRecordOptions,
  type CsvSource,
} from './read-csv';
