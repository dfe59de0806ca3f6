/** The write-back function's configuration, read once from the environment. */
import * as z from 'zod/mini';
import { scoreFieldNames, type ScoreFieldNames } from './crm-fields';
import { loadCrmConnectionConfig, type CrmConnectionConfig } from './crm-secrets';
import { ConfigError, readEnv, type Env } from './env';
import { parseScoreFields } from './worker-config';

const WriteBackEnvSchema = z.object({
  LEADS_TABLE: z.string().check(z.minLength(3)),
  /** Only a real CRM: with CRM=none there is nothing to write back to. */
  CRM: z.optional(z.enum(['hubspot', 'salesforce'])),
  SCORE_FIELDS: z.optional(z.string()),
  /** Where writes the CRM refuses for good go, with the CRM's error. */
  WRITEBACK_DLQ_URL: z.url(),
  /** The function's own queue: writes the CRM cannot take yet are put back on it rather than parked. */
  WRITEBACK_QUEUE_URL: z.optional(z.url()),
  /** How long such a write waits before its next try (0–900 s, SQS's range; default 900). */
  WRITEBACK_HOLD_DELAY_SECONDS: z.optional(
    z.string().check(z.regex(/^(900|[1-8]?\d{1,2})$/, 'expected whole seconds from 0 to 900')),
  ),
  ASSIGN_ON_QUALIFICATION_CHANGE: z.optional(z.enum(['true', 'false'])),
  /** Remaining daily Salesforce API calls to keep free for everyone else. */
  SALESFORCE_API_FLOOR: z.optional(z.string().check(z.regex(/^\d+$/, 'expected a whole number'))),
});

export interface WriteBackConfig {
  readonly leadsTable: string;
  readonly crm: 'hubspot' | 'salesforce';
  readonly scoreFields: ScoreFieldNames;
  readonly deadLetterQueueUrl: string;
  readonly queueUrl?: string;
  readonly holdDelaySeconds?: number;
  readonly assignOnQualificationChange: boolean;
  /** Absolute floor, or undefined for the default: 10% of the daily limit. */
  readonly salesforceApiFloor?: number;
  readonly connection: CrmConnectionConfig;
}

export const DEFAULT_API_FLOOR_RATIO = 0.1;

export function loadWriteBackConfig(env: Env): WriteBackConfig {
  let problems: string[] = [];
  let raw: z.infer<typeof WriteBackEnvSchema> | undefined;
  let connection: CrmConnectionConfig | undefined;
  // Both parts are checked before failing, so that every missing variable is named at once.
  try {
    raw = readEnv(WriteBackEnvSchema, env, 'write-back');
  } catch (error) {
    problems = [...problems, ...linesOf(error)];
  }
  try {
    connection = loadCrmConnectionConfig(env, true);
  } catch (error) {
    problems = [...problems, ...linesOf(error)];
  }
  if (!raw || !connection) {
    throw new ConfigError(`write-back configuration is invalid:\n  ${problems.join('\n  ')}`);
  }
  const crm = raw.CRM ?? 'hubspot';
  return {
    leadsTable: raw.LEADS_TABLE,
    crm,
    scoreFields: scoreFieldNames(crm, parseScoreFields(raw.SCORE_FIELDS)),
    deadLetterQueueUrl: raw.WRITEBACK_DLQ_URL,
    ...(raw.WRITEBACK_QUEUE_URL !== undefined ? { queueUrl: raw.WRITEBACK_QUEUE_URL } : {}),
    ...(raw.WRITEBACK_HOLD_DELAY_SECONDS !== undefined
      ? { holdDelaySeconds: Number(raw.WRITEBACK_HOLD_DELAY_SECONDS) }
      : {}),
    assignOnQualificationChange: raw.ASSIGN_ON_QUALIFICATION_CHANGE === 'true',
    ...(raw.SALESFORCE_API_FLOOR !== undefined
      ? { salesforceApiFloor: Number(raw.SALESFORCE_API_FLOOR) }
      : {}),
    connection,
  };
}

/** The daily calls to leave free, given the limit Salesforce reports. */
export function apiFloor(config: Pick<WriteBackConfig, 'salesforceApiFloor'>, limit: number): number {
  return config.salesforceApiFloor ?? Math.ceil(limit * DEFAULT_API_FLOOR_RATIO);
}

function linesOf(error: unknown): string[] {
  if (!(error instanceof ConfigError)) throw error;
  return error.message
    .split('\n')
    .slice(1)
    .map((line) => line.trim());
}
