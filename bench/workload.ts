// A seeded, realistic lead workload for benchmarks: CRM-like profiles and 0-30 events each over 180 days.
import type { Lead, ScoringEvent } from '../lib/scoring/types';
import { Random } from './prng';

export interface WorkloadOptions {
  readonly seed: number;
  readonly leads: number;
  /** The scoring time; events fall in the 180 days before it. */
  readonly now: Date;
  readonly maxEvents?: number;
}

export interface Workload {
  readonly leads: readonly Lead[];
  readonly events: number;
  readonly now: Date;
}

const DAY_MS = 86_400_000;
const HISTORY_DAYS = 180;

// Titles include near misses for the exec regex: "SVP" and "Directory" must not match \b(vp|director)\b.
const EXEC_TITLES = [
  'VP of Marketing',
  'Vice President, Sales',
  'Chief Technology Officer',
  'Director of Operations',
  'Head of Growth',
  'vp engineering',
  'Art Director',
  'CHIEF OF STAFF',
];
const OTHER_TITLES = [
  'Software Engineer',
  'Marketing Manager',
  'Student',
  'Sales Representative',
  'Data Analyst',
  'Product Designer',
  'Account Executive',
  'Operations Coordinator',
  'SVP Sales',
  'Directory Services Admin',
  'Founder',
  'Headhunter',
];
const FIRST_NAMES = [
  'ana',
  'ben',
  'chen',
  'dara',
  'eli',
  'fatima',
  'george',
  'hana',
  'ivan',
  'julia',
  'kofi',
  'lea',
];
const LAST_NAMES = [
  'smith',
  'garcia',
  'nguyen',
  'muller',
  'rossi',
  'kim',
  'okafor',
  'silva',
  'novak',
  'tanaka',
];
const COMPANY_WORDS = [
  'acme',
  'globex',
  'initech',
  'umbrella',
  'hooli',
  'vandelay',
  'stark',
  'wayne',
  'tyrell',
];
const COMPANY_SUFFIXES = ['corp', 'labs', 'systems', 'group', 'io', 'health', 'logistics'];
// Free-mail domains in the mixes CRMs really hold: upper case, and look-alikes that must not match.
const FREE_DOMAINS = ['gmail.com', 'yahoo.com', 'GMAIL.COM', 'outlook.com', 'yahoo.com.au', 'hotmail.com'];
const COUNTRIES = [
  'United States',
  'Germany',
  'France',
  'United Kingdom',
  'India',
  'Brazil',
  'Japan',
  'Canada',
];
const INDUSTRIES = ['Software', 'Healthcare', 'Manufacturing', 'Financial Services', 'Education', 'Retail'];
const URLS = [
  '/',
  '/pricing',
  '/pricing/enterprise',
  '/blog/lead-scoring-101',
  '/blog/pricing-strategy',
  '/docs/getting-started',
  '/careers',
  '/customers',
  '/features/integrations',
];
const FORM_IDS = ['demo-request', 'newsletter', 'contact-us', 'ebook-download', 'webinar-signup'];
const REASONS = [
  'evaluating for my company',
  'academic research',
  'student project (academic)',
  'replacing our current tool',
  'just curious',
];
const CAMPAIGNS = ['spring-launch', 'nurture-1', 'nurture-2', 'product-update', 'webinar-invite'];
const EVENT_TYPES: readonly (readonly [string, number])[] = [
  ['page.viewed', 40],
  ['email.opened', 22],
  ['email.delivered', 12],
  ['email.clicked', 10],
  ['form.submitted', 8],
  ['meeting.booked', 2],
  ['email.unsubscribed', 1],
];

export function generateWorkload(options: WorkloadOptions): Workload {
  const random = new Random(options.seed);
  const nowMs = options.now.getTime();
  const maxEvents = options.maxEvents ?? 30;
  const leads: Lead[] = [];
  let events = 0;
  for (let i = 0; i < options.leads; i++) {
    const id = `lead-${String(i).padStart(6, '0')}`;
    const lead: Lead = {
      id,
      profile: generateProfile(random),
      events: generateEvents(random, id, nowMs, maxEvents),
    };
    events += lead.events.length;
    leads.push(lead);
  }
  return { leads, events, now: options.now };
}

function generateProfile(random: Random): Record<string, unknown> {
  const first = random.pick(FIRST_NAMES);
  const last = random.pick(LAST_NAMES);
  const company = `${random.pick(COMPANY_WORDS)} ${random.pick(COMPANY_SUFFIXES)}`;
  const domain = random.chance(0.3) ? random.pick(FREE_DOMAINS) : `${company.replace(' ', '')}.com`;
  const profile: Record<string, unknown> = {
    firstname: first,
    lastname: last,
    email: `${first}.${last}${random.int(1, 99)}@${domain}`,
    company,
    country: random.pick(COUNTRIES),
    industry: random.pick(INDUSTRIES),
  };
  if (!random.chance(0.08))
    profile['jobtitle'] = random.chance(0.3) ? random.pick(EXEC_TITLES) : random.pick(OTHER_TITLES);
  // Company sizes are roughly log-uniform; CRMs hand them over as strings, sometimes empty.
  const size = random.next();
  if (size < 0.85) profile['numberofemployees'] = String(Math.round(10 ** (random.next() * 5)));
  else if (size < 0.9) profile['numberofemployees'] = '';
  return profile;
}

/** Events come in sessions (a visit, an email campaign), with quiet gaps that earn re-engagement bonuses. */
function generateEvents(random: Random, leadId: string, nowMs: number, maxEvents: number): ScoringEvent[] {
  const count = random.int(0, maxEvents);
  const times: number[] = [];
  let sessionStart = nowMs - random.next() * HISTORY_DAYS * DAY_MS;
  for (let k = 0; k < count; k++) {
    if (k === 0 || random.chance(0.3)) sessionStart = nowMs - random.next() * HISTORY_DAYS * DAY_MS;
    times.push(Math.min(nowMs, sessionStart + random.next() * 2 * 3_600_000));
  }
  times.sort((a, b) => a - b);
  const events: ScoringEvent[] = [];
  for (let k = 0; k < count; k++) {
    const previous = events[events.length - 1];
    // Webhook retries deliver the same event twice; scoring must count it once.
    if (previous && random.chance(0.02)) {
      events.push({ ...previous });
      continue;
    }
    events.push(generateEvent(random, `${leadId}-e${k}`, new Date(times[k] ?? nowMs).toISOString()));
  }
  return events;
}

function generateEvent(random: Random, id: string, occurredAt: string): ScoringEvent {
  const type = random.weighted(EVENT_TYPES);
  switch (type) {
    case 'page.viewed':
      return { id, type, occurredAt, url: `https://www.example.com${random.pick(URLS)}` };
    case 'form.submitted':
      return random.chance(0.5)
        ? { id, type, occurredAt, formId: random.pick(FORM_IDS), reason: random.pick(REASONS) }
        : { id, type, occurredAt, formId: random.pick(FORM_IDS) };
    case 'meeting.booked':
      return { id, type, occurredAt, owner: 'sales@example.com' };
    default:
      return { id, type, occurredAt, campaign: random.pick(CAMPAIGNS) };
  }
}
