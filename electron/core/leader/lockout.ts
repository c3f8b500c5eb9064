/** Failed logins allowed before the first lock. */
export const FREE_FAILURES = 5;
const FIRST_LOCK_MS = 30_000;
const MAX_LOCK_MS = 60 * 60_000;

/**
 * How long an account stays locked after its `failures`-th consecutive failure: nothing for the first
 * four, then 30 s, doubling with each further failure, at most an hour. Kept in the store, so
 * restarting the app does not reset it.
 */
export function lockoutDelayMs(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** (failures - FREE_FAILURES));
}
