import type { LeadEvent } from '../../../lib/events/lead-event';
import type { SourceAdapter } from '../../../lib/events/source';
import { MalformedBodyError, rejected, VERIFIED, type WebhookRequest } from '../../../lib/events/webhook';
import { QueueUnavailableError, type EventQueue } from '../../../lib/ingest/event-queue';
import { ingestWebhook, type IngestDeps, type IngestRoute } from '../../../lib/ingest/ingest-webhook';
import { leadEvents } from '../../support/lead-events';

const NOW = new Date('2026-11-23T12:00:00Z');

/** A source whose body says what to do: `ok:N` → N events, `ignore` → one ignored, `bad` → malformed. */
const testSource: SourceAdapter<{ key: string }> = {
  source: 'api',
  route: '/events',
  verify: (request, secrets) =>
    request.headers['x-key'] === secrets.key ? VERIFIED : rejected('signature does not match'),
  parse: (request) => {
    const body = request.rawBody.toString();
    if (body === 'bad') throw new MalformedBodyError('api: body is not valid JSON');
    if (body === 'ignore') return { events: [], ignored: 1 };
    return { events: leadEvents(Number(body.split(':')[1])), ignored: 0 };
  },
};

function request(body: string, overrides: Partial<WebhookRequest> = {}): WebhookRequest {
  return {
    method: 'POST',
    url: 'https://hooks.example.com/events',
    headers: { 'x-key': 'k' },
    rawBody: Buffer.from(body),
    ...overrides,
  };
}

function setup(route: Partial<IngestRoute<{ key: string }>> = {}, queue?: EventQueue) {
  const queued: LeadEvent[] = [];
  const counts: Record<string, number> = {};
  const deps: IngestDeps = {
    routes: new Map([
      ['/events', { adapter: testSource, secrets: () => ({ key: 'k' }), ...route } as IngestRoute],
    ]),
    queue: queue ?? { enqueue: async (events) => void queued.push(...events) },
    now: () => NOW,
    maxBodyBytes: 1000,
    record: (outcome, _source, count) => {
      counts[outcome] = (counts[outcome] ?? 0) + count;
    },
  };
  return { deps, queued, counts };
}

describe('ingestWebhook', () => {
  it('queues the parsed events and answers 200 with the counts', async () => {
    const { deps, queued, counts } = setup();
    const reply = await ingestWebhook('/events', request('ok:3'), deps);
    expect(reply.statusCode).toBe(200);
    expect(JSON.parse(reply.body ?? '')).toEqual({ queued: 3, ignored: 0 });
    expect(queued).toEqual(leadEvents(3));
    expect(counts.queued).toBe(3);
  });

  it('answers 401 with the reason and queues nothing when verification fails', async () => {
    const { deps, queued, counts } = setup();
    const reply = await ingestWebhook('/events', request('ok:3', { headers: { 'x-key': 'forged' } }), deps);
    expect(reply.statusCode).toBe(401);
    expect(JSON.parse(reply.body ?? '')).toEqual({ error: 'signature does not match' });
    expect(queued).toEqual([]);
    expect(counts.rejected).toBe(1);
  });

  it('answers 400 with the parser’s reason for a malformed body', async () => {
    const { deps, queued } = setup();
    const reply = await ingestWebhook('/events', request('bad'), deps);
    expect(reply.statusCode).toBe(400);
    expect(JSON.parse(reply.body ?? '')).toEqual({ error: 'api: body is not valid JSON' });
    expect(queued).toEqual([]);
  });

  it('answers 413 for a body over the limit before verifying it', async () => {
    const { deps, queued } = setup({ secrets: () => Promise.reject(new Error('must not be read')) });
    const reply = await ingestWebhook('/events', request('x'.repeat(1001)), deps);
    expect(reply.statusCode).toBe(413);
    expect(queued).toEqual([]);
  });

  it('answers 404 for an unknown route and 405 for a method the source does not take', async () => {
    const { deps } = setup();
    expect((await ingestWebhook('/webhooks/nope', request('ok:1'), deps)).statusCode).toBe(404);
    expect((await ingestWebhook('/events', request('ok:1', { method: 'GET' }), deps)).statusCode).toBe(405);
  });

  it('accepts and counts events of ignored types without queueing them', async () => {
    const { deps, queued, counts } = setup();
    const reply = await ingestWebhook('/events', request('ignore'), deps);
    expect(reply.statusCode).toBe(200);
    expect(queued).toEqual([]);
    expect(counts.ignored).toBe(1);
  });

  it('answers 503 when the queue is unavailable, so that the sender retries', async () => {
    const down: EventQueue = { enqueue: () => Promise.reject(new QueueUnavailableError('down')) };
    const { deps, counts } = setup({}, down);
    const reply = await ingestWebhook('/events', request('ok:2'), deps);
    expect(reply.statusCode).toBe(503);
    expect(counts.failed).toBe(1);
  });

  it('lets a check after verification reject the request (a replayed token)', async () => {
    const { deps, queued } = setup({ afterVerify: () => rejected('token already used') });
    const reply = await ingestWebhook('/events', request('ok:1'), deps);
    expect(reply.statusCode).toBe(401);
    expect(queued).toEqual([]);
  });

  it('answers a vendor’s probe with 200 once verified, queueing nothing', async () => {
    const { deps, queued } = setup({ probes: { GET: { verified: true } } });
    expect((await ingestWebhook('/events', request('', { method: 'GET' }), deps)).statusCode).toBe(200);
    const forged = request('', { method: 'GET', headers: { 'x-key': 'forged' } });
    expect((await ingestWebhook('/events', forged, deps)).statusCode).toBe(401);
    expect(queued).toEqual([]);
  });

  it('answers an unsigned probe (Mandrill’s HEAD) with 200 without reading secrets', async () => {
    const { deps, queued } = setup({
      probes: { HEAD: { verified: false } },
      secrets: () => Promise.reject(new Error('must not be read')),
    });
    expect(
      (await ingestWebhook('/events', request('', { method: 'HEAD', headers: {} }), deps)).statusCode,
    ).toBe(200);
    expect(queued).toEqual([]);
  });

  it('uses the source’s own acknowledgement when it has one', async () => {
    const ack = { statusCode: 200, contentType: 'text/xml', body: '<Ack>true</Ack>' };
    const { deps } = setup({ adapter: { ...testSource, accepted: ack } });
    expect(await ingestWebhook('/events', request('ok:1'), deps)).toEqual(ack);
  });
});
