/**
 * Realistic signed webhook traffic for a set of leads, from every source the local stack verifies: the CRM's
 * own (HubSpot contact creations, or Salesforce Outbound Messages for Leads created and then updated),
 * SendGrid, Mandrill, Mailgun, Postmark, Mailchimp and Amazon SES email events (SES through SNS, signed with
 * the dev SNS key whose certificate the local stack serves), and /events page views and form fills.
 * Deterministic for a seed. Used by the e2e tests and the pipeline benchmark.
 */
import { createPrivateKey, randomBytes, type KeyObject } from 'node:crypto';
import { seededRandom } from '../lib/seeded-random';
import type { DevSecrets } from './dev-secrets';
import type { HubSpotSandbox } from './sandbox/hubspot-sandbox';
import type { SalesforceSandbox } from './sandbox/salesforce-sandbox';
import {
  basicAuthorization,
  genericApiSignature,
  hubSpotV3Signature,
  mailgunSignature,
  mandrillSignature,
  sendGridSignature,
  snsHeaders,
  snsNotification,
} from './webhook-signing';

export interface TrafficLead {
  /** The CRM record's id: the HubSpot contact id, or the Salesforce Lead id. */
  readonly recordId: string;
  readonly email: string;
}

/** A Salesforce Lead and the fields its Outbound Messages carry (as Salesforce sends them: text or nil). */
export interface SalesforceTrafficLead extends TrafficLead {
  readonly fields: Readonly<Record<string, string | null>>;
}

/** One Outbound Message notification: a record as of sending. */
export interface OutboundNotification {
  readonly id: string;
  readonly objectType: 'Lead' | 'Contact';
  /** Id first, then the fields the Outbound Message is set to send. */
  readonly fields: Readonly<Record<string, string | null>>;
}

/** A request to send, signed when sent (signatures carry timestamps), and how many events it carries. */
export interface TrafficCall {
  readonly events: number;
  readonly sign: (signer: TrafficSigner) => WebhookCall;
}

export interface WebhookCall {
  readonly path: string;
  readonly query: string;
  readonly body: string;
  readonly headers: Record<string, string>;
}

export { seededRandom, shuffle } from '../lib/seeded-random';

const URLS = [
  'https://acme.example/pricing',
  'https://acme.example/blog/scoring',
  'https://acme.example/pricing/teams',
];

export class TrafficSigner {
  private readonly sendgridKey;
  private snsKey: KeyObject | undefined;

  constructor(
    private readonly baseUrl: string,
    private readonly secrets: DevSecrets,
  ) {
    this.sendgridKey = createPrivateKey(secrets.sendgridPrivateKey);
  }

  hubspot(events: readonly object[], now = Date.now()): WebhookCall {
    const body = JSON.stringify(events);
    const path = '/webhooks/hubspot';
    const timestamp = String(now);
    const signature = hubSpotV3Signature(
      this.secrets.webhooks.hubspot.clientSecret,
      'POST',
      this.baseUrl + path,
      body,
      timestamp,
    );
    return this.json(path, body, {
      'x-hubspot-signature-v3': signature,
      'x-hubspot-request-timestamp': timestamp,
    });
  }

  /** Outbound Messages are not signed: the URL token, and the org id in the body (the WSDL's SOAP shape). */
  salesforce(notifications: readonly OutboundNotification[]): WebhookCall {
    const { organizationIds, urlToken } = this.secrets.webhooks.salesforce;
    return {
      path: '/webhooks/salesforce',
      query: `token=${encodeURIComponent(urlToken)}`,
      body: outboundMessage(organizationIds[0] ?? '', notifications),
      headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
    };
  }

  sendgrid(events: readonly object[], now = Date.now()): WebhookCall {
    const body = JSON.stringify(events);
    const timestamp = String(Math.floor(now / 1000));
    return this.json('/webhooks/sendgrid', body, {
      'x-twilio-email-event-webhook-signature': sendGridSignature(this.sendgridKey, timestamp, body),
      'x-twilio-email-event-webhook-timestamp': timestamp,
    });
  }

