/**
 * How long a profile or event field value may be. CRMs hold long texts (a Salesforce Long Text Area takes
 * 131,072 characters) and an Outbound Message carries every field the admin picked, whole: queued as is,
 * one such record outgrows an SQS message (256 KB) and would be refused for good, the other records of its
 * delivery with it, and a lead keeping such values outgrows its DynamoDB item (400 KB). Rules compare
 * values, and none needs more than a text's first few thousand characters, so longer values are cut.
 */
import type { FieldValue, LeadEvent } from './lead-event';

/** Profile and event field values longer than this many UTF-16 code units are cut to it. */
export const MAX_VALUE_CHARS = 4096;
/** fitEvent halves the cut down to this before giving up. */
const MIN_FIT_CHARS = 64;

/** The first `max` code units of `text`, never ending in half a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

function cutValues(
  values: Readonly<Record<string, FieldValue>> | undefined,
  max: number,
): Record<string, FieldValue> | undefined {
  if (values === undefined) return undefined;
  let result: Record<string, FieldValue> | undefined;
  for (const [name, value] of Object.entries(values)) {
    if (typeof value !== 'string' || value.length <= max) continue;
    result ??= { ...values };
    result[name] = cut(value, max);
  }
  return result;
}

/** The event with every profile and field value over `max` characters cut to it (itself when none is). */
export function cutLongValues(event: LeadEvent, max = MAX_VALUE_CHARS): LeadEvent {
  const profile = cutValues(event.profile, max);
  const fields = cutValues(event.fields, max);
  if (profile === undefined && fields === undefined) return event;
  return { ...event, ...(profile ? { profile } : {}), ...(fields ? { fields } : {}) };
}

/**
 * The event itself when `fits` says so; else cut to MAX_VALUE_CHARS, then shorter and shorter (halving down
 * to 64 characters) until it fits; undefined when even that does not fit (thousands of fields).
 */
export function fitEvent(event: LeadEvent, fits: (event: LeadEvent) => boolean): LeadEvent | undefined {
  if (fits(event)) return event;
  for (let max = MAX_VALUE_CHARS; max >= MIN_FIT_CHARS; max = Math.floor(max / 2)) {
    const candidate = cutLongValues(event, max);
    if (fits(candidate)) return candidate;
  }
  return undefined;
}
