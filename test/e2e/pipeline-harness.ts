/** Drives the local stack like the outside world: seeds CRM records, sends signed traffic, checks the CRM. */
import { readFileSync } from 'node:fs';
import type { SQSEvent } from 'aws-lambda';
import { DEFAULT_SCORE_FIELDS } from '../../lib/config/crm-fields';
import type { LeadEvent } from '../../lib/events/lead-event';
import type { SourceAdapter } from '../../lib/events/source';
import { genericApiSource } from '../../lib/events/sources/generic-api';
import { hubspotSource } from '../../lib/events/sources/hubspot';
import { mailchimpSource } from '../../lib/events/sources/mailchimp';
import { mailgunSource } from '../../lib/events/sources/mailgun';
import { mandrillSource } from '../../lib/events/sources/mandrill';
import { postmarkSource } from '../../lib/events/sources/postmark';
import { salesforceSource } from '../../lib/events/sources/salesforce';
import { sendgridSource } from '../../lib/events/sources/sendgrid';
import { sesSource } from '../../lib/events/sources/ses';
import { isScoringEvent, toStoredEvent } from '../../lib/leads/lead-state';
import { reasonsText } from '../../lib/leads/rescore';
import { WEBHOOK_ROUTES } from '../../lib/pipeline-spec';
import { compileRules, parseRulesText, scoreLead, type ScoringModel } from '../../lib/scoring';
import { createDevSecrets } from '../../local/dev-secrets';
import { DEFAULT_RULES_FILES, startLocalStack, type LocalStack } from '../../local/stack';
import {
  seededRandom,
  sendCalls,
  SES_QUEUE_DELIVERY,
  shuffle,
  TrafficSigner,
  type Sent,
  type TrafficCall,
  type TrafficLead,
  type WebhookCall,
} from '../../local/traffic';

const ADAPTERS: readonly SourceAdapter<never>[] = [
  hubspotSource,
  salesforceSource,
  sendgridSource,
  mandrillSource,
  mailgunSource,
  postmarkSource,
  mailchimpSource,
  sesSource,
  genericApiSource,
] as SourceAdapter<never>[];

export interface E2eStack {
  readonly stack: LocalStack;
  /** How many distinct leads each write-back invocation was given. */
  readonly writeBackBatches: number[];
}

/** A local stack as the e2e tests run it, with fresh secrets and CRM faults seeded by `seed`. */
export async function startE2eStack(crm: LocalStack['crm'], seed: number): Promise<E2eStack> {
  const writeBackBatches: number[] = [];
  const stack = await startLocalStack({
    crm,
    port: 0,
    secrets: createDevSecrets(),
    // Write-back retries come back quickly; the events queue outlasts the worker's longest batch (its CRM
    // reader may wait 20 s out), as deployed, so a batch in hand is never delivered again meanwhile.
    visibilityTimeoutSeconds: { events: 35, writeBack: 3 },
    crmSeed: seed,
    sweepIntervalMs: 3_600_000,
    onInvoke: (name, _ms, event) => {
      if (name !== 'write-back') return;
      const leads = new Set((event as SQSEvent).Records.map((record) => JSON.parse(record.body).leadId));
      writeBackBatches.push(leads.size);
    },
  });
  return { stack, writeBackBatches };
}

/** Every call and 30% of them again, shuffled, 20 requests in flight; resolves once the pipeline settled. */
export async function sendDuplicatedShuffled(
  stack: LocalStack,
  calls: readonly TrafficCall[],
  seed: number,
): Promise<Sent[]> {
  const random = seededRandom(seed);
  const traffic = shuffle([...calls, ...calls.filter(() => random() < 0.3)], random);
  const signer = new TrafficSigner(stack.apiUrl, stack.secrets);
  const sent = await sendCalls(stack.apiUrl, traffic, signer, 20, stack.toEventsQueue);
  await stack.settle(240_000);
  return sent;
}

/** The shipped default rules, with the field names of `crm`. */
export function defaultModel(crm: LocalStack['crm'] = 'hubspot'): ScoringModel {
  const parsed = parseRulesText(readFileSync(DEFAULT_RULES_FILES[crm], 'utf8'));
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return compileRules(parsed.rules);
}

