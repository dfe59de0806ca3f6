import { coalesce, readRequest, splitByStoredVersion } from '../../../lib/writeback/coalesce';

const message = (messageId: string, leadId: string, version: number, qualificationChanged = false) => ({
  messageId,
  body: JSON.stringify({ leadId, version, qualificationChanged }),
});

describe('coalesce', () => {
  it('makes one entry per lead with its highest version and OR of qualificationChanged', () => {
    const messages = [
      message('m1', 'hubspot:contact:1', 3),
      message('m2', 'hubspot:contact:2', 1),
      message('m3', 'hubspot:contact:1', 5, true),
      message('m4', 'hubspot:contact:1', 4),
    ];

    const { leads, invalid } = coalesce(messages);

    expect(invalid).toEqual([]);
    expect(
      leads.map(({ leadId, version, qualificationChanged, messages: list }) => ({
        leadId,
        version,
        qualificationChanged,
        ids: list.map((entry) => entry.messageId),
      })),
    ).toEqual([
      { leadId: 'hubspot:contact:1', version: 5, qualificationChanged: true, ids: ['m1', 'm3', 'm4'] },
      { leadId: 'hubspot:contact:2', version: 1, qualificationChanged: false, ids: ['m2'] },
    ]);
  });

  it('keeps the same message delivered twice as two messages of one lead', () => {
    const { leads } = coalesce([message('m1', 'a', 2), message('m1-again', 'a', 2)]);

    expect(leads).toHaveLength(1);
    expect(leads[0]?.messages.map((entry) => entry.messageId)).toEqual(['m1', 'm1-again']);
  });

  it.each([
    ['not JSON', '{oops', 'body is not JSON'],
    ['no lead id', JSON.stringify({ version: 1, qualificationChanged: false }), 'leadId'],
    ['version 0', JSON.stringify({ leadId: 'a', version: 0, qualificationChanged: false }), 'version'],
    [
      'fractional version',
      JSON.stringify({ leadId: 'a', version: 1.5, qualificationChanged: true }),
      'version',
    ],
    ['no flag', JSON.stringify({ leadId: 'a', version: 2 }), 'qualificationChanged'],
  ])('sets aside a message with %s, saying why', (_case, body, mentioned) => {
    const { leads, invalid } = coalesce([{ messageId: 'x', body }, message('ok', 'b', 1)]);

    expect(leads.map((lead) => lead.leadId)).toEqual(['b']);
    expect(invalid).toHaveLength(1);
    expect(invalid[0]?.message.messageId).toBe('x');
    expect(invalid[0]?.reason).toContain(mentioned);
  });

  it('reads a valid request as it was announced', () => {
    expect(readRequest(JSON.stringify({ leadId: 'a', version: 7, qualificationChanged: true }))).toEqual({
      request: { leadId: 'a', version: 7, qualificationChanged: true },
    });
  });
});

describe('splitByStoredVersion', () => {
  const lead = coalesce([
    message('v2', 'a', 2, true),
    message('v3', 'a', 3, false),
    message('v5', 'a', 5, false),
  ]).leads[0]!;

  it('satisfies the messages whose version the store holds and keeps the newer ones waiting', () => {
    const { satisfied, waiting } = splitByStoredVersion(lead, 3);

    expect(satisfied?.messages.map((entry) => entry.messageId)).toEqual(['v2', 'v3']);
    expect(satisfied?.version).toBe(3);
    expect(satisfied?.qualificationChanged).toBe(true);
    expect(waiting.map((entry) => entry.messageId)).toEqual(['v5']);
  });

  it('takes the qualification change only from the satisfied messages', () => {
    const { satisfied } = splitByStoredVersion(
      coalesce([message('a1', 'a', 1, false), message('a4', 'a', 4, true)]).leads[0]!,
      2,
    );

    expect(satisfied?.qualificationChanged).toBe(false);
  });

  it('satisfies none while the store is older than every message (or has no lead: version 0)', () => {
    expect(splitByStoredVersion(lead, 0)).toEqual({ waiting: lead.messages });
    expect(splitByStoredVersion(lead, 1).satisfied).toBeUndefined();
  });

  it('satisfies all once the store is at or past the newest', () => {
    expect(splitByStoredVersion(lead, 9).waiting).toEqual([]);
  });
});
