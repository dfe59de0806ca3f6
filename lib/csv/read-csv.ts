// Streams CSV rows and header-keyed records out of a text source, one at a time, so big files never sit in memory.
import { StringDecoder } from 'node:string_decoder';
import { CsvParser, type CsvRow } from './csv-parser';

/** Anything that yields text or bytes: a file stream, stdin, or an array of strings in tests. */
export type CsvSource = AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

/** Yields every row, header included, in file order. */
export async function* readCsvRows(source: CsvSource): AsyncGenerator<CsvRow> {
  const parser = new CsvParser();
  // A multi-byte UTF-8 character may be split between two chunks; the decoder holds the partial bytes.
  const decoder = new StringDecoder('utf8');
  for await (const chunk of source) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    yield* parser.push(text);
  }
  const rest = decoder.end();
  if (rest.length > 0) yield* parser.push(rest);
  yield* parser.end();
}

/** A header that cannot key records, e.g. the same column name twice. */
export class CsvHeaderError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'CsvHeaderError';
  }
}

/** A data row keyed by column name. Cells beyond the header are reported, not silently dropped. */
export interface CsvRecord {
  /** 1-based data row number (the header is row 0). */
  readonly row: number;
  /** 1-based physical line the row starts on. */
  readonly line: number;
  readonly fields: Record<string, string>;
  /** How many cells the row has beyond the header's columns (0 when it fits). */
  readonly extraCells: number;
}

export interface CsvRecordOptions {
  /** Called once with the header's column names (the named ones, in file order) before any record. */
  readonly onHeader?: (columns: readonly string[]) => void;
}

/**
 * Yields data rows as records keyed by the header row. Columns with an empty name are ignored, since
 * many exports end every line with a trailing comma. Rows shorter than the header simply lack the
 * missing columns.
 */
export async function* readCsvRecords(
  source: CsvSource,
  options: CsvRecordOptions = {},
): AsyncGenerator<CsvRecord> {
  let header: string[] | undefined;
  let row = 0;
  for await (const { line, cells } of readCsvRows(source)) {
    if (header === undefined) {
      header = readHeader(line, cells);
      options.onHeader?.(header.filter((name) => name !== ''));
      continue;
    }
    row++;
    const fields: Record<string, string> = {};
    const width = Math.min(cells.length, header.length);
    for (let i = 0; i < width; i++) {
      const name = header[i];
      if (name) fields[name] = cells[i] ?? '';
    }
    yield { row, line, fields, extraCells: Math.max(0, cells.length - header.length) };
  }
}

function readHeader(line: number, cells: string[]): string[] {
  const names = cells.map((name) => name.trim());
  const seen = new Set<string>();
  for (const name of names) {
    if (name && seen.has(name)) throw new CsvHeaderError(line, `duplicate column name "${name}"`);
    seen.add(name);
  }
  return names;
}

/** Where a record is, for people: `row 2 (line 3)` (a quoted field can span lines, so both are given). */
export function recordPlace(record: Pick<CsvRecord, 'row' | 'line'>): string {
  return `row ${record.row} (line ${record.line})`;
}

/**
 * Why a record cannot be read as one row of the header's columns, as every command reading a CSV says it;
 * undefined when it fits. Cells beyond the header cannot be matched to a column, so the row is left out.
 */
export function recordProblem(record: Pick<CsvRecord, 'extraCells'>): string | undefined {
  return record.extraCells > 0 ? `${record.extraCells} more cell(s) than the header has columns` : undefined;
}
