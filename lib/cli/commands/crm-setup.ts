// `leadscore crm setup --crm hubspot|salesforce [--create]`: makes (or checks) the CRM fields scores are written to.
// The CRM clients load only when the command runs (jsforce and @hubspot/api-client take ~300 ms).
import type { FieldCheck } from '../../adapters/salesforce-fields';
import { scoreFieldNames } from '../../config/crm-fields';
import {
  hubSpotSecrets,
  loadCrmConnectionConfig,
  salesforceCredentials,
  type CrmConnectionConfig,
} from '../../config/crm-secrets';
import type { Env } from '../../config/env';
import { parseScoreFields } from '../../config/worker-config';
import {
  HUBSPOT_GROUP,
  hubSpotPropertySpecs,
  SALESFORCE_OBJECTS,
  salesforceFieldSpecs,
} from '../../writeback/score-field-specs';
import { defineCommand, type Command } from '../command';
import { CommandFailedError, UsageError } from '../errors';
import type { CliIo } from '../io';

const DESCRIPTION = [
  'HubSpot: creates the contact property group `leadscore` and the five score properties; what',
  'exists already is left as it is and reported. Salesforce: describes Lead and Contact and lists',
  'the score fields that are missing, with their types; --create creates them (Tooling API).',
  '',
  'Credentials come from the environment, as the functions read them: LEADSCORE_CRM_SECRETS',
  '(JSON) or CRM_SECRET_ID (Secrets Manager); HUBSPOT_BASE_URL / SALESFORCE_LOGIN_URL point at',
  'another host (a sandbox); SCORE_FIELDS renames fields. Exits 1 while anything is missing.',
].join('\n');

export function createCrmSetupCommand(env: () => Env = () => process.env): Command {
  return defineCommand({
    path: ['crm', 'setup'],
    summary: 'Create or check the CRM fields that scores are written to',
    usage: '--crm hubspot|salesforce [--create]',
    description: DESCRIPTION,
    options: {
      crm: { type: 'string', valueName: 'CRM', description: 'hubspot or salesforce' },
      create: { type: 'boolean', description: 'Salesforce: create the missing fields (Tooling API)' },
    },
    positionals: { min: 0, max: 0 },
    async run({ options }, { io }) {
      const crm = options.crm;
      if (crm !== 'hubspot' && crm !== 'salesforce') {
        throw new UsageError(crm === undefined ? 'missing --crm hubspot|salesforce' : `unknown CRM '${crm}'`);
      }
      const variables = env();
      const connection = connectionFrom(variables);
      const names = scoreFieldNames(crm, parseScoreFields(variables.SCORE_FIELDS));
      try {
        return crm === 'hubspot'
          ? await setUpHubSpot(connection, names, io)
          : await setUpSalesforce(connection, names, options.create === true, io);
      } catch (error) {
        throw new CommandFailedError(`${crm}: ${(error as Error).message}`);
      }
    },
  });
}

export const crmSetupCommand = createCrmSetupCommand();

function connectionFrom(env: Env): CrmConnectionConfig {
  try {
    return loadCrmConnectionConfig(env, true);
  } catch (error) {
    throw new CommandFailedError((error as Error).message);
  }
}

/**
 * CRM_MODULES_ON_USE: the CRM clients (jsforce, @hubspot/api-client) take ~0.4 s to load, so they are
 * required when the command runs, not when the CLI starts. With require, not import(): the `leadscore` bin
 * runs through tsx's CommonJS loader, and a native import() of an extensionless .ts path fails there.
 */
type CrmClientsModule = typeof import('../../writeback/crm-clients');

