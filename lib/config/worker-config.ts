/** The scoring worker's and decay sweep's configuration, read once from the environment. */
import * as z from 'zod/mini';
import {
  CRM_KINDS,
  scoreFieldNames,
  ScoreFieldsOverrideSchema,
  type CrmKind,
  type ScoreFieldNames,
} from './crm-fields';
import { ConfigError, intOr, positiveIntText, readEnv, type Env } from './env';

const WorkerEnvSchema = z.object({
  LEADS_TABLE: z.string().check(z.minLength(3)),
  CONFIG_TABLE: z.string().check(z.minLength(3)),
  WRITEBACK_QUEUE_URL: z.url(),
  /** Where messages that can never be processed go, with their reason. */
  EVENTS_DLQ_URL: z.url(),
  RULESET_NAME: z.optional(z.string().check(z.minLength(1))),
  RULES_TTL_SECONDS: positiveIntText(),
  CRM: z.optional(z.enum(CRM_KINDS)),
  SCORE_FIELDS: z.optional(z.string()),
});

export interface WorkerConfig {
  readonly leadsTable: string;
  readonly configTable: string;
  readonly writeBackQueueUrl: string;
  readonly deadLetterQueueUrl: string;
  readonly rulesetName: string;
  readonly rulesTtlMs: number;
  readonly crm: CrmKind;
  readonly scoreFields: ScoreFieldNames;
}

export function loadWorkerConfig(env: Env): WorkerConfig {
  const raw = readEnv(WorkerEnvSchema, env, 'worker');
  const crm = raw.CRM ?? 'hubspot';
  return {
    leadsTable: raw.LEADS_TABLE,
    configTable: raw.CONFIG_TABLE,
    writeBackQueueUrl: raw.WRITEBACK_QUEUE_URL,
    deadLetterQueueUrl: raw.EVENTS_DLQ_URL,
    rulesetName: raw.RULESET_NAME ?? 'default',
    rulesTtlMs: intOr(raw.RULES_TTL_SECONDS, 60) * 1000,
    crm,
    scoreFields: scoreFieldNames(crm, parseScoreFields(raw.SCORE_FIELDS)),
  };
}

export function parseScoreFields(text: string | undefined): Partial<ScoreFieldNames> {
  if (text === undefined || text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError('SCORE_FIELDS: not JSON (expected e.g. {"score":"Score__c"})');
  }
  const result = ScoreFieldsOverrideSchema.safeParse(parsed);
  if (!result.success) {
    throw new ConfigError(
      `SCORE_FIELDS: ${result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`,
    );
  }
  return result.data;
}
