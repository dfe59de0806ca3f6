/** A whole CSV file as header + rows (calibration needs every row at once to split and fit). */
import { readCsvRows, type CsvSource } from '../csv';
import type { DataRow } from './columns';

export interface DataTable {
  readonly columns: readonly string[];
  readonly rows: readonly DataRow[];
}

export class TableHeaderError extends Error {
  override readonly name = 'TableHeaderError';
}

/** Columns with an empty name are dropped, as `leadscore score --csv` does (exports end lines with a comma). */
export async function readTable(source: CsvSource): Promise<DataTable> {
  let header: string[] | undefined;
  const rows: DataRow[] = [];
  for await (const { cells } of readCsvRows(source)) {
    if (header === undefined) {
      header = cells.map((cell) => cell.trim());
      const named = header.filter((name) => name !== '');
      const duplicate = named.find((name, i) => named.indexOf(name) !== i);
      if (duplicate !== undefined) throw new TableHeaderError(`duplicate column name "${duplicate}"`);
      continue;
    }
    const row: Record<string, string> = {};
    header.forEach((name, i) => {
      if (name !== '') row[name] = cells[i] ?? '';
    });
    rows.push(row);
  }
  return { columns: (header ?? []).filter((name) => name !== ''), rows };
}
