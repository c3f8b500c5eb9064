import crypto from 'node:crypto';
import type { CryptoProfileName } from '@shared/crypto/profile';
import { open, seal, KEY_BYTES } from '../leader/crypto';
import type { SecretStore } from '../sync/secret-store';

/**
 * How a page is kept at rest on the device: AES-256-GCM or SM4-GCM (the device's crypto profile; each
 * sealed file names its cipher, so pages sealed before a switch still open) under one device key held in
 * the device's secret store (safeStorage in Electron, an owner-only file elsewhere). The page's hash is the
 * AAD, so a file renamed onto another page's name fails to open. Everything about the key scheme is in this module:
 * the hardening work swaps `createAttachmentCipher` and nothing else changes.
 */
export interface AttachmentCipher {
  seal(sha256: string, plain: Buffer): Buffer;
  open(sha256: string, sealed: Buffer): Buffer;
}

const KEY_NAME = 'attachment-key';

export function createAttachmentCipher(secrets: SecretStore, profile: CryptoProfileName = 'default'): AttachmentCipher {
  let key: Buffer | undefined;
  const load = (): Buffer => {
    if (key) return key;
    const kept = secrets.get(KEY_NAME);
    if (kept === undefined) {
      secrets.set(KEY_NAME, crypto.randomBytes(KEY_BYTES).toString('base64'));
      return load();
    }
    const k = Buffer.from(kept, 'base64');
    if (k.length !== KEY_BYTES) throw new Error('the attachment key in the secret store is damaged');
    key = k;
    return key;
  };
  const aad = (sha256: string) => `attachment:${sha256}`;
  return {
    seal: (sha256, plain) => seal(load(), plain, aad(sha256), profile),
    open: (sha256, sealed) => open(load(), sealed, aad(sha256)),
  };
}
