// Property tests: random and mutated /events bodies and headers never crash the source or get accepted.
import fc from 'fast-check';
import { genericApiSource, type GenericApiSecrets } from '../../../lib/events/sources/generic-api';
import {
  expectParseOutcomesValid,
  expectVerifyRejectsUnsigned,
  fixture,
  FUZZ_NOW,
  headerValue,
} from '../../support/source-fuzz';
import type { SourceFuzz } from '../../support/source-fuzz';

const fuzz: SourceFuzz<GenericApiSecrets> = {
  adapter: genericApiSource,
  secrets: { keys: ['fuzz-key', 'fuzz-key-2'] },
  seeds: [fixture('api/events-batch.json'), fixture('api/event-single.json')],
  headers: fc.record({
    'x-leadscore-timestamp': fc.oneof(headerValue, fc.constant(String(FUZZ_NOW.getTime() / 1000))),
    'x-leadscore-signature': fc.oneof(headerValue, fc.stringMatching(/^v1=[0-9a-f]{64}$/)),
  }),
  url: fc.constant('https://h.example.com/events'),
};

describe('api source under random input', () => {
  it('verify never throws and never accepts a request it was not given a valid signature for', () => {
    expectVerifyRejectsUnsigned(fuzz);
  });

  it('parse returns valid LeadEvents or throws MalformedBodyError, nothing else', () => {
    expectParseOutcomesValid(fuzz);
  });
});
