/** A clock that only moves when the code under test sleeps: retries and backoffs cost no real time. */
export function manualClock(start: number) {
  const time = {
    now: start,
    slept: [] as number[],
    clock: () => time.now,
    sleep: async (ms: number) => {
      time.slept.push(ms);
      time.now += ms;
    },
  };
  return time;
}
