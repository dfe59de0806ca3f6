// RFC 4180 tokenizing: quoting, line endings, BOM, chunk boundaries and malformed input.
import fc from 'fast-check';
import { CsvParser, CsvSyntaxError, parseCsv } from '../../../lib/csv';

const cellsOf = (text: string) => parseCsv(text).map((row) => row.cells);

/** An independent writer: quotes a field when it holds a separator, a quote or a line break. */
function writeCsv(rows: string[][], lineEnd: string): string {
  const quote = (field: string) => (/[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field);
  return rows.map((row) => row.map(quote).join(',')).join(lineEnd) + lineEnd;
}

function parseInChunks(text: string, cuts: number[]): string[][] {
  const parser = new CsvParser();
  const rows: string[][] = [];
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    for (const row of parser.push(text.slice(from, cut))) rows.push(row.cells);
    from = cut;
  }
  for (const row of parser.push(text.slice(from))) rows.push(row.cells);
  for (const row of parser.end()) rows.push(row.cells);
  return rows;
}

describe('parseCsv', () => {
  it('splits plain fields on commas and records on LF', () => {
    expect(cellsOf('a,b,c\n1,2,3\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
  });

  it('accepts CRLF and lone CR line endings', () => {
    expect(cellsOf('a,b\r\n1,2\r3,4')).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  it('reads a last record without a trailing line break', () => {
    expect(cellsOf('a\nlast')).toEqual([['a'], ['last']]);
  });

  it('keeps commas, doubled quotes and line breaks inside quoted fields', () => {
    const text = 'name,note\r\n"Smith, Jane","She said ""hi""\r\nthen left"\r\n';

    expect(cellsOf(text)).toEqual([
      ['name', 'note'],
      ['Smith, Jane', 'She said "hi"\r\nthen left'],
    ]);
  });

  it('keeps empty fields, including a trailing one', () => {
    expect(cellsOf(',a,,\n""\n')).toEqual([['', 'a', '', ''], ['']]);
  });

  it('skips blank lines but not a line holding an empty quoted field', () => {
    expect(cellsOf('a\n\n\r\nb\n\n')).toEqual([['a'], ['b']]);
  });

  it('drops a leading byte order mark', () => {
    expect(cellsOf('\uFEFFid,name\n1,x\n')[0]).toEqual(['id', 'name']);
  });

  it('keeps a stray quote inside an unquoted field literally', () => {
    expect(cellsOf('5" screen,x\n')).toEqual([['5" screen', 'x']]);
  });

  it('numbers each row by the line it starts on, counting line breaks inside quotes', () => {
    const rows = parseCsv('h\n"two\r\nlines"\n\nnext\n');

    expect(rows.map((row) => row.line)).toEqual([1, 2, 5]);
  });

  it('rejects text after a closing quote, naming the line', () => {
    expect(() => parseCsv('a\n"b"c\n')).toThrow(
      new CsvSyntaxError(2, 'unexpected text after a closing quote'),
    );
  });

  it('rejects an unterminated quoted field, naming the line it starts on', () => {
    expect(() => parseCsv('a\n"open\nstill open\n')).toThrow(CsvSyntaxError);
    expect(() => parseCsv('a\n"open\nstill open\n')).toThrow('line 2: unterminated quoted field');
  });

  it('round-trips any table written with quoting, whatever the line ending', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'é', ' ', ',', '"', '\r', '\n', 'x') });
    // A lone empty cell would be a blank line, which the reader skips on purpose.
    const row = fc
      .array(field, { minLength: 1, maxLength: 5 })
      .filter((r) => !(r.length === 1 && r[0] === ''));
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 1, maxLength: 8 }),
        fc.constantFrom('\n', '\r\n'),
        (rows, end) => {
          expect(cellsOf(writeCsv(rows, end))).toEqual(rows);
        },
      ),
    );
  });
});

describe('CsvParser', () => {
  it('gives the same rows however the text is cut into chunks', () => {
    const text = '\uFEFFid,note\r\n1,"a ""quoted""\r\nvalue, with comma"\r\n2,plain\r\n3,""\r\n';
    const whole = cellsOf(text);
    fc.assert(
      fc.property(fc.array(fc.nat({ max: text.length }), { maxLength: 6 }), (cuts) => {
        expect(parseInChunks(text, cuts)).toEqual(whole);
      }),
    );
  });

  it('counts a CRLF split between chunks inside a quoted field as one line break', () => {
    const parser = new CsvParser();

    const rows = [...parser.push('"a\r'), ...parser.push('\nb"\nnext'), ...parser.end()];

    expect(rows).toEqual([
      { line: 1, cells: ['a\r\nb'] },
      { line: 3, cells: ['next'] },
    ]);
  });
});
