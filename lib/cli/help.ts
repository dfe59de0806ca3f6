// The top-level help, help for a group of commands (`leadscore rules`), and "did you mean" hints.
import { editDistance } from '../edit-distance';
import type { Command } from './command';

/** Commands under a group such as ['rules']; all commands for the empty group. */
export function commandsUnder(commands: readonly Command[], group: readonly string[]): Command[] {
  return commands.filter(
    (command) => command.path.length > group.length && group.every((word, i) => command.path[i] === word),
  );
}

function commandList(commands: readonly Command[]): string[] {
  const width = Math.max(...commands.map((command) => command.name.length));
  return commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
}

export function globalHelp(commands: readonly Command[]): string {
  return [
    'leadscore: score leads against rules that marketing ops write in YAML or JSON.',
    '',
    'Usage: leadscore <command> [options]',
    '',
    'Commands:',
    ...commandList(commands),
    '',
    "Run 'leadscore <command> --help' for a command's options.",
    '',
  ].join('\n');
}

export function groupHelp(commands: readonly Command[], group: readonly string[]): string {
  const name = group.join(' ');
  return [
    `Usage: leadscore ${name} <command> [options]`,
    '',
    'Commands:',
    ...commandList(commandsUnder(commands, group)),
    '',
    `Run 'leadscore ${name} <command> --help' for a command's options.`,
    '',
  ].join('\n');
}

/** The closest known name within a small edit distance, for typos such as `socre`. */
export function closestName(input: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(input.length / 3)) + 1;
  for (const name of names) {
    const distance = editDistance(input, name);
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}
