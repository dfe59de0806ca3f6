/** A whole CSV file as header + rows (calibration needs every row at once to split and fit). */
import { readCsvRecords, recordPlace, recordProblem, type CsvSource } from '../csv';
import type { DataRow } from './columns';

/** A row left out, said as `leadscore score --csv` says it: `row 2 (line 3)` and why. */
export interface TableProblem {
  readonly where: string;
  readonly reason: string;
}

export interface DataTable {
  readonly columns: readonly string[];
  readonly rows: readonly DataRow[];
  /** Rows that could not be read as the header's columns, left out of `rows`. */
  readonly problems: readonly TableProblem[];
}

/** A file with no header to key rows by: empty, or a header that names no column. */
export class TableHeaderError extends Error {
  override readonly name = 'TableHeaderError';
}

/**
 * Reads records as `leadscore score --csv` does: columns with an empty name are dropped (exports end lines
 * with a comma), a short row lacks its last columns, and a row with more cells than the header is left out
 * and reported.
 */
export async function readTable(source: CsvSource): Promise<DataTable> {
  let columns: readonly string[] | undefined;
  const rows: DataRow[] = [];
  const problems: TableProblem[] = [];
  for await (const record of readCsvRecords(source, { onHeader: (names) => (columns = names) })) {
    const reason = recordProblem(record);
    if (reason === undefined) rows.push(record.fields);
    else problems.push({ where: recordPlace(record), reason });
  }
  if (columns === undefined)
    throw new TableHeaderError('the file is empty (expected a header row, then one lead per row)');
  if (columns.length === 0) throw new TableHeaderError('the header row names no column');
  return { columns, rows, problems };
}
