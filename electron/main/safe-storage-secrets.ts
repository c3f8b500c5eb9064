import { safeStorage } from 'electron';
import { secretBackendOf, type SecretBackend } from '../core/leader/storage-policy';
import { createFileSecretStore, type SecretStore } from '../core/sync/secret-store';

/** The device's secrets encrypted with the OS keychain (safeStorage), in owner-only files under `dir`. */
export function createSafeStorageSecretStore(dir: string): SecretStore {
  const available = () => {
    if (!safeStorage.isEncryptionAvailable()) throw new Error('OS secret storage (safeStorage) is not available');
  };
  return createFileSecretStore(dir, {
    encode: (s) => (available(), safeStorage.encryptString(s)),
    decode: (b) => (available(), safeStorage.decryptString(b)),
  });
}

/** What safeStorage keeps secrets with; the core decides what that allows (after `app.whenReady()`). */
export function safeStorageBackend(): SecretBackend {
  return secretBackendOf({
    available: safeStorage.isEncryptionAvailable(),
    linuxBackend: process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined,
  });
}
