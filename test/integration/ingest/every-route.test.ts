// Every route the ingest handler serves, on the SQS emulator: the answers to forged, malformed, oversized,
// misrouted and wrong-method requests, and that none of them queues anything.
import { DEFAULT_MAX_BODY_BYTES } from '../../../lib/ingest/ingest-webhook';
import { apiGatewayEvent } from '../../support/api-gateway';
import { startIngestHarness, type IngestHarness } from './harness';
import { HANDLER_ROUTES } from './samples';

describe('ingest handler, every route', () => {
  let harness: IngestHarness;

  beforeAll(async () => {
    harness = await startIngestHarness();
  });

  afterAll(() => harness.stop());

  describe.each(HANDLER_ROUTES.map((sample) => [sample.route, sample] as const))('%s', (_route, sample) => {
    it('answers 401 to a forged request, counts it, and queues nothing', async () => {
      const result = await harness.invoke(sample.valid({ forged: true }));

      expect(result.statusCode).toBe(401);
      expect(JSON.parse(result.body ?? '')).toEqual({
        error: expect.stringMatching(new RegExp(`^${sample.source}: `)),
      });
      expect(harness.metrics.get('webhook_rejected')).toBe(1);
      expect((await harness.queued()).events).toEqual([]);
    });

    it('answers 401 to a request with no credentials at all', async () => {
      const body = sample.valid().body ?? '';
      const result = await harness.invoke(apiGatewayEvent({ path: sample.route, body }));

      expect(result.statusCode).toBe(401);
      expect((await harness.queued()).events).toEqual([]);
    });

    it('answers 400 with a short reason to a malformed body that is authentic', async () => {
      const result = await harness.invoke(sample.malformed());

      expect(result.statusCode).toBe(400);
      expect(JSON.parse(result.body ?? '')).toEqual({ error: sample.malformedReason });
      expect(harness.metrics.get('webhook_malformed')).toBe(1);
      expect((await harness.queued()).events).toEqual([]);
    });

    it('answers 413 to an authentic body one byte over the limit', async () => {
      const body = Buffer.alloc(DEFAULT_MAX_BODY_BYTES + 1, 'a');

      const result = await harness.invoke(sample.signed(body));

      expect(result.statusCode).toBe(413);
      expect(harness.metrics.get('webhook_too_large')).toBe(1);
      expect((await harness.queued()).events).toEqual([]);
    });

    it('answers 405 to a method the source does not use', async () => {
      const result = await harness.invoke(sample.valid({ method: 'PUT' }));

      expect(result.statusCode).toBe(405);
      expect((await harness.queued()).events).toEqual([]);
    });

    it('queues a valid signed sample (the baseline the refusals above are measured against)', async () => {
      const result = await harness.invoke(sample.valid());

      expect(result.statusCode).toBe(200);
      expect((await harness.queued()).events.length).toBeGreaterThan(0);
    });
  });

  it('answers 404 to a route that does not exist, and to a near miss of a real one', async () => {
    for (const path of ['/webhooks/zendesk', '/webhooks/hubspot/', '/webhooks', '/']) {
      const result = await harness.invoke(apiGatewayEvent({ path, body: '[]' }));

      expect(result.statusCode).toBe(404);
      expect(harness.metrics.get('webhook_not_found')).toBe(1);
    }
    expect((await harness.queued()).events).toEqual([]);
  });
});
