// Property: on every route, random and mutated bodies never crash ingestWebhook or earn a 5xx, and only
// correctly authenticated requests ever reach the queue. Real routes (createIngestRoutes), the test keys,
// and an in-memory queue that records what it is given (the queue is not under test here).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { LeadEventSchema, type LeadEvent } from '../../lib/events/lead-event';
import { toWebhookRequest } from '../../lib/http/api-gateway';
import { DEFAULT_MAX_BODY_BYTES, ingestWebhook, type IngestDeps } from '../../lib/ingest/ingest-webhook';
import { apiGatewayEvent } from '../support/api-gateway';
import { createTestRoutes } from '../support/ingest-routes';
import {
  signedApi,
  signedHubSpot,
  signedMailchimp,
  signedMailgun,
  signedMandrill,
  signedPostmark,
  signedSalesforce,
  signedSendGrid,
  signedSes,
  type SignOptions,
} from '../support/signed-requests';
import { TEST_NOW } from '../support/sns-envelopes';
import { byteMutation, jsonMutation, randomBody } from '../support/body-mutations';

// Inside the test SNS certificate's validity; every signature is made at this instant.
const NOW = TEST_NOW;
// Bounded so that the whole file runs in well under 20 s; the per-source unit fuzzers run 400 each.
const RUNS = 80;
const RESIGNED_RUNS = 200;

const fixtures = (source: string, filter: (name: string) => boolean = () => true) => {
  const dir = join(__dirname, '../fixtures', source);
  return readdirSync(dir)
    .filter((name) => !name.endsWith('.md') && !name.endsWith('.pem') && filter(name))
    .map((name) => readFileSync(join(dir, name), 'utf8'));
};

interface RouteUnderTest {
  readonly route: string;
  /** Authenticates `body` as the vendor would (the right key, or a wrong one when forged). */
  readonly sign: (body: Buffer, options: SignOptions) => APIGatewayProxyEventV2;
  /** Valid bodies, as `sign` takes them. */
  readonly seeds: readonly string[];
  /** JSON seeds for structural mutation, and how a JSON text becomes what `sign` takes. */
  readonly jsonSeeds: readonly string[];
  readonly encode?: (json: string) => Buffer;
  /** Whether the credentials cover the body, so that tampering after signing cannot change what is queued. */
  readonly bodySigned: boolean;
}

const mailchimpForms =
  fixtures('mailchimp')[0]
    ?.split('\n')
    .filter((line) => line.startsWith('type='))
    .map((line) =>
      new URLSearchParams(
        line
          .split('&')
          .map((pair): [string, string] => [
            pair.slice(0, pair.indexOf('=')),
            pair.slice(pair.indexOf('=') + 1),
          ]),
      ).toString(),
    ) ?? [];
const mandrillForm = (json: string) => Buffer.from(new URLSearchParams({ mandrill_events: json }).toString());
const mailgun = fixtures('mailgun', (name) => name.endsWith('.json'));
const sesRecords = fixtures('ses', (name) => name.endsWith('.json'));

const ROUTES: readonly RouteUnderTest[] = [
  {
    route: '/webhooks/hubspot',
    sign: signedHubSpot,
    seeds: fixtures('hubspot'),
    jsonSeeds: fixtures('hubspot'),
    bodySigned: true,
  },
  {
    route: '/webhooks/salesforce',
    sign: signedSalesforce,
    seeds: fixtures('salesforce'),
    jsonSeeds: [],
    bodySigned: false,
  },
  {
    route: '/webhooks/sendgrid',
    sign: signedSendGrid,
    seeds: fixtures('sendgrid'),
    jsonSeeds: fixtures('sendgrid'),
    bodySigned: true,
  },
  {
    route: '/webhooks/mandrill',
    sign: (body, options) => signedMandrill(body, options),
    seeds: fixtures('mandrill', (name) => name.endsWith('.json')).map((json) =>
      mandrillForm(json).toString(),
    ),
    jsonSeeds: fixtures('mandrill', (name) => name.endsWith('.json')),
    encode: mandrillForm,
    bodySigned: true,
  },
  {
    route: '/webhooks/mailchimp',
    sign: signedMailchimp,
    seeds: mailchimpForms,
    jsonSeeds: [],
    bodySigned: false,
  },
  // The signature covers only timestamp + token, so a body changed in flight still verifies (by Mailgun's design).
  { route: '/webhooks/mailgun', sign: signedMailgun, seeds: mailgun, jsonSeeds: mailgun, bodySigned: false },
  {
    route: '/webhooks/postmark',
    sign: signedPostmark,
    seeds: fixtures('postmark'),
    jsonSeeds: fixtures('postmark'),
    bodySigned: false,
  },
  // The SES record is the signed SNS Message: mutations of it are re-signed inside a fresh envelope.
  {
    route: '/webhooks/ses',
    sign: (body, options) => signedSes(body.toString('utf8'), options),
    seeds: sesRecords,
    jsonSeeds: sesRecords,
    bodySigned: true,
  },
  {
    route: '/events',
    sign: signedApi,
    seeds: fixtures('api', (name) => name.endsWith('.json')),
    jsonSeeds: fixtures('api', (name) => name.endsWith('.json')),
    bodySigned: true,
  },
];

