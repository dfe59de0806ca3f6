/** Drives the local stack like the outside world: seeds CRM contacts, sends signed traffic, checks the CRM. */
import { readFileSync } from 'node:fs';
import type { LeadEvent } from '../../lib/events/lead-event';
import type { SourceAdapter } from '../../lib/events/source';
import { genericApiSource } from '../../lib/events/sources/generic-api';
import { hubspotSource } from '../../lib/events/sources/hubspot';
import { mailchimpSource } from '../../lib/events/sources/mailchimp';
import { mailgunSource } from '../../lib/events/sources/mailgun';
import { mandrillSource } from '../../lib/events/sources/mandrill';
import { postmarkSource } from '../../lib/events/sources/postmark';
import { sendgridSource } from '../../lib/events/sources/sendgrid';
import { isScoringEvent, toStoredEvent } from '../../lib/leads/lead-state';
import { reasonsText } from '../../lib/leads/rescore';
import { compileRules, parseRulesText, scoreLead, type ScoringModel } from '../../lib/scoring';
import { DEFAULT_RULES_FILES, type LocalStack } from '../../local/stack';
import type { Sent, TrafficLead, WebhookCall } from '../../local/traffic';

const ADAPTERS: readonly SourceAdapter<never>[] = [
  hubspotSource,
  sendgridSource,
  mandrillSource,
  mailgunSource,
  postmarkSource,
  mailchimpSource,
  genericApiSource,
] as SourceAdapter<never>[];

export function defaultModel(): ScoringModel {
  const parsed = parseRulesText(readFileSync(DEFAULT_RULES_FILES.hubspot, 'utf8'));
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return compileRules(parsed.rules);
}

/** The normalized events of an accepted call, read with the source's own parser. */
function eventsOf(apiUrl: string, call: WebhookCall): LeadEvent[] {
  const adapter = ADAPTERS.find((candidate) => candidate.route === call.path);
  if (!adapter) throw new Error(`no adapter for ${call.path}`);
  const headers = Object.fromEntries(Object.entries(call.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const url = `${apiUrl}${call.path}${call.query ? `?${call.query}` : ''}`;
  return adapter.parse({ method: 'POST', url, headers, rawBody: Buffer.from(call.body) }, new Date()).events;
}

export interface Mismatch {
  readonly contactId: string;
  readonly expected: object;
  readonly actual: object;
}

/**
 * Compares every contact's score fields with scoreLead over that lead's unique events, at the time the
 * pipeline scored it (its `leadscore_scored_at`), with the profile the CRM holds.
 */
export function compareWithReference(
  stack: LocalStack,
  leads: readonly TrafficLead[],
  accepted: readonly Sent[],
  model: ScoringModel,
): { mismatches: Mismatch[]; compared: number } {
  const byEmail = new Map(leads.map((lead) => [lead.email, lead.contactId]));
  const eventsByContact = new Map<string, Map<string, ReturnType<typeof toStoredEvent>>>();
  for (const { call } of accepted) {
    for (const event of eventsOf(stack.apiUrl, call)) {
      const contactId = event.who.crm?.id ?? byEmail.get(event.who.email ?? '');
      if (!contactId || !isScoringEvent(event)) continue;
      const stored = toStoredEvent(event);
      const events = eventsByContact.get(contactId) ?? new Map();
      events.set(stored.id, stored);
      eventsByContact.set(contactId, events);
    }
  }
  const mismatches: Mismatch[] = [];
  for (const lead of leads) {
    const props = stack.hubspot!.record(lead.contactId)?.properties ?? {};
    const scoredAt = Number(props.leadscore_scored_at);
    const result = scoreLead(
      model,
      {
        id: lead.contactId,
        profile: { email: props.email, jobtitle: props.jobtitle, numberofemployees: props.numberofemployees },
        events: [...(eventsByContact.get(lead.contactId)?.values() ?? [])],
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
      score: props.leadscore_score,
      grade: props.leadscore_grade,
      stage: props.leadscore_stage,
      reasons: props.leadscore_reasons,
    };
    if (JSON.stringify(expected) !== JSON.stringify(actual))
      mismatches.push({ contactId: lead.contactId, expected, actual });
  }
  return { mismatches, compared: leads.length };
}

/** Calls to HubSpot's batch update, and the fewest calls the write-back invocations could have made. */
export function writeCallCounts(stack: LocalStack, writeBackBatches: readonly number[]) {
  const calls = stack
    .hubspot!.requests()
    .filter((request) => request.path.endsWith('/contacts/batch/update'));
  const minimum = writeBackBatches.reduce((sum, leads) => sum + Math.ceil(leads / 100), 0);
  return { calls: calls.length, minimum };
}
