/**
 * The deploy settings: CDK context (cdk.json defaults, `-c key=value` on the command line) validated
 * into typed props, so that a typo fails the synth with a message instead of deploying a wrong stack.
 */
import { z } from 'zod';
import { DEFAULT_SCORE_FIELDS, ScoreFieldsOverrideSchema, scoreFieldNames } from '../lib/config/crm-fields';
import { DECAY_SWEEP } from '../lib/pipeline-spec';

export class AppConfigError extends Error {
  override readonly name = 'AppConfigError';
}

/** `-c` values always arrive as text; cdk.json values arrive as JSON. Both are accepted. */
const json = (value: unknown) => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
};
/** A list: a JSON array, or comma-separated text (`-c salesforceOrgIds=00D...,00D...`). */
const list = (value: unknown) => {
  const parsed = json(value);
  if (typeof parsed !== 'string') return parsed;
  return parsed.trim() === '' ? [] : parsed.split(',').map((item) => item.trim());
};
const text = (value: unknown) =>
  typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
const wholeNumber = (min: number, max: number) => z.preprocess(json, z.number().int().min(min).max(max));
const snsTopicArns = z
  .preprocess(
    list,
    z.array(
      z
        .string()
        .regex(
          /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:.+$/,
          'not an SNS topic ARN (arn:aws:sns:<region>:<12-digit account>:<topic name>)',
        ),
    ),
  )
  .default([]);

const AppConfigSchema = z.object({
  /** Deploy a second copy (staging) under another name. */
  stackName: z
    .preprocess(text, z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/, 'letters, digits and -'))
    .default('Leadscore'),
  /** The CRM scores are written to (and profiles read from). */
  crm: z.enum(['hubspot', 'salesforce']).default('hubspot'),
  /** Renamed score fields in the CRM, e.g. {"score":"Score__c"}. */
  scoreFields: z.preprocess(json, ScoreFieldsOverrideSchema).default({}),
  /** Documentation only: the org ids live in the webhook secret (`salesforce.organizationIds`). */
  salesforceOrgIds: z
    .preprocess(
      list,
      z.array(
        z
          .string()
          .regex(
            /^00D[0-9A-Za-z]{12}([0-9A-Za-z]{3})?$/,
            'not an org id (15 or 18 characters starting 00D, as in Setup → Company Information)',
          ),
      ),
    )
    .default([]),
  /** Documentation only: the SES topics live in the webhook secret (`ses.topicArns`). */
  allowedSnsTopicArns: snsTopicArns,
  /**
   * SES SNS topics whose notifications the events queue receives directly (an SQS subscription, raw
   * delivery off: each message is the SNS envelope), instead of through /webhooks/ses. Cheaper: no HTTP
   * API request, ingest invocation or SQS send of ours per event, only the one SQS request SNS makes, and
   * SNS retries deliveries to SQS on its own. The topic must let this account subscribe: a topic of the
   * same account does as is; another account's topic needs its owner's topic policy to allow
   * `sns:Subscribe` from this account. A topic in another region works too (the subscription is created
   * in the topic's region). No webhook secret involved: the queue policy admits these topics only.
   */
  sesQueueTopicArns: snsTopicArns,
  sweepScheduleMinutes: wholeNumber(1, 1440).default(DECAY_SWEEP.scheduleMinutes),
  /** Let the CRM's assignment rules run when a lead's qualification changes (write-back). */
  assignOnQualificationChange: z.preprocess(json, z.boolean()).default(false),
  /** Where alarms are e-mailed; empty = only the SNS topic (subscribe to it yourself). */
  alarmEmail: z.preprocess(text, z.union([z.literal(''), z.email()])).default(''),
  /** Steady-state requests per second across all webhook routes. */
  throttleRateLimit: wholeNumber(1, 10_000).default(50),
  /** Requests allowed in a burst above the rate. */
  throttleBurstLimit: wholeNumber(1, 5_000).default(100),
  /** A custom domain in front of the API: webhook signatures that sign the URL are checked against it. */
  publicBaseUrl: z
    .preprocess(
      text,
      z.union([
        z.literal(''),
        z.url({
          protocol: /^https$/,
          error: 'expected an https:// URL (the custom domain in front of the webhook API)',
        }),
      ]),
    )
    .default(''),
  /** The rule set the worker scores with. */
  rulesetName: z
    .preprocess(text, z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, - and _'))
    .default('default'),
});

