// Property tests: random and mutated Outbound Messages and URLs never crash the source or get accepted.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LeadEventSchema } from '../../../lib/events/lead-event';
import { salesforceSource } from '../../../lib/events/sources/salesforce';
import { MalformedBodyError, type WebhookRequest } from '../../../lib/events/webhook';

const fixture = (path: string) => readFileSync(join(__dirname, '../../fixtures', path));
const now = new Date('2024-05-01T12:00:00.000Z');
const headerValue = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.constant(undefined),
  fc.stringMatching(/^\d{1,16}$/),
);

const adapter = salesforceSource;
const secrets = { organizationIds: ['012345678901234', '00D1I000003qqqE'], urlToken: 'fuzz-token' };
const seeds = [
  fixture('salesforce/salesforce-outbound-message.xml'),
  fixture('salesforce/salesforce-outbound-leads.xml'),
];
const headers = fc.record({ 'content-type': headerValue, soapaction: headerValue });
// Valid bodies with a wrong token, and wrong bodies with random URLs.
const url = fc.oneof(
  fc.webUrl({ withQueryParameters: true }),
  fc
    .string({ maxLength: 80 })
    .map((token) => `https://h.example.com/webhooks/salesforce?token=${encodeURIComponent(token)}`),
);

/** A seed with a few bytes flipped, dropped, duplicated or truncated. */
const mutated = (seeds: Buffer[]) =>
  fc
    .tuple(
      fc.constantFrom(...seeds),
      fc.array(
        fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('flip', 'drop', 'dup', 'cut')),
        {
          minLength: 1,
          maxLength: 6,
        },
      ),
    )
    .map(([seed, edits]) => {
      let bytes = Buffer.from(seed);
      for (const [at, value, edit] of edits) {
        const i = at % Math.max(bytes.length, 1);
        if (edit === 'flip') bytes[i] = value;
        if (edit === 'drop') bytes = Buffer.concat([bytes.subarray(0, i), bytes.subarray(i + 1)]);
        if (edit === 'dup') bytes = Buffer.concat([bytes.subarray(0, i + 1), bytes.subarray(i)]);
        if (edit === 'cut') bytes = bytes.subarray(0, i);
      }
      return bytes;
    });

const anyBody = (seeds: Buffer[]) =>
  fc.oneof(
    mutated(seeds),
    fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes)),
    fc.string({ maxLength: 512 }).map((text) => Buffer.from(text)),
    fc.json().map((text) => Buffer.from(text)),
  );

/** 'ok' when parse returns schema-valid events or throws a short MalformedBodyError; otherwise what went wrong. */
function parseOutcome(request: WebhookRequest): string {
  try {
    const batch = adapter.parse(request, now);
    const valid =
      batch.events.every((event) => LeadEventSchema.safeParse(event).success) && batch.ignored >= 0;
    return valid ? 'ok' : 'an invalid event';
  } catch (error) {
    if (!(error instanceof MalformedBodyError)) return `unexpected ${String(error)}`;
    return error.message.length < 120 ? 'ok' : 'a long reason';
  }
}

describe('salesforce source under random input', () => {
  it('verify never throws and never accepts a request it was not given a valid signature for', () => {
    fc.assert(
      fc.property(anyBody(seeds), headers, url, (rawBody, randomHeaders, randomUrl) => {
        const request: WebhookRequest = { method: 'POST', url: randomUrl, headers: randomHeaders, rawBody };
        expect(adapter.verify(request, secrets, now).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('verify with the right token never throws on mutated bodies, and accepts only known orgs', () => {
    fc.assert(
      fc.property(anyBody(seeds), (rawBody) => {
        const request: WebhookRequest = {
          method: 'POST',
          url: 'https://h.example.com/webhooks/salesforce?token=fuzz-token',
          headers: {},
          rawBody,
        };
        const verdict = adapter.verify(request, secrets, now);
        expect(!verdict.ok || /012345678901234|00D1I000003qqqE/.test(rawBody.toString('latin1'))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('parse returns valid LeadEvents or throws MalformedBodyError, nothing else', () => {
    fc.assert(
      fc.property(anyBody(seeds), (rawBody) => {
        const request: WebhookRequest = {
          method: 'POST',
          url: `https://h.example.com${adapter.route}`,
          headers: {},
          rawBody,
        };
        expect(parseOutcome(request)).toBe('ok');
      }),
      { numRuns: 500 },
    );
  });
});
