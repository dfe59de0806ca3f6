// Property tests: random and mutated Outbound Messages and URLs never crash the source or get accepted.
import fc from 'fast-check';
import { salesforceSource, type SalesforceSecrets } from '../../../lib/events/sources/salesforce';
import { MalformedBodyError, type WebhookRequest } from '../../../lib/events/webhook';
import {
  anyBody,
  expectParseOutcomesValid,
  expectVerifyRejectsUnsigned,
  fixture,
  FUZZ_NOW,
  headerValue,
} from '../../support/source-fuzz';
import type { SourceFuzz } from '../../support/source-fuzz';

const secrets = { organizationIds: ['012345678901234', '00D1I000003qqqE'], urlToken: 'fuzz-token' };
const seeds = [
  fixture('salesforce/salesforce-outbound-message.xml'),
  fixture('salesforce/salesforce-outbound-leads.xml'),
];

const fuzz: SourceFuzz<SalesforceSecrets> = {
  adapter: salesforceSource,
  secrets,
  seeds,
  headers: fc.record({ 'content-type': headerValue, soapaction: headerValue }),
  // Valid bodies with a wrong token, and wrong bodies with random URLs.
  url: fc.oneof(
    fc.webUrl({ withQueryParameters: true }),
    fc
      .string({ maxLength: 80 })
      .map((token) => `https://h.example.com/webhooks/salesforce?token=${encodeURIComponent(token)}`),
  ),
};

/** True when parse answers the body 400: what verify lets through on the token alone must end there. */
function parseRefuses(request: WebhookRequest): boolean {
  try {
    salesforceSource.parse(request, FUZZ_NOW);
    return false;
  } catch (error) {
    return error instanceof MalformedBodyError;
  }
}

describe('salesforce source under random input', () => {
  it('verify never throws and never accepts a request it was not given a valid signature for', () => {
    expectVerifyRejectsUnsigned(fuzz);
  });

  it('parse returns valid LeadEvents or throws MalformedBodyError, nothing else', () => {
    expectParseOutcomesValid(fuzz);
  });
});

describe('salesforce source with the right token', () => {
  it('verify never throws on mutated bodies, and accepts only known orgs or bodies parse refuses', () => {
    fc.assert(
      fc.property(anyBody(seeds), (rawBody) => {
        const request: WebhookRequest = {
          method: 'POST',
          url: 'https://h.example.com/webhooks/salesforce?token=fuzz-token',
          headers: {},
          rawBody,
        };
        const verdict = salesforceSource.verify(request, secrets, FUZZ_NOW);
        const knownOrg = /012345678901234|00D1I000003qqqE/.test(rawBody.toString('latin1'));
        expect(!verdict.ok || knownOrg || parseRefuses(request)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
