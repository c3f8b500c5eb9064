import { AppError } from '@shared/api';

/**
 * What keeps this device's secrets (its central token above all), as the shell reports it: the OS
 * keychain; Electron's `basic_text` fallback on Linux (a password built into Chromium: whoever has the
 * disk reads them); no safeStorage at all; or the owner-only files of a plain Node run (web mode, tests).
 */
export type SecretBackend = 'os-keychain' | 'basic_text' | 'unavailable' | 'key-file';

/**
 * Refusal to keep leader content on a device whose secrets lie open: the central token in its data folder
 * would let whoever copies the folder pull the leader's content as this device. Null: allowed.
 */
export function leaderStorageRefusal(backend: SecretBackend): AppError | null {
  if (backend !== 'basic_text' && backend !== 'unavailable') return null;
  return new AppError(
    'FORBIDDEN',
    'this device has no OS keychain for its secrets (safeStorage: ' + backend + '): leader content is not stored here',
    { reason: 'leader_storage_insecure', backend },
  );
}

/**
 * Electron's report turned into a backend: `linuxBackend` is `safeStorage.getSelectedStorageBackend()`,
 * which only Linux has (elsewhere an available safeStorage is the platform's keychain or DPAPI).
 */
export function secretBackendOf(report: { available: boolean; linuxBackend?: string }): SecretBackend {
  if (!report.available) return 'unavailable';
  return report.linuxBackend === 'basic_text' ? 'basic_text' : 'os-keychain';
}
