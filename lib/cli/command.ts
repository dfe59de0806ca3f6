// How a command is declared: its words, options and help text in one place, parsed with node's util.parseArgs.
import { parseArgs } from 'node:util';
import { UsageError } from './errors';
import type { CliContext } from './io';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** Placeholder shown in help, e.g. FILE. */
  readonly valueName?: string;
  readonly description: string;
}

type OptionSpecs = Readonly<Record<string, OptionSpec>>;
type OptionValues<O extends OptionSpecs> = {
  readonly [K in keyof O]?: O[K]['type'] extends 'string' ? string : boolean;
};

export interface ParsedArgs<O extends OptionSpecs> {
  readonly options: OptionValues<O>;
  readonly positionals: readonly string[];
}

export interface CommandSpec<O extends OptionSpecs> {
  /** The words that select the command, e.g. ['rules', 'validate']. */
  readonly path: readonly string[];
  readonly summary: string;
  /** The arguments part of the usage line, e.g. 'FILE' or '--rules FILE [--at ISO]'. */
  readonly usage: string;
  readonly description?: string;
  readonly options: O;
  readonly positionals: { readonly min: number; readonly max: number; readonly names?: string };
  run(args: ParsedArgs<O>, context: CliContext): Promise<number>;
}

/** A command with its argument types erased, as the command table holds it. */
export interface Command {
  readonly path: readonly string[];
  readonly name: string;
  readonly summary: string;
  readonly usageLine: string;
  help(): string;
  run(argv: readonly string[], context: CliContext): Promise<number>;
}

const HELP_OPTION: OptionSpec = { type: 'boolean', short: 'h', description: 'Show this help' };

export function defineCommand<const O extends OptionSpecs>(spec: CommandSpec<O>): Command {
  const name = spec.path.join(' ');
  const usageLine = `leadscore ${name}${spec.usage ? ` ${spec.usage}` : ''}`;
  const allOptions: OptionSpecs = { ...spec.options, help: HELP_OPTION };

  const help = (): string => {
    const rows = Object.entries(allOptions).map(([long, option]) => {
      const flags = `${option.short ? `-${option.short}, ` : '    '}--${long}`;
      return [option.valueName ? `${flags} ${option.valueName}` : flags, option.description] as const;
    });
    const width = Math.max(...rows.map(([flags]) => flags.length));
    const lines = [`Usage: ${usageLine}`, '', spec.summary];
    if (spec.description) lines.push('', spec.description);
    lines.push('', 'Options:', ...rows.map(([flags, text]) => `  ${flags.padEnd(width)}  ${text}`));
    return `${lines.join('\n')}\n`;
  };

  const run = async (argv: readonly string[], context: CliContext): Promise<number> => {
    const parsed = parseCommandArgs(argv, allOptions);
    if (parsed.options.help === true) {
      context.io.stdout.write(help());
      return 0;
    }
    const { min, max } = spec.positionals;
    const count = parsed.positionals.length;
    if (count < min) throw new UsageError(`missing ${spec.positionals.names ?? 'argument'}`);
    if (count > max) throw new UsageError(`unexpected argument '${parsed.positionals[max]}'`);
    // parseArgs returns values typed by its own config type; the mapped type above says the same thing.
    return spec.run(parsed as ParsedArgs<O>, context);
  };

  return { path: spec.path, name, summary: spec.summary, usageLine, help, run };
}

function parseCommandArgs(
  argv: readonly string[],
  options: OptionSpecs,
): { options: Record<string, string | boolean | undefined>; positionals: string[] } {
  const config = Object.fromEntries(
    Object.entries(options).map(([long, { type, short }]) => [long, short ? { type, short } : { type }]),
  );
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: config,
      allowPositionals: true,
      strict: true,
    });
    return { options: values as Record<string, string | boolean | undefined>, positionals };
  } catch (error) {
    throw new UsageError(describeParseArgsError(error));
  }
}

/** node's messages are long and suggest `--` tricks; say what was wrong in a few words instead. */
function describeParseArgsError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  const option = /--[\w-]+/.exec(message)?.[0] ?? /'(-\w)/.exec(message)?.[1];
  if (option === undefined) return message;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option '${option}'`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/does not take/.test(message)) return `option '${option}' does not take a value`;
    if (/ambiguous/.test(message))
      return `option '${option}' needs a value (write ${option}=-value for one starting with '-')`;
    return `option '${option}' needs a value`;
  }
  return message;
}
