/**
 * Remembers one-time tokens (Mailgun's `signature.token`) per Lambda instance, so a replayed signed request
 * is refused while it is still inside the timestamp window. Best effort by design: instances do not share it,
 * which is why the stable sourceEventId dedupe downstream stays the guarantee.
 */
export interface TokenReplayGuard {
  /** Records `token`; false when it was already seen within the TTL, i.e. the request is a replay. */
  remember(token: string, now: Date): boolean;
  /** Tokens currently held (expired ones may linger until the next `remember`). */
  readonly size: number;
}

/** An LRU with expiry: at most `capacity` tokens, each forgotten `ttlMs` after it was first seen. */
export function createTokenReplayGuard(capacity: number, ttlMs: number): TokenReplayGuard {
  if (!Number.isInteger(capacity) || capacity < 1)
    throw new RangeError('capacity must be a positive integer');
  if (!(ttlMs > 0)) throw new RangeError('ttlMs must be positive');
  // A Map iterates in insertion order, so its first entry is always the oldest token.
  const seenAt = new Map<string, number>();

  const forgetExpired = (nowMs: number): void => {
    for (const [token, at] of seenAt) {
      if (nowMs - at < ttlMs) break;
      seenAt.delete(token);
    }
  };

  return {
    remember(token, now) {
      const nowMs = now.getTime();
      forgetExpired(nowMs);
      const at = seenAt.get(token);
      if (at !== undefined && nowMs - at < ttlMs) return false;
      seenAt.delete(token);
      if (seenAt.size >= capacity) {
        const oldest = seenAt.keys().next();
        if (!oldest.done) seenAt.delete(oldest.value);
      }
      seenAt.set(token, nowMs);
      return true;
    },
    get size() {
      return seenAt.size;
    },
  };
}
