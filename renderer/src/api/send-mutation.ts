import { isTransient } from './error-key';

/** Waits before re-sending the same mutation while the core is unreachable; three retries, then the error stands. */
export const MUTATION_RETRY_DELAYS_MS = [400, 1200, 2500] as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends one mutation, re-sending it unchanged (same mutation id inside `send`) while the core is
 * unreachable: a call whose answer was lost is then answered from the core's command log, never done twice.
 */
export async function sendMutation<T>(send: () => Promise<T>, onRetry?: (attempt: number) => void): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      const out = await send();
      onRetry?.(0);
      return out;
    } catch (e) {
      if (isTransient(e) && attempt < MUTATION_RETRY_DELAYS_MS.length) {
        onRetry?.(attempt + 1);
        await sleep(MUTATION_RETRY_DELAYS_MS[attempt]!);
        continue;
      }
      onRetry?.(0);
      throw e;
    }
  }
}
