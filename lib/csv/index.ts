// The CSV reader's public surface: RFC 4180 rows and header-keyed records, whole-text or streamed.
export { CsvParser, CsvSyntaxError, parseCsv, type CsvRow } from './csv-parser';
export { CsvHeaderError, readCsvRecords, readCsvRows, type CsvRecord, type CsvSource } from './read-csv';
