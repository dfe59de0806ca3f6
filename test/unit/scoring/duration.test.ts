import { InvalidDurationError, parseDuration } from '../../../lib/scoring';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('parseDuration', () => {
  it.each([
    ['30m', 30 * MINUTE],
    ['12h', 12 * HOUR],
    ['90d', 90 * DAY],
    ['2w', 14 * DAY],
    ['1d', DAY],
    [' 7d ', 7 * DAY],
  ])('reads %j as %d ms', (text, expected) => {
    // Act
    const ms = parseDuration(text);

    // Assert
    expect(ms).toBe(expected);
  });

  it.each(['', '90', 'd', '90 days', '1.5d', '-3d', '0d', '3y', '3M', '90D', '1e3d'])(
    'rejects %j',
    (text) => {
      // Act
      const act = () => parseDuration(text);

      // Assert
      expect(act).toThrow(InvalidDurationError);
    },
  );

  it('says what it expected', () => {
    // Act
    const act = () => parseDuration('90 days');

    // Assert
    expect(act).toThrow(
      'invalid duration "90 days": expected a whole number and a unit m, h, d or w (e.g. 90d)',
    );
  });
});
