// Streaming CSV records from byte or text sources, keyed by the header row.
import { Readable } from 'node:stream';
import {
  CsvHeaderError,
  readCsvRecords,
  readCsvRows,
  recordPlace,
  recordProblem,
  type CsvRecord,
} from '../../../lib/csv';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('readCsvRows', () => {
  it('decodes UTF-8 characters split between byte chunks', async () => {
    const bytes = Buffer.from('name\nJosé\n', 'utf8');
    const split = bytes.indexOf(0xa9); // second byte of "é"
    const chunks = [bytes.subarray(0, split), bytes.subarray(split)];

    const rows = await collect(readCsvRows(chunks));

    expect(rows.map((row) => row.cells)).toEqual([['name'], ['José']]);
  });

  it('reads a Node stream', async () => {
    const rows = await collect(readCsvRows(Readable.from(['a,b\n', '1,', '2\n'])));

    expect(rows.map((row) => row.cells)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });
});

describe('readCsvRecords', () => {
  it('keys each data row by the trimmed header names, numbering rows from 1', async () => {
    const records = await collect(readCsvRecords([' id ,email\n7,a@x.io\n8,b@y.io\n']));

    expect(records).toEqual<CsvRecord[]>([
      { row: 1, line: 2, fields: { id: '7', email: 'a@x.io' }, extraCells: 0 },
      { row: 2, line: 3, fields: { id: '8', email: 'b@y.io' }, extraCells: 0 },
    ]);
  });

  it('ignores unnamed columns such as the one a trailing comma creates', async () => {
    const records = await collect(readCsvRecords(['a,b,\n1,2,\n']));

    expect(records[0]?.fields).toEqual({ a: '1', b: '2' });
  });

  it('leaves out columns a short row lacks and counts cells beyond the header', async () => {
    const records = await collect(readCsvRecords(['a,b\n1\n1,2,3,4\n']));

    expect(records.map((r) => [r.fields, r.extraCells])).toEqual([
      [{ a: '1' }, 0],
      [{ a: '1', b: '2' }, 2],
    ]);
  });

  it('rejects a header that names a column twice', async () => {
    await expect(collect(readCsvRecords(['id,email,id\n1,2,3\n']))).rejects.toThrow(
      new CsvHeaderError(1, 'duplicate column name "id"'),
    );
  });

  it('yields nothing for a header-only or empty file', async () => {
    expect(await collect(readCsvRecords(['id,name\n']))).toEqual([]);
    expect(await collect(readCsvRecords([]))).toEqual([]);
  });

  it('hands the named columns to onHeader once, before any record, even when no record follows', async () => {
    const calls: (readonly string[])[] = [];
    const onHeader = (columns: readonly string[]) => calls.push(columns);

    const records = await collect(readCsvRecords([' id ,,name,\n1,x,Ann,\n'], { onHeader }));
    await collect(readCsvRecords(['a,b\n'], { onHeader }));
    await collect(readCsvRecords([], { onHeader }));

    expect(records).toHaveLength(1);
    expect(calls).toEqual([
      ['id', 'name'],
      ['a', 'b'],
    ]);
  });
});

describe('recordPlace and recordProblem', () => {
  it('name a record by row and line, and say why cells beyond the header make it unreadable', async () => {
    const [fits, long] = await collect(readCsvRecords(['a,b\n1,2\n"x\ny",2,3\n']));
    if (fits === undefined || long === undefined) throw new Error('expected two records');

    expect(recordProblem(fits)).toBeUndefined();
    expect(recordPlace(long)).toBe('row 2 (line 3)');
    expect(recordProblem(long)).toBe('1 more cell(s) than the header has columns');
  });
});
