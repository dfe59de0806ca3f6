import fc from 'fast-check';
import { storedEventId } from '../../../lib/leads/lead-state';

const HEX_64 = 'a3f1c2'.repeat(10) + 'beef';

describe('storedEventId', () => {
  it('keeps short keys as they are', () => {
    expect(storedEventId('sendgrid:sg-12-2017')).toBe('sendgrid:sg-12-2017');
    expect(storedEventId('mandrill:md-12-2019:open:1794732667')).toBe('mandrill:md-12-2019:open:1794732667');
  });

  it('stores a long key as its source and a 16-character digest', () => {
    expect(storedEventId(`postmark:${HEX_64}`)).toMatch(/^postmark:~[A-Za-z0-9_-]{16}$/);
  });

  it('is idempotent and keeps distinct long keys distinct', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 41, maxLength: 200 }),
        fc.string({ minLength: 41, maxLength: 200 }),
        (a, b) => {
          const [x, y] = [storedEventId(`hubspot:${a}`), storedEventId(`hubspot:${b}`)];
          return storedEventId(x) === x && (a === b) === (x === y);
        },
      ),
    );
  });
});
