// Reading leads from JSON Lines and CSV: order, line numbers, and bad input reported instead of thrown.
import { Readable } from 'node:stream';
import { readCsvLeads, readJsonLinesLeads, type LeadInput } from '../../../lib/cli/lead-sources';

async function collect(items: AsyncIterable<LeadInput>): Promise<LeadInput[]> {
  const out: LeadInput[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const jsonLines = (text: string) => collect(readJsonLinesLeads(Readable.from([text])));

describe('readJsonLinesLeads', () => {
  it('reads leads in order, defaulting a missing profile or events to empty', async () => {
    const event = { id: 'e1', type: 'email.opened', occurredAt: '2024-05-01T00:00:00Z', campaign: 'spring' };
    const text = [
      JSON.stringify({ id: 'a', profile: { jobtitle: 'CTO' }, events: [event] }),
      JSON.stringify({ id: 'b' }),
    ].join('\n');

    const items = await jsonLines(text);

    expect(items).toEqual([
      { ok: true, where: 'line 1', lead: { id: 'a', profile: { jobtitle: 'CTO' }, events: [event] } },
      { ok: true, where: 'line 2', lead: { id: 'b', profile: {}, events: [] } },
    ]);
  });

  it('skips blank lines but keeps counting them, and accepts CRLF and a BOM', async () => {
    const items = await jsonLines('\uFEFF{"id":"a"}\r\n\r\n  \r\n{"id":"b"}\r\n');

    expect(items.map((item) => item.where)).toEqual(['line 1', 'line 4']);
    expect(items.every((item) => item.ok)).toBe(true);
  });

  it('reports invalid JSON with its line number and goes on', async () => {
    const items = await jsonLines('{"id":"a"}\n{"id": \n{"id":"c"}\n');

    expect(items.map((item) => [item.where, item.ok])).toEqual([
      ['line 1', true],
      ['line 2', false],
      ['line 3', true],
    ]);
    expect(items[1]).toMatchObject({ reason: expect.stringMatching(/^invalid JSON \(.+\)$/) });
  });

  it('reports a value that is not a lead, naming each bad path', async () => {
    const bad = {
      id: 'x',
      events: [{ id: 'e', type: 'page.viewed', occurredAt: 'last tuesday' }, { id: 'f' }],
    };

    const [item] = await jsonLines(JSON.stringify(bad));

    expect(item).toMatchObject({ ok: false, where: 'line 1' });
    const reason = item && !item.ok ? item.reason : '';
    expect(reason).toMatch(/^not a lead: /);
    expect(reason).toContain('events[0].occurredAt: expected an ISO 8601 time with a zone');
    expect(reason).toContain('events[1].type: expected a string');
  });

  it.each([
    ['[1,2]', 'expected a lead object'],
    ['"lead"', 'expected a lead object'],
    ['{"profile":{}}', 'id: expected a non-empty string or a number'],
    ['{"id":"a","profile":[]}', 'profile: expected an object of fields'],
    ['{"id":"a","events":{}}', 'events: expected an array of events'],
  ])('rejects %s', async (line, message) => {
    const [item] = await jsonLines(line);

    expect(item && !item.ok && item.reason).toContain(message);
  });

  it('reads a numeric id as a string and accepts epoch-millisecond event times', async () => {
    const [item] = await jsonLines('{"id":42,"events":[{"id":"e","type":"t","occurredAt":1714521600000}]}');

    expect(item).toMatchObject({ ok: true, lead: { id: '42', events: [{ occurredAt: 1714521600000 }] } });
  });
});

describe('readCsvLeads', () => {
  it('makes each row a profile without its empty cells, id from the id column', async () => {
    const csv = 'id,jobtitle,numberofemployees\r\nL-1,VP Sales,\r\nL-2,,250\r\n';

    const items = await collect(readCsvLeads([csv]));

    expect(items).toEqual([
      {
        ok: true,
        where: 'row 1 (line 2)',
        lead: { id: 'L-1', profile: { id: 'L-1', jobtitle: 'VP Sales' }, events: [] },
      },
      {
        ok: true,
        where: 'row 2 (line 3)',
        lead: { id: 'L-2', profile: { id: 'L-2', numberofemployees: '250' }, events: [] },
      },
    ]);
  });

  it('uses the row number when there is no id column or the cell is empty', async () => {
    const items = await collect(readCsvLeads(['email,id\na@x.io,\nb@y.io, 7 \n']));

    expect(items.map((item) => item.ok && item.lead.id)).toEqual(['1', '7']);
  });

  it('reports a row with more cells than the header has columns, and goes on', async () => {
    const items = await collect(readCsvLeads(['a,b\n1,2,3\n4,5\n']));

    expect(items[0]).toEqual({
      ok: false,
      where: 'row 1 (line 2)',
      reason: '1 more cell(s) than the header has columns',
    });
    expect(items[1]).toMatchObject({ ok: true, lead: { id: '2', profile: { a: '4', b: '5' } } });
  });
});
