/**
 * A jsforce Connection with our own token handling: client credentials or JWT bearer, the token cached
 * for the process and renewed once when Salesforce answers 401 INVALID_SESSION_ID. (jsforce's own
 * refresher, installed when oauth2.clientId is set, only knows refresh tokens.)
 */
import { sign } from 'node:crypto';
// The Connection module alone: jsforce's index also loads every API (streaming brings faye and a cookie jar).
import { Connection } from 'jsforce/lib/connection';
import type { SalesforceCredentials } from '../config/crm-secrets';
import { CrmCallError, credentialsFailure } from '../writeback/crm-writer';

export const SALESFORCE_API_VERSION = '62.0';
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface SalesforceSessionOptions {
  readonly credentials: () => Promise<SalesforceCredentials>;
  /** Another token endpoint host (a sandbox); the secrets' loginUrl when omitted. */
  readonly loginUrl?: string;
  readonly version?: string;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

/** Salesforce refused to grant a token (bad client, key or user): a configuration problem. */
export class SalesforceAuthError extends Error {
  override readonly name = 'SalesforceAuthError';
}

interface Token {
  readonly accessToken: string;
  readonly instanceUrl: string;
}

export class SalesforceSession {
  private token: Promise<Token> | undefined;
  private connectionFor: { token: Token; connection: Connection } | undefined;
  private tokensRequested = 0;

  constructor(private readonly options: SalesforceSessionOptions) {}

  /** Tokens requested so far (the first, then one per expiry). */
  get tokenRequests(): number {
    return this.tokensRequested;
  }

  /** Runs `work` on the connection; a 401 INVALID_SESSION_ID gets one new token and one more try. */
  async call<T>(work: (connection: Connection) => Promise<T>): Promise<T> {
    const token = await this.currentToken();
    try {
      return await work(this.connection(token));
    } catch (error) {
      if (errorCode(error) !== 'INVALID_SESSION_ID') throw error;
      const renewed = await this.renew(token);
      try {
        return await work(this.connection(renewed));
      } catch (again) {
        if (errorCode(again) === 'INVALID_SESSION_ID') {
          throw new CrmCallError('auth', 'salesforce: a new token was refused too (INVALID_SESSION_ID)');
        }
        throw again;
      }
    }
  }

  private connection(token: Token): Connection {
    if (this.connectionFor?.token !== token) {
      const connection = new Connection({
        instanceUrl: token.instanceUrl,
        accessToken: token.accessToken,
        version: this.options.version ?? SALESFORCE_API_VERSION,
      });
      this.connectionFor = { token, connection };
    }
    return this.connectionFor.connection;
  }

  private currentToken(): Promise<Token> {
    this.token ??= this.requestToken();
    const pending = this.token;
    // A failed request is not kept: the next call asks again.
    pending.catch(() => {
      if (this.token === pending) this.token = undefined;
    });
    return pending;
  }

  /** Concurrent callers that saw the same expired token share one renewal. */
  private async renew(expired: Token): Promise<Token> {
    const current = await this.token?.catch(() => undefined);
    if (current && current !== expired) return current;
    this.token = undefined;
    return this.currentToken();
  }

  private async requestToken(): Promise<Token> {
    this.tokensRequested++;
    const credentials = await this.options.credentials().catch((error: unknown) => {
      throw credentialsFailure(error);
    });
    const endpoint = (this.options.loginUrl ?? credentials.loginUrl).replace(/\/+$/, '');
    const form = new URLSearchParams(tokenRequestForm(credentials, (this.options.now ?? Date.now)()));
    let response: Response;
    try {
      response = await (this.options.fetch ?? fetch)(`${endpoint}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw new CrmCallError(
        'transient',
        `salesforce token endpoint unreachable: ${(error as Error).message}`,
      );
    }
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (response.status >= 500) {
      throw new CrmCallError('transient', `salesforce token endpoint answered ${response.status}`);
    }
    if (!response.ok || typeof body.access_token !== 'string' || typeof body.instance_url !== 'string') {
      const what = [body.error, body.error_description].filter((part) => typeof part === 'string').join(': ');
      throw new SalesforceAuthError(
        `salesforce refused a ${credentials.grant.kind} token (${response.status}${what ? ` ${what}` : ''})`,
      );
    }
    return { accessToken: body.access_token, instanceUrl: body.instance_url };
  }
}

export function tokenRequestForm(credentials: SalesforceCredentials, nowMs: number): Record<string, string> {
  const { grant } = credentials;
  if (grant.kind === 'client_credentials') {
    return { grant_type: 'client_credentials', client_id: grant.clientId, client_secret: grant.clientSecret };
  }
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'RS256' })}.${encode({
    iss: grant.clientId,
    sub: grant.username,
    aud: grant.audience,
    // Salesforce accepts assertions that expire within 3 minutes.
    exp: Math.floor(nowMs / 1000) + 180,
  })}`;
  const signature = sign('RSA-SHA256', Buffer.from(unsigned), grant.privateKey).toString('base64url');
  return { grant_type: JWT_BEARER_GRANT, assertion: `${unsigned}.${signature}` };
}

export function errorCode(error: unknown): string | undefined {
  const code = (error as { errorCode?: unknown } | undefined)?.errorCode;
  return typeof code === 'string' ? code : undefined;
}
