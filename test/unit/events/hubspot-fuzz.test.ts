// Property tests: random and mutated HubSpot bodies and headers never crash the source or get accepted.
import fc from 'fast-check';
import { hubspotSource, type HubSpotSecrets } from '../../../lib/events/sources/hubspot';
import {
  expectParseOutcomesValid,
  expectVerifyRejectsUnsigned,
  fixture,
  headerValue,
} from '../../support/source-fuzz';
import type { SourceFuzz } from '../../support/source-fuzz';

const fuzz: SourceFuzz<HubSpotSecrets> = {
  adapter: hubspotSource,
  secrets: { clientSecret: 'fuzz-secret' },
  seeds: [
    fixture('hubspot/hubspot-webhook-batch.json'),
    fixture('hubspot/hubspot-webhook-property-change-batch.json'),
    fixture('hubspot/hubspot-webhook-contact-merge.json'),
  ],
  headers: fc.record({
    'x-hubspot-signature-v3': headerValue,
    'x-hubspot-request-timestamp': headerValue,
    'x-hubspot-signature': headerValue,
    'x-hubspot-signature-version': fc.oneof(headerValue, fc.constantFrom('v1', 'v2')),
  }),
  url: fc.oneof(fc.webUrl({ withQueryParameters: true }), fc.string({ maxLength: 80 })),
};

describe('hubspot source under random input', () => {
  it('verify never throws and never accepts a request it was not given a valid signature for', () => {
    expectVerifyRejectsUnsigned(fuzz);
  });

  it('parse returns valid LeadEvents or throws MalformedBodyError, nothing else', () => {
    expectParseOutcomesValid(fuzz);
  });
});
