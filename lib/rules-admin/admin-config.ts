/** What the marketing-ops commands need from the environment: table names, rule set, endpoint, write-back queue. */
import * as z from 'zod/mini';
import { CRM_KINDS, scoreFieldNames, type CrmKind, type ScoreFieldNames } from '../config/crm-fields';
import { ConfigError, readEnv, type Env } from '../config/env';
import { parseScoreFields } from '../config/worker-config';

export interface AdminConfig {
  readonly configTable: string;
  readonly rulesetName: string;
  /** DynamoDB endpoint override (DynamoDB Local), from AWS_ENDPOINT_URL_DYNAMODB. */
  readonly endpoint?: string;
  readonly leadsTable?: string;
  readonly writeBackQueueUrl?: string;
  readonly crm: CrmKind;
  readonly scoreFields: ScoreFieldNames;
}

/** What a command needs beyond the config table. */
export interface AdminNeeds {
  readonly leads?: boolean;
  readonly writeBack?: boolean;
}

const tableName = () => z.string().check(z.minLength(3, 'expected a table name (3 characters or more)'));

export function loadAdminConfig(env: Env, needs: AdminNeeds = {}): AdminConfig {
  const schema = z.object({
    CONFIG_TABLE: tableName(),
    RULESET_NAME: z.optional(z.string().check(z.minLength(1))),
    AWS_ENDPOINT_URL_DYNAMODB: z.optional(z.url()),
    LEADS_TABLE: needs.leads ? tableName() : z.optional(z.string()),
    WRITEBACK_QUEUE_URL: needs.writeBack ? z.url() : z.optional(z.string()),
    CRM: z.optional(z.enum(CRM_KINDS)),
    SCORE_FIELDS: z.optional(z.string()),
  });
  const raw = readEnv(schema, env, 'leadscore');
  const crm = raw.CRM ?? 'hubspot';
  return {
    configTable: raw.CONFIG_TABLE,
    rulesetName: raw.RULESET_NAME ?? 'default',
    ...(raw.AWS_ENDPOINT_URL_DYNAMODB ? { endpoint: raw.AWS_ENDPOINT_URL_DYNAMODB } : {}),
    ...(raw.LEADS_TABLE ? { leadsTable: raw.LEADS_TABLE } : {}),
    ...(raw.WRITEBACK_QUEUE_URL ? { writeBackQueueUrl: raw.WRITEBACK_QUEUE_URL } : {}),
    crm,
    scoreFields: scoreFieldNames(crm, parseScoreFields(raw.SCORE_FIELDS)),
  };
}

export { ConfigError };
