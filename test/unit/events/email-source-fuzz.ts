/** Property check shared by the email-source tests: any body, however mangled, verifies without throwing and parses to valid events or a MalformedBodyError. */
import fc from 'fast-check';
import { LeadEventSchema } from '../../../lib/events/lead-event';
import type { SourceAdapter } from '../../../lib/events/source';
import { MalformedBodyError } from '../../../lib/events/webhook';
import { jsonMutation } from '../../support/body-mutations';
import { webhookRequest } from './email-webhook-request';

/** One JSON value somewhere inside a seed swapped for an arbitrary one: near-valid payloads. */
const mutatedJson = (seeds: readonly string[]) => jsonMutation(seeds).map((body) => body.toString('utf8'));

/** A slice of a seed's text replaced by arbitrary text: broken encodings, cut bodies. */
const spliced = (seeds: readonly string[]) =>
  fc.tuple(fc.constantFrom(...seeds), fc.nat(), fc.nat(), fc.string()).map(([seed, from, length, insert]) => {
    const start = from % (seed.length + 1);
    return seed.slice(0, start) + insert + seed.slice(start + (length % 64));
  });

export interface FuzzOptions<Secrets> {
  readonly url: string;
  readonly secrets: Secrets;
  readonly now: Date;
  /** Valid bodies to mutate. */
  readonly seeds: readonly string[];
  /** Turns a JSON text into the body the vendor would send (e.g. Mandrill's form field); identity by default. */
  readonly encode?: (json: string) => string;
  /** Seeds that are JSON (mutated structurally) rather than text only. */
  readonly jsonSeeds?: readonly string[];
  readonly headers?: Readonly<Record<string, string | undefined>>;
}

export function expectRobust<Secrets>(adapter: SourceAdapter<Secrets>, options: FuzzOptions<Secrets>): void {
  const encode = options.encode ?? ((json: string) => json);
  const bodies = fc.oneof(
    fc.string(),
    fc.jsonValue().map((value) => encode(JSON.stringify(value))),
    spliced(options.seeds),
    ...(options.jsonSeeds && options.jsonSeeds.length > 0
      ? [{ arbitrary: mutatedJson(options.jsonSeeds).map(encode), weight: 4 }]
      : []),
  );
  fc.assert(
    fc.property(bodies, (body) => {
      const request = webhookRequest({ url: options.url, body, headers: options.headers });
      const verdict = adapter.verify(request, options.secrets, options.now);
      if (typeof verdict.ok !== 'boolean') return false;
      try {
        const batch = adapter.parse(request, options.now);
        return (
          Number.isInteger(batch.ignored) &&
          batch.ignored >= 0 &&
          batch.events.every((event) => LeadEventSchema.safeParse(event).success)
        );
      } catch (error) {
        return error instanceof MalformedBodyError;
      }
    }),
    { numRuns: 400 },
  );
}
