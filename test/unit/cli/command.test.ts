// Declaring a command: option parsing, positional counts and generated help.
import { defineCommand, type ParsedArgs } from '../../../lib/cli/command';
import { UsageError } from '../../../lib/cli/errors';
import type { CliContext } from '../../../lib/cli/io';
import { PassThrough } from 'node:stream';

const options = {
  rules: { type: 'string', short: 'r', valueName: 'FILE', description: 'Rules file' },
  dry: { type: 'boolean', description: 'Change nothing' },
} as const;

function makeCommand() {
  const calls: ParsedArgs<typeof options>[] = [];
  const command = defineCommand({
    path: ['rules', 'push'],
    summary: 'Push rules',
    usage: 'FILE [--dry]',
    options,
    positionals: { min: 1, max: 2, names: 'FILE' },
    async run(args) {
      calls.push(args);
      return 0;
    },
  });
  return { command, calls };
}

function context(): { context: CliContext; stdout: () => string } {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const io = { stdin: new PassThrough(), stdout, stderr: new PassThrough() };
  return { context: { io, now: () => new Date(0) }, stdout: () => text };
}

describe('defineCommand', () => {
  it('passes typed options and positionals to run', async () => {
    const { command, calls } = makeCommand();

    const code = await command.run(['a.yaml', '-r', 'x.yaml', '--dry'], context().context);

    expect(code).toBe(0);
    expect(calls).toEqual([{ options: { rules: 'x.yaml', dry: true }, positionals: ['a.yaml'] }]);
  });

  it('prints help for --help without running the command', async () => {
    const { command, calls } = makeCommand();
    const { context: ctx, stdout } = context();

    const code = await command.run(['--help'], ctx);

    expect(code).toBe(0);
    expect(calls).toHaveLength(0);
    expect(stdout()).toContain('Usage: leadscore rules push FILE [--dry]');
    expect(stdout()).toMatch(/-r, --rules FILE\s+Rules file/);
    expect(stdout()).toMatch(/-h, --help\s+Show this help/);
  });

  it.each([
    [['a', '--nope'], "unknown option '--nope'"],
    [['a', '-x'], "unknown option '-x'"],
    [['a', '--rules'], "option '--rules' needs a value"],
    [['a', '--dry=yes'], "option '--dry' does not take a value"],
    [[], 'missing FILE'],
    [['a', 'b', 'c'], "unexpected argument 'c'"],
  ])('rejects %j with a usage error: %s', async (argv, message) => {
    const { command } = makeCommand();

    await expect(command.run(argv, context().context)).rejects.toThrow(new UsageError(message));
  });

  it('names itself by its words and builds the usage line', () => {
    const { command } = makeCommand();

    expect(command.name).toBe('rules push');
    expect(command.usageLine).toBe('leadscore rules push FILE [--dry]');
  });
});
