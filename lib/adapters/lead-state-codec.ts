/**
 * A lead's state document as stored: JSON, raw-deflated with a preset dictionary of the fragments every
 * state repeats (field names, event types, sources). A state is ~1–2 KB of JSON whose every key occurs
 * once or a few times, so plain deflate finds little to refer back to; the dictionary gives it those
 * first occurrences, and a typical lead then fits one DynamoDB write unit (1 KB) instead of two.
 *
 * `codec` is stored beside the bytes. Version 0 (no attribute) is plain deflate; raw inflate with a
 * dictionary reads it unchanged, but a future dictionary must get a new version, never replace this one.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { CRM_SYSTEMS, LEAD_EVENT_TYPES, SOURCES } from '../events/lead-event';

export const STATE_CODEC = 1;

const PROFILE_FIELDS = [
  // HubSpot contact properties, then Salesforce Lead/Contact fields, that rules commonly read.
  'email',
  'firstname',
  'lastname',
  'jobtitle',
  'company',
  'numberofemployees',
  'industry',
  'country',
  'lifecyclestage',
  'Email',
  'FirstName',
  'LastName',
  'Title',
  'Company',
  'NumberOfEmployees',
  'Industry',
  'Country',
];

/** Fragments as they appear in JSON.stringify(state): the most frequent last (nearest, cheapest to refer to). */
function dictionary(): Buffer {
  const fragments = [
    ...CRM_SYSTEMS.map((system) => `"crm":{"system":"${system}","objectType":"`),
    ...PROFILE_FIELDS.map((field) => `"${field}":"`),
    '"profileAt":{',
    '"profile":{',
    '"enrichedAt":"',
    '"emitted":{"score":',
    '"rulesVersion":',
    '"scoredAt":"',
    '"score":{"score":',
    '"fit":',
    '"engagement":',
    '"grade":"',
    '"stage":"',
    '"reasons":"',
    '"mergedInto":"',
    '"campaign":"',
    '"formId":"',
    '"reason":"',
    '"messageId":"',
    '"url":"https://',
    ...SOURCES.map((source) => `"id":"${source}:`),
    ...LEAD_EVENT_TYPES.map((type) => `"type":"${type}","occurredAt":"20`),
    '"},{"',
    '{"events":[{"',
  ];
  return Buffer.from(fragments.join(''), 'utf8');
}

const DICTIONARY = dictionary();

export function encodeState(document: object): Uint8Array {
  return deflateRawSync(JSON.stringify(document), { level: 9, dictionary: DICTIONARY });
}

/** Reads a stored state of any codec version so far (0: plain deflate, 1: this dictionary). */
export function decodeState(bytes: Uint8Array, codec: number): object {
  if (bytes.length === 0) return {};
  if (codec !== 0 && codec !== STATE_CODEC) {
    throw new Error(
      `lead state codec ${codec} is newer than this code knows (${STATE_CODEC}): deploy the newer code`,
    );
  }
  return JSON.parse(inflateRawSync(bytes, { dictionary: DICTIONARY }).toString('utf8')) as object;
}
