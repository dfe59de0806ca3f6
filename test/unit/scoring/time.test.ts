import fc from 'fast-check';
import { InvalidTimeError } from '../../../lib/scoring';
import { scoringTimeMs, toEpochMs } from '../../../lib/scoring/time';

interface Stamp {
  ms: number;
  offsetMinutes: number;
  fractionDigits: number;
  utc: boolean;
}

describe('toEpochMs', () => {
  it.each([
    ['2024-06-01T00:00:00Z', Date.UTC(2024, 5, 1)],
    ['2024-06-01T12:34:56.789Z', Date.UTC(2024, 5, 1, 12, 34, 56, 789)],
    ['2024-06-01T12:34:56.7Z', Date.UTC(2024, 5, 1, 12, 34, 56, 700)],
    ['2024-06-01T12:34:56.123456Z', Date.UTC(2024, 5, 1, 12, 34, 56, 123)],
    ['2024-06-01T12:00:00+02:00', Date.UTC(2024, 5, 1, 10)],
    ['2024-06-01T12:00:00-05:30', Date.UTC(2024, 5, 1, 17, 30)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['1970-01-01T00:00:00Z', 0],
    ['1969-12-31T23:59:59Z', -1000],
    ['2024-06-01', Date.UTC(2024, 5, 1)],
  ])('reads %j', (text, expected) => {
    // Act
    const ms = toEpochMs(text);

    // Assert
    expect(ms).toBe(expected);
  });

  it('takes epoch milliseconds and Dates as they are', () => {
    // Act / Assert
    expect(toEpochMs(1_717_200_000_000)).toBe(1_717_200_000_000);
    expect(toEpochMs(new Date(5))).toBe(5);
  });

  it.each([
    ['not a date'],
    [''],
    ['2024-13-01T00:00:00Z'],
    [Number.NaN],
    [Infinity],
    [null],
    [undefined],
    [{}],
  ])('gives NaN for %j', (value) => {
    // Act
    const ms = toEpochMs(value);

    // Assert
    expect(ms).toBeNaN();
  });

  it('agrees with Date.parse on every ISO-8601 timestamp', () => {
    // Arrange: UTC and offset forms, with 0-6 fraction digits, across leap years and month ends.
    const timestamp = fc.record({
      ms: fc.integer({ min: Date.UTC(1, 0, 1), max: Date.UTC(9999, 11, 31) }),
      offsetMinutes: fc.integer({ min: -14 * 60, max: 14 * 60 }),
      fractionDigits: fc.integer({ min: 0, max: 6 }),
      utc: fc.boolean(),
    });
    const pad = (n: number, width: number) => String(Math.abs(n)).padStart(width, '0');
    const format = ({ ms, offsetMinutes, fractionDigits, utc }: Stamp) => {
      const local = new Date(ms + (utc ? 0 : offsetMinutes) * 60_000);
      const fraction =
        fractionDigits === 0 ? '' : `.${pad(local.getUTCMilliseconds(), 3)}000`.slice(0, fractionDigits + 1);
      const zone = utc
        ? 'Z'
        : `${offsetMinutes < 0 ? '-' : '+'}${pad(Math.trunc(offsetMinutes / 60), 2)}:${pad(offsetMinutes % 60, 2)}`;
      return `${local.toISOString().slice(0, 19)}${fraction}${zone}`;
    };

    // Act / Assert
    fc.assert(
      fc.property(timestamp, (value) => {
        const text = format(value);
        expect(toEpochMs(text)).toBe(Date.parse(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with Date.parse on day-of-month overflow and odd shapes', () => {
    // Arrange
    const texts = [
      '2023-02-29T00:00:00Z',
      '2024-04-31T10:00:00Z',
      '2024-06-01T24:00:00Z',
      '2024-06-01T10:00:00',
    ];

    // Act / Assert
    for (const text of texts) expect(toEpochMs(text)).toBe(Date.parse(text));
  });
});

describe('scoringTimeMs', () => {
  it('throws InvalidTimeError for an unusable scoring time', () => {
    // Act
    const act = () => scoringTimeMs('yesterday');

    // Assert
    expect(act).toThrow(InvalidTimeError);
  });
});
