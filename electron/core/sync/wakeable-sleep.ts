/**
 * A sleep that `wake()` ends early: a background loop waits between rounds but answers a nudge, a new
 * write or a stop at once.
 */
export function createWakeableSleep() {
  let wake: (() => void) | undefined;
  return {
    sleep(ms: number) {
      return new Promise<void>((resolve) => {
        const t = setTimeout(done, ms);
        function done() {
          clearTimeout(t);
          wake = undefined;
          resolve();
        }
        wake = done;
      });
    },
    wake: () => wake?.(),
  };
}
