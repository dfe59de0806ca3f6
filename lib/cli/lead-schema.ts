// The shape of one lead on a JSON Lines input, checked before scoring so a bad line is reported, not scored.
import { z } from 'zod';
import type { Lead, ScoringEvent } from '../scoring/types';
import { ISO_EXAMPLE, IsoInstantSchema } from './iso-time';

const nonEmptyString = z.string({ error: 'expected a string' }).min(1, 'expected a non-empty string');

const occurredAt = z.union([z.number(), IsoInstantSchema], {
  error: `expected an ISO 8601 time with a zone (e.g. ${ISO_EXAMPLE}) or epoch milliseconds`,
});

// Checks only the fields scoring needs. A loose object would copy every other field of every event,
// which made validation several times slower than scoring; the original events are kept instead.
const EventSchema = z.object(
  { id: nonEmptyString, type: nonEmptyString, occurredAt },
  { error: 'expected an event object' },
);

/** CRM ids are sometimes numbers (HubSpot's vid); they are read as strings. */
const LeadIdSchema = z.union([nonEmptyString, z.number().transform(String)], {
  error: 'expected a non-empty string or a number',
});

/** profile and events may be left out: a lead known only by its events, or only by its profile, still scores. */
export const LeadSchema = z.object(
  {
    id: LeadIdSchema,
    profile: z.record(z.string(), z.unknown(), { error: 'expected an object of fields' }).default({}),
    events: z.array(EventSchema, { error: 'expected an array of events' }).default([]),
  },
  { error: 'expected a lead object {id, profile, events}' },
);

export type LeadParseResult = { ok: true; lead: Lead } | { ok: false; error: z.ZodError };

export function parseLead(value: unknown): LeadParseResult {
  const result = LeadSchema.safeParse(value);
  if (!result.success) return { ok: false, error: result.error };
  // Validated above, so the input's own event objects (with url, formId, ...) are events.
  const events = (value as { events?: readonly ScoringEvent[] }).events ?? [];
  return { ok: true, lead: { id: result.data.id, profile: result.data.profile, events } };
}
