// Salesforce through the ingest use case: what is unauthentic is answered 401, what is malformed 400.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LeadEvent } from '../../../lib/events/lead-event';
import type { WebhookRequest } from '../../../lib/events/webhook';
import { ingestWebhook, type IngestDeps } from '../../../lib/ingest/ingest-webhook';
import { createTestRoutes } from '../../support/ingest-routes';
import { TEST_BASE_URL, TEST_KEYS } from '../../support/signed-requests';

const now = new Date('2024-05-01T12:00:00.000Z');
// From org 00D1I000003qqqEUAQ, the one the test secrets allow.
const leads = readFileSync(
  join(__dirname, '../../fixtures/salesforce/salesforce-outbound-leads.xml'),
  'utf8',
);
const ROUTE = '/webhooks/salesforce';

const request = (body: Buffer | string, token: string = TEST_KEYS.salesforceUrlToken): WebhookRequest => ({
  method: 'POST',
  url: `${TEST_BASE_URL}${ROUTE}?token=${token}`,
  headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
  rawBody: Buffer.from(body),
});

async function ingest(webhook: WebhookRequest) {
  const queued: LeadEvent[] = [];
  const counts: Record<string, number> = {};
  const deps: IngestDeps = {
    routes: createTestRoutes({ now: () => now }).routes,
    queue: { enqueue: async (events) => void queued.push(...events) },
    now: () => now,
    maxBodyBytes: 5 * 1024 * 1024,
    record: (outcome, _source, count) => {
      counts[outcome] = (counts[outcome] ?? 0) + count;
    },
  };
  const reply = await ingestWebhook(ROUTE, webhook, deps);
  return { statusCode: reply.statusCode, body: reply.body, queued, counts };
}

const manyAttributes = (count: number) => Array.from({ length: count }, (_, i) => `a${i}="v"`).join(' ');

describe('salesforce ingest', () => {
  it('queues a message from a configured org with the right token', async () => {
    const { statusCode, queued, counts } = await ingest(request(leads));
    expect(statusCode).toBe(200);
    expect(queued.length).toBeGreaterThan(0);
    expect(counts.queued).toBe(queued.length);
  });

  it.each([
    [
      'a field with a reference to NUL',
      leads.replace('Gr&#xE2;ce', 'Gr&#0;ce'),
      'salesforce: malformed XML (character reference to a disallowed character)',
    ],
    [
      'a DOCTYPE',
      `<!DOCTYPE soapenv:Envelope>${leads}`,
      'salesforce: malformed XML (DTDs and declarations are not supported)',
    ],
    [
      'a non-ASCII element name',
      leads.replaceAll('so:FirstName>', 'so:Fírst>'),
      'salesforce: malformed XML (malformed start tag)',
    ],
    [
      'ISO-8859-1',
      Buffer.from(leads.replace('Gr&#xE2;ce', 'Grâce'), 'latin1'),
      'salesforce: body is not UTF-8',
    ],
    [
      'a start tag with 40,000 attributes',
      `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ${manyAttributes(40_000)}><soapenv:Body/></soapenv:Envelope>`,
      'salesforce: malformed XML (too many attributes)',
    ],
  ])('answers 400 with the reason to %s under the right token', async (_case, body, reason) => {
    const { statusCode, body: reply, queued, counts } = await ingest(request(body));
    expect(statusCode).toBe(400);
    expect(JSON.parse(reply ?? '')).toEqual({ error: reason });
    expect(queued).toEqual([]);
    expect(counts).toEqual({ malformed: 1 });
  });

  it('answers 401 to the same malformed body under a wrong token', async () => {
    const { statusCode, body, counts } = await ingest(request(`<!DOCTYPE x>${leads}`, 'not-the-url-token'));
    expect(statusCode).toBe(401);
    expect(JSON.parse(body ?? '')).toEqual({ error: 'salesforce: URL token mismatch' });
    expect(counts).toEqual({ rejected: 1 });
  });

  it.each([
    [
      'a well-formed body without an OrganizationId',
      leads.replace(/<ob:OrganizationId>[^<]*<\/ob:OrganizationId>/, ''),
      'salesforce: no OrganizationId in the body',
    ],
    [
      'an org that is not configured',
      leads.replace('00D1I000003qqqEUAQ', '00D000000000001AAA'),
      'salesforce: unknown OrganizationId',
    ],
  ])('still answers 401 to %s', async (_case, body, reason) => {
    const { statusCode, body: reply, queued, counts } = await ingest(request(body));
    expect(statusCode).toBe(401);
    expect(JSON.parse(reply ?? '')).toEqual({ error: reason });
    expect(queued).toEqual([]);
    expect(counts).toEqual({ rejected: 1 });
  });
});