  mandrill(events: readonly object[]): WebhookCall {
    const path = '/webhooks/mandrill';
    const fields = { mandrill_events: JSON.stringify(events) };
    const signature = mandrillSignature(
      this.secrets.webhooks.mandrill.webhookKey,
      this.baseUrl + path,
      fields,
    );
    return {
      path,
      query: '',
      body: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-mandrill-signature': signature },
    };
  }

  mailgun(eventData: object, now = Date.now()): WebhookCall {
    const timestamp = String(Math.floor(now / 1000));
    const token = randomBytes(25).toString('hex');
    const signature = mailgunSignature(this.secrets.webhooks.mailgun.signingKey, timestamp, token);
    return this.json(
      '/webhooks/mailgun',
      JSON.stringify({ signature: { timestamp, token, signature }, 'event-data': eventData }),
      {},
    );
  }

  postmark(record: object): WebhookCall {
    const { username, password } = this.secrets.webhooks.postmark;
    return this.json('/webhooks/postmark', JSON.stringify(record), {
      authorization: basicAuthorization(`${username}:${password}`),
    });
  }

  mailchimp(fields: Record<string, string>): WebhookCall {
    return {
      path: '/webhooks/mailchimp',
      query: `token=${encodeURIComponent(this.secrets.webhooks.mailchimp.urlToken)}`,
      body: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    };
  }

  /** An SES event record as SNS delivers it: a Notification on the dev topic, signed with the dev SNS key. */
  /**
   * An SES record in a signed SNS notification: POSTed to /webhooks/ses, or (`queue`) as SNS puts it on a
   * subscribed SQS queue, the envelope as the body (see SES_QUEUE_DELIVERY).
   */
  ses(record: object, messageId: string, now = Date.now(), delivery: SesDelivery = 'webhook'): WebhookCall {
    const { topicArn, certificateUrl, privateKey } = this.secrets.sns;
    this.snsKey ??= createPrivateKey(privateKey);
    const message = snsNotification(
      {
        topicArn,
        messageId,
        message: record,
        timestamp: new Date(now).toISOString(),
        signingCertUrl: certificateUrl,
      },
      this.snsKey,
    );
    const body = JSON.stringify(message);
    if (delivery === 'queue') return { path: SES_QUEUE_DELIVERY, query: '', body, headers: {} };
    return { path: '/webhooks/ses', query: '', body, headers: snsHeaders(message) };
  }

  api(events: readonly object[], now = Date.now()): WebhookCall {
    const body = JSON.stringify({ events });
    const timestamp = String(Math.floor(now / 1000));
    const signature = genericApiSignature(this.secrets.webhooks.api.keys[0] ?? '', timestamp, body);
    return this.json('/events', body, {
      'x-leadscore-timestamp': timestamp,
      'x-leadscore-signature': signature,
    });
  }

  private json(path: string, body: string, headers: Record<string, string>): WebhookCall {
    return { path, query: '', body, headers: { 'content-type': 'application/json', ...headers } };
  }
}

const XML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const xmlText = (text: string) => text.replace(/[&<>]/g, (char) => XML_ESCAPES[char] ?? char);

/** A Salesforce Outbound Message (SOAP `notifications`, per the Outbound Messaging WSDL). */
function outboundMessage(organizationId: string, notifications: readonly OutboundNotification[]): string {
  const org = organizationId.slice(0, 15);
  const field = ([name, value]: [string, string | null]) =>
    value === null ? `<sf:${name} xsi:nil="true"/>` : `<sf:${name}>${xmlText(value)}</sf:${name}>`;
  const notification = ({ id, objectType, fields }: OutboundNotification) => `
   <Notification>
    <Id>${id}</Id>
    <sObject xsi:type="sf:${objectType}" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
     ${Object.entries(fields).map(field).join('\n     ')}
    </sObject>
   </Notification>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <soapenv:Body>
  <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
   <OrganizationId>${organizationId}</OrganizationId>
   <ActionId>04k000000000001AAA</ActionId>
   <SessionId xsi:nil="true"/>
   <EnterpriseUrl>https://leadscore-local.my.salesforce.com/services/Soap/c/62.0/${org}</EnterpriseUrl>
   <PartnerUrl>https://leadscore-local.my.salesforce.com/services/Soap/u/62.0/${org}</PartnerUrl>${notifications.map(notification).join('')}
  </notifications>
 </soapenv:Body>
</soapenv:Envelope>
`;
}

