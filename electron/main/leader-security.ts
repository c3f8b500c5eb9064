import { powerMonitor, safeStorage } from 'electron';
import type { DeviceKey } from '../core/leader/device-key';

/**
 * The OS keychain (DPAPI, Keychain, libsecret) wraps the leader data key for this device. Where no
 * keychain is available the core falls back to its 0600 key file, and says so in the log.
 */
export function keychainSecrets(warn: (msg: string) => void): DeviceKey | undefined {
  if (!safeStorage.isEncryptionAvailable()) {
    warn('safeStorage is not available: the leader data key is wrapped with the key file in the data folder');
    return undefined;
  }
  return {
    protect: (plain) => safeStorage.encryptString(plain.toString('base64')),
    unprotect: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'base64'),
  };
}

/** Whoever walks away from a locked screen or a sleeping laptop leaves the pane locked too. */
export function lockLeaderOnSystemEvents(lockAll: (reason: string) => void): void {
  powerMonitor.on('lock-screen', () => lockAll('screen-lock'));
  powerMonitor.on('suspend', () => lockAll('suspend'));
}
