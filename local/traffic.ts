/**
 * Realistic signed webhook traffic for a set of leads, from every source the local stack can verify:
 * HubSpot contact creations and property changes, SendGrid, Mandrill, Mailgun, Postmark and Mailchimp
 * email events, and /events page views and form fills. Deterministic for a seed. Used by the e2e tests
 * and the pipeline benchmark; SES is left out because its certificates come from amazonaws.com.
 */
import { createPrivateKey, randomBytes } from 'node:crypto';
import { seededRandom } from '../lib/seeded-random';
import type { DevSecrets } from './dev-secrets';
import type { HubSpotSandbox } from './sandbox/hubspot-sandbox';
import {
  basicAuthorization,
  genericApiSignature,
  hubSpotV3Signature,
  mailgunSignature,
  mandrillSignature,
  sendGridSignature,
} from './webhook-signing';

export interface TrafficLead {
  /** The HubSpot contact id. */
  readonly contactId: string;
  readonly email: string;
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

/**
 * Calls for `leads`: each lead is created in HubSpot (a creation webhook), and gets `eventsPerLead`
 * engagement events on average from the email platforms and /events, spread over the last 60 days.
 * Calls are built unsigned-by-time: sign them close to sending (timestamps are checked).
 */
export function leadTraffic(
  leads: readonly TrafficLead[],
  options: {
    readonly eventsPerLead: number;
    readonly seed: number;
    readonly now: number;
    /** Announce each lead's creation in HubSpot first (false: traffic for leads that already exist). */
    readonly creations?: boolean;
  },
): TrafficCall[] {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const ago = () => options.now - Math.floor(random() * 60 * 86_400_000);
  const calls: TrafficCall[] = [];
  const single = (sign: (signer: TrafficSigner) => WebhookCall) => calls.push({ events: 1, sign });
  // Vendors that batch send several events per request, as they do (HubSpot up to 100, SendGrid, Mandrill).
  const batched = <T>(size: number, sign: (signer: TrafficSigner, events: T[]) => WebhookCall) => {
    let batch: T[] = [];
    const flush = () => {
      const events = batch;
      if (events.length > 0) calls.push({ events: events.length, sign: (signer) => sign(signer, events) });
      batch = [];
    };
    flushes.push(flush);
    return (event: T) => {
      batch.push(event);
      if (batch.length >= size) flush();
    };
  };
  const flushes: (() => void)[] = [];
  const hubspot = batched<object>(20, (signer, events) => signer.hubspot(events));
  const sendgrid = batched<object>(10, (signer, events) => signer.sendgrid(events));
  const mandrill = batched<object>(10, (signer, events) => signer.mandrill(events));
  const api = batched<object>(5, (signer, events) => signer.api(events));
  let serial = 0;
  const id = (prefix: string) => `${prefix}-${options.seed}-${++serial}`;

  for (const lead of leads) {
    const createdAt = options.now - 70 * 86_400_000;
    const creation = {
      eventId: ++serial,
      subscriptionId: 1,
      portalId: 62515,
      appId: 1,
      occurredAt: createdAt,
      subscriptionType: 'contact.creation',
      attemptNumber: 0,
      objectId: Number(lead.contactId),
      changeSource: 'CRM',
    };
    if (options.creations !== false) hubspot(creation);
    const count = Math.max(1, Math.round(options.eventsPerLead * (0.5 + random())));
    for (let n = 0; n < count; n++) {
      const at = ago();
      const kind = Math.floor(random() * 7);
      const url = pick(URLS);
      if (kind === 0) {
        const event = {
          email: lead.email,
          timestamp: Math.floor(at / 1000),
          event: random() < 0.7 ? 'open' : 'click',
          url,
          sg_event_id: id('sg'),
          sg_message_id: id('sgm'),
        };
        sendgrid(event);
      } else if (kind === 1) {
        const event = {
          event: random() < 0.7 ? 'open' : 'click',
          ts: Math.floor(at / 1000),
          _id: id('md'),
          url,
          msg: { email: lead.email, ts: Math.floor(at / 1000) - 60, _id: id('mdm') },
        };
        mandrill(event);
      } else if (kind === 2) {
        const data = {
          id: id('mg'),
          event: random() < 0.7 ? 'opened' : 'clicked',
          timestamp: at / 1000,
          recipient: lead.email,
          url,
        };
        single((signer) => signer.mailgun(data));
      } else if (kind === 3) {
        const click = random() < 0.3;
        const record = {
          RecordType: click ? 'Click' : 'Open',
          MessageID: id('pm'),
          Recipient: lead.email,
          ReceivedAt: new Date(at).toISOString(),
          ...(click ? { OriginalLink: url } : {}),
        };
        single((signer) => signer.postmark(record));
      } else if (kind === 4 && random() < 0.3) {
        const firedAt = new Date(at).toISOString().replace('T', ' ').slice(0, 19);
        single((signer) =>
          signer.mailchimp({ type: 'subscribe', fired_at: firedAt, 'data[email]': lead.email }),
        );
      } else {
        const form = random() < 0.15;
        const event = form
          ? {
              id: id('web'),
              type: 'form.submitted',
              occurredAt: new Date(at).toISOString(),
              email: lead.email,
              fields: {
                formId: random() < 0.5 ? 'demo-request' : 'contact',
                reason: random() < 0.2 ? 'academic research' : 'buying',
              },
            }
          : {
              id: id('web'),
              type: 'page.viewed',
              occurredAt: new Date(at).toISOString(),
              email: lead.email,
              fields: { url },
            };
        api(event);
      }
    }
  }
  for (const flush of flushes) flush();
  return calls;
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

/** Creates `count` contacts in the sandbox HubSpot with varied profiles (some fit, some not). */
export function seedHubSpotContacts(sandbox: HubSpotSandbox, count: number, seed: number): TrafficLead[] {
  const contacts = sandbox.seed(
    Array.from({ length: count }, (_, n) => ({
      properties: {
        email: `lead${seed}-${n}@${DOMAINS[n % DOMAINS.length]}`,
        jobtitle: TITLES[(n * 7) % TITLES.length] ?? '',
        numberofemployees: String([50, 250, 800, 4000, 12000][(n * 3) % 5]),
      },
    })),
  );
  return contacts.map((contact) => ({ contactId: contact.id, email: String(contact.properties.email) }));
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
): Promise<Sent[]> {
  const sent: Sent[] = [];
  let next = 0;
  const worker = async () => {
    while (next < calls.length) {
      const planned = calls[next++]!;
      const call = planned.sign(signer);
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
