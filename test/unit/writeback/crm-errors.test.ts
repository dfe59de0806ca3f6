import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { hubSpotBudget, hubSpotCallError } from '../../../lib/adapters/hubspot-client';
import { hubSpotProperties } from '../../../lib/adapters/hubspot-score-writer';
import { salesforceCallError, sObjectType } from '../../../lib/adapters/salesforce-score-writer';
import { SalesforceAuthError, tokenRequestForm } from '../../../lib/adapters/salesforce-session';
import { DEFAULT_SCORE_FIELDS } from '../../../lib/config/crm-fields';
import { credentialsFailure } from '../../../lib/writeback/crm-writer';
import { scoreWrite } from './fakes';

/** Shaped like @hubspot/api-client's ApiException. */
const apiException = (code: number, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  Object.assign(new Error(`HTTP-Code: ${code}`), { code, body, headers });

/** Shaped like jsforce's HttpApiError. */
const jsforceError = (errorCode: string, message: string) => Object.assign(new Error(message), { errorCode });

describe('hubSpotCallError', () => {
  it('reads a TEN_SECONDLY_ROLLING 429 as throttled for its Retry-After', () => {
    const error = hubSpotCallError(
      apiException(429, { policyName: 'TEN_SECONDLY_ROLLING', message: 'limit' }, { 'retry-after': '7' }),
    );

    expect([error.kind, error.details.retryAfterMs]).toEqual(['throttled', 7_000]);
  });

  it('waits a whole window after a 429 without Retry-After when the window is spent', () => {
    const error = hubSpotCallError(
      apiException(
        429,
        { policyName: 'TEN_SECONDLY_ROLLING' },
        { 'x-hubspot-ratelimit-remaining': '0', 'x-hubspot-ratelimit-interval-milliseconds': '10000' },
      ),
    );

    expect(error.details.retryAfterMs).toBe(10_000);
  });

  it.each([
    [429, { policyName: 'DAILY' }, 'quota'],
    [401, { category: 'INVALID_AUTHENTICATION' }, 'auth'],
    [403, { category: 'MISSING_SCOPES' }, 'auth'],
    [500, {}, 'transient'],
    [502, {}, 'transient'],
    [400, { category: 'VALIDATION_ERROR', message: 'Property values were not valid' }, 'rejected'],
  ])('reads %i %j as %s', (code, body, kind) => {
    expect(hubSpotCallError(apiException(code, body)).kind).toBe(kind);
  });

  it('reads a network failure as transient', () => {
    expect(hubSpotCallError(new TypeError('fetch failed')).kind).toBe('transient');
  });

  it('names the status, category and message', () => {
    expect(
      hubSpotCallError(apiException(400, { category: 'VALIDATION_ERROR', message: 'bad' })).message,
    ).toBe('400 VALIDATION_ERROR: bad');
  });
});

describe('hubSpotBudget', () => {
  it('reads both budgets from the headers', () => {
    expect(
      hubSpotBudget({
        'x-hubspot-ratelimit-remaining': '42',
        'x-hubspot-ratelimit-interval-milliseconds': '10000',
        'x-hubspot-ratelimit-daily': '625000',
        'x-hubspot-ratelimit-daily-remaining': '624000',
      }),
    ).toEqual({ windowRemaining: 42, windowMs: 10_000, dailyLimit: 625_000, dailyUsed: 1_000 });
  });

  it('is undefined without rate-limit headers', () => {
    expect(hubSpotBudget({ 'content-type': 'application/json' })).toBeUndefined();
  });
});

describe('hubSpotProperties', () => {
  it('sends strings, and the scored time as epoch milliseconds', () => {
    expect(hubSpotProperties(scoreWrite(7), DEFAULT_SCORE_FIELDS.hubspot)).toEqual({
      leadscore_score: '7',
      leadscore_grade: 'B',
      leadscore_stage: 'lead',
      leadscore_reasons: 'x +1',
      // 2026-11-23T11:00:00Z
      leadscore_scored_at: '1795431600000',
    });
  });
});

describe('salesforceCallError', () => {
  it.each([
    ['REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.', 'quota'],
    ['REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.', 'throttled'],
    ['SERVER_UNAVAILABLE', 'Server temporarily unavailable.', 'transient'],
    ['UNKNOWN_EXCEPTION', 'An unexpected error occurred.', 'transient'],
    ['ERROR_HTTP_502', '<html>', 'transient'],
    ['JSON_PARSER_ERROR', 'bad body', 'rejected'],
    ['API_DISABLED_FOR_ORG', 'API is not enabled', 'auth'],
  ])('reads %s (%s) as %s', (code, message, kind) => {
    expect(salesforceCallError(jsforceError(code, message)).kind).toBe(kind);
  });

  it('reads a refused token as an auth failure', () => {
    expect(salesforceCallError(new SalesforceAuthError('invalid_client')).kind).toBe('auth');
  });
});

describe('credentialsFailure', () => {
  it('stops on configuration problems and retries the rest', () => {
    const named = (name: string) => Object.assign(new Error('x'), { name });

    expect(credentialsFailure(named('CrmSecretsError')).kind).toBe('auth');
    expect(credentialsFailure(named('ResourceNotFoundException')).kind).toBe('auth');
    expect(credentialsFailure(named('TimeoutError')).kind).toBe('transient');
  });
});

describe('sObjectType', () => {
  it('spells Lead and Contact as Salesforce does', () => {
    expect(['lead', 'CONTACT', 'Lead', 'Account'].map(sObjectType)).toEqual([
      'Lead',
      'Contact',
      'Lead',
      'Account',
    ]);
  });
});

describe('tokenRequestForm', () => {
  const NOW = Date.parse('2026-11-23T12:00:00.000Z');

  it('asks for client credentials with the app’s key and secret', () => {
    expect(
      tokenRequestForm(
        {
          loginUrl: 'https://login.salesforce.com',
          grant: { kind: 'client_credentials', clientId: 'k', clientSecret: 's' },
        },
        NOW,
      ),
    ).toEqual({ grant_type: 'client_credentials', client_id: 'k', client_secret: 's' });
  });

  it('signs a JWT bearer assertion (RS256) that expires in 3 minutes', () => {
    const keys = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });

    const form = tokenRequestForm(
      {
        loginUrl: 'https://login.salesforce.com',
        grant: {
          kind: 'jwt_bearer',
          clientId: 'key',
          username: 'int@acme.example',
          privateKey: keys.privateKey,
          audience: 'https://login.salesforce.com',
        },
      },
      NOW,
    );

    const [header = '', claims = '', signature = ''] = (form.assertion ?? '').split('.');
    const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    expect(form.grant_type).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    expect(decode(header)).toEqual({ alg: 'RS256' });
    expect(decode(claims)).toEqual({
      iss: 'key',
      sub: 'int@acme.example',
      aud: 'https://login.salesforce.com',
      exp: NOW / 1000 + 180,
    });
    expect(
      verify(
        'RSA-SHA256',
        Buffer.from(`${header}.${claims}`),
        createPublicKey(keys.publicKey),
        Buffer.from(signature, 'base64url'),
      ),
    ).toBe(true);
  });
});
