/** Shared property tests for a webhook source: random and mutated bodies never crash it or get accepted. */
import fc, { type Arbitrary } from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LeadEventSchema } from '../../lib/events/lead-event';
import type { SourceAdapter } from '../../lib/events/source';
import { MalformedBodyError, type WebhookRequest } from '../../lib/events/webhook';

export const fixture = (path: string) => readFileSync(join(__dirname, '..', 'fixtures', path));
export const FUZZ_NOW = new Date('2024-05-01T12:00:00.000Z');
export const headerValue = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.constant(undefined),
  fc.stringMatching(/^\d{1,16}$/),
);

/** A seed with a few bytes flipped, dropped, duplicated or truncated. */
export const mutated = (seeds: Buffer[]) =>
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

export const anyBody = (seeds: Buffer[]) =>
  fc.oneof(
    mutated(seeds),
    fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes)),
    fc.string({ maxLength: 512 }).map((text) => Buffer.from(text)),
    fc.json().map((text) => Buffer.from(text)),
  );

/** 'ok' when parse returns schema-valid events or throws a short MalformedBodyError; otherwise what went wrong. */
function parseOutcome(adapter: SourceAdapter<never>, request: WebhookRequest, now: Date): string {
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

export interface SourceFuzz<S> {
  readonly adapter: SourceAdapter<S>;
  readonly secrets: S;
  readonly seeds: Buffer[];
  readonly headers: Arbitrary<Record<string, string | undefined>>;
  readonly url: Arbitrary<string>;
}

/** verify never throws, and never accepts a request it was not given a valid signature for. */
export function expectVerifyRejectsUnsigned<S>({
  adapter,
  secrets,
  seeds,
  headers,
  url,
}: SourceFuzz<S>): void {
  fc.assert(
    fc.property(anyBody(seeds), headers, url, (rawBody, randomHeaders, randomUrl) => {
      const request: WebhookRequest = { method: 'POST', url: randomUrl, headers: randomHeaders, rawBody };
      expect(adapter.verify(request, secrets, FUZZ_NOW).ok).toBe(false);
    }),
    { numRuns: 300 },
  );
}

/** parse returns valid LeadEvents or throws a short MalformedBodyError, nothing else. */
export function expectParseOutcomesValid<S>({ adapter, seeds }: SourceFuzz<S>): void {
  fc.assert(
    fc.property(anyBody(seeds), (rawBody) => {
      const request: WebhookRequest = {
        method: 'POST',
        url: `https://h.example.com${adapter.route}`,
        headers: {},
        rawBody,
      };
      expect(parseOutcome(adapter as SourceAdapter<never>, request, FUZZ_NOW)).toBe('ok');
    }),
    { numRuns: 500 },
  );
}
