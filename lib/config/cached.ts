/** Memoizes an async load for a while (secrets, rules): one load in flight at a time, failures not kept. */
export function cachedFor<T>(load: () => Promise<T>, ttlMs: number, clock: () => number = Date.now) {
  let value: { readonly data: T; readonly until: number } | undefined;
  let inFlight: Promise<T> | undefined;
  const get = async (): Promise<T> => {
    if (value && clock() < value.until) return value.data;
    inFlight ??= load().then(
      (data) => {
        value = { data, until: clock() + ttlMs };
        inFlight = undefined;
        return data;
      },
      (error: unknown) => {
        inFlight = undefined;
        throw error;
      },
    );
    return inFlight;
  };
  /** Forgets the value, so that the next call loads again (a load in flight is still shared). */
  const invalidate = () => {
    value = undefined;
  };
  return Object.assign(get, { invalidate });
}
