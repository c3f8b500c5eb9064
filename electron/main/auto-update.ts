import { autoUpdater } from 'electron-updater';
import { wireUpdater } from '../core/updates/updater';
import type { UpdatePlan } from './update-plan';

/**
 * Downloads new versions from central in the background and installs them when the app quits; a failed
 * check (central down, air-gapped hall, a release not signed by a key built into this app, or without the SM2 signature an `sm` device requires) is logged and
 * retried at the next interval, never shown to applicants.
 */
export function startAutoUpdate(plan: UpdatePlan, log: (message: string) => void): void {
  let check: () => Promise<void>;
  try {
    check = wireUpdater(
      autoUpdater,
      plan.feed.url,
      { ed25519: __RELEASE_PUBLIC_KEY__, sm2: __RELEASE_PUBLIC_KEY_SM2__ },
      plan.crypto,
      log,
    );
  } catch (e) {
    log(`updates off: ${(e as Error).message}`);
    return;
  }
  const run = () => {
    check().catch((e: unknown) => log(`update check failed: ${(e as Error).message}`));
  };
  run();
  if (plan.intervalMs) setInterval(run, plan.intervalMs).unref();
}
