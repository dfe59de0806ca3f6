import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { decodeState, encodeState, STATE_CODEC } from '../../../lib/adapters/lead-state-codec';

/** A lead state as the worker saves it (a HubSpot contact with a month of email and web activity). */
function typicalState(events: number) {
  const at = (day: number) => new Date(Date.UTC(2026, 10, 1 + day, 9, day * 7)).toISOString();
  return {
    crm: { system: 'hubspot', objectType: 'contact', id: '1203' },
    email: 'ana.silva@globex.example',
    profile: { email: 'ana.silva@globex.example', jobtitle: 'Head of Growth', numberofemployees: '420' },
    profileAt: { email: at(0), jobtitle: at(0), numberofemployees: at(0) },
    events: Array.from({ length: events }, (_, i) =>
      i % 2 === 0
        ? {
            url: 'https://globex.example/pricing',
            id: `api:web-${1000 + i}`,
            type: 'page.viewed',
            occurredAt: at(i),
          }
        : {
            messageId: `sgm-${5000 + i}`,
            id: `sendgrid:sg-${5000 + i}`,
            type: 'email.opened',
            occurredAt: at(i),
          },
    ),
    enrichedAt: at(0),
    score: {
      score: 57,
      fit: 35,
      engagement: 22.4,
      grade: 'B',
      stage: 'marketing-qualified',
      reasons: 'title-exec +20, pricing-page +17.1, mid-market +15, email-open +5.3',
      rulesVersion: 3,
      scoredAt: at(20),
    },
    emitted: {
      score: 57,
      grade: 'B',
      stage: 'marketing-qualified',
      reasons: 'title-exec +20, pricing-page +17.1',
    },
  };
}

describe('lead state codec', () => {
  it('gives back exactly the document it stored, whatever it holds', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const document = { value };
        return JSON.stringify(decodeState(encodeState(document), STATE_CODEC)) === JSON.stringify(document);
      }),
    );
  });

  it('reads states stored before the dictionary (plain deflate, codec 0)', () => {
    const state = typicalState(12);
    expect(decodeState(deflateRawSync(JSON.stringify(state)), 0)).toEqual(state);
  });

  it('reads an empty state as an empty document', () => {
    expect(decodeState(new Uint8Array(0), STATE_CODEC)).toEqual({});
  });

  it('refuses a codec newer than it knows, saying what to do', () => {
    expect(() => decodeState(encodeState({}), STATE_CODEC + 1)).toThrow('deploy the newer code');
  });

  it('stores a typical lead in less than plain deflate does, under one write unit with a dozen events', () => {
    const state = typicalState(12);
    const plain = deflateRawSync(JSON.stringify(state)).byteLength;
    const encoded = encodeState(state).byteLength;
    expect(encoded).toBeLessThan(plain * 0.85);
    expect(encoded + 150).toBeLessThanOrEqual(1024);
  });
});