export type AppConfig = z.infer<typeof AppConfigSchema>;
export const APP_CONFIG_KEYS = Object.keys(AppConfigSchema.shape) as (keyof AppConfig)[];

/**
 * Validates the settings found in `context` (other context keys — CDK's own, feature flags — are left
 * alone, but a plain camelCase key we do not know is most likely a misspelt setting).
 */
export function parseAppConfig(context: Readonly<Record<string, unknown>>): AppConfig {
  const known = new Set<string>(APP_CONFIG_KEYS);
  const problems = Object.keys(context)
    .filter((key) => /^[a-z][A-Za-z0-9]*$/.test(key) && !known.has(key))
    .map((key) => `${key}: not a leadscore setting (known: ${APP_CONFIG_KEYS.join(', ')})`);
  const settings = Object.fromEntries(APP_CONFIG_KEYS.map((key) => [key, context[key]]));
  const result = AppConfigSchema.safeParse(settings);
  if (!result.success) {
    problems.push(
      ...result.error.issues.map((issue) => {
        const where = issue.path.join('.') || '(context)';
        // A misspelt score field: say which names there are.
        const known = issue.code === 'unrecognized_keys' && issue.path[0] === 'scoreFields';
        return `${where}: ${issue.message}${known ? ` (the fields are ${Object.keys(DEFAULT_SCORE_FIELDS.hubspot).join(', ')})` : ''}`;
      }),
    );
  }
  if (result.success && result.data.throttleBurstLimit < result.data.throttleRateLimit) {
    problems.push('throttleBurstLimit: must be at least throttleRateLimit');
  }
  if (result.success) problems.push(...sesTopicProblems(result.data), ...scoreFieldProblems(result.data));
  if (problems.length > 0 || !result.success) {
    throw new AppConfigError(
      `leadscore settings are invalid (cdk.json "context" or -c key=value):\n  ${problems.join('\n  ')}`,
    );
  }
  return result.data;
}

/** Field names as each CRM spells them: a name it would refuse fails every write-back after the deploy. */
const FIELD_NAME_RULES = {
  hubspot: {
    pattern: /^[a-z][a-z0-9_]{0,99}$/,
    rule: 'a HubSpot internal name: lower-case letters, digits and _, starting with a letter',
  },
  salesforce: {
    pattern: /^[A-Za-z](?:[A-Za-z0-9]|_(?!_)){0,39}(?:__c)?$/,
    rule: 'a Salesforce API name: letters, digits and single _, starting with a letter, custom fields ending __c',
  },
} as const;

function scoreFieldProblems(config: AppConfig): string[] {
  const { pattern, rule } = FIELD_NAME_RULES[config.crm];
  const problems: string[] = [];
  const names = scoreFieldNames(config.crm, config.scoreFields);
  const byName = new Map<string, string>();
  for (const [key, name] of Object.entries(names)) {
    if (key in config.scoreFields && !pattern.test(name)) {
      problems.push(`scoreFields.${key}: "${name}" is not ${rule}`);
    }
    const other = byName.get(name);
    if (other !== undefined)
      problems.push(`scoreFields.${key}: "${name}" is also the ${other} field; each needs its own`);
    byName.set(name, key);
  }
  return problems;
}

/**
 * A topic is delivered either to the queue or to the webhook: in both, each event would arrive twice.
 * Harmless in effect (the same SNS MessageId gives the same event id, scored once) but paid twice.
 */
function sesTopicProblems(config: AppConfig): string[] {
  const problems: string[] = [];
  const byWebhook = new Set(config.allowedSnsTopicArns);
  const seen = new Set<string>();
  config.sesQueueTopicArns.forEach((arn, index) => {
    if (seen.has(arn)) problems.push(`sesQueueTopicArns.${index}: ${arn} is listed twice`);
    seen.add(arn);
    if (byWebhook.has(arn)) {
      problems.push(
        `sesQueueTopicArns.${index}: ${arn} is also in allowedSnsTopicArns; a topic goes either to the ` +
          'events queue (sesQueueTopicArns) or to /webhooks/ses (allowedSnsTopicArns), not both: ' +
          'each event would arrive twice (scored once, the same event ids, but paid for twice)',
      );
    }
  });
  return problems;
}
