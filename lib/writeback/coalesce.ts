/**
 * Write-back messages → one entry per lead. Several announcements of the same lead in a batch become
 * one write of its current state; each message keeps its own version, because a message whose version
 * the store does not hold yet must wait (its save has not landed) while older ones are satisfied.
 */
import * as z from 'zod/mini';
import type { WriteBackRequest } from '../leads/ports';

export interface WriteBackMessage {
  readonly messageId: string;
  readonly body: string;
  /** SQS's count of deliveries so far (1 on the first); absent = first. */
  readonly attributes?: { readonly ApproximateReceiveCount?: string };
}

export interface AnnouncedMessage extends WriteBackMessage {
  readonly request: WriteBackRequest;
}

export interface CoalescedLead {
  readonly leadId: string;
  /** The highest announced version. */
  readonly version: number;
  /** Any announcement said grade or stage changed. */
  readonly qualificationChanged: boolean;
  /** The most any of its requests was held (put back for later) before. */
  readonly holds: number;
  readonly messages: readonly AnnouncedMessage[];
}

export interface Coalesced {
  readonly leads: CoalescedLead[];
  /** Messages that are not write-back requests at all, with why. */
  readonly invalid: { readonly message: WriteBackMessage; readonly reason: string }[];
}

const WriteBackRequestSchema = z.object({
  leadId: z.string().check(z.minLength(1)),
  version: z.number().check(z.int(), z.minimum(1)),
  qualificationChanged: z.boolean(),
  holds: z.optional(z.number().check(z.int(), z.minimum(0))),
});

export function readRequest(body: string): { request: WriteBackRequest } | { reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { reason: 'body is not JSON' };
  }
  const parsed = WriteBackRequestSchema.safeParse(json);
  if (parsed.success) return { request: parsed.data };
  const issue = parsed.error.issues[0];
  return {
    reason: `not a write-back request: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
  };
}

export function coalesce(messages: readonly WriteBackMessage[]): Coalesced {
  const byLead = new Map<string, AnnouncedMessage[]>();
  const invalid: Coalesced['invalid'] = [];
  for (const message of messages) {
    const read = readRequest(message.body);
    if ('reason' in read) {
      invalid.push({ message, reason: read.reason });
      continue;
    }
    const list = byLead.get(read.request.leadId) ?? [];
    list.push({ ...message, request: read.request });
    byLead.set(read.request.leadId, list);
  }
  const leads = [...byLead].map(([leadId, list]) => summarize(leadId, list));
  return { leads, invalid };
}

/** The lead's messages that the stored version satisfies (their save has landed), as one entry; and those still waiting. */
export function splitByStoredVersion(
  lead: CoalescedLead,
  storedVersion: number,
): { satisfied?: CoalescedLead; waiting: AnnouncedMessage[] } {
  const ready = lead.messages.filter((message) => message.request.version <= storedVersion);
  const waiting = lead.messages.filter((message) => message.request.version > storedVersion);
  return { ...(ready.length > 0 ? { satisfied: summarize(lead.leadId, ready) } : {}), waiting };
}

function summarize(leadId: string, messages: readonly AnnouncedMessage[]): CoalescedLead {
  return {
    leadId,
    version: Math.max(...messages.map((message) => message.request.version)),
    qualificationChanged: messages.some((message) => message.request.qualificationChanged),
    holds: Math.max(...messages.map((message) => message.request.holds ?? 0)),
    messages,
  };
}
