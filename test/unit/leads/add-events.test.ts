import { addEvents, type StoredEvent } from '../../../lib/leads/lead-state';

const event = (id: string, occurredAt: string): StoredEvent => ({ id, type: 'page.viewed', occurredAt });
const ids = (events: readonly StoredEvent[]): string[] => events.map((e) => e.id);

describe('addEvents', () => {
  it('orders by the instant, not the text: an offset time sorts where it happened', () => {
    const held = [event('a', '2024-01-01T00:30:00.000Z'), event('b', '2024-01-01T02:00:00Z')];
    // 01:00 at +01:00 is 00:00Z: before a. 03:30 at +02:00 is 01:30Z: between a and b.
    const added = addEvents(held, [
      event('c', '2024-01-01T01:00:00+01:00'),
      event('d', '2024-01-01T03:30:00+02:00'),
    ]);
    expect(ids(added)).toEqual(['c', 'a', 'd', 'b']);
  });

  it('breaks equal times by id, whatever order the events came in', () => {
    const at = '2024-03-01T10:00:00.000Z';
    const forward = addEvents([event('m', at)], [event('z', at), event('b', at)]);
    const backward = addEvents([event('z', at)], [event('b', at), event('m', at)]);
    expect(ids(forward)).toEqual(['b', 'm', 'z']);
    expect(ids(backward)).toEqual(['b', 'm', 'z']);
  });

  it('drops events already held or repeated in the same delivery, and returns the held list unchanged when nothing is new', () => {
    const held = [event('a', '2024-01-01T00:00:00Z')];
    const added = addEvents(held, [
      event('a', '2024-02-01T00:00:00Z'),
      event('n', '2024-01-02T00:00:00Z'),
      event('n', '2024-01-03T00:00:00Z'),
    ]);
    expect(added).toEqual([event('a', '2024-01-01T00:00:00Z'), event('n', '2024-01-02T00:00:00Z')]);
    expect(addEvents(held, [event('a', '2024-05-01T00:00:00Z')])).toBe(held);
  });
});
