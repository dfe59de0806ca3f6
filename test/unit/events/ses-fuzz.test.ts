import fc from 'fast-check';
import { parseSesEvents, sesSource } from '../../../lib/events/sources/ses';
import { snsSigningCertUrl } from '../../../lib/events/sources/sns-signature';
import { snsSubscriptionToConfirm } from '../../../lib/events/sources/sns-subscription';
import { MalformedBodyError } from '../../../lib/events/webhook';
import {
  fixtureRecord,
  signedNotification,
  snsRequest,
  TEST_NOW,
  TEST_SECRETS,
} from '../../support/sns-envelopes';

const genuineBody = JSON.stringify(signedNotification(fixtureRecord('legacy-bounce-notification.json')));

// What the signature and the checks cover; UnsubscribeURL and JSON whitespace are not signed.
const CHECKED_KEYS = ['Type', 'MessageId', 'TopicArn', 'Message', 'Subject', 'Timestamp', 'SigningCertURL'];
function checkedPart(body: string): string {
  try {
    const envelope = JSON.parse(body) as Record<string, unknown>;
    return JSON.stringify(CHECKED_KEYS.map((key) => envelope[key]));
  } catch {
    return 'not JSON';
  }
}

/** Parse may refuse a body only with MalformedBodyError (→ 400); anything else would be a 5xx. */
function parseOutcome(body: Buffer): 'parsed' | 'malformed' {
  try {
    parseSesEvents({ method: 'POST', url: 'https://x/webhooks/ses', headers: {}, rawBody: body }, TEST_NOW);
    return 'parsed';
  } catch (error) {
    if (error instanceof MalformedBodyError) return 'malformed';
    throw error;
  }
}

describe('SES/SNS robustness', () => {
  it('accepts a mutated genuine body only when no checked field changed, and never throws', () => {
    fc.assert(
      fc.property(fc.nat(genuineBody.length - 1), fc.integer({ min: 32, max: 126 }), (at, code) => {
        fc.pre(genuineBody.charCodeAt(at) !== code);
        const mutated = genuineBody.slice(0, at) + String.fromCharCode(code) + genuineBody.slice(at + 1);
        const request = snsRequest(mutated);

        const verdict = sesSource.verify(request, TEST_SECRETS, TEST_NOW);

        expect(!verdict.ok || checkedPart(mutated) === checkedPart(genuineBody)).toBe(true);
        expect(['parsed', 'malformed']).toContain(parseOutcome(request.rawBody));
      }),
      { numRuns: 400 },
    );
  });

  it('never throws on random bodies, JSON or not', () => {
    const bodies = fc.oneof(
      fc.string(),
      fc.json(),
      fc
        .record({
          Type: fc.constantFrom('Notification', 'SubscriptionConfirmation', 'Other'),
          MessageId: fc.string(),
          TopicArn: fc.string(),
          Message: fc.oneof(fc.json(), fc.string()),
          Timestamp: fc.string(),
          SignatureVersion: fc.constantFrom('1', '2', '3'),
          Signature: fc.base64String(),
          SigningCertURL: fc.oneof(fc.webUrl(), fc.string()),
          SubscribeURL: fc.webUrl(),
        })
        .map((envelope) => JSON.stringify(envelope)),
    );

    fc.assert(
      fc.property(bodies, (body) => {
        const request = snsRequest(body);

        expect(sesSource.verify(request, TEST_SECRETS, TEST_NOW).ok).toBe(false);
        expect(['parsed', 'malformed']).toContain(parseOutcome(request.rawBody));
        expect(() => snsSigningCertUrl(request)).not.toThrow();
        expect(() => snsSubscriptionToConfirm(request)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });
});
