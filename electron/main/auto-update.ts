import { autoUpdater } from 'electron-updater';
import type { UpdatePlan } from './update-plan';

/**
 * Downloads new versions from central in the background and installs them when the app quits; a failed
 * check (central down, air-gapped hall) is logged and retried at the next interval, never shown to applicants.
 */
export function startAutoUpdate(plan: UpdatePlan, log: (message: string) => void): void {
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  autoUpdater.setFeedURL(plan.feed);
  autoUpdater.on('update-downloaded', (info) => log(`update ${info.version} downloaded; installs when the app quits`));
  const check = () => {
    autoUpdater.checkForUpdates().catch((e: unknown) => log(`update check failed: ${(e as Error).message}`));
  };
  check();
  if (plan.intervalMs) setInterval(check, plan.intervalMs).unref();
}
