// Runs the CLI in-process with fake streams and collects what it printed, for the CLI tests.
import { PassThrough } from 'node:stream';
import type { Command } from '../../../lib/cli/command';
import { main } from '../../../lib/cli/main';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export const FIXED_NOW = new Date('2024-06-01T00:00:00Z');

export async function runCli(
  argv: readonly string[],
  options: { stdin?: string; now?: Date; commands?: readonly Command[] } = {},
): Promise<CliRun> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  stdin.end(options.stdin ?? '');
  const now = options.now ?? FIXED_NOW;
  const code = await main(argv, { stdin, stdout, stderr }, { now: () => now, commands: options.commands });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}