export interface TrafficOptions {
  readonly eventsPerLead: number;
  readonly seed: number;
  readonly now: number;
  /** How SES events arrive: SNS notifications to /webhooks/ses (default), or SNS → the events queue. */
  readonly sesDelivery?: SesDelivery;
}

export type SesDelivery = 'webhook' | 'queue';

/**
 * The "path" of a call that is not an HTTP request: an SNS notification that an SQS subscription puts on
 * the events queue (the deployment's `sesQueueTopicArns`). sendCalls hands these to its `toEventsQueue`.
 */
export const SES_QUEUE_DELIVERY = 'sns:events-queue';

const DAY_MS = 86_400_000;

/** Calls being planned: a seeded random source, unique ids, and vendors that batch several events per request. */
class TrafficPlan {
  readonly random: () => number;
  private readonly calls: TrafficCall[] = [];
  private readonly flushes: (() => void)[] = [];
  private serial = 0;

  constructor(private readonly seed: number) {
    this.random = seededRandom(seed);
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)] as T;
  }

  next(): number {
    return ++this.serial;
  }

  id(prefix: string): string {
    return `${prefix}-${this.seed}-${this.next()}`;
  }

  single(sign: (signer: TrafficSigner) => WebhookCall): void {
    this.calls.push({ events: 1, sign });
  }

  /** As vendors that batch do (HubSpot up to 100 events a request, SendGrid, Mandrill, Salesforce up to 100). */
  batched<T>(size: number, sign: (signer: TrafficSigner, events: T[]) => WebhookCall): (event: T) => void {
    let batch: T[] = [];
    const flush = () => {
      const events = batch;
      if (events.length > 0)
        this.calls.push({ events: events.length, sign: (signer) => sign(signer, events) });
      batch = [];
    };
    this.flushes.push(flush);
    return (event: T) => {
      batch.push(event);
      if (batch.length >= size) flush();
    };
  }

  /** Every call, the last partial batches included. */
  finish(): TrafficCall[] {
    for (const flush of this.flushes) flush();
    return this.calls;
  }
}

/**
 * The email platforms' and /events part of the traffic, shared by every CRM: for each email, `eventsPerLead`
 * engagement events on average, spread over the 60 days before `now`.
 */
function engagementTraffic(plan: TrafficPlan, options: TrafficOptions): (email: string) => void {
  const { random } = plan;
  const sendgrid = plan.batched<object>(10, (signer, events) => signer.sendgrid(events));
  const mandrill = plan.batched<object>(10, (signer, events) => signer.mandrill(events));
  const api = plan.batched<object>(5, (signer, events) => signer.api(events));
  const ago = () => options.now - Math.floor(random() * 60 * DAY_MS);

  return (email) => {
    const count = Math.max(1, Math.round(options.eventsPerLead * (0.5 + random())));
    for (let n = 0; n < count; n++) {
      const at = ago();
      const kind = Math.floor(random() * 8);
      const url = plan.pick(URLS);
      if (kind === 0) {
        const event = {
          email,
          timestamp: Math.floor(at / 1000),
          event: random() < 0.7 ? 'open' : 'click',
          url,
          sg_event_id: plan.id('sg'),
          sg_message_id: plan.id('sgm'),
        };
        sendgrid(event);
      } else if (kind === 1) {
        const event = {
          event: random() < 0.7 ? 'open' : 'click',
          ts: Math.floor(at / 1000),
          _id: plan.id('md'),
          url,
          msg: { email, ts: Math.floor(at / 1000) - 60, _id: plan.id('mdm') },
        };
        mandrill(event);
      } else if (kind === 2) {
        const data = {
          id: plan.id('mg'),
          event: random() < 0.7 ? 'opened' : 'clicked',
          timestamp: at / 1000,
          recipient: email,
          url,
        };
        plan.single((signer) => signer.mailgun(data));
      } else if (kind === 3) {
        const click = random() < 0.3;
        const record = {
          RecordType: click ? 'Click' : 'Open',
          MessageID: plan.id('pm'),
          Recipient: email,
          ReceivedAt: new Date(at).toISOString(),
          ...(click ? { OriginalLink: url } : {}),
        };
        plan.single((signer) => signer.postmark(record));
      } else if (kind === 4 && random() < 0.3) {
        const firedAt = new Date(at).toISOString().replace('T', ' ').slice(0, 19);
        plan.single((signer) =>
          signer.mailchimp({ type: 'subscribe', fired_at: firedAt, 'data[email]': email }),
        );
      } else if (kind === 5) {
        const record = sesRecord(plan, email, at, url);
        const messageId = plan.id('sns');
        plan.single((signer) => signer.ses(record, messageId, Date.now(), options.sesDelivery));
      } else {
        const form = random() < 0.15;
        const event = form
          ? {
              id: plan.id('web'),
              type: 'form.submitted',
              occurredAt: new Date(at).toISOString(),
              email,
              fields: {
                formId: random() < 0.5 ? 'demo-request' : 'contact',
                reason: random() < 0.2 ? 'academic research' : 'buying',
              },
            }
          : {
              id: plan.id('web'),
              type: 'page.viewed',
              occurredAt: new Date(at).toISOString(),
              email,
              fields: { url },
            };
        api(event);
      }
    }
  };
}

