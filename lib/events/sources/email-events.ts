/** What the email-platform sources share: vendor-event tables, wire checks, timestamps and building valid LeadEvents. */
import { firstIssue } from '../../issue-text';
import * as z from 'zod/mini';
import {
  LeadEventSchema,
  normalizeEmail,
  type FieldValue,
  type LeadEvent,
  type LeadEventType,
  type Source,
} from '../lead-event';
import type { ParsedBatch } from '../source';
import { isoFromEpochMs, MalformedBodyError, sha256Hex } from '../webhook';

/** `bounceKind` values across platforms: permanent, temporary, refused by the receiver, or never sent. */
export type BounceKind = 'hard' | 'soft' | 'blocked' | 'dropped';

export interface EmailEventMapping {
  readonly type: LeadEventType;
  readonly bounceKind?: BounceKind;
}

/**
 * Vendor event key → vocabulary. `null` marks an event we recognise and do not score (counted as ignored);
 * a key the table lacks (an event the vendor added later) is ignored the same way rather than refused.
 */
export type EmailEventTable = Readonly<Record<string, EmailEventMapping | null>>;

export function lookupEvent(table: EmailEventTable, key: string): EmailEventMapping | undefined {
  // hasOwn: a key such as `constructor` or `__proto__` must not reach Object.prototype.
  return Object.hasOwn(table, key) ? (table[key] ?? undefined) : undefined;
}

/** Parses `value` with a wire schema, or throws MalformedBodyError with `reason` (never the payload). */
export function parseWire<S extends z.ZodMiniType>(schema: S, value: unknown, reason: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data as z.infer<S>;
  // The reason says what the whole should be; a deeper problem is named by its path.
  const deeper = (result.error.issues[0]?.path.length ?? 0) > 0;
  throw new MalformedBodyError(deeper ? `${reason} (${firstIssue(result.error)})` : reason);
}

export const nonEmptyString = () => z.string().check(z.minLength(1));

/** A descriptive field that is only nice to have: a wrong type reads as absent instead of refusing the batch. */
export const lenient = <S extends z.ZodMiniType>(schema: S) => z.catch(z.optional(schema), undefined);

/** Tags or categories arrive as a string or a list; LeadEvent fields are scalars, so lists join with ','. */
export const StringOrListSchema = lenient(z.union([z.string(), z.array(z.string())]));

export function joinList(value: string | readonly string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.join(',');
}

export function epochSecondsToIso(seconds: number, source: Source): string {
  const iso = isoFromEpochMs(seconds * 1000);
  if (iso === undefined) throw new MalformedBodyError(`${source}: event timestamp out of range`);
  return iso;
}

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** Whether `YYYY-MM-DD…` names a day that exists: Date rolls February 30 over into March. */
function isCalendarDate(text: string): boolean {
  const [year, month, day] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day && month >= 1 && month <= 12;
}

/** An ISO-8601 time with a zone (any fraction, any offset) → ISO UTC with milliseconds. */
export function isoToUtc(text: string, source: Source): string {
  const time = ISO_WITH_ZONE.test(text) && isCalendarDate(text) ? new Date(text).getTime() : NaN;
  if (Number.isNaN(time)) throw new MalformedBodyError(`${source}: event time is not a valid date and time`);
  return new Date(time).toISOString();
}

/** For vendors without an event id: a hash of what identifies the event, so that ids carry no email address. */
export function stableEventId(parts: readonly (string | number | boolean | null | undefined)[]): string {
  return sha256Hex(JSON.stringify(parts.map((part) => part ?? null)));
}

export { normalizeEmail };

export interface EmailEventInput {
  readonly source: Source;
  readonly sourceEventId: string;
  readonly mapping: EmailEventMapping;
  readonly occurredAt: string;
  readonly email: string;
  /** Absent, null and empty values are dropped. */
  readonly fields: Readonly<Record<string, FieldValue | undefined>>;
}

/** Builds the LeadEvent and checks it against LeadEventSchema, so that nothing invalid is ever queued. */
export function buildEmailEvent(input: EmailEventInput): LeadEvent {
  const candidates: Record<string, FieldValue | undefined> = {
    ...input.fields,
    bounceKind: input.mapping.bounceKind,
  };
  const fields: Record<string, FieldValue> = {};
  for (const [name, value] of Object.entries(candidates)) {
    if (value !== undefined && value !== null && value !== '') fields[name] = value;
  }
  const result = LeadEventSchema.safeParse({
    source: input.source,
    sourceEventId: input.sourceEventId,
    type: input.mapping.type,
    occurredAt: input.occurredAt,
    who: { email: normalizeEmail(input.email) },
    ...(Object.keys(fields).length > 0 ? { fields } : {}),
  });
  if (!result.success) throw new MalformedBodyError(`${input.source}: ${firstIssue(result.error)}`);
  return result.data;
}

/**
 * Runs `toEvent` over vendor events; those it returns null for are counted as ignored. Given the `source`
 * of a batch, a refusal names the event's index in the sender's array (`sendgrid: event 2: timestamp out
 * of range`), so that the sender can find it among thousands.
 */
export function mapEvents<T>(
  items: readonly T[],
  toEvent: (item: T) => LeadEvent | null,
  batchOf?: Source,
): ParsedBatch {
  const events: LeadEvent[] = [];
  let ignored = 0;
  items.forEach((item, index) => {
    let event: LeadEvent | null;
    try {
      event = toEvent(item);
    } catch (error) {
      if (batchOf === undefined || !(error instanceof MalformedBodyError)) throw error;
      const reason = error.message.replace(`${batchOf}: `, '').replace(/^event /, '');
      throw new MalformedBodyError(`${batchOf}: event ${index}: ${reason}`);
    }
    if (event) events.push(event);
    else ignored += 1;
  });
  return { events, ignored };
}
