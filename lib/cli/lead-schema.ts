// The shape of one lead on a JSON Lines input, checked before scoring so a bad line is reported, not scored.
import { z } from 'zod';
import type { Lead } from '../scoring/types';
import { ISO_EXAMPLE, parseIsoInstant } from './iso-time';

const occurredAt = z.union(
  [
    z.number().refine(Number.isFinite, 'expected epoch milliseconds'),
    z
      .string()
      .refine(
        (text) => parseIsoInstant(text) !== undefined,
        `expected an ISO 8601 time with a zone, e.g. ${ISO_EXAMPLE}`,
      ),
  ],
  { error: 'expected an ISO 8601 time or epoch milliseconds' },
);

const nonEmptyString = z.string({ error: 'expected a string' }).min(1, 'expected a non-empty string');

const EventSchema = z.looseObject(
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
  return result.success ? { ok: true, lead: result.data } : { ok: false, error: result.error };
}
