// Reads, validates and compiles a rules file, the first step of every command that scores.
import type { Writable } from 'node:stream';
import { compileRules, parseRulesText, type Rules, type ScoringModel } from '../scoring';
import type { OptionSpec } from './command';
import { CommandFailedError } from './errors';
import { readTextFile } from './files';

/** `--rules FILE`, as every command that scores with a rules file takes it. */
export const RULES_FILE_OPTION = {
  type: 'string',
  short: 'r',
  valueName: 'FILE',
  description: 'Rules file, YAML or JSON (required)',
} as const satisfies OptionSpec;

export type RulesCheck =
  | { readonly ok: true; readonly rules: Rules; readonly model: ScoringModel }
  | { readonly ok: false; readonly problems: readonly string[] };

/** Every problem as `path: message`; compile-time failures the schema cannot see are reported too. */
export async function checkRulesFile(path: string): Promise<RulesCheck> {
  const text = await readTextFile(path);
  const parsed = parseRulesText(text, path);
  if (!parsed.ok) return { ok: false, problems: parsed.problems };
  try {
    return { ok: true, rules: parsed.rules, model: compileRules(parsed.rules) };
  } catch (error) {
    return { ok: false, problems: [`rules: ${error instanceof Error ? error.message : String(error)}`] };
  }
}

/**
 * An invalid file's problems, one per line, then `FILE: invalid (N problems)` and `outcome` (`, not pushed`),
 * all on one stream (stderr: they are why the command failed).
 */
export function writeProblems(out: Writable, file: string, problems: readonly string[], outcome = ''): void {
  const count = `${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}`;
  out.write(`${[...problems, `${file}: invalid (${count})${outcome}`].join('\n')}\n`);
}

/** The rules and their compiled model, or a failure listing each problem on its own line. */
export async function loadValidRules(
  path: string,
): Promise<{ readonly rules: Rules; readonly model: ScoringModel }> {
  const check = await checkRulesFile(path);
  if (!check.ok) {
    throw new CommandFailedError(`${path} is not a valid rules file:\n${check.problems.join('\n')}`);
  }
  return check;
}

/** The compiled model, or a failure listing each problem on its own line. */
export async function loadRulesFile(path: string): Promise<ScoringModel> {
  return (await loadValidRules(path)).model;
}
