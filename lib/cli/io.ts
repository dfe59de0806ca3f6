// The streams a command talks through, injected so that tests can run commands in-process.
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';

export interface CliIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
}

/** What every command receives besides its arguments. */
export interface CliContext {
  readonly io: CliIo;
  /** The clock, injectable so that defaults such as `--at now` are testable. */
  readonly now: () => Date;
}

/**
 * Writes lines with backpressure, so a million results stream in constant memory. A closed
 * downstream (EPIPE, e.g. `| head`) is remembered instead of crashing, so producers can stop early.
 */
export class LineWriter {
  private failure: Error | undefined;

  constructor(private readonly stream: Writable) {
    stream.on('error', (error: Error) => {
      this.failure = error;
    });
  }

  /** True once the stream has failed; further lines are dropped. */
  get closed(): boolean {
    return this.failure !== undefined || this.stream.destroyed;
  }

  async write(line: string): Promise<void> {
    if (this.closed) return;
    if (!this.stream.write(`${line}\n`)) {
      // Aborting removes whichever listener did not fire, so long runs do not pile up listeners.
      const cleanup = new AbortController();
      const { signal } = cleanup;
      await Promise.race([
        once(this.stream, 'drain', { signal }),
        once(this.stream, 'close', { signal }),
      ]).catch(() => undefined);
      cleanup.abort();
    }
  }
}
