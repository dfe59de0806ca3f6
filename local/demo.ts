/**
 * `npm run demo`: sends a realistic signed burst to the running local stack — HubSpot contact creations,
 * SendGrid opens and clicks, an SES open through SNS, a pricing page view through /events, an
 * academic-interest form — and shows the score, grade, stage and reasons landing on the sandbox CRM's records.
 */
import './quiet-sdk';
import { readFileSync } from 'node:fs';
import { DEFAULT_SCORE_FIELDS } from '../lib/config/crm-fields';
import { DEV_SECRETS_PATH, STACK_INFO_PATH, type DevSecrets } from './dev-secrets';
import { TrafficSigner, type WebhookCall } from './traffic';

interface StackInfo {
  readonly apiUrl: string;
  readonly crm: 'hubspot' | 'salesforce';
  readonly crmUrl: string;
  readonly hubspotToken?: string;
}

const PEOPLE = [
  {
    email: 'ana.silva@northwind.example',
    firstname: 'Ana',
    jobtitle: 'VP of Marketing',
    numberofemployees: '450',
  },
  { email: 'sam.student@gmail.com', firstname: 'Sam', jobtitle: 'Student', numberofemployees: '' },
];

function readJson<T>(path: string, hint: string): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    throw new Error(`${path} not found: ${hint}`);
  }
}

async function send(apiUrl: string, call: WebhookCall): Promise<void> {
  const url = `${apiUrl}${call.path}${call.query ? `?${call.query}` : ''}`;
  const response = await fetch(url, { method: 'POST', body: call.body, headers: call.headers });
  console.log(`  POST ${call.path.padEnd(20)} → ${response.status} ${(await response.text()).slice(0, 80)}`);
}

async function createContact(info: StackInfo, properties: Record<string, string>): Promise<string> {
  const response = await fetch(`${info.crmUrl}/crm/v3/objects/contacts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${info.hubspotToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ properties }),
  });
  if (!response.ok) throw new Error(`sandbox HubSpot refused the contact: ${response.status}`);
  return ((await response.json()) as { id: string }).id;
}

/** The records once every one has a score and none changed for three seconds (events arrive in any order). */
async function settledRecords(
  info: StackInfo,
  ids: readonly string[],
  scoredAtField: string,
): Promise<Record<string, string | null>[]> {
  const deadline = Date.now() + 60_000;
  let previous = '';
  let stableSince = Date.now();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const records = await Promise.all(
      ids.map(async (id) => {
        const response = await fetch(`${info.crmUrl}/__sandbox/records/${id}`);
        return ((await response.json()) as { properties?: Record<string, string | null> }).properties ?? {};
      }),
    );
    const stamp = records.map((props) => props[scoredAtField] ?? '').join(',');
    if (stamp !== previous) [previous, stableSince] = [stamp, Date.now()];
    const allScored = records.every((props) => props[scoredAtField]);
    if (allScored && Date.now() - stableSince >= 3000) return records;
    if (Date.now() > deadline) {
      throw new Error(
        'scores did not settle in the CRM within 60 s: check the `npm start` terminal (try --verbose)',
      );
    }
  }
}

async function main(): Promise<void> {
  const info = readJson<StackInfo>(STACK_INFO_PATH, 'start the stack first with `npm start`');
  const secrets = readJson<DevSecrets>(DEV_SECRETS_PATH, 'start the stack first with `npm start`');
  if (info.crm !== 'hubspot')
    throw new Error('the demo drives the HubSpot sandbox: run `npm start` without --crm');
  const now = Date.now();
  const minutesAgo = (minutes: number) => now - minutes * 60_000;

  console.log('Creating two contacts in the sandbox HubSpot and telling leadscore about them…');
  const ids: string[] = [];
  for (const { email, firstname, jobtitle, numberofemployees } of PEOPLE) {
    ids.push(await createContact(info, { email, firstname, jobtitle, numberofemployees }));
  }
  const signer = new TrafficSigner(info.apiUrl, secrets);
  const creations = ids.map((id, n) => ({
    eventId: 100 + n,
    subscriptionId: 1,
    portalId: 62515,
    appId: 1,
    occurredAt: minutesAgo(30),
    subscriptionType: 'contact.creation',
    attemptNumber: 0,
    objectId: Number(id),
    changeSource: 'CRM',
  }));
  await send(info.apiUrl, signer.hubspot(creations));

  console.log('SendGrid: opens and a click…');
  const [ana, sam] = PEOPLE;
  const opens = [20, 10, 5].map((minutes, n) => ({
    email: ana?.email,
    timestamp: Math.floor(minutesAgo(minutes) / 1000),
    event: n === 2 ? 'click' : 'open',
    url: n === 2 ? 'https://northwind.example/pricing' : undefined,
    sg_event_id: `demo-${now}-${n}`,
    sg_message_id: `demo-message-${now}`,
  }));
  await send(info.apiUrl, signer.sendgrid(opens));

  console.log('Amazon SES through SNS (signed with the dev SNS key): an open…');
  const open = {
    eventType: 'Open',
    mail: {
      timestamp: new Date(minutesAgo(8)).toISOString(),
      messageId: `demo-ses-${now}`,
      destination: [ana?.email],
    },
    open: { timestamp: new Date(minutesAgo(6)).toISOString(), userAgent: 'Mozilla/5.0' },
  };
  await send(info.apiUrl, signer.ses(open, `demo-sns-${now}`));

  console.log('/events: a pricing page view, a demo request, an academic-interest form…');
  const events = [
    {
      id: `web-${now}-1`,
      type: 'page.viewed',
      occurredAt: new Date(minutesAgo(4)).toISOString(),
      email: ana?.email,
      fields: { url: 'https://northwind.example/pricing' },
    },
    {
      id: `web-${now}-2`,
      type: 'form.submitted',
      occurredAt: new Date(minutesAgo(3)).toISOString(),
      email: ana?.email,
      fields: { formId: 'demo-request' },
    },
    {
      id: `web-${now}-3`,
      type: 'form.submitted',
      occurredAt: new Date(minutesAgo(2)).toISOString(),
      email: sam?.email,
      fields: { formId: 'contact', reason: 'academic research project' },
    },
  ];
  await send(info.apiUrl, signer.api(events));

  console.log('\nWaiting for the scores to land in the CRM and settle…');
  const fields = DEFAULT_SCORE_FIELDS.hubspot;
  const records = await settledRecords(info, ids, fields.scoredAt);
  for (const [n, props] of records.entries()) {
    console.log(`
  ${PEOPLE[n]?.firstname} (${PEOPLE[n]?.jobtitle}) — contact ${ids[n]}
${Object.values(fields)
  .map((field) => `    ${field.padEnd(20)} ${props[field] ?? ''}`)
  .join('\n')}`);
  }
  console.log(`\nSee every request leadscore made to the CRM: ${info.crmUrl}/__sandbox/requests`);
}

main().catch((error: unknown) => {
  console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