/** An SES event record (event publishing): mostly opens, some clicks and deliveries. */
function sesRecord(plan: TrafficPlan, email: string, at: number, url: string): object {
  const sent = new Date(at - 5 * 60_000).toISOString();
  const mail = {
    timestamp: sent,
    source: 'news@acme.example',
    messageId: plan.id('ses'),
    destination: [email],
    tags: { campaign: ['local-traffic'] },
  };
  const roll = plan.random();
  const timestamp = new Date(at).toISOString();
  if (roll < 0.5) return { eventType: 'Open', mail, open: { timestamp, userAgent: 'Mozilla/5.0' } };
  if (roll < 0.8)
    return { eventType: 'Click', mail, click: { timestamp, link: url, userAgent: 'Mozilla/5.0' } };
  return {
    eventType: 'Delivery',
    mail,
    delivery: { timestamp, recipients: [email], smtpResponse: '250 2.6.0 Message received' },
  };
}

/**
 * Calls for HubSpot contacts: each lead is created in HubSpot (a creation webhook, 70 days ago), and gets
 * its email platforms' and /events traffic. Calls are built unsigned-by-time: sign them close to sending
 * (timestamps are checked).
 */
export function leadTraffic(
  leads: readonly TrafficLead[],
  options: TrafficOptions & {
    /** Announce each lead's creation in HubSpot first (false: traffic for leads that already exist). */
    readonly creations?: boolean;
  },
): TrafficCall[] {
  const plan = new TrafficPlan(options.seed);
  const hubspot = plan.batched<object>(20, (signer, events) => signer.hubspot(events));
  const engagement = engagementTraffic(plan, options);
  for (const lead of leads) {
    const creation = {
      eventId: plan.next(),
      subscriptionId: 1,
      portalId: 62515,
      appId: 1,
      occurredAt: options.now - 70 * DAY_MS,
      subscriptionType: 'contact.creation',
      attemptNumber: 0,
      objectId: Number(lead.recordId),
      changeSource: 'CRM',
    };
    if (options.creations !== false) hubspot(creation);
    engagement(lead.email);
  }
  return plan.finish();
}

/**
 * Calls for Salesforce Leads: each lead's Outbound Messages, one when it was created 70 days ago (without
 * the title and size sales fills in later) and one when it was updated to its current fields some days
 * after, plus its email platforms' and /events traffic.
 */
export function salesforceLeadTraffic(
  leads: readonly SalesforceTrafficLead[],
  options: TrafficOptions,
): TrafficCall[] {
  const plan = new TrafficPlan(options.seed);
  const salesforce = plan.batched<OutboundNotification>(10, (signer, notifications) =>
    signer.salesforce(notifications),
  );
  const engagement = engagementTraffic(plan, options);
  const notificationId = () =>
    `04l${String(options.seed % 1000).padStart(3, '0')}${String(plan.next()).padStart(9, '0')}`;
  for (const lead of leads) {
    const createdAt = new Date(options.now - 70 * DAY_MS).toISOString();
    const updatedAt = new Date(options.now - (60 + Math.floor(plan.random() * 10)) * DAY_MS).toISOString();
    const dates = (modified: string) => ({ CreatedDate: createdAt, LastModifiedDate: modified });
    const record = { Id: lead.recordId, ...lead.fields };
    const created = { ...record, Title: null, NumberOfEmployees: null, ...dates(createdAt) };
    salesforce({ id: notificationId(), objectType: 'Lead', fields: created });
    salesforce({ id: notificationId(), objectType: 'Lead', fields: { ...record, ...dates(updatedAt) } });
    engagement(lead.email);
  }
  return plan.finish();
}

