import { Connection, OAuth2 } from 'jsforce';
import {
  DEFAULT_CONNECTED_APP,
  startSalesforceSandbox,
  type SalesforceSandbox,
} from '../../../local/sandbox/salesforce-sandbox';
import { caught, jsforceConnection, jwtAssertion, rsaKeyPair } from './clients';

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const START = Date.parse('2025-03-03T12:00:00.000Z');

describe('Salesforce sandbox OAuth token endpoint through jsforce', () => {
  const keys = rsaKeyPair();
  const otherKeys = rsaKeyPair();
  let sandbox: SalesforceSandbox;
  let now: number;

  beforeEach(async () => {
    now = START;
    sandbox = await startSalesforceSandbox({
      seed: 2,
      clock: () => now,
      tokenLifetimeSeconds: 600,
      connectedApps: [
        DEFAULT_CONNECTED_APP,
        { consumerKey: 'jwt-app', certificate: keys.publicKey, usernames: ['integration@acme.example'] },
      ],
    });
    sandbox.seed([{ fields: { LastName: 'Ng', Company: 'Acme' } }]);
  });

  afterEach(async () => {
    await sandbox.close();
  });

  const clientCredentials = () =>
    new Connection({
      oauth2: new OAuth2({
        loginUrl: sandbox.url,
        clientId: DEFAULT_CONNECTED_APP.consumerKey,
        clientSecret: DEFAULT_CONNECTED_APP.consumerSecret,
      }),
      version: '62.0',
    });
  const assertion = (overrides: Record<string, unknown> = {}, privateKey = keys.privateKey) =>
    jwtAssertion(privateKey, {
      iss: 'jwt-app',
      sub: 'integration@acme.example',
      aud: sandbox.url,
      exp: Math.floor(now / 1000) + 180,
      ...overrides,
    });

  it('grants client credentials with Salesforce’s token response and a usable instance URL', async () => {
    const conn = clientCredentials();

    const user = await conn.authorize({ grant_type: 'client_credentials' });
    const records = await conn.query<{ Id: string }>(
      `SELECT Id FROM Lead WHERE Id = '${sandbox.records()[0]?.id}'`,
    );

    expect(user.organizationId).toBe(sandbox.orgId);
    expect(conn.instanceUrl).toBe(sandbox.url);
    expect(records.totalSize).toBe(1);
    const token = await new OAuth2({
      loginUrl: sandbox.url,
      clientId: DEFAULT_CONNECTED_APP.consumerKey,
      clientSecret: DEFAULT_CONNECTED_APP.consumerSecret,
    }).requestToken({ grant_type: 'client_credentials' });
    expect(Object.keys(token).sort()).toEqual(
      ['access_token', 'id', 'instance_url', 'issued_at', 'scope', 'signature', 'token_type'].sort(),
    );
    expect(token.token_type).toBe('Bearer');
  });

  it('refuses a wrong client secret with invalid_client and keeps the secret out of the log', async () => {
    const oauth2 = new OAuth2({
      loginUrl: sandbox.url,
      clientId: DEFAULT_CONNECTED_APP.consumerKey,
      clientSecret: 'nope',
    });

    const error = await caught(oauth2.requestToken({ grant_type: 'client_credentials' }));

    expect([error.name, error.message]).toEqual(['invalid_client', 'invalid client credentials']);
    expect(sandbox.requests()[0]?.body).toMatchObject({ client_secret: '[redacted]' });
  });

  it('grants a JWT bearer assertion signed by the connected app’s key', async () => {
    const conn = new Connection({ loginUrl: sandbox.url, version: '62.0' });

    const user = await conn.authorize({ grant_type: JWT_GRANT, assertion: assertion() });
    const lead = await conn.sobject('Lead').retrieve(sandbox.records()[0]?.id ?? '');

    expect(user.organizationId).toBe(sandbox.orgId);
    expect(lead.LastName).toBe('Ng');
  });

  it.each([
    ['another key', {}, true, 'invalid assertion'],
    ['an expired assertion', { exp: Math.floor(START / 1000) - 1 }, false, 'expired authorization code'],
    ['another audience', { aud: 'https://evil.example' }, false, 'audience is invalid'],
    [
      'a user not pre-authorized',
      { sub: 'someone@acme.example' },
      false,
      "user hasn't approved this consumer",
    ],
  ])('refuses a JWT with %s as invalid_grant', async (_case, overrides, wrongKey, description) => {
    const conn = new Connection({ loginUrl: sandbox.url, version: '62.0' });

    const error = await caught(
      conn.authorize({
        grant_type: JWT_GRANT,
        assertion: assertion(overrides, wrongKey ? otherKeys.privateKey : undefined),
      }),
    );

    expect([error.name, error.message]).toEqual(['invalid_grant', description]);
  });

  it('lets tokens lapse after their lifetime with 401 INVALID_SESSION_ID', async () => {
    const conn = jsforceConnection(sandbox);
    const id = sandbox.records()[0]?.id ?? '';
    await conn.sobject('Lead').retrieve(id);

    now += 600_000;
    const error = await caught(conn.sobject('Lead').retrieve(id));

    expect([error.errorCode, error.message]).toEqual(['INVALID_SESSION_ID', 'Session expired or invalid']);
  });

  it('after expireTokens() a connection with a refreshFn gets a new token once and the call goes through', async () => {
    const id = sandbox.records()[0]?.id ?? '';
    const oauth2 = new OAuth2({
      loginUrl: sandbox.url,
      clientId: DEFAULT_CONNECTED_APP.consumerKey,
      clientSecret: DEFAULT_CONNECTED_APP.consumerSecret,
    });
    const conn = new Connection({
      instanceUrl: sandbox.url,
      accessToken: sandbox.issueToken(),
      version: '62.0',
      refreshFn: (_conn, callback) => {
        oauth2.requestToken({ grant_type: 'client_credentials' }).then(
          (token) => callback(null, token.access_token, token),
          (error: Error) => callback(error),
        );
      },
    });
    sandbox.expireTokens();

    const results = await conn.sobject('Lead').update([{ Id: id, Title: 'CTO' }], { allOrNone: false });

    expect(results[0]?.success).toBe(true);
    expect(sandbox.requests().map((request) => [request.method, request.path, request.status])).toEqual([
      ['PATCH', '/services/data/v62.0/composite/sobjects', 401],
      ['POST', '/services/oauth2/token', 200],
      ['PATCH', '/services/data/v62.0/composite/sobjects', 200],
    ]);
  });
});

