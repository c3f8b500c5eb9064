import crypto from 'node:crypto';
import { SEAL_BOX_INFO, SEAL_BOX_VERSION, X25519_PUBLIC_KEY_BYTES } from '@shared/leader/seal-format';
import { CiphertextError } from './crypto';

/**
 * Public-key sealing (ECIES: ephemeral X25519, HKDF-SHA-256, AES-256-GCM; the format is in
 * shared/leader/seal-format). Anyone holding the public key can seal, so content arrives while the pane
 * is locked; only the private key, which the password alone unwraps, opens.
 */
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEAD = 1 + X25519_PUBLIC_KEY_BYTES + NONCE_BYTES + TAG_BYTES;

export interface SealKeyPair {
  /** Raw 32-byte X25519 public key: kept in clear, handed to whoever seals. */
  publicKey: Buffer;
  /** PKCS#8 DER of the private key: never stored unwrapped. */
  privateKey: Buffer;
}

export function newSealKeyPair(): SealKeyPair {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('x25519');
  return { publicKey: rawPublic(publicKey), privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }) };
}

export const privateKeyOf = (pkcs8: Buffer): crypto.KeyObject =>
  crypto.createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });

const rawPublic = (key: crypto.KeyObject): Buffer => {
  const { x } = key.export({ format: 'jwk' });
  return Buffer.from(x!, 'base64url');
};
const publicKeyOf = (raw: Buffer): crypto.KeyObject => {
  if (raw.length !== X25519_PUBLIC_KEY_BYTES) throw new Error('an X25519 public key is 32 bytes');
  return crypto.createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: raw.toString('base64url') }, format: 'jwk' });
};

const boxKey = (shared: Buffer, ephemeral: Buffer, recipient: Buffer): Buffer =>
  Buffer.from(crypto.hkdfSync('sha256', shared, Buffer.concat([ephemeral, recipient]), SEAL_BOX_INFO, 32));

export function sealTo(recipientPublic: Buffer, plaintext: Buffer, aad: string): Buffer {
  const ephemeral = crypto.generateKeyPairSync('x25519');
  const ephemeralPublic = rawPublic(ephemeral.publicKey);
  const shared = crypto.diffieHellman({ privateKey: ephemeral.privateKey, publicKey: publicKeyOf(recipientPublic) });
  const key = boxKey(shared, ephemeralPublic, recipientPublic);
  const nonce = crypto.randomBytes(NONCE_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  shared.fill(0);
  key.fill(0);
  return Buffer.concat([Buffer.from([SEAL_BOX_VERSION]), ephemeralPublic, nonce, cipher.getAuthTag(), body]);
}

/** Opens what `sealTo` sealed for this private key under the same AAD; anything else throws CiphertextError. */
export function openBox(privateKey: crypto.KeyObject, box: Buffer, aad: string): Buffer {
  if (box.length < HEAD || box[0] !== SEAL_BOX_VERSION) throw new CiphertextError(aad, 'unknown format');
  const ephemeralPublic = box.subarray(1, 1 + X25519_PUBLIC_KEY_BYTES);
  const nonce = box.subarray(1 + X25519_PUBLIC_KEY_BYTES, 1 + X25519_PUBLIC_KEY_BYTES + NONCE_BYTES);
  const tag = box.subarray(HEAD - TAG_BYTES, HEAD);
  try {
    const shared = crypto.diffieHellman({ privateKey, publicKey: publicKeyOf(Buffer.from(ephemeralPublic)) });
    const key = boxKey(shared, ephemeralPublic, rawPublic(crypto.createPublicKey(privateKey)));
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    const out = Buffer.concat([decipher.update(box.subarray(HEAD)), decipher.final()]);
    shared.fill(0);
    key.fill(0);
    return out;
  } catch {
    throw new CiphertextError(aad, 'authentication failed');
  }
}

export const sealJsonTo = (recipientPublic: Buffer, value: unknown, aad: string): Buffer =>
  sealTo(recipientPublic, Buffer.from(JSON.stringify(value), 'utf8'), aad);
export const openJsonBox = <T>(privateKey: crypto.KeyObject, box: Buffer, aad: string): T =>
  JSON.parse(openBox(privateKey, box, aad).toString('utf8')) as T;
