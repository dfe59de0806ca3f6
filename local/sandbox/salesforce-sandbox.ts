/** A local Salesforce org (OAuth, Lead/Contact REST, Tooling fields, API limits) that real jsforce talks to unmodified. */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { RecordStore } from './shared/record-store';
import { Router } from './shared/router';
import { SandboxCore, type SandboxOptions } from './shared/sandbox-core';
import {
  guarded,
  inspectionRouter,
  parseWith,
  sandboxControls,
  SandboxSeedError,
  type SandboxControls,
} from './shared/sandbox-controls';
import { isRecord } from './shared/sandbox-http';
import { ApiUsage } from './salesforce/api-usage';
import { addDataRoutes } from './salesforce/data-routes';
import { addOAuthRoutes } from './salesforce/oauth-routes';
import { RecordWriter } from './salesforce/record-writer';
import { saveError, type SaveError } from './salesforce/salesforce-errors';
import { IdSequence } from './salesforce/salesforce-ids';
import type { SalesforceRecord } from './salesforce/sobject-records';
import {
  SObjectSchema,
  type CustomFieldSpec,
  type FieldDefinition,
  type SObjectType,
} from './salesforce/sobject-schema';
import { TokenRegistry } from './salesforce/token-registry';
import { salesforceVendor } from './salesforce/salesforce-vendor';
import { addToolingRoutes } from './salesforce/tooling-routes';

export type { SalesforceRecord } from './salesforce/sobject-records';
export type { CustomFieldSpec, FieldDefinition, FieldType, SObjectType } from './salesforce/sobject-schema';
export type { SaveError, SaveResult } from './salesforce/salesforce-errors';

export interface ConnectedApp {
  readonly consumerKey: string;
  /** Needed for client credentials. */
  readonly consumerSecret?: string;
  /** PEM public key or X.509 certificate that verifies JWT bearer assertions. */
  readonly certificate?: string | KeyObject;
  /** Users allowed as JWT `sub`; any when omitted. */
  readonly usernames?: readonly string[];
  /** The user client-credentials tokens act as. */
  readonly runAsUsername?: string;
}

export interface SalesforceSandboxOptions extends SandboxOptions {
  readonly connectedApps?: readonly ConnectedApp[];
  /** JWT `aud` values accepted besides the sandbox URL. */
  readonly loginUrls?: readonly string[];
  readonly tokenLifetimeSeconds?: number;
  readonly dailyApiLimit?: number;
  /** API calls already used when the sandbox starts. */
  readonly apiUsage?: number;
  readonly customFields?: readonly CustomFieldSpec[];
  /** Simulates a Lead assignment rule: Lead saves not sent with `Sforce-Auto-Assign: FALSE` get this OwnerId. */
  readonly assignmentOwnerId?: string;
}

export interface SalesforceSeedRecord {
  readonly type?: SObjectType;
  readonly fields: Record<string, unknown>;
}

export interface SalesforceSandbox extends SandboxControls<SalesforceRecord> {
  readonly orgId: string;
  readonly defaultOwnerId: string;
  /** Creates records through the same checks as the API (default type Lead). */
  seed(records: readonly SalesforceSeedRecord[]): SalesforceRecord[];
  /** A valid access token without going through OAuth. */
  issueToken(username?: string): string;
  /** Every token issued so far now answers 401 INVALID_SESSION_ID. */
  expireTokens(): void;
  /** The record's saves fail with FIELD_CUSTOM_VALIDATION_EXCEPTION until `clearFaults()`. */
  failValidation(id: string, error?: { message?: string; fields?: string[] }): void;
  apiUsage(): { used: number; limit: number };
  setApiUsage(used: number): void;
  fields(type: SObjectType): FieldDefinition[];
}

export const DEFAULT_CONNECTED_APP: ConnectedApp & { consumerSecret: string; runAsUsername: string } = {
  consumerKey: 'sandbox-consumer-key',
  consumerSecret: 'sandbox-consumer-secret',
  runAsUsername: 'integration@sandbox.example',
};

const ORG_ID = '00D000000000001AAA';
const ValidationFailureSchema = z.object({
  id: z.string().min(1),
  message: z.string().optional(),
  fields: z.array(z.string()).optional(),
});

