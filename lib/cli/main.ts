// The CLI entry point: picks the command from the command table, runs it, and maps failures to exit codes.
import packageJson from '../../package.json';
import type { Command } from './command';
import { COMMANDS } from './commands';
import { CommandFailedError, UsageError } from './errors';
import { closestName, commandsUnder, globalHelp, groupHelp } from './help';
import type { CliContext, CliIo } from './io';

export interface MainOptions {
  /** The clock; tests pass a fixed one. */
  readonly now?: () => Date;
  /** The command table; tests may pass their own. */
  readonly commands?: readonly Command[];
}

/** Runs one CLI invocation; resolves to the process exit code (0 ok, 1 failed, 2 usage) and never throws. */
export async function main(argv: readonly string[], io: CliIo, options: MainOptions = {}): Promise<number> {
  const commands = options.commands ?? COMMANDS;
  const context: CliContext = { io, now: options.now ?? (() => new Date()) };
  const [first, ...rest] = argv;

  if (first === undefined) {
    io.stderr.write(globalHelp(commands));
    return 2;
  }
  if (first === '--help' || first === '-h') {
    io.stdout.write(globalHelp(commands));
    return 0;
  }
  if (first === '--version' || first === '-v') {
    io.stdout.write(`${packageJson.version}\n`);
    return 0;
  }
  if (first === 'help') return showHelp(rest, commands, io);

  const found = resolve(argv, commands);
  if (found.kind === 'command') return runCommand(found.command, found.rest, context);
  if (found.kind === 'group') {
    const [next] = found.rest;
    if (next === '--help' || next === '-h') {
      io.stdout.write(groupHelp(commands, found.group));
      return 0;
    }
    if (next === undefined) {
      io.stderr.write(groupHelp(commands, found.group));
      return 2;
    }
    return unknownCommand([...found.group, next], commands, io);
  }
  if (first.startsWith('-')) {
    return usageFailure(io, 'leadscore', `unknown option '${first}'`, "Run 'leadscore --help' for usage.");
  }
  return unknownCommand([first], commands, io);
}

type Resolution =
  | { kind: 'command'; command: Command; rest: readonly string[] }
  | { kind: 'group'; group: readonly string[]; rest: readonly string[] }
  | { kind: 'none' };

/** The command whose words start argv; else the longest group (e.g. `rules`) they start. */
function resolve(argv: readonly string[], commands: readonly Command[]): Resolution {
  const matches = (words: readonly string[]) => words.every((word, i) => argv[i] === word);
  const command = commands
    .filter((candidate) => matches(candidate.path))
    .sort((a, b) => b.path.length - a.path.length)[0];
  if (command) return { kind: 'command', command, rest: argv.slice(command.path.length) };
  for (let length = argv.length; length > 0; length--) {
    const group = argv.slice(0, length);
    if (commandsUnder(commands, group).length > 0) return { kind: 'group', group, rest: argv.slice(length) };
  }
  return { kind: 'none' };
}

async function runCommand(command: Command, argv: readonly string[], context: CliContext): Promise<number> {
  const label = `leadscore ${command.name}`;
  try {
    return await command.run(argv, context);
  } catch (error) {
    if (error instanceof UsageError) {
      return usageFailure(context.io, label, error.message, `Run '${label} --help' for usage.`);
    }
    const message = error instanceof Error ? error.message : String(error);
    const prefix = error instanceof CommandFailedError ? '' : 'unexpected error: ';
    // Only the message: a stack trace tells a marketing-ops user nothing and leaks internals.
    context.io.stderr.write(`${label}: ${prefix}${message}\n`);
    return 1;
  }
}

function showHelp(words: readonly string[], commands: readonly Command[], io: CliIo): number {
  if (words.length === 0) {
    io.stdout.write(globalHelp(commands));
    return 0;
  }
  const command = commands.find(
    (candidate) => candidate.path.length === words.length && candidate.path.every((w, i) => words[i] === w),
  );
  if (command) {
    io.stdout.write(command.help());
    return 0;
  }
  if (commandsUnder(commands, words).length > 0) {
    io.stdout.write(groupHelp(commands, words));
    return 0;
  }
  return unknownCommand(words, commands, io);
}

function unknownCommand(words: readonly string[], commands: readonly Command[], io: CliIo): number {
  const typed = words.join(' ');
  const groups = commands.flatMap((command) =>
    command.path.slice(0, -1).map((_, i) => command.path.slice(0, i + 1)),
  );
  const names = [...new Set([...commands.map((c) => c.name), ...groups.map((g) => g.join(' '))])];
  const suggestion = closestName(typed, names);
  const hint = suggestion
    ? `Did you mean 'leadscore ${suggestion}'? Run 'leadscore --help' for the list of commands.`
    : "Run 'leadscore --help' for the list of commands.";
  return usageFailure(io, 'leadscore', `unknown command '${typed}'`, hint);
}

function usageFailure(io: CliIo, label: string, message: string, hint: string): number {
  io.stderr.write(`${label}: ${message}\n${hint}\n`);
  return 2;
}
