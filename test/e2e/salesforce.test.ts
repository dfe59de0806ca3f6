import type { LocalStack } from '../../local/stack';
import { salesforceLeadTraffic, seedSalesforceLeads, SES_QUEUE_DELIVERY } from '../../local/traffic';
import { outcome, routesBut, sendDuplicatedShuffled, startE2eStack, type E2eStack } from './pipeline-harness';

const SEED = 13;

describe('the whole pipeline through the local stack, on Salesforce', () => {
  let e2e: E2eStack;
  let stack: LocalStack;

  beforeAll(async () => {
    e2e = await startE2eStack('salesforce', SEED);
    stack = e2e.stack;
  }, 120_000);

  afterAll(() => stack?.stop());

  it('scores 60 Leads from Outbound Messages, email platforms (SES by queue) and /events, duplicated and shuffled, as scoreLead does', async () => {
    const leads = seedSalesforceLeads(stack.salesforce!, 60, SEED);
    // SES as SNS puts it on a subscribed events queue (sesQueueTopicArns); the HubSpot scenario POSTs it.
    const calls = salesforceLeadTraffic(leads, {
      eventsPerLead: 6,
      seed: SEED,
      now: Date.now(),
      sesDelivery: 'queue',
    });

    const sent = await sendDuplicatedShuffled(stack, calls, SEED);

    const result = outcome(e2e, leads, sent);
    expect(result.events).toBeGreaterThanOrEqual(500);
    // Every source but the other CRM; SES by queue instead of its webhook.
    expect(result).toMatchObject({
      routes: new Set([...routesBut('/webhooks/hubspot', '/webhooks/ses'), SES_QUEUE_DELIVERY]),
      refused: [],
      compared: 60,
      mismatches: [],
    });
    // Every Lead got its score, in as few sObject Collections calls (≤ 200 records each) as the batches allowed.
    const unscored = leads.filter(
      (lead) => stack.salesforce!.record(lead.recordId)?.fields.Lead_Score__c == null,
    );
    expect(unscored).toEqual([]);
    expect(result.writeCalls).toBeGreaterThan(0);
    expect(result.writeCalls).toBeLessThanOrEqual(result.writeCallBudget);
    const parked = await stack.deadLetters();
    expect([...parked.events, ...parked.writeBack]).toEqual([]);
  }, 300_000);
});
