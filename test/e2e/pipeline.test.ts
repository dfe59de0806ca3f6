import { createDevSecrets } from '../../local/dev-secrets';
import type { LocalStack } from '../../local/stack';
import {
  leadTraffic,
  seededRandom,
  seedHubSpotContacts,
  sendCalls,
  shuffle,
  TrafficSigner,
} from '../../local/traffic';
import {
  compareWithReference,
  defaultModel,
  outcome,
  routesBut,
  sendDuplicatedShuffled,
  startE2eStack,
  type E2eStack,
} from './pipeline-harness';

const SEED = 7;

describe('the whole pipeline through the local stack', () => {
  let e2e: E2eStack;
  let stack: LocalStack;

  beforeAll(async () => {
    e2e = await startE2eStack('hubspot', SEED);
    stack = e2e.stack;
  }, 120_000);

  afterAll(() => stack?.stop());

  it('scores 200 leads from 2,000+ duplicated, shuffled events from every source exactly as scoreLead does, with few CRM calls', async () => {
    const leads = seedHubSpotContacts(stack.hubspot!, 200, SEED);
    const calls = leadTraffic(leads, { eventsPerLead: 9, seed: SEED, now: Date.now() });

    const sent = await sendDuplicatedShuffled(stack, calls, SEED);

    const result = outcome(e2e, leads, sent);
    expect(result.events).toBeGreaterThanOrEqual(2000);
    // Every source, SES through SNS included, but the other CRM.
    expect(result).toMatchObject({
      routes: routesBut('/webhooks/salesforce'),
      refused: [],
      compared: 200,
      mismatches: [],
    });
    expect(result.writeCalls).toBeLessThanOrEqual(result.writeCallBudget);
  }, 600_000);

  it('rejects forged and malformed traffic with no effect on any lead', async () => {
    const [lead] = seedHubSpotContacts(stack.hubspot!, 1, SEED + 1);
    const forger = new TrafficSigner(stack.apiUrl, createDevSecrets());
    const signer = new TrafficSigner(stack.apiUrl, stack.secrets);
    const event = {
      id: 'forged-1',
      type: 'form.submitted',
      occurredAt: new Date().toISOString(),
      email: lead!.email,
      fields: { formId: 'demo-request' },
    };
    const forged = forger.api([event]);
    // Another dev SNS key, at the URL of the certificate the stack serves: that certificate does not verify it.
    const forgedSes = forger.ses(
      {
        eventType: 'Click',
        mail: { messageId: 'forged-ses-1', timestamp: event.occurredAt, destination: [lead!.email] },
        click: { link: 'https://acme.example/pricing', timestamp: event.occurredAt },
      },
      'forged-sns-1',
    );
    const malformed = signer.sendgrid([{ event: 'open', sg_event_id: 'no-email-no-time' }]);
    const resigned = signer.hubspot([{ subscriptionType: 'contact.creation' }]);
    stack.hubspot!.clearRequests();

    const replies = await sendCalls(
      stack.apiUrl,
      [forged, forgedSes, malformed, resigned].map((call) => ({ events: 1, sign: () => call })),
      signer,
      1,
    );
    await stack.settle(60_000);

    expect(replies.map((reply) => reply.status).sort()).toEqual([400, 400, 401, 401]);
    expect(stack.hubspot!.record(lead!.recordId)?.properties.leadscore_score ?? null).toBeNull();
    expect(stack.hubspot!.requests()).toEqual([]);
  }, 120_000);

  it('reaches the same state through CRM faults and an outage, losing nothing; only the deleted record is parked', async () => {
    const leads = seedHubSpotContacts(stack.hubspot!, 40, SEED + 2);
    const [deleted, ...kept] = leads;
    const random = seededRandom(SEED + 2);
    const traffic = shuffle(
      leadTraffic(leads, { eventsPerLead: 6, seed: SEED + 2, now: Date.now() }),
      random,
    );
    const signer = new TrafficSigner(stack.apiUrl, stack.secrets);
    stack.hubspot!.deleteRecord(deleted!.recordId);
    stack.hubspot!.fail({ status: 429, ratio: 0.1, retryAfterSeconds: 1 });
    stack.hubspot!.fail({ status: 503, ratio: 0.1 });

    const firstHalf = await sendCalls(stack.apiUrl, traffic.slice(0, traffic.length / 2), signer, 20);
    // Longer than the enrichment reader's own retry window (20 s): leads wait for redelivery.
    stack.hubspot!.outage(25);
    const secondHalf = await sendCalls(stack.apiUrl, traffic.slice(traffic.length / 2), signer, 20);
    await stack.settle(300_000);
    stack.hubspot!.clearFaults();

    const sent = [...firstHalf, ...secondHalf];
    expect(sent.filter((request) => request.status !== 200)).toEqual([]);
    const { mismatches, compared } = compareWithReference(stack, kept, sent, defaultModel());
    expect(compared).toBe(39);
    expect(mismatches.slice(0, 3)).toEqual([]);
    // Only the planted failure is parked (once per announcement that reached the CRM before the mark).
    const parked = await stack.deadLetters();
    expect(parked.events).toEqual([]);
    expect(parked.writeBack.length).toBeGreaterThan(0);
    expect(parked.writeBack.map((body) => JSON.parse(body).leadId)).toEqual(
      parked.writeBack.map(() => `hubspot:contact:${deleted!.recordId}`),
    );
    // Reading the dead-letter queues leaves them as they were.
    const again = await stack.deadLetters();
    expect([...again.events, ...again.writeBack].sort()).toEqual(
      [...parked.events, ...parked.writeBack].sort(),
    );
  }, 600_000);
});
