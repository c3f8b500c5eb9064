import crypto from 'node:crypto';
import { AppError } from '@shared/api';
import type { CryptoProfileName } from '@shared/crypto/profile';
import { AEAD_KEY_BYTES, AEAD_NONCE_BYTES, AEAD_TAG_BYTES, aeadById, cryptoProfile } from '../crypto/profile';

/**
 * The at-rest cipher for leader key wraps and attachment pages: `alg | nonce(12) | tag(16) | ciphertext`,
 * where `alg` is the AEAD's format byte (1 AES-256-GCM, 2 SM4-GCM: shared/crypto/profile), so a device
 * switched to the SM profile still opens what it sealed before. The AAD names the table and the record,
 * so a ciphertext copied onto another row (or another table) fails to open.
 */
export const KEY_BYTES = AEAD_KEY_BYTES;

/** How much longer a sealed blob is than what it seals. */
export const SEALED_OVERHEAD = 1 + AEAD_NONCE_BYTES + AEAD_TAG_BYTES;

export const newDataKey = (): Buffer => crypto.randomBytes(KEY_BYTES);

export function seal(key: Buffer, plaintext: Buffer, aad: string, profile: CryptoProfileName = 'default'): Buffer {
  const { aead } = cryptoProfile(profile);
  const nonce = crypto.randomBytes(AEAD_NONCE_BYTES);
  const { body, tag } = aead.seal(key, nonce, plaintext, Buffer.from(aad, 'utf8'));
  return Buffer.concat([Buffer.from([aead.id]), nonce, tag, body]);
}

/** Opens what `seal` wrote under the same key and AAD, with either cipher; a wrong key, a flipped bit or a swapped row all throw. */
export function open(key: Buffer, blob: Buffer, aad: string): Buffer {
  const aead = aeadById(blob[0]);
  if (blob.length < SEALED_OVERHEAD || !aead) throw corrupt(aad, 'unknown format');
  const nonce = blob.subarray(1, 1 + AEAD_NONCE_BYTES);
  const tag = blob.subarray(1 + AEAD_NONCE_BYTES, 1 + AEAD_NONCE_BYTES + AEAD_TAG_BYTES);
  try {
    return aead.open(key, nonce, blob.subarray(1 + AEAD_NONCE_BYTES + AEAD_TAG_BYTES), tag, Buffer.from(aad, 'utf8'));
  } catch {
    throw corrupt(aad, 'authentication failed');
  }
}

export const sealJson = (key: Buffer, value: unknown, aad: string, profile: CryptoProfileName = 'default'): Buffer =>
  seal(key, Buffer.from(JSON.stringify(value), 'utf8'), aad, profile);
export const openJson = <T>(key: Buffer, blob: Buffer, aad: string): T =>
  JSON.parse(open(key, blob, aad).toString('utf8')) as T;

/** The record cannot be decrypted: damaged on disk, moved from another row, or the key is not its key. */
export class CiphertextError extends AppError {
  constructor(
    readonly aad: string,
    why: string,
  ) {
    super('INTERNAL', `encrypted record ${aad} cannot be opened (${why})`, {
      reason: 'record_unreadable',
      record: aad,
    });
    this.name = 'CiphertextError';
  }
}
const corrupt = (aad: string, why: string) => new CiphertextError(aad, why);

// ---------------------------------------------------------------- the password's key-encryption key

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}
/** ~100 ms and 32 MiB per guess on a hall PC: slow for guessing, unnoticed at login. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };

export function deriveKek(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    crypto.scrypt(
      password.normalize('NFC'),
      salt,
      KEY_BYTES,
      { ...params, maxmem: 256 * params.N * params.r + 16 * 1024 * 1024 },
      (e, key) => (e ? reject(e) : resolve(key)),
    );
  });
}

/** Wraps the data key under a key-encryption key; the label keeps the two wrappings apart. */
export const wrapKey = (kek: Buffer, dek: Buffer, label: string, profile: CryptoProfileName = 'default'): Buffer =>
  seal(kek, dek, `dek:${label}`, profile);
export const unwrapKey = (kek: Buffer, wrapped: Buffer, label: string): Buffer => open(kek, wrapped, `dek:${label}`);
