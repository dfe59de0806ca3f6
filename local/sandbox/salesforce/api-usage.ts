/** The org's API request allocation, reported as `Sforce-Limit-Info: api-usage=used/limit`. */
export class ApiUsage {
  constructor(
    private usedCalls: number,
    readonly limit: number,
  ) {}

  get used(): number {
    return this.usedCalls;
  }

  /** Counts one call; false (and not counted) once the allocation is spent. */
  take(): boolean {
    if (this.usedCalls >= this.limit) return false;
    this.usedCalls += 1;
    return true;
  }

  set(used: number): void {
    this.usedCalls = Math.max(0, Math.floor(used));
  }

  header(): Record<string, string> {
    return { 'Sforce-Limit-Info': `api-usage=${this.usedCalls}/${this.limit}` };
  }
}
