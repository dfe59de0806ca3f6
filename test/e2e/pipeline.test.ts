import type { SQSEvent } from 'aws-lambda';
import { createDevSecrets } from '../../local/dev-secrets';
import { startLocalStack, type LocalStack } from '../../local/stack';
import {
  leadTraffic,
  seededRandom,
  seedHubSpotContacts,
  sendCalls,
  shuffle,
  TrafficSigner,
} from '../../local/traffic';
import { compareWithReference, defaultModel, writeCallCounts } from './pipeline-harness';

const SEED = 7;

describe('the whole pipeline through the local stack', () => {
  let stack: LocalStack;
  const writeBackBatches: number[] = [];

  beforeAll(async () => {
    stack = await startLocalStack({
      crm: 'hubspot',
      port: 0,
      secrets: createDevSecrets(),
      // Write-back retries come back quickly; the events queue outlasts the worker's longest batch (its CRM
      // reader may wait 20 s out), as deployed, so a batch in hand is never delivered again meanwhile.
      visibilityTimeoutSeconds: { events: 35, writeBack: 3 },
      crmSeed: SEED,
      sweepIntervalMs: 3_600_000,
      onInvoke: (name, _ms, event) => {
        if (name !== 'write-back') return;
        const leads = new Set((event as SQSEvent).Records.map((record) => JSON.parse(record.body).leadId));
        writeBackBatches.push(leads.size);
      },
    });
  }, 120_000);

  afterAll(() => stack?.stop());

  it('scores 200 leads from 2,000+ duplicated, shuffled events exactly as scoreLead does, with few CRM calls', async () => {
    const leads = seedHubSpotContacts(stack.hubspot!, 200, SEED);
    const random = seededRandom(SEED);
    const calls = leadTraffic(leads, { eventsPerLead: 9, seed: SEED, now: Date.now() });
    const duplicates = calls.filter(() => random() < 0.3);
    const traffic = shuffle([...calls, ...duplicates], random);
    const signer = new TrafficSigner(stack.apiUrl, stack.secrets);

    const sent = await sendCalls(stack.apiUrl, traffic, signer, 20);
    await stack.settle(240_000);

    expect(sent.reduce((sum, request) => sum + request.events, 0)).toBeGreaterThanOrEqual(2000);
    expect(sent.filter((request) => request.status !== 200).map((request) => request.status)).toEqual([]);
    const { mismatches, compared } = compareWithReference(stack, leads, sent, defaultModel());
    expect(compared).toBe(200);
    expect(mismatches.slice(0, 3)).toEqual([]);
    const { calls: writeCalls, minimum } = writeCallCounts(stack, writeBackBatches);
    expect(writeCalls).toBeLessThanOrEqual(Math.ceil(minimum * 1.1));
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
    const malformed = signer.sendgrid([{ event: 'open', sg_event_id: 'no-email-no-time' }]);
    const resigned = signer.hubspot([{ subscriptionType: 'contact.creation' }]);
    stack.hubspot!.clearRequests();

    const replies = await sendCalls(
      stack.apiUrl,
      [forged, malformed, resigned].map((call) => ({ events: 1, sign: () => call })),
      signer,
      1,
    );
    await stack.settle(60_000);

    expect(replies.map((reply) => reply.status).sort()).toEqual([400, 400, 401]);
    expect(stack.hubspot!.record(lead!.contactId)?.properties.leadscore_score ?? null).toBeNull();
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
    stack.hubspot!.deleteRecord(deleted!.contactId);
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
      parked.writeBack.map(() => `hubspot:contact:${deleted!.contactId}`),
    );
    // Reading the dead-letter queues leaves them as they were.
    const again = await stack.deadLetters();
    expect([...again.events, ...again.writeBack].sort()).toEqual(
      [...parked.events, ...parked.writeBack].sort(),
    );
  }, 600_000);
});
