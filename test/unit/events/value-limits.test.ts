import { cutLongValues, fitEvent, MAX_VALUE_CHARS } from '../../../lib/events/value-limits';
import { leadEvent } from '../../support/lead-events';

describe('cutLongValues', () => {
  it('cuts profile and field texts over the limit, and leaves shorter texts and other values alone', () => {
    const event = leadEvent({
      profile: { Description: 'd'.repeat(131_072), Title: 'VP Sales', NumberOfEmployees: 250, Fax: null },
      fields: { url: `/pricing?${'q'.repeat(MAX_VALUE_CHARS)}`, machineOpen: true },
    });
    const cut = cutLongValues(event);
    expect(cut.profile).toEqual({
      Description: 'd'.repeat(MAX_VALUE_CHARS),
      Title: 'VP Sales',
      NumberOfEmployees: 250,
      Fax: null,
    });
    expect(cut.fields).toEqual({ url: `/pricing?${'q'.repeat(MAX_VALUE_CHARS - 9)}`, machineOpen: true });
    expect({ ...cut, profile: undefined, fields: undefined }).toEqual({
      ...event,
      profile: undefined,
      fields: undefined,
    });
  });

  it('returns the event itself when nothing is too long, and never changes the event it is given', () => {
    const short = leadEvent({ profile: { Title: 'x'.repeat(MAX_VALUE_CHARS) } });
    expect(cutLongValues(short)).toBe(short);
    const long = leadEvent({ fields: { note: 'n'.repeat(MAX_VALUE_CHARS + 1) } });
    cutLongValues(long);
    expect(long.fields?.note).toHaveLength(MAX_VALUE_CHARS + 1);
  });

  it('never ends a cut text in half of a surrogate pair', () => {
    const text = `${'a'.repeat(9)}😀${'b'.repeat(10)}`; // the emoji is code units 9 and 10
    const cut = cutLongValues(leadEvent({ fields: { note: text } }), 10);
    expect(cut.fields?.note).toBe('a'.repeat(9));
    expect(cutLongValues(leadEvent({ fields: { note: text } }), 11).fields?.note).toBe(`${'a'.repeat(9)}😀`);
  });
});

describe('fitEvent', () => {
  const size = (event: object) => JSON.stringify(event).length;

  it('keeps an event that fits as it is, long values included', () => {
    const event = leadEvent({ fields: { note: 'n'.repeat(10_000) } });
    expect(fitEvent(event, () => true)).toBe(event);
  });

  it('cuts to the limit first, then shorter, until the event fits', () => {
    const fields = Object.fromEntries(Array.from({ length: 40 }, (_, n) => [`f${n}`, 'v'.repeat(20_000)]));
    const event = leadEvent({ fields });
    const fitted = fitEvent(event, (candidate) => size(candidate) <= 60_000);
    expect(size(fitted ?? {})).toBeLessThanOrEqual(60_000);
    // 40 × 4,096 and 40 × 2,048 are too many characters; 40 × 1,024 fits.
    expect(Object.values(fitted?.fields ?? {}).map((value) => String(value).length)).toEqual(
      Array(40).fill(1024),
    );
  });

  it('gives up when even 64-character values do not fit', () => {
    const fields = Object.fromEntries(Array.from({ length: 2000 }, (_, n) => [`f${n}`, 'v'.repeat(100)]));
    expect(fitEvent(leadEvent({ fields }), (candidate) => size(candidate) <= 50_000)).toBeUndefined();
  });
});
