import { performance } from 'node:perf_hooks';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../../local/sandbox/hubspot-sandbox';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../../local/sandbox/salesforce-sandbox';
import { caught, hubspotClient, jsforceConnection, rawJson } from './clients';

const START = Date.parse('2025-03-03T12:00:00.000Z');

describe('fault injection on the HubSpot sandbox', () => {
  let sandbox: HubSpotSandbox;
  let now: number;

  beforeEach(async () => {
    now = START;
    sandbox = await startHubSpotSandbox({ seed: 1, clock: () => now });
    sandbox.seed([{ properties: { email: 'a@example.com' } }]);
  });

  afterEach(async () => {
    await sandbox.close();
  });

  const update = (client = hubspotClient(sandbox)) =>
    client.crm.contacts.batchApi.update({ inputs: [{ id: '1', properties: { firstname: 'Ana' } }] });

  it('fails the next call with 429, Retry-After and a TEN_SECONDLY_ROLLING body, then answers normally', async () => {
    sandbox.fail({ status: 429, count: 1, retryAfterSeconds: 3 });

    const error = await caught(update());
    await update();

    expect(error.code).toBe(429);
    expect(error.headers?.['retry-after']).toBe('3');
    expect(error.body).toMatchObject({ policyName: 'TEN_SECONDLY_ROLLING', errorType: 'RATE_LIMIT' });
    expect(sandbox.requests().map((request) => [request.status, request.fault])).toEqual([
      [429, 'injected'],
      [200, undefined],
    ]);
  });

  it('fails only the calls whose path matches the filter', async () => {
    sandbox.fail({ status: 503, path: '/batch/read' });
    const client = hubspotClient(sandbox);

    await update(client);
    const error = await caught(
      client.crm.contacts.batchApi.read({ inputs: [{ id: '1' }], properties: [], propertiesWithHistory: [] }),
    );

    expect(error.code).toBe(503);
    expect(sandbox.record('1')?.properties.firstname).toBe('Ana');
  });

  it('answers 503 to every call during an outage and writes again once it ends', async () => {
    sandbox.outage(10);

    const during = await caught(update());
    now += 9_999;
    const stillDown = await caught(update());
    now += 1;
    await update();

    expect([during.code, stillDown.code]).toEqual([503, 503]);
    expect(sandbox.requests().map((request) => request.fault)).toEqual(['outage', 'outage', undefined]);
    expect(sandbox.record('1')?.properties.firstname).toBe('Ana');
  });

  it('slows every response by the given time until set back to 0', async () => {
    // A second's delay: far above what a busy machine adds to an unslowed call.
    sandbox.slow(1_000);
    const client = hubspotClient(sandbox);

    const started = performance.now();
    await update(client);
    const slowCall = performance.now() - started;
    sandbox.slow(0);
    await update(client);

    expect(slowCall).toBeGreaterThanOrEqual(1_000);
    expect(sandbox.requests()[0]?.durationMs).toBeGreaterThanOrEqual(1_000);
    expect(sandbox.requests()[1]?.durationMs).toBeLessThan(1_000);
  });

  it('repeats the same ratio-fault pattern for the same seed', async () => {
    const pattern = async (target: HubSpotSandbox) => {
      target.fail({ status: 500, ratio: 0.5 });
      const statuses: number[] = [];
      for (let call = 0; call < 24; call += 1) {
        const response = await rawJson(`${target.url}/crm/v3/objects/contacts/1`, {
          headers: { authorization: `Bearer ${target.accessToken}` },
        });
        statuses.push(response.status);
      }
      return statuses;
    };
    const twin = await startHubSpotSandbox({ seed: 1 });
    twin.seed([{ properties: { email: 'a@example.com' } }]);

    const first = await pattern(sandbox);
    const second = await pattern(twin);
    await twin.close();

    expect(second).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 500]));
  });

  it('closes promptly while a keep-alive client holds connections and a slow call is in flight', async () => {
    const client = hubspotClient(sandbox);
    await update(client);
    sandbox.slow(30_000);
    const inFlight = caught(update(client));

    const started = performance.now();
    await sandbox.close();
    const error = await inFlight;

    expect(performance.now() - started).toBeLessThan(1_000);
    expect(error.message).toMatch(/fetch failed|socket|ECONNRESET|closed/i);
  });
});

describe('fault injection on the Salesforce sandbox', () => {
  let sandbox: SalesforceSandbox;
  let leadId: string;

  beforeEach(async () => {
    sandbox = await startSalesforceSandbox({ seed: 1 });
    leadId = sandbox.seed([{ fields: { LastName: 'Ng', Company: 'Acme' } }])[0]?.id ?? '';
  });

  afterEach(async () => {
    await sandbox.close();
  });

  it('surfaces a 503 on a composite PATCH at once: jsforce does not retry PATCH', async () => {
    sandbox.fail({ status: 503, count: 1 });
    const conn = jsforceConnection(sandbox);

    const error = await caught(
      conn.sobject('Lead').update([{ Id: leadId, Title: 'CTO' }], { allOrNone: false }),
    );

    expect(error.errorCode).toBe('SERVER_UNAVAILABLE');
    expect(sandbox.requests().map((request) => request.status)).toEqual([503]);
  });

  it('is retried by jsforce itself on GET (its own backoff, 0.5 s then 1 s)', async () => {
    sandbox.fail({ status: 503, count: 2, method: 'GET' });
    const conn = jsforceConnection(sandbox);

    const lead = await conn.sobject('Lead').retrieve(leadId);

    expect(lead.LastName).toBe('Ng');
    expect(sandbox.requests().map((request) => request.status)).toEqual([503, 503, 200]);
  });

  it('answers token-endpoint faults in the OAuth error shape', async () => {
    sandbox.fail({ status: 500, path: '/services/oauth2/token' });
    const conn = new (await import('jsforce')).Connection({
      oauth2: {
        loginUrl: sandbox.url,
        clientId: 'sandbox-consumer-key',
        clientSecret: 'sandbox-consumer-secret',
      },
    });

    const error = await caught(conn.authorize({ grant_type: 'client_credentials' }));

    expect(error.name).toBe('unknown_error');
  });
});

