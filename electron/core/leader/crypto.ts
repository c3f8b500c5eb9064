import crypto from 'node:crypto';
import { AppError } from '@shared/api';

/**
 * AES-256-GCM for every leader record: `v1 | nonce(12) | tag(16) | ciphertext`. The AAD names the table
 * and the record, so a ciphertext copied onto another row (or another table) fails to open.
 */
const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

export const newDataKey = (): Buffer => crypto.randomBytes(KEY_BYTES);

export function seal(key: Buffer, plaintext: Buffer, aad: string): Buffer {
  const nonce = crypto.randomBytes(NONCE_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), nonce, cipher.getAuthTag(), body]);
}

/** Opens what `seal` wrote under the same key and AAD; a wrong key, a flipped bit or a swapped row all throw. */
export function open(key: Buffer, blob: Buffer, aad: string): Buffer {
  if (blob.length < 1 + NONCE_BYTES + TAG_BYTES || blob[0] !== VERSION) throw corrupt(aad, 'unknown format');
  const nonce = blob.subarray(1, 1 + NONCE_BYTES);
  const tag = blob.subarray(1 + NONCE_BYTES, 1 + NONCE_BYTES + TAG_BYTES);
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(blob.subarray(1 + NONCE_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw corrupt(aad, 'authentication failed');
  }
}

export const sealJson = (key: Buffer, value: unknown, aad: string): Buffer =>
  seal(key, Buffer.from(JSON.stringify(value), 'utf8'), aad);
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
export const wrapKey = (kek: Buffer, dek: Buffer, label: string): Buffer => seal(kek, dek, `dek:${label}`);
export const unwrapKey = (kek: Buffer, wrapped: Buffer, label: string): Buffer => open(kek, wrapped, `dek:${label}`);
