/**
 * A clock that starts at a given instant and then runs at real speed (monotonic: the PC clock being
 * set meanwhile does not move it). Tests start a host on one with a fixed hall time, so the queue's
 * opening hours and the 03:00 daily reset never depend on the hour the tests happen to run at.
 */
export function clockStartingAt(startIso: string): () => Date {
  const start = Date.parse(startIso);
  if (Number.isNaN(start)) throw new Error(`not an instant: "${startIso}"`);
  const t0 = performance.now();
  return () => new Date(start + (performance.now() - t0));
}
