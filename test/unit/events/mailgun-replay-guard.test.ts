import fc from 'fast-check';
import { createTokenReplayGuard } from '../../../lib/events/sources/mailgun';

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms);
const TTL = 10_000;

describe('createTokenReplayGuard', () => {
  it('passes a token once and refuses it again within the TTL', () => {
    const guard = createTokenReplayGuard(10, TTL);

    expect(guard.remember('token-a', at(0))).toBe(true);
    expect(guard.remember('token-a', at(TTL - 1))).toBe(false);
  });

  it('forgets a token once its TTL has passed', () => {
    const guard = createTokenReplayGuard(10, TTL);
    guard.remember('token-a', at(0));

    expect(guard.remember('token-a', at(TTL))).toBe(true);
  });

  it('does not extend a token’s life when it is replayed', () => {
    const guard = createTokenReplayGuard(10, TTL);
    guard.remember('token-a', at(0));
    guard.remember('token-a', at(TTL - 1));

    expect(guard.remember('token-a', at(TTL))).toBe(true);
  });

  it('evicts the oldest token when full', () => {
    const guard = createTokenReplayGuard(2, TTL);
    guard.remember('a', at(0));
    guard.remember('b', at(1));
    guard.remember('c', at(2));

    expect(guard.size).toBe(2);
    expect(guard.remember('c', at(3))).toBe(false);
    expect(guard.remember('a', at(4))).toBe(true);
  });

  it('drops expired tokens as time moves on', () => {
    const guard = createTokenReplayGuard(10, TTL);
    guard.remember('a', at(0));
    guard.remember('b', at(1));
    guard.remember('c', at(TTL + 5));

    expect(guard.size).toBe(1);
  });

  it('never holds more than its capacity', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(
          fc.tuple(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'), fc.nat(3 * TTL)),
        ),
        (capacity, visits) => {
          const guard = createTokenReplayGuard(capacity, TTL);
          const sorted = [...visits].sort(([, left], [, right]) => left - right);
          for (const [token, ms] of sorted) {
            guard.remember(token, at(ms));
            if (guard.size > capacity) return false;
          }
          return true;
        },
      ),
    );
  });

  it.each([
    [0, TTL],
    [1.5, TTL],
    [10, 0],
    [10, Number.NaN],
  ])('refuses capacity %p with TTL %p', (capacity, ttl) => {
    expect(() => createTokenReplayGuard(capacity, ttl)).toThrow(RangeError);
  });
});