function harness() {
  const enqueued: LeadEvent[] = [];
  const { routes } = createTestRoutes({ now: () => NOW });
  const deps: IngestDeps = {
    routes,
    queue: { enqueue: async (events) => void enqueued.push(...events) },
    now: () => NOW,
    maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
    record: () => undefined,
  };
  const ingest = async (route: string, event: APIGatewayProxyEventV2) => {
    enqueued.length = 0;
    const reply = await ingestWebhook(route, toWebhookRequest(event), deps);
    return { reply, enqueued: [...enqueued] };
  };
  return { ingest };
}

const withBody = (event: APIGatewayProxyEventV2, body: Buffer): APIGatewayProxyEventV2 => ({
  ...event,
  body: body.toString('base64'),
  isBase64Encoded: true,
});

const isClientError = (status: number) => status >= 400 && status < 500;
const isAnswered = (status: number) => (status >= 200 && status < 300) || isClientError(status);

describe.each(ROUTES.map((route) => [route.route, route] as const))('ingestWebhook %s', (_name, route) => {
  const { ingest } = harness();
  const seeds = route.seeds.map((seed) => Buffer.from(seed));
  const mutated = fc.oneof(
    { arbitrary: byteMutation(seeds), weight: 4 },
    ...(route.jsonSeeds.length > 0
      ? [{ arbitrary: jsonMutation(route.jsonSeeds, route.encode), weight: 3 }]
      : []),
    { arbitrary: randomBody, weight: 2 },
  );
  const anyBody = fc.oneof(fc.constantFrom(...seeds), mutated);

  it('answers 401 to any body sent without credentials, queueing nothing', async () => {
    await fc.assert(
      fc.asyncProperty(anyBody, async (body) => {
        const { reply, enqueued } = await ingest(route.route, apiGatewayEvent({ path: route.route, body }));
        return reply.statusCode === 401 && enqueued.length === 0;
      }),
      { numRuns: RUNS },
    );
  });

  it('answers 401 to any body authenticated with the wrong key, queueing nothing', async () => {
    await fc.assert(
      fc.asyncProperty(anyBody, async (body) => {
        const { reply, enqueued } = await ingest(route.route, route.sign(body, { now: NOW, forged: true }));
        return reply.statusCode === 401 && enqueued.length === 0;
      }),
      { numRuns: RUNS },
    );
  });

  it('answers 2xx or 4xx to mutated and random bodies signed with the right key, queueing only valid LeadEvents', async () => {
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(mutated, async (body) => {
        const { reply, enqueued } = await ingest(route.route, route.sign(body, { now: NOW }));
        statuses.add(reply.statusCode);
        if (!isAnswered(reply.statusCode)) return false;
        if (isClientError(reply.statusCode) && enqueued.length > 0) return false;
        return enqueued.every((event) => LeadEventSchema.safeParse(event).success);
      }),
      // The unmutated seeds run first, so that an acceptance is always seen (random byte edits to a
      // Salesforce SOAP body rarely leave it readable).
      { numRuns: RESIGNED_RUNS, examples: seeds.map((seed) => [seed] as [Buffer]) },
    );
    // The bodies got past verification: some were accepted, some refused (by the parser, or for
    // Salesforce by the org check when the mutated XML no longer names one).
    expect(statuses).toContain(200);
    expect([...statuses].some(isClientError)).toBe(true);
  });

  if (route.bodySigned) {
    it('never queues anything but the signed events when the body is changed after signing', async () => {
      const signed = seeds.map((seed) => route.sign(seed, { now: NOW }));
      const genuine: string[] = [];
      // One at a time: the harness's queue records one request's events at a time.
      for (const event of signed) genuine.push(JSON.stringify((await ingest(route.route, event)).enqueued));
      const tampering = fc.nat({ max: signed.length - 1 }).chain((index) => {
        const event = signed[index] as APIGatewayProxyEventV2;
        const body = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
        return byteMutation([body]).map((tampered) => ({ index, event: withBody(event, tampered) }));
      });
      await fc.assert(
        fc.asyncProperty(tampering, async ({ index, event }) => {
          const { reply, enqueued } = await ingest(route.route, event);
          return (
            isAnswered(reply.statusCode) &&
            (enqueued.length === 0 || JSON.stringify(enqueued) === genuine[index])
          );
        }),
        { numRuns: RUNS },
      );
    });
  }
});
