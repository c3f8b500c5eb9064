import type { Role } from '@shared/api';
import type { DeviceConfig } from '@shared/config';
import type { CryptoProfileName } from '@shared/crypto/profile';

/** What the app does about new versions; plain data, so the policy is tested without Electron. */
export interface UpdatePlan {
  /** electron-updater's generic provider: `latest.yml` / `latest-linux.yml` and the installers live here. */
  feed: { provider: 'generic'; url: string };
  /** Between checks after the one at start; null: only at start. */
  intervalMs: number | null;
  /** The device's crypto profile: under `sm` a release must carry a valid SM2 signature. */
  crypto: CryptoProfileName;
}

/**
 * Checks only in an installed app with an `updates` block. A kiosk (or hall display) serves the public all
 * day: it checks once at start, before the first applicant, and never again while it runs. No device ever
 * restarts itself: a downloaded update is installed when the app next quits.
 */
export function updatePlan(config: DeviceConfig, roles: readonly Role[], isPackaged: boolean): UpdatePlan | null {
  if (!isPackaged || !config.updates) return null;
  const url = config.updates.url.endsWith('/') ? config.updates.url : `${config.updates.url}/`;
  const publicFacing = roles.includes('kiosk') || roles.includes('display');
  return {
    feed: { provider: 'generic', url },
    intervalMs: publicFacing ? null : config.updates.checkEveryHours * 3_600_000,
    crypto: config.crypto,
  };
}
