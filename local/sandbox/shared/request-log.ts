/** The log of API requests a sandbox answered, for tests that assert on every call a client made. */
export interface LoggedRequest {
  readonly seq: number;
  /** ISO time the request arrived (sandbox clock). */
  readonly at: string;
  readonly method: string;
  readonly path: string;
  /** Raw query string without `?` ('' when none). */
  readonly query: string;
  /** Only the headers the vendor marks as interesting, lower-cased names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly bodySize: number;
  /** Parsed JSON or form body with secrets redacted; undefined when empty or unparseable. */
  readonly body?: unknown;
  readonly status: number;
  readonly durationMs: number;
  /** Set when the answer came from fault injection rather than the API. */
  readonly fault?: 'outage' | 'injected';
}

export class RequestLog {
  private entries: LoggedRequest[] = [];
  private seq = 0;

  constructor(private readonly maxEntries: number) {}

  add(entry: Omit<LoggedRequest, 'seq'>): LoggedRequest {
    const logged = { ...entry, seq: ++this.seq };
    this.entries.push(logged);
    // Bounded so that a long `npm start` session does not grow without limit.
    if (this.entries.length > this.maxEntries) this.entries.splice(0, this.entries.length - this.maxEntries);
    return logged;
  }

  list(): LoggedRequest[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries = [];
  }
}