const TITLES = [
  'VP Marketing',
  'Director of Sales',
  'Engineer',
  'Head of Growth',
  'Student',
  'Analyst',
  'Chief Revenue Officer',
];
const DOMAINS = ['acme.example', 'globex.example', 'gmail.com', 'initech.example', 'yahoo.com'];

/** The n-th seeded person: varied profiles, some fit, some not. */
function person(seed: number, n: number) {
  return {
    email: `lead${seed}-${n}@${DOMAINS[n % DOMAINS.length]}`,
    title: TITLES[n % TITLES.length] ?? '',
    employees: [50, 250, 800, 4000, 12000][(n * 3) % 5] ?? 0,
  };
}

/** Creates `count` contacts in the sandbox HubSpot with varied profiles (some fit, some not). */
export function seedHubSpotContacts(sandbox: HubSpotSandbox, count: number, seed: number): TrafficLead[] {
  const contacts = sandbox.seed(
    Array.from({ length: count }, (_, n) => {
      const { email, title, employees } = person(seed, n);
      return { properties: { email, jobtitle: title, numberofemployees: String(employees) } };
    }),
  );
  return contacts.map((contact) => ({ recordId: contact.id, email: String(contact.properties.email) }));
}

/** Creates `count` Leads in the sandbox Salesforce with the same varied profiles. */
export function seedSalesforceLeads(
  sandbox: SalesforceSandbox,
  count: number,
  seed: number,
): SalesforceTrafficLead[] {
  const records = sandbox.seed(
    Array.from({ length: count }, (_, n) => {
      const { email, title, employees } = person(seed, n);
      const fields = {
        FirstName: `Lead${n}`,
        LastName: `Seed${seed}`,
        Company: email.slice(email.indexOf('@') + 1),
        Email: email,
        Title: title,
        NumberOfEmployees: employees,
      };
      return { type: 'Lead' as const, fields };
    }),
  );
  return records.map((record) => {
    const text = (name: string) => (record.fields[name] == null ? null : String(record.fields[name]));
    const fields = Object.fromEntries(
      ['FirstName', 'LastName', 'Company', 'Email', 'Title', 'NumberOfEmployees'].map((name) => [
        name,
        text(name),
      ]),
    );
    return { recordId: record.id, email: String(record.fields.Email), fields };
  });
}

export interface Sent {
  readonly call: WebhookCall;
  readonly events: number;
  readonly status: number;
}

/** Sends calls (signed just before sending) with `concurrency` requests in flight. */
export async function sendCalls(
  apiUrl: string,
  calls: readonly TrafficCall[],
  signer: TrafficSigner,
  concurrency: number,
  /** Where SES_QUEUE_DELIVERY calls go: the events queue, as SNS would put them there. */
  toEventsQueue?: (body: string) => Promise<void>,
): Promise<Sent[]> {
  const sent: Sent[] = [];
  let next = 0;
  const worker = async () => {
    while (next < calls.length) {
      const planned = calls[next++]!;
      const call = planned.sign(signer);
      if (call.path === SES_QUEUE_DELIVERY) {
        if (!toEventsQueue) throw new Error('sendCalls: SES queue deliveries need toEventsQueue');
        await toEventsQueue(call.body);
        sent.push({ call, events: planned.events, status: 200 });
        continue;
      }
      const response = await fetch(`${apiUrl}${call.path}${call.query ? `?${call.query}` : ''}`, {
        method: 'POST',
        headers: call.headers,
        body: call.body,
      });
      await response.arrayBuffer();
      sent.push({ call, events: planned.events, status: response.status });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return sent;
}
