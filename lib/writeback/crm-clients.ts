/**
 * The CRM adapters for one process, built from configuration: credentials loaded lazily (Secrets Manager
 * or inline JSON, cached for the TTL) and shared by the score writer and the profile reader.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { HubSpotClientSource } from '../adapters/hubspot-client';
import { HubSpotProfileReader } from '../adapters/hubspot-profile-reader';
import { HubSpotScoreWriter } from '../adapters/hubspot-score-writer';
import { SalesforceProfileReader } from '../adapters/salesforce-profile-reader';
import { SalesforceScoreWriter } from '../adapters/salesforce-score-writer';
import { SalesforceSession } from '../adapters/salesforce-session';
import { jsonSecretReader } from '../adapters/secrets-manager';
import { cachedFor } from '../config/cached';
import type { ScoreFieldNames } from '../config/crm-fields';
import {
  hubSpotSecrets,
  parseInlineSecrets,
  salesforceCredentials,
  type CrmConnectionConfig,
} from '../config/crm-secrets';
import type { CrmProfileReader } from '../leads/ports';
import type { CrmWriter } from './crm-writer';
import { retryingProfileReader, type RetryingReaderOptions } from './retrying-reader';

export interface CrmClientOptions {
  readonly scoreFields: ScoreFieldNames;
  readonly assignOnQualificationChange?: boolean;
  /** How the profile reader retries (tests shorten it). */
  readonly readerRetry?: RetryingReaderOptions;
}

export interface CrmClients {
  readonly writer: CrmWriter;
  readonly reader: CrmProfileReader;
  /** Present for Salesforce: the session, whose token requests tests and metrics can read. */
  readonly salesforceSession?: SalesforceSession;
}

/** The secrets document, read at most once per TTL. */
export function crmSecretsDocument(connection: CrmConnectionConfig): () => Promise<unknown> {
  const { secrets } = connection;
  if ('inline' in secrets) {
    const document = parseInlineSecrets(secrets.inline);
    return async () => document;
  }
  return cachedFor(
    jsonSecretReader(sdkGetSecretString(new SecretsManagerClient({})), secrets.secretId),
    connection.secretsTtlMs,
  );
}

export function createCrmClients(
  crm: 'hubspot' | 'salesforce',
  connection: CrmConnectionConfig,
  options: CrmClientOptions,
): CrmClients {
  const document = crmSecretsDocument(connection);
  if (crm === 'hubspot') {
    const source = new HubSpotClientSource({
      credentials: async () => hubSpotSecrets(await document()),
      baseUrl: connection.hubspotBaseUrl,
    });
    return {
      writer: new HubSpotScoreWriter(source, options.scoreFields),
      reader: retryingProfileReader(new HubSpotProfileReader(source), options.readerRetry),
    };
  }
  const session = new SalesforceSession({
    credentials: async () => salesforceCredentials(await document()),
    loginUrl: connection.salesforceLoginUrl,
  });
  return {
    writer: new SalesforceScoreWriter(session, {
      fields: options.scoreFields,
      assignOnQualificationChange: options.assignOnQualificationChange ?? false,
    }),
    reader: retryingProfileReader(new SalesforceProfileReader(session), options.readerRetry),
    salesforceSession: session,
  };
}

/** GetSecretValue through the SDK (the functions that already load it for DynamoDB and SQS). */
function sdkGetSecretString(client: SecretsManagerClient) {
  return async (secretId: string) =>
    (await client.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString;
}