/** The normalized events of an accepted call, read with the source's own parser. */
function eventsOf(apiUrl: string, call: WebhookCall): LeadEvent[] {
  // SNS puts on the events queue what it would POST to /webhooks/ses: the same envelope.
  const route = call.path === SES_QUEUE_DELIVERY ? sesSource.route : call.path;
  const adapter = ADAPTERS.find((candidate) => candidate.route === route);
  if (!adapter) throw new Error(`no adapter for ${call.path}`);
  const headers = Object.fromEntries(Object.entries(call.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const url = `${apiUrl}${call.path}${call.query ? `?${call.query}` : ''}`;
  return adapter.parse({ method: 'POST', url, headers, rawBody: Buffer.from(call.body) }, new Date()).events;
}

/** A record's fields as the stack's sandbox CRM holds them (HubSpot properties, Salesforce fields). */
function recordFields(stack: LocalStack, recordId: string): Readonly<Record<string, unknown>> {
  return stack.hubspot
    ? (stack.hubspot.record(recordId)?.properties ?? {})
    : (stack.salesforce?.record(recordId)?.fields ?? {});
}

/** Epoch ms of a written scoredAt: HubSpot holds ms as text, Salesforce an ISO datetime. */
function instant(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return Number.NaN;
  return /^\d+$/.test(value) ? Number(value) : Date.parse(value);
}

const text = (value: unknown) => (value === undefined || value === null ? null : String(value));

export interface Mismatch {
  readonly recordId: string;
  readonly expected: object;
  readonly actual: object;
}

/**
 * Compares every lead's score fields in the stack's CRM with scoreLead over that lead's unique events, at the
 * time the pipeline scored it (its scored-at field), with the profile the CRM holds.
 */
export function compareWithReference(
  stack: LocalStack,
  leads: readonly TrafficLead[],
  accepted: readonly Sent[],
  model: ScoringModel,
): { mismatches: Mismatch[]; compared: number } {
  const names = DEFAULT_SCORE_FIELDS[stack.crm];
  const byEmail = new Map(leads.map((lead) => [lead.email, lead.recordId]));
  const eventsByRecord = new Map<string, Map<string, ReturnType<typeof toStoredEvent>>>();
  for (const { call } of accepted) {
    for (const event of eventsOf(stack.apiUrl, call)) {
      const recordId = event.who.crm?.id ?? byEmail.get(event.who.email ?? '');
      if (!recordId || !isScoringEvent(event)) continue;
      const stored = toStoredEvent(event);
      const events = eventsByRecord.get(recordId) ?? new Map();
      events.set(stored.id, stored);
      eventsByRecord.set(recordId, events);
    }
  }
  const mismatches: Mismatch[] = [];
  for (const lead of leads) {
    const fields = recordFields(stack, lead.recordId);
    const scoredAt = instant(fields[names.scoredAt]);
    const result = scoreLead(
      model,
      {
        id: lead.recordId,
        profile: Object.fromEntries(model.profileFields.map((field) => [field, fields[field]])),
        events: [...(eventsByRecord.get(lead.recordId)?.values() ?? [])],
      },
      Number.isFinite(scoredAt) ? scoredAt : Date.now(),
    );
    const expected = {
      score: String(result.score),
      grade: result.grade,
      stage: result.stage,
      reasons: reasonsText(result.reasons),
    };
    const actual = {
      score: text(fields[names.score]),
      grade: text(fields[names.grade]),
      stage: text(fields[names.stage]),
      reasons: text(fields[names.reasons]),
    };
    if (JSON.stringify(expected) !== JSON.stringify(actual))
      mismatches.push({ recordId: lead.recordId, expected, actual });
  }
  return { mismatches, compared: leads.length };
}

/** The routes the traffic went to. */
export const routesOf = (sent: readonly Sent[]) => new Set(sent.map((request) => request.call.path));

/** Every webhook route but those `left` out. */
export const routesBut = (...left: string[]) =>
  new Set<string>(WEBHOOK_ROUTES.filter((route) => !left.includes(route)));

/** Each CRM's batch write: how it shows in the sandbox's request log, and how many records one call takes. */
const WRITE_CALLS = {
  hubspot: { isWrite: (path: string) => path.endsWith('/contacts/batch/update'), perCall: 100 },
  // jsforce updates a list through sObject Collections (up to 200 records a call).
  salesforce: { isWrite: (path: string) => /\/composite\/sobjects$/.test(path), perCall: 200 },
} as const;

/**
 * What the main scenarios check: no request refused, every lead's CRM fields as scoreLead has them (the first
 * mismatches), and the CRM write calls made against ≤ 1.1× the fewest the write-back batches allowed.
 */
export function outcome(
  { stack, writeBackBatches }: E2eStack,
  leads: readonly TrafficLead[],
  sent: readonly Sent[],
) {
  const { mismatches, compared } = compareWithReference(stack, leads, sent, defaultModel(stack.crm));
  const { calls, minimum } = writeCallCounts(stack, writeBackBatches);
  return {
    events: sent.reduce((sum, request) => sum + request.events, 0),
    routes: routesOf(sent),
    refused: sent.filter((request) => request.status !== 200).map((request) => request.status),
    compared,
    mismatches: mismatches.slice(0, 3),
    writeCalls: calls,
    writeCallBudget: Math.ceil(minimum * 1.1),
  };
}

/** Score writes made to the stack's CRM, and the fewest calls the write-back invocations could have made. */
export function writeCallCounts(stack: LocalStack, writeBackBatches: readonly number[]) {
  const { isWrite, perCall } = WRITE_CALLS[stack.crm];
  const sandbox = stack.hubspot ?? stack.salesforce;
  const calls = (sandbox?.requests() ?? []).filter(
    (request) => request.method !== 'GET' && isWrite(request.path),
  );
  const minimum = writeBackBatches.reduce((sum, leads) => sum + Math.ceil(leads / perCall), 0);
  return { calls: calls.length, minimum };
}
