import { startHubSpotSandbox, type HubSpotSandbox } from '../../../local/sandbox/hubspot-sandbox';
import { caught, hubspotClient, until } from './clients';

const START = Date.parse('2025-03-03T12:00:00.000Z');

describe('HubSpot sandbox rate limits', () => {
  let sandbox: HubSpotSandbox;
  let now: number;

  beforeEach(async () => {
    now = START;
    sandbox = await startHubSpotSandbox({ seed: 11, clock: () => now, tenSecondLimit: 3, dailyLimit: 5 });
    sandbox.seed([{ properties: { email: 'a@example.com' } }]);
  });

  afterEach(async () => {
    await sandbox.close();
  });

  const update = (client: ReturnType<typeof hubspotClient>) =>
    client.crm.contacts.batchApi.updateWithHttpInfo({
      inputs: [{ id: '1', properties: { firstname: 'Ana' } }],
    });

  it('reports both budgets in X-HubSpot-RateLimit-* headers on every response', async () => {
    const client = hubspotClient(sandbox);

    const first = await update(client);
    const second = await update(client);

    expect(first.headers).toMatchObject({
      'x-hubspot-ratelimit-max': '3',
      'x-hubspot-ratelimit-remaining': '2',
      'x-hubspot-ratelimit-interval-milliseconds': '10000',
      'x-hubspot-ratelimit-daily': '5',
      'x-hubspot-ratelimit-daily-remaining': '4',
    });
    expect(second.headers['x-hubspot-ratelimit-remaining']).toBe('1');
  });

  it('answers 429 TEN_SECONDLY_ROLLING past the 10-second budget until the window rolls on', async () => {
    const client = hubspotClient(sandbox);
    for (let call = 0; call < 3; call += 1) {
      await update(client);
      now += 1000;
    }

    const limited = await caught(update(client));
    now = START + 10_000;
    const afterWindow = await update(client);

    expect(limited.code).toBe(429);
    expect(limited.body).toMatchObject({
      status: 'error',
      errorType: 'RATE_LIMIT',
      policyName: 'TEN_SECONDLY_ROLLING',
      message: 'You have reached your ten_secondly_rolling limit.',
    });
    expect(limited.headers).toMatchObject({ 'x-hubspot-ratelimit-remaining': '0', 'retry-after': '7' });
    expect(afterWindow.httpStatusCode).toBe(200);
  });

  it('answers 429 DAILY once the daily budget is spent, until the next UTC day', async () => {
    const client = hubspotClient(sandbox);
    for (let call = 0; call < 5; call += 1) {
      await update(client);
      now += 60_000;
    }

    const limited = await caught(update(client));
    now = Date.parse('2025-03-04T00:00:00.000Z');
    const nextDay = await update(client);

    expect(limited.code).toBe(429);
    expect(limited.body).toMatchObject({
      policyName: 'DAILY',
      message: 'You have reached your daily limit.',
    });
    expect(limited.headers?.['x-hubspot-ratelimit-daily-remaining']).toBe('0');
    expect(nextDay.headers['x-hubspot-ratelimit-daily-remaining']).toBe('4');
  });

  it('answers 401 with HubSpot’s error body for an unknown token, without counting the call', async () => {
    const client = hubspotClient(sandbox, 0, 'pat-wrong');

    const error = await caught(update(client));

    expect(error.code).toBe(401);
    expect(error.body).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
    expect(error.body?.correlationId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(error.headers?.['x-hubspot-ratelimit-daily-remaining']).toBe('5');
  });
});

describe('@hubspot/api-client numberOfApiCallRetries against the sandbox', () => {
  let sandbox: HubSpotSandbox;

  beforeEach(async () => {
    sandbox = await startHubSpotSandbox({ seed: 5 });
    sandbox.seed([{ properties: { email: 'a@example.com' } }]);
    // The client logs each retry with console.error.
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });

  afterEach(async () => {
    jest.useRealTimers();
    jest.restoreAllMocks();
    await sandbox.close();
  });

  const update = (client: ReturnType<typeof hubspotClient>) =>
    client.crm.contacts.batchApi.update({ inputs: [{ id: '1', properties: { firstname: 'Ana' } }] });
  const statuses = () => sandbox.requests().map((request) => request.status);

  it('retries 5xx and succeeds once the sandbox recovers', async () => {
    sandbox.fail({ status: 500, count: 2 });

    await update(hubspotClient(sandbox, 3));

    expect(statuses()).toEqual([500, 500, 200]);
    expect(sandbox.requests().map((request) => request.fault)).toEqual(['injected', 'injected', undefined]);
  });

  it('counts numberOfApiCallRetries as attempts, not retries: 2 means two calls in all', async () => {
    sandbox.fail({ status: 503, count: 2 });

    const error = await caught(update(hubspotClient(sandbox, 2)));

    expect(error.code).toBe(503);
    expect(statuses()).toEqual([503, 503]);
  });

  it('waits its own fixed 10 s after a TEN_SECONDLY_ROLLING 429, ignoring Retry-After', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    sandbox.fail({ status: 429, count: 1, retryAfterSeconds: 1 });
    const client = hubspotClient(sandbox, 2);

    const pending = update(client);
    await until(() => sandbox.requests().length === 1);
    await jest.advanceTimersByTimeAsync(9_900);
    const beforeTenSeconds = statuses();
    await jest.advanceTimersByTimeAsync(100);
    await pending;

    expect(beforeTenSeconds).toEqual([429]);
    expect(statuses()).toEqual([429, 200]);
  });

  it('does not retry a DAILY 429', async () => {
    await sandbox.close();
    sandbox = await startHubSpotSandbox({ dailyLimit: 1 });
    sandbox.seed([{ properties: { email: 'a@example.com' } }]);
    const client = hubspotClient(sandbox, 3);
    await update(client);

    const error = await caught(update(client));

    expect(error.body?.policyName).toBe('DAILY');
    expect(statuses()).toEqual([200, 429]);
  });

  it('takes retry settings from the most recently constructed Client, not its own (process-wide decorators)', async () => {
    sandbox.fail({ status: 500, count: 1 });
    const { Client } = await import('@hubspot/api-client');
    const retrying = new Client({
      accessToken: sandbox.accessToken,
      basePath: sandbox.url,
      numberOfApiCallRetries: 3,
    });
    new Client({ accessToken: sandbox.accessToken, basePath: sandbox.url });

    const error = await caught(
      retrying.crm.contacts.batchApi.update({ inputs: [{ id: '1', properties: {} }] }),
    );

    expect(error.code).toBe(500);
    expect(statuses()).toEqual([500]);
  });
});
