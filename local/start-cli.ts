/** `npm start`'s command line, checked before anything starts, and what it prints once the stack runs. */
import { parseArgs } from 'node:util';
import { WEBHOOK_ROUTES } from '../lib/pipeline-spec';
import { DEV_SECRETS_PATH } from './dev-secrets';
import type { LocalStack } from './stack';

export const USAGE =
  'usage: npm start [-- --crm hubspot|salesforce] [--port 4000] [--rules FILE] [--verbose]';

export interface StartOptions {
  readonly crm: 'hubspot' | 'salesforce';
  readonly port: number;
  readonly rulesFile?: string;
  readonly verbose: boolean;
  readonly help: boolean;
}

const usageError = (message: string) => new Error(`${message}\n${USAGE}`);

export function parseStartOptions(args: readonly string[]): StartOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        crm: { type: 'string', default: 'hubspot' },
        port: { type: 'string', default: '4000' },
        rules: { type: 'string' },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw usageError((error as Error).message);
  }
  if (values.crm !== 'hubspot' && values.crm !== 'salesforce') {
    throw usageError('--crm must be hubspot or salesforce');
  }
  const port = /^\d{1,5}$/.test(values.port) ? Number(values.port) : NaN;
  if (!(port >= 1 && port <= 65_535)) throw usageError('--port must be a number from 1 to 65535');
  return {
    crm: values.crm,
    port,
    ...(values.rules === undefined ? {} : { rulesFile: values.rules }),
    verbose: values.verbose,
    help: values.help,
  };
}

/** Why the stack did not start, in words; the webhook port taken or refused says what to do about it. */
export function startFailureMessage(error: unknown, port: number): string {
  const { code, port: failedPort } = (error ?? {}) as NodeJS.ErrnoException & { port?: number };
  if (failedPort === port && code === 'EADDRINUSE') {
    return `port ${port} is in use: stop what uses it or pick another with --port N`;
  }
  if (failedPort === port && code === 'EACCES') {
    return `port ${port} is not open to this user: pick another with --port N (1024 or above)`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * What the `leadscore` CLI reads to work on the local stack (rules, simulate, rescore, crm setup), taken from
 * the functions' own environment. The region and keys matter: DynamoDB Local keeps one set of tables per
 * region and access key, and an AWS_PROFILE would win over the keys.
 */
const CLI_VARIABLES = [
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_ENDPOINT_URL_DYNAMODB',
  'AWS_ENDPOINT_URL_SQS',
  'CONFIG_TABLE',
  'LEADS_TABLE',
  'WRITEBACK_QUEUE_URL',
  'CRM',
  'HUBSPOT_BASE_URL',
  'SALESFORCE_LOGIN_URL',
  'LEADSCORE_CRM_SECRETS',
] as const;

/** A word the shell reads back as `value`: single-quoted unless it is plainly safe. */
export function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Lines to paste into another terminal so that the CLI works on this stack. */
export function cliExports(environment: Readonly<Record<string, string | undefined>>): string[] {
  const exports = CLI_VARIABLES.flatMap((name) => {
    const value = environment[name];
    return value === undefined ? [] : [`export ${name}=${shellQuote(value)}`];
  });
  return ['unset AWS_PROFILE', ...exports];
}

/** `npm run demo` drives the HubSpot sandbox; with Salesforce, what to send instead. */
function tryIt(stack: LocalStack, crmUrl: string): string[] {
  if (stack.crm === 'hubspot') return ['npm run demo'];
  const { salesforce, api } = stack.secrets.webhooks;
  return [
    '`npm run demo` drives the HubSpot sandbox only. Here, your own events: paste this, then run the',
    '/events curl of docs/webhooks.md ("Your own systems"):',
    '',
    `  export EVENTS_URL=${stack.apiUrl}/events KEY=${shellQuote(api.keys[0] ?? '')}`,
    '',
    `Or Outbound Messages (OrganizationId ${salesforce.organizationIds[0] ?? ''}; SOAP as local/traffic.ts builds it):`,
    '',
    `  POST ${stack.apiUrl}/webhooks/salesforce?token=${salesforce.urlToken}`,
    '',
    'Scores are written to Leads and Contacts the sandbox has; make one with',
    `  POST ${crmUrl}/__sandbox/records {"type":"Lead","fields":{"LastName":…,"Company":…,"Email":…}}`,
  ];
}

export function startBanner(stack: LocalStack): string {
  const crmUrl = (stack.hubspot ?? stack.salesforce)?.url ?? '';
  const indent = (lines: readonly string[]) => lines.map((line) => (line ? `  ${line}` : line)).join('\n');
  return `
leadscore is running locally.

  Webhook API     ${stack.apiUrl}
${WEBHOOK_ROUTES.map((route) => `    POST ${stack.apiUrl}${route}`).join('\n')}
  Signed URLs     HubSpot v3 and Mandrill sign the URL called: here ${stack.apiUrl}/… (http, not https)
  Sandbox ${stack.crm.padEnd(10)} ${crmUrl}   (inspect: ${crmUrl}/__sandbox/records, /__sandbox/requests)
  DynamoDB Local  ${stack.aws.dynamodbEndpoint}   tables ${stack.aws.tables.leads}, ${stack.aws.tables.config}
  SQS emulator    ${stack.aws.sqsEndpoint}   queues events, writeback (+ DLQs)
  Local secrets   ${DEV_SECRETS_PATH}   (dev only: signing keys for every source)
  SES via SNS     sign with the local secrets' sns.privateKey, for topic sns.topicArn; the ingest gets
                  its certificate for the dev SigningCertURL (sns.certificateUrl) without any download

The leadscore CLI on this stack (rules, rescore, crm setup --crm ${stack.crm}): paste into another terminal

${indent(cliExports(stack.environment))}

Try it, in another terminal:

${indent(tryIt(stack, crmUrl))}

Ctrl-C stops everything.`;
}