async function setUpHubSpot(
  connection: CrmConnectionConfig,
  names: ReturnType<typeof scoreFieldNames>,
  io: CliIo,
): Promise<number> {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded on use, see CRM_MODULES_ON_USE */
  const { crmSecretsDocument } = require('../../writeback/crm-clients') as CrmClientsModule;
  const { HubSpotClientSource } =
    require('../../adapters/hubspot-client') as typeof import('../../adapters/hubspot-client');
  const { ensureHubSpotProperties, propertiesApi } =
    require('../../adapters/hubspot-properties') as typeof import('../../adapters/hubspot-properties');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const document = crmSecretsDocument(connection);
  const source = new HubSpotClientSource(
    { credentials: async () => hubSpotSecrets(await document()), baseUrl: connection.hubspotBaseUrl },
    propertiesApi,
  );
  const report = await ensureHubSpotProperties(source, hubSpotPropertySpecs(names));
  const lines = [`property group ${HUBSPOT_GROUP.name}: ${report.group}`];
  for (const { spec, status, actualType } of report.properties) {
    const what = status === 'mismatch' ? `exists as ${actualType}, expected ${spec.type}` : status;
    lines.push(`${spec.name} (${spec.type}): ${what}`);
  }
  const mismatches = report.properties.filter((property) => property.status === 'mismatch').length;
  const created = report.properties.filter((property) => property.status === 'created').length;
  lines.push(
    mismatches > 0
      ? `${mismatches} propert${mismatches === 1 ? 'y has' : 'ies have'} another type: delete or rename ${mismatches === 1 ? 'it' : 'them'} (or set SCORE_FIELDS)`
      : `ready: ${created} created, ${report.properties.length - created} already there`,
  );
  io.stdout.write(`${lines.join('\n')}\n`);
  return mismatches > 0 ? 1 : 0;
}

async function setUpSalesforce(
  connection: CrmConnectionConfig,
  names: ReturnType<typeof scoreFieldNames>,
  create: boolean,
  io: CliIo,
): Promise<number> {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded on use, see CRM_MODULES_ON_USE */
  const { crmSecretsDocument } = require('../../writeback/crm-clients') as CrmClientsModule;
  const { SalesforceSession } =
    require('../../adapters/salesforce-session') as typeof import('../../adapters/salesforce-session');
  const { checkSalesforceFields } =
    require('../../adapters/salesforce-fields') as typeof import('../../adapters/salesforce-fields');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const document = crmSecretsDocument(connection);
  const session = new SalesforceSession({
    credentials: async () => salesforceCredentials(await document()),
    loginUrl: connection.salesforceLoginUrl,
  });
  const checks = await checkSalesforceFields(session, SALESFORCE_OBJECTS, salesforceFieldSpecs(names), {
    create,
  });
  const labels = checks.map((check) => `${check.object}.${check.spec.name}`);
  const nameWidth = Math.max(...labels.map((label) => label.length));
  const typeWidth = Math.max(...checks.map((check) => check.spec.display.length));
  const lines = checks.map(
    (check, index) =>
      `${(labels[index] ?? '').padEnd(nameWidth)}  ${check.spec.display.padEnd(typeWidth)}  ${describe(check)}`,
  );
  const count = (status: FieldCheck['status']) => checks.filter((check) => check.status === status).length;
  const [missing, created, failed, mismatched] = [
    count('missing'),
    count('created'),
    count('failed'),
    count('mismatch'),
  ];
  if (missing > 0) lines.push(`${missing} field(s) missing: run again with --create to create them`);
  if (created > 0) {
    lines.push(
      `${created} field(s) created: give the integration user edit access to them (field-level security)`,
    );
  }
  if (mismatched > 0) lines.push(`${mismatched} field(s) have a type that cannot take scores`);
  if (missing + failed + mismatched === 0) lines.push('ready: every score field exists on Lead and Contact');
  io.stdout.write(`${lines.join('\n')}\n`);
  return missing + failed + mismatched > 0 ? 1 : 0;
}

function describe(check: FieldCheck): string {
  switch (check.status) {
    case 'ok':
      return check.narrower === undefined ? 'ok' : `ok, but ${check.narrower}`;
    case 'missing':
      return 'MISSING';
    case 'created':
      return 'created';
    case 'mismatch':
      return `WRONG TYPE (is ${check.detail ?? 'unknown'})`;
    case 'failed':
      return `NOT CREATED: ${check.detail ?? ''}`;
  }
}
