// Reading --at and event times: ISO 8601 with an explicit zone, or a plain date.
import { parseIsoInstant } from '../../../lib/cli/iso-time';

describe('parseIsoInstant', () => {
  it.each([
    ['2024-05-01T12:00:00Z', Date.UTC(2024, 4, 1, 12)],
    ['2024-05-01T12:00:00.250Z', Date.UTC(2024, 4, 1, 12, 0, 0, 250)],
    ['2024-05-01T14:00:00+02:00', Date.UTC(2024, 4, 1, 12)],
    ['2024-05-01', Date.UTC(2024, 4, 1)],
  ])('reads %s', (text, epoch) => {
    expect(parseIsoInstant(text)?.getTime()).toBe(epoch);
  });

  it.each(['2024-05-01T12:00:00', 'yesterday', '2024-02-30', '2024-13-01', '', '1714564800000'])(
    'rejects %j',
    (text) => {
      expect(parseIsoInstant(text)).toBeUndefined();
    },
  );
});
