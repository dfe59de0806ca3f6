// The engine measurement as its own process, which bench/engine.ts starts pinned to one CPU with taskset.
import { measureEngine } from './engine';

measureEngine().then(
  (result) => process.stdout.write(JSON.stringify(result)),
  (error: unknown) => {
    process.stderr.write(
      `bench engine: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
