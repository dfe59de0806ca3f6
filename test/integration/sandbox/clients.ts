/** Real CRM clients pointed at the sandboxes, the way the write-back adapters will build them. */
import { generateKeyPairSync, sign } from 'node:crypto';
import { Client } from '@hubspot/api-client';
import { Connection } from 'jsforce';
import type { HubSpotSandbox } from '../../../local/sandbox/hubspot-sandbox';
import type { SalesforceSandbox } from '../../../local/sandbox/salesforce-sandbox';

/**
 * @hubspot/api-client keeps its retry decorators in a process-wide singleton that each `new Client`
 * overwrites, and an API object picks them up when first touched; so touch the APIs right away.
 */
export function hubspotClient(
  sandbox: HubSpotSandbox,
  numberOfApiCallRetries = 0,
  accessToken = sandbox.accessToken,
) {
  const client = new Client({ accessToken, basePath: sandbox.url, numberOfApiCallRetries });
  void client.crm.contacts.batchApi;
  void client.crm.properties.coreApi;
  return client;
}

export function jsforceConnection(
  sandbox: SalesforceSandbox,
  accessToken = sandbox.issueToken(),
): Connection {
  return new Connection({ instanceUrl: sandbox.url, accessToken, version: '62.0' });
}

/** What the clients throw: HubSpot's ApiException, jsforce's HttpApiError or its OAuth error. */
export interface ClientError {
  code?: number;
  body?: Record<string, unknown>;
  headers?: Record<string, string>;
  errorCode?: string;
  name: string;
  message: string;
}

export async function caught(promise: PromiseLike<unknown>): Promise<ClientError> {
  try {
    await promise;
  } catch (error) {
    return error as ClientError;
  }
  throw new Error('expected the call to fail');
}

/**
 * jsforce types SaveResult errors as `{errorCode}` and failed results as id-less, but the wire (and so the
 * runtime value) carries `statusCode`, and an id whenever the id was well formed.
 */
export interface WireSaveResult {
  id?: string;
  success: boolean;
  errors: { statusCode: string; message: string; fields: string[] }[];
}

export function wire(results: unknown): WireSaveResult[] {
  return results as WireSaveResult[];
}

export function idOf(record: { id: string } | undefined): string {
  if (!record) throw new Error('expected a record');
  return record.id;
}

export function rsaKeyPair() {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

export function jwtAssertion(privateKeyPem: string, claims: Record<string, unknown>): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'RS256' })}.${encode(claims)}`;
  return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), privateKeyPem).toString('base64url')}`;
}

export async function rawJson(url: string, init: RequestInit = {}) {
  const response = await fetch(url, {
    ...init,
    headers: { 'content-type': 'application/json', ...init.headers },
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as unknown) : undefined,
  };
}

/** Polls on setImmediate (never faked) so that it works while jest fakes timers. */
export async function until(condition: () => boolean, maxTurns = 20_000): Promise<void> {
  for (let turn = 0; turn < maxTurns; turn += 1) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('condition not met');
}
