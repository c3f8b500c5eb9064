import type { AppUpdater } from 'electron-updater';
import type { CryptoProfileName } from '@shared/crypto/profile';
import { releaseTrust, type ReleasePublicKeys } from './release-signature';
import { signedFeed } from './signed-feed';

/**
 * Wires electron-updater to central's `/updates/` at `feedUrl` as every installed app runs it, and returns one
 * check (with its download) for the caller to schedule. Only releases signed by a key built into the app (the
 * SM2 one on a device whose profile is `sm`) get as far as a download; the
 * installer is then checked against the SHA-512 in that signed yml. Differential downloads are off: they
 * assemble the installer from unsigned blockmaps, and a hall LAN does not need them.
 */
export function wireUpdater(
  updater: AppUpdater,
  feedUrl: string,
  publicKeys: ReleasePublicKeys,
  profile: CryptoProfileName,
  log: (message: string) => void,
): () => Promise<void> {
  const trust = releaseTrust(publicKeys, profile);
  updater.autoDownload = true;
  updater.autoInstallOnAppQuit = true;
  // A signed old release replayed by the feed must not roll a device back to a version with a known hole.
  updater.allowDowngrade = false;
  updater.disableDifferentialDownload = true;
  updater.disableWebInstaller = true;
  updater.setFeedURL(signedFeed(feedUrl, trust));
  updater.on('update-downloaded', (info) => log(`update ${info.version} downloaded; installs when the app quits`));
  return async () => {
    const result = await updater.checkForUpdates();
    await result?.downloadPromise;
  };
}
