/** Runs a marketing-ops command against the stores, turning expected failures into plain CLI messages. */
import { RuleVersionNotFoundError } from '../adapters/dynamodb-rule-store';
import { CommandFailedError, UsageError } from '../cli/errors';
import { loadValidRules } from '../cli/load-rules';
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

/** Whether `ref` names stored rules (a version number or `active`), which needs the config table. */
export const isStoredRef = (ref: string): boolean => ref === 'active' || /^\d+$/.test(ref);

/** A rules file, validated; every problem listed when it is not valid. */
export async function resolveRulesFile(file: string): Promise<ResolvedRules> {
  const { rules, model } = await loadValidRules(file);
  return { label: file, rules, model };
}

/** A version number, `active`, or a rules file (see resolveRulesFile). */
export async function resolveRules(admin: AdminRuntime, ref: string): Promise<ResolvedRules> {
  if (!isStoredRef(ref)) return resolveRulesFile(ref);
  if (ref !== 'active') {
    const stored = await admin.rules.getVersion(Number(ref));
    return { label: `v${stored.version}`, rules: stored.rules, model: compileRules(stored.rules) };
  }
  const active = await admin.rules.getActive();
  return { label: `active (v${active.version})`, rules: active.rules, model: compileRules(active.rules) };
}

export function parseVersion(text: string | undefined, what = 'VERSION'): number {
  if (text === undefined || !/^[1-9]\d*$/.test(text.trim())) {
    throw new UsageError(`${what} must be a version number (see leadscore rules list), got '${text ?? ''}'`);
  }
  return Number(text.trim());
}
