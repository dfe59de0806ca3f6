// `npm run bench [-- suite...]`: runs the suites, prints one JSON document, and keeps it in bench/results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { progress } from './measure';
import { SUITES } from './suites';

const RESULTS_DIR = resolve(__dirname, 'results');

/** A sortable, file-name-safe UTC timestamp, e.g. 2024-06-01T120000Z. */
function fileStamp(date: Date): string {
  return date
    .toISOString()
    .replace(/:/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

async function main(names: readonly string[]): Promise<number> {
  const unknown = names.filter((name) => !SUITES.some((suite) => suite.name === name));
  if (unknown.length > 0) {
    process.stderr.write(
      `bench: unknown suite(s) ${unknown.join(', ')}; known: ${SUITES.map((s) => s.name).join(', ')}\n`,
    );
    return 2;
  }
  const selected = names.length === 0 ? SUITES : SUITES.filter((suite) => names.includes(suite.name));
  const startedAt = new Date();
  const document: Record<string, unknown> = {
    meta: {
      startedAt: startedAt.toISOString(),
      node: process.version,
      cpu: cpus()[0]?.model ?? 'unknown',
      platform: `${process.platform}-${process.arch}`,
    },
  };
  let failed = false;
  for (const suite of selected) {
    progress(`suite ${suite.name}`);
    const result = await suite.run();
    document[suite.name] = result;
    if (result['ok'] === false) failed = true;
  }
  const json = `${JSON.stringify(document, null, 2)}\n`;
  process.stdout.write(json);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = resolve(RESULTS_DIR, `${fileStamp(startedAt)}.json`);
  writeFileSync(file, json);
  progress(`wrote ${file}`);
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
