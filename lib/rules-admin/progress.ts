/** Progress of a long job on stderr: a redrawn bar with rate and ETA on a terminal, plain periodic lines otherwise. */
import type { Writable } from 'node:stream';

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/**
 * `[#########-----------]  45% 45,000/~100,000 leads · 1,234/s · ETA 0:45`. The total is an estimate
 * (DynamoDB's item count), so past it the bar stays full and the ETA is dropped.
 */
export function formatProgress(
  done: number,
  total: number | undefined,
  ratePerSecond: number,
  elapsedMs: number,
  width = 24,
): string {
  const rate = ratePerSecond;
  const count = done.toLocaleString('en-US');
  const rateText = `${Math.round(rate).toLocaleString('en-US')}/s`;
  if (total === undefined || total <= 0)
    return `${count} leads · ${rateText} · ${duration(elapsedMs / 1000)} elapsed`;
  const share = Math.min(1, done / total);
  const filled = Math.round(share * width);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
  const eta = done < total && rate > 0 ? ` · ETA ${duration((total - done) / rate)}` : '';
  return `${bar} ${String(Math.floor(share * 100)).padStart(3)}% ${count}/~${total.toLocaleString('en-US')} leads · ${rateText}${eta}`;
}

export interface ProgressOptions {
  readonly label: string;
  readonly total?: number;
  /** Already done when the job started (a resumed job). */
  readonly initial?: number;
  readonly clock?: () => number;
  /** Between plain lines when the stream is not a terminal. */
  readonly lineIntervalMs?: number;
}

export class ProgressReporter {
  private done: number;
  private readonly startedAt: number;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private readonly tty: boolean;
  private readonly clock: () => number;
  private total: number | undefined;

  constructor(
    private readonly stream: Writable,
    private readonly options: ProgressOptions,
  ) {
    this.tty = (stream as { isTTY?: boolean }).isTTY === true;
    this.clock = options.clock ?? Date.now;
    this.startedAt = this.clock();
    this.done = options.initial ?? 0;
    this.total = options.total;
  }

  add(count: number): void {
    this.done += count;
    const now = this.clock();
    const interval = this.tty ? 100 : (this.options.lineIntervalMs ?? 10_000);
    if (now - this.lastDraw < interval) return;
    this.lastDraw = now;
    this.draw(now);
  }

  /** The last line; a job that read everything is 100%, whatever the estimated total said. */
  finish(complete = false): void {
    if (complete) this.total = this.done;
    this.draw(this.clock());
    if (this.tty) this.stream.write('\n');
  }

  private draw(now: number): void {
    // The rate counts only this run's work: a resumed job's earlier pages took no time here.
    const elapsed = now - this.startedAt;
    const rate = elapsed > 0 ? (this.done - (this.options.initial ?? 0)) / (elapsed / 1000) : 0;
    const text = formatProgress(this.done, this.total, rate, elapsed);
    if (this.tty) this.stream.write(`\r\x1b[2K${this.options.label}: ${text}`);
    else this.stream.write(`${this.options.label}: ${text}\n`);
  }
}
