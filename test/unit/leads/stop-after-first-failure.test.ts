import { stopAfterFirstFailure } from '../../../lib/leads/sweep-due-leads';

const ref = (id: string) => ({ system: 'hubspot' as const, objectType: 'contact', id });

describe('stopAfterFirstFailure (the sweep’s CRM reader)', () => {
  it('passes reads through while the CRM answers', async () => {
    const calls: string[][] = [];
    const reader = stopAfterFirstFailure({
      readProfiles: async (refs) => {
        calls.push(refs.map((r) => r.id));
        return new Map(refs.map((r) => [r.id, { email: `${r.id}@acme.example` }]));
      },
    });

    expect(await reader.readProfiles([ref('1')], ['email'])).toEqual(
      new Map([['1', { email: '1@acme.example' }]]),
    );
    expect(await reader.readProfiles([ref('2')], ['email'])).toEqual(
      new Map([['2', { email: '2@acme.example' }]]),
    );
    expect(calls).toEqual([['1'], ['2']]);
  });

  it('after one failure fails every later read with the same error, without calling the CRM', async () => {
    let calls = 0;
    const down = new Error('HubSpot answered 503');
    const reader = stopAfterFirstFailure({
      readProfiles: async () => {
        calls++;
        throw down;
      },
    });

    await expect(reader.readProfiles([ref('1')], ['email'])).rejects.toBe(down);
    await expect(reader.readProfiles([ref('2')], ['email'])).rejects.toBe(down);
    expect(calls).toBe(1);
  });
});
