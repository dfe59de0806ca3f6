// What a benchmark suite is: a name and a run that resolves to the figures it measured.

export interface BenchSuite {
  readonly name: string;
  /** Figures as a JSON-serializable object; `ok: false` in it marks a correctness failure. */
  run(): Promise<Record<string, unknown>>;
}