describe('Salesforce sandbox API usage limits', () => {
  let sandbox: SalesforceSandbox;

  beforeEach(async () => {
    sandbox = await startSalesforceSandbox({ dailyApiLimit: 10, apiUsage: 8 });
  });

  afterEach(async () => {
    await sandbox.close();
  });

  it('reports api-usage in Sforce-Limit-Info, which jsforce exposes as conn.limitInfo', async () => {
    const conn = jsforceConnection(sandbox);

    await conn.sobject('Lead').describe();

    expect(conn.limitInfo).toEqual({ apiUsage: { used: 9, limit: 10 } });
    expect(sandbox.apiUsage()).toEqual({ used: 9, limit: 10 });
  });

  it('answers 403 REQUEST_LIMIT_EXCEEDED past the daily allocation', async () => {
    const conn = jsforceConnection(sandbox);
    await conn.sobject('Lead').describe();
    await conn.query("SELECT Id FROM Lead WHERE Id = '00Q000000000001'");

    const error = await caught(
      conn.sobject('Lead').update([{ Id: '00Q000000000001', Title: 'x' }], { allOrNone: false }),
    );
    sandbox.setApiUsage(0);
    const afterReset = await conn.sobject('Lead').describe();

    expect(error.errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
    expect(sandbox.requests().map((request) => request.status)).toEqual([200, 200, 403, 200]);
    expect(afterReset.name).toBe('Lead');
  });
});
