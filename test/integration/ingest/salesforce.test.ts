// Salesforce Outbound Messages through the real ingest handler onto the SQS emulator, answered with the SOAP Ack.
// Outbound Messages carry no timestamp, so there is no stale case: a redelivery keeps its notification ids.
import { parseSalesforceOutboundMessage } from '../../../lib/events/sources/salesforce';
import { signedSalesforce } from '../../support/signed-requests';
import { expectedEvents, startIngestHarness, type IngestHarness } from './harness';
import { fixture } from './samples';

const LEADS = fixture('salesforce', 'salesforce-outbound-leads.xml');

describe('ingest handler: Salesforce', () => {
  let harness: IngestHarness;

  beforeAll(async () => {
    harness = await startIngestHarness();
  });

  afterAll(() => harness.stop());

  it('acknowledges with the SOAP Ack and queues exactly the Lead notifications', async () => {
    const request = signedSalesforce(LEADS);

    const result = await harness.invoke(request);

    expect(result.statusCode).toBe(200);
    expect(result.headers).toEqual({ 'content-type': 'text/xml' });
    expect(result.body).toMatch(
      /<soapenv:Envelope [^>]*>\s*<soapenv:Body>\s*<notificationsResponse xmlns="http:\/\/soap\.sforce\.com\/2005\/09\/outbound">\s*<Ack>true<\/Ack>/,
    );
    expect((await harness.queued()).events).toEqual(expectedEvents(request, parseSalesforceOutboundMessage));
  });

  it('reads each Lead by hand: created or updated from its dates, the email, the decoded fields', async () => {
    await harness.invoke(signedSalesforce(LEADS));

    expect(harness.metrics.get('webhook_queued')).toBe(2);
    expect(harness.metrics.get('webhook_ignored')).toBe(1);
    const { events, messages } = await harness.queued();
    expect(events.map((event) => event.sourceEventId)).toEqual(['04l1I000000fzuAQAQ', '04l1I000000fzuCQAQ']);
    expect(events[0]).toMatchObject({
      source: 'salesforce',
      type: 'crm.created',
      occurredAt: '2024-05-01T09:30:00.000Z',
      who: {
        email: 'grace.smith@example.co.uk',
        crm: { system: 'salesforce', objectType: 'Lead', id: '00Q1I000004WHchUAG' },
      },
      profile: { Company: 'Smith & Sons <UK>', FirstName: 'Grâce', LastName: "O'Smith", Phone: null },
    });
    expect(events[1]).toMatchObject({
      type: 'crm.updated',
      occurredAt: '2024-05-01T10:15:30.000Z',
      who: { crm: { objectType: 'Lead', id: '00Q1I000004WHciUAG' } },
      profile: { Rating: 'Hot', Email: null },
    });
    expect(events[1]?.who.email).toBeUndefined();
    expect(messages.every((message) => message.MessageAttributes?.source?.StringValue === 'salesforce')).toBe(
      true,
    );
  });

  it('queues a Lead with Long Text Areas past an SQS message, its long values cut to 4,096 characters', async () => {
    // Nine 32,000-character fields: ~288 KB, more than one SQS message holds.
    const long = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I']
      .map((letter) => `<so:Notes_${letter}__c>${letter.repeat(32_000)}</so:Notes_${letter}__c>`)
      .join('');
    const body = LEADS.replace(
      '<so:Id>00Q1I000004WHchUAG</so:Id>',
      `<so:Id>00Q1I000004WHchUAG</so:Id>${long}`,
    );

    const result = await harness.invoke(signedSalesforce(body));

    expect(result.statusCode).toBe(200);
    const { events } = await harness.queued();
    expect(events.map((event) => event.sourceEventId)).toEqual(['04l1I000000fzuAQAQ', '04l1I000000fzuCQAQ']);
    expect(events[0]?.profile).toMatchObject({ Notes_A__c: 'A'.repeat(4096), Notes_I__c: 'I'.repeat(4096) });
    expect(events[0]?.profile).toMatchObject({ Company: 'Smith & Sons <UK>', FirstName: 'Grâce' });
  });

  it('answers 401 to an org that is not configured, even with the right URL token', async () => {
    // This sample comes from org 012345678901234; the test secrets allow only 00D1I000003qqqE.
    const result = await harness.invoke(
      signedSalesforce(fixture('salesforce', 'salesforce-outbound-message.xml')),
    );

    expect(result.statusCode).toBe(401);
    expect(JSON.parse(result.body ?? '')).toEqual({ error: 'salesforce: unknown OrganizationId' });
    expect((await harness.queued()).events).toEqual([]);
  });

  it('acknowledges notifications about objects we do not score, counting them, queueing nothing', async () => {
    const accountsOnly = LEADS.replace(
      /<ob:Notification>\s*<ob:Id>04l1I000000fzu[AC]QAQ[\s\S]*?<\/ob:Notification>/g,
      '',
    );

    const result = await harness.invoke(signedSalesforce(accountsOnly));

    expect(result.statusCode).toBe(200);
    expect(result.body).toContain('<Ack>true</Ack>');
    expect(harness.metrics.get('webhook_ignored')).toBe(1);
    expect((await harness.queued()).events).toEqual([]);
  });
});