export async function startSalesforceSandbox(
  options: SalesforceSandboxOptions = {},
): Promise<SalesforceSandbox> {
  const core = new SandboxCore(options);
  const ids = new IdSequence();
  const userIds = new Map<string, string>();
  const userId = (username: string) => {
    if (!userIds.has(username)) userIds.set(username, ids.next('005'));
    return userIds.get(username) ?? '';
  };
  const defaultOwnerId = userId(DEFAULT_CONNECTED_APP.runAsUsername);
  const schema = new SObjectSchema(options.customFields);
  const store = new RecordStore<SalesforceRecord>();
  const writer = new RecordWriter(store, schema, ids, core.clock, {
    defaultOwnerId,
    assignmentOwnerId: options.assignmentOwnerId,
  });
  const tokens = new TokenRegistry(
    core.clock,
    core.random,
    (options.tokenLifetimeSeconds ?? 7200) * 1000,
    ORG_ID,
  );
  const usage = new ApiUsage(options.apiUsage ?? 0, options.dailyApiLimit ?? 100_000);
  const apps = (options.connectedApps ?? [DEFAULT_CONNECTED_APP]).map((app) => ({
    ...app,
    publicKey: typeof app.certificate === 'string' ? createPublicKey(app.certificate) : app.certificate,
  }));

  const oauth = new Router();
  addOAuthRoutes(oauth, {
    apps,
    tokens,
    clock: core.clock,
    orgId: ORG_ID,
    userId,
    instanceUrl: () => core.url,
    audiences: () => [
      core.url,
      'https://login.salesforce.com',
      'https://test.salesforce.com',
      ...(options.loginUrls ?? []),
    ],
  });
  const data = new Router();
  addToolingRoutes(data, schema, ids);
  addDataRoutes(data, { schema, store, writer, limits: () => ({ used: usage.used, limit: usage.limit }) });

  const seed = (records: readonly unknown[]): SalesforceRecord[] => {
    const inputs = records.map((record) => {
      if (!isRecord(record) || !isRecord(record.fields))
        throw new SandboxSeedError('each seeded record needs `fields`');
      return {
        ...record.fields,
        attributes: { type: typeof record.type === 'string' ? record.type : 'Lead' },
      };
    });
    const results = writer.save('create', inputs, true, false);
    const failures = results.flatMap((result, index) =>
      result.success
        ? []
        : [
            `record ${index}: ${result.errors.map((error) => `${error.statusCode} ${error.message}`).join('; ')}`,
          ],
    );
    if (failures.length > 0) throw new SandboxSeedError(failures.join('\n'));
    return results.map((result) => structuredClone(store.get(result.id ?? '') as SalesforceRecord));
  };

  const base = sandboxControls(core, store);
  const controls = {
    ...base,
    orgId: ORG_ID,
    defaultOwnerId,
    seed,
    issueToken: (username: string = DEFAULT_CONNECTED_APP.runAsUsername) =>
      tokens.issue(username).accessToken,
    expireTokens: () => tokens.expireAll(),
    failValidation: (id: string, error: { message?: string; fields?: string[] } = {}) => {
      const failure: SaveError = saveError(
        'FIELD_CUSTOM_VALIDATION_EXCEPTION',
        error.message ?? 'The record failed a validation rule',
        error.fields ?? [],
      );
      writer.validationFailures.set(id, failure);
    },
    clearFaults: () => {
      base.clearFaults();
      writer.validationFailures.clear();
    },
    apiUsage: () => ({ used: usage.used, limit: usage.limit }),
    setApiUsage: (used: number) => usage.set(used),
    fields: (type: SObjectType) => structuredClone(schema.fields(type)),
  };

  const inspection = inspectionRouter(controls, seed)
    .on('POST', '/__sandbox/tokens', () => ({ status: 201, body: { access_token: controls.issueToken() } }))
    .on('POST', '/__sandbox/expire-tokens', () => {
      controls.expireTokens();
      return { status: 204 };
    })
    .on('POST', '/__sandbox/validation-failures', (request) =>
      guarded(() => {
        const { id, ...error } = parseWith(ValidationFailureSchema, request);
        controls.failValidation(id, error);
        return { status: 204 };
      }),
    )
    .on('GET', '/__sandbox/api-usage', () => ({ status: 200, body: controls.apiUsage() }))
    .on('PUT', '/__sandbox/api-usage', (request) =>
      guarded(() => {
        controls.setApiUsage(parseWith(z.object({ used: z.number().nonnegative() }), request).used);
        return { status: 204 };
      }),
    );

  const vendor = salesforceVendor({ oauth, data, tokens, usage, inspection });
  const url = await core.listen(vendor);
  return { ...controls, url };
}