describe('the /__sandbox/ inspection API', () => {
  it('seeds, reads, deletes records, injects and clears faults and lists requests over HTTP (HubSpot)', async () => {
    const sandbox = await startHubSpotSandbox();
    const api = `${sandbox.url}/__sandbox`;
    const auth = { authorization: `Bearer ${sandbox.accessToken}` };
    try {
      const seeded = await rawJson(`${api}/records`, {
        method: 'POST',
        body: JSON.stringify([{ properties: { email: 'http@example.com' } }]),
      });
      const id = (seeded.body as { id: string }[])[0]?.id ?? '';
      const fault = await rawJson(`${api}/faults`, {
        method: 'POST',
        body: JSON.stringify({ status: 500, count: 1 }),
      });
      const failed = await rawJson(`${sandbox.url}/crm/v3/objects/contacts/${id}`, { headers: auth });
      const record = await rawJson(`${api}/records/${id}`);
      await rawJson(`${api}/faults`, { method: 'POST', body: JSON.stringify({ status: 503 }) });
      await rawJson(`${api}/faults`, { method: 'DELETE' });
      const afterClear = await rawJson(`${sandbox.url}/crm/v3/objects/contacts/${id}`, { headers: auth });
      const requests = await rawJson(`${api}/requests`);
      const badFault = await rawJson(`${api}/faults`, {
        method: 'POST',
        body: JSON.stringify({ status: 418 }),
      });
      await rawJson(`${api}/records/${id}`, { method: 'DELETE' });
      const afterDelete = await rawJson(`${sandbox.url}/crm/v3/objects/contacts/${id}`, { headers: auth });
      await rawJson(`${api}/requests`, { method: 'DELETE' });

      expect([seeded.status, fault.status, failed.status, afterClear.status]).toEqual([201, 204, 500, 200]);
      expect(record.body).toMatchObject({ id, properties: { email: 'http@example.com' } });
      expect(requests.body).toEqual([
        expect.objectContaining({
          method: 'GET',
          path: `/crm/v3/objects/contacts/${id}`,
          status: 500,
          fault: 'injected',
        }),
        expect.objectContaining({ method: 'GET', path: `/crm/v3/objects/contacts/${id}`, status: 200 }),
      ]);
      expect(badFault.status).toBe(400);
      expect(afterDelete.status).toBe(404);
      expect(sandbox.requests()).toEqual([]);
    } finally {
      await sandbox.close();
    }
  });

  it('expires tokens, sets API usage, adds validation failures and starts outages over HTTP (Salesforce)', async () => {
    const sandbox = await startSalesforceSandbox({ dailyApiLimit: 5 });
    const api = `${sandbox.url}/__sandbox`;
    try {
      const token = await rawJson(`${api}/tokens`, { method: 'POST' });
      const bearer = { authorization: `Bearer ${(token.body as { access_token: string }).access_token}` };
      const seeded = await rawJson(`${api}/records`, {
        method: 'POST',
        body: JSON.stringify({ fields: { LastName: 'Ng', Company: 'Acme' } }),
      });
      const id = (seeded.body as { id: string }[])[0]?.id ?? '';
      await rawJson(`${api}/validation-failures`, {
        method: 'POST',
        body: JSON.stringify({ id, message: 'No' }),
      });
      const patch = await rawJson(`${sandbox.url}/services/data/v62.0/sobjects/Lead/${id}`, {
        method: 'PATCH',
        headers: bearer,
        body: JSON.stringify({ Title: 'CTO' }),
      });
      await rawJson(`${api}/api-usage`, { method: 'PUT', body: JSON.stringify({ used: 5 }) });
      const limited = await rawJson(`${sandbox.url}/services/data/v62.0/sobjects/Lead/${id}`, {
        headers: bearer,
      });
      await rawJson(`${api}/expire-tokens`, { method: 'POST' });
      const expired = await rawJson(`${sandbox.url}/services/data/v62.0/sobjects/Lead/${id}`, {
        headers: bearer,
      });
      await rawJson(`${api}/outage`, { method: 'POST', body: JSON.stringify({ seconds: 60 }) });
      const down = await rawJson(`${sandbox.url}/services/data/v62.0/limits`, { headers: bearer });
      const usage = await rawJson(`${api}/api-usage`);

      expect(patch).toMatchObject({
        status: 400,
        body: [{ errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'No', fields: [] }],
      });
      expect(patch.headers.get('sforce-limit-info')).toBe('api-usage=1/5');
      expect(limited).toMatchObject({ status: 403, body: [{ errorCode: 'REQUEST_LIMIT_EXCEEDED' }] });
      expect(expired).toMatchObject({
        status: 401,
        body: [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }],
      });
      expect(down).toMatchObject({ status: 503, body: [{ errorCode: 'SERVER_UNAVAILABLE' }] });
      expect(usage.body).toEqual({ used: 5, limit: 5 });
    } finally {
      await sandbox.close();
    }
  });
});
