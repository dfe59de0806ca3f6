// An incremental RFC 4180 CSV tokenizer: feed it text in chunks of any size, get back complete rows.

/** A complete row and the 1-based physical line it starts on (quoted fields may span lines). */
export interface CsvRow {
  readonly line: number;
  readonly cells: string[];
}

/** Malformed input that no reading can make sense of, with the line where it was found. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'CsvSyntaxError';
  }
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

type State = 'fieldStart' | 'unquoted' | 'quoted' | 'quoteInQuoted' | 'afterCr';

/**
 * Separator is a comma; records end with CRLF, LF or a lone CR. A leading BOM is dropped. A record
 * that is an entirely empty line is skipped rather than read as one empty cell, because exports
 * often end with blank lines. A quote inside an unquoted field is kept literally (lenient, like most
 * spreadsheet exports expect); text after a closing quote is an error because the field boundary is
 * then ambiguous.
 */
export class CsvParser {
  private state: State = 'fieldStart';
  private cells: string[] = [];
  private field = '';
  private line = 1;
  private rowLine = 1;
  private started = false;
  private rowHasContent = false;
  private quotedCr = false;

  /** Consumes a chunk; returns the rows it completed. */
  push(chunk: string): CsvRow[] {
    const rows: CsvRow[] = [];
    let text = chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const length = text.length;
    let i = 0;
    while (i < length) {
      const code = text.charCodeAt(i);
      switch (this.state) {
        case 'afterCr':
          this.state = 'fieldStart';
          if (code === LF) {
            i++;
            continue;
          }
          continue;
        case 'fieldStart':
          if (code === QUOTE) {
            this.state = 'quoted';
            this.rowHasContent = true;
            i++;
          } else if (code === COMMA) {
            this.endField();
            this.rowHasContent = true;
            i++;
          } else if (code === LF || code === CR) {
            this.endRecord(rows, code);
            i++;
          } else {
            this.state = 'unquoted';
            this.rowHasContent = true;
          }
          continue;
        case 'unquoted': {
          // Scan to the next separator in one slice: most fields are unquoted, and this is the hot path.
          let end = i;
          while (end < length) {
            const c = text.charCodeAt(end);
            if (c === COMMA || c === LF || c === CR) break;
            end++;
          }
          this.field += text.slice(i, end);
          i = end;
          if (end < length) {
            const c = text.charCodeAt(end);
            if (c === COMMA) {
              this.endField();
              this.state = 'fieldStart';
            } else {
              this.endRecord(rows, c);
            }
            i++;
          }
          continue;
        }
        case 'quoted': {
          const close = text.indexOf('"', i);
          const end = close === -1 ? length : close;
          const part = text.slice(i, end);
          this.countLineBreaks(part);
          this.field += part;
          i = end;
          if (close !== -1) {
            this.quotedCr = false;
            this.state = 'quoteInQuoted';
            i++;
          }
          continue;
        }
        case 'quoteInQuoted':
          if (code === QUOTE) {
            this.field += '"';
            this.state = 'quoted';
            i++;
          } else if (code === COMMA) {
            this.endField();
            this.state = 'fieldStart';
            i++;
          } else if (code === LF || code === CR) {
            this.endRecord(rows, code);
            i++;
          } else {
            throw new CsvSyntaxError(this.line, 'unexpected text after a closing quote');
          }
          continue;
      }
    }
    return rows;
  }

  /** Signals the end of input; returns the last row if the text did not end with a line break. */
  end(): CsvRow[] {
    if (this.state === 'quoted') {
      throw new CsvSyntaxError(this.rowLine, 'unterminated quoted field');
    }
    const rows: CsvRow[] = [];
    if (this.state !== 'afterCr' && (this.rowHasContent || this.cells.length > 0)) {
      this.cells.push(this.field);
      rows.push({ line: this.rowLine, cells: this.cells });
    }
    this.cells = [];
    this.field = '';
    this.state = 'fieldStart';
    return rows;
  }

  /** Keeps line numbers right across multi-line quoted fields; a CRLF may be split between chunks. */
  private countLineBreaks(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === CR || (code === LF && !this.quotedCr)) this.line++;
      this.quotedCr = code === CR;
    }
  }

  private endField(): void {
    this.cells.push(this.field);
    this.field = '';
  }

  private endRecord(rows: CsvRow[], terminator: number): void {
    if (this.rowHasContent || this.cells.length > 0) {
      this.cells.push(this.field);
      rows.push({ line: this.rowLine, cells: this.cells });
    }
    this.cells = [];
    this.field = '';
    this.rowHasContent = false;
    this.line++;
    this.rowLine = this.line;
    this.state = terminator === CR ? 'afterCr' : 'fieldStart';
  }
}

/** Parses a whole CSV text at once. */
export function parseCsv(text: string): CsvRow[] {
  const parser = new CsvParser();
  const rows = parser.push(text);
  for (const row of parser.end()) rows.push(row);
  return rows;
}
