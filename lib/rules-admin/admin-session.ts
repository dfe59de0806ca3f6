/** Runs a marketing-ops command against the stores, turning expected failures into plain CLI messages. */
import { RuleVersionNotFoundError } from '../adapters/dynamodb-rule-store';
import { CommandFailedError, UsageError } from '../cli/errors';
import { checkRulesFile } from '../cli/load-rules';
import type { Env } from '../config/env';
import { NoActiveRulesError } from '../leads/ports';
import { compileRules, type Rules, type ScoringModel } from '../scoring';
import { ConfigError, type AdminNeeds } from './admin-config';
import { openAdminRuntime, type AdminRuntime } from './admin-runtime';
import { JobExistsError } from './job-store';
import { JobNotFoundError } from './rescore-all';

const EXPECTED = [
  ConfigError,
  RuleVersionNotFoundError,
  NoActiveRulesError,
  JobNotFoundError,
  JobExistsError,
];

export async function withAdmin<T>(
  env: Env,
  needs: AdminNeeds,
  run: (admin: AdminRuntime) => Promise<T>,
): Promise<T> {
  let admin: AdminRuntime | undefined;
  try {
    admin = openAdminRuntime(env, needs);
    return await run(admin);
  } catch (error) {
    if (EXPECTED.some((type) => error instanceof type))
      throw new CommandFailedError((error as Error).message);
    const name = (error as Error).name;
    if (name === 'ResourceNotFoundException') {
      throw new CommandFailedError(`${(error as Error).message} (check CONFIG_TABLE and LEADS_TABLE)`);
    }
    if (name === 'CredentialsProviderError' || /ECONNREFUSED/.test(String((error as Error).message))) {
      throw new CommandFailedError(`cannot reach DynamoDB: ${(error as Error).message}`);
    }
    throw error;
  } finally {
    admin?.close();
  }
}

export interface ResolvedRules {
  /** How to call it in output: `v3`, `active (v3)` or the file name. */
  readonly label: string;
  readonly rules: Rules;
  readonly model: ScoringModel;
}

/** A version number, `active`, or a rules file (validated; every problem listed when it is not valid). */
export async function resolveRules(admin: AdminRuntime, ref: string): Promise<ResolvedRules> {
  if (/^\d+$/.test(ref)) {
    const stored = await admin.rules.getVersion(Number(ref));
    return { label: `v${stored.version}`, rules: stored.rules, model: compileRules(stored.rules) };
  }
  if (ref === 'active') {
    const active = await admin.rules.getActive();
    return { label: `active (v${active.version})`, rules: active.rules, model: compileRules(active.rules) };
  }
  const check = await checkRulesFile(ref);
  if (!check.ok)
    throw new CommandFailedError(`${ref} is not a valid rules file:\n${check.problems.join('\n')}`);
  return { label: ref, rules: check.rules, model: check.model };
}

export function parseVersion(text: string | undefined, what = 'VERSION'): number {
  if (text === undefined || !/^[1-9]\d*$/.test(text.trim())) {
    throw new UsageError(`${what} must be a version number (see leadscore rules list), got '${text ?? ''}'`);
  }
  return Number(text.trim());
}
