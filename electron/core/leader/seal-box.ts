import crypto from 'node:crypto';
import type { CryptoProfileName } from '@shared/crypto/profile';
import {
  SEAL_BOX_INFO,
  SEAL_BOX_SM_INFO,
  SEAL_BOX_SM_VERSION,
  SEAL_BOX_VERSION,
  X25519_PUBLIC_KEY_BYTES,
} from '@shared/leader/seal-format';
import { AEAD_KEY_BYTES, cryptoProfile, deriveKey } from '../crypto/profile';
import { CiphertextError } from './crypto';

/**
 * Public-key sealing (ECIES: ephemeral X25519, then HKDF-SHA-256 and AES-256-GCM, or HKDF-SM3 and SM4-GCM
 * under the SM profile; the format is in shared/leader/seal-format). Anyone holding the public key can
 * seal, so content arrives while the pane is locked; only the private key, which the password alone
 * unwraps, opens. A box names its version, so boxes sealed before a profile switch still open.
 */
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const BOX_FORMATS = [
  { version: SEAL_BOX_VERSION, profile: 'default', info: SEAL_BOX_INFO },
  { version: SEAL_BOX_SM_VERSION, profile: 'sm', info: SEAL_BOX_SM_INFO },
] as const;
type BoxFormat = (typeof BOX_FORMATS)[number];
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

const boxKey = (f: BoxFormat, shared: Buffer, ephemeral: Buffer, recipient: Buffer): Buffer =>
  deriveKey(f.profile, shared, Buffer.concat([ephemeral, recipient]), f.info, AEAD_KEY_BYTES);

/**
 * `profile`: what seals the box. Only boxes the device itself opens may use `sm`: central opens the
 * default box alone.
 */
export function sealTo(
  recipientPublic: Buffer,
  plaintext: Buffer,
  aad: string,
  profile: CryptoProfileName = 'default',
): Buffer {
  const format = BOX_FORMATS.find((f) => f.profile === profile)!;
  const ephemeral = crypto.generateKeyPairSync('x25519');
  const ephemeralPublic = rawPublic(ephemeral.publicKey);
  const shared = crypto.diffieHellman({ privateKey: ephemeral.privateKey, publicKey: publicKeyOf(recipientPublic) });
  const key = boxKey(format, shared, ephemeralPublic, recipientPublic);
  const nonce = crypto.randomBytes(NONCE_BYTES);
  const { body, tag } = cryptoProfile(profile).aead.seal(key, nonce, plaintext, Buffer.from(aad, 'utf8'));
  shared.fill(0);
  key.fill(0);
  return Buffer.concat([Buffer.from([format.version]), ephemeralPublic, nonce, tag, body]);
}

/** Opens what `sealTo` sealed for this private key under the same AAD; anything else throws CiphertextError. */
export function openBox(privateKey: crypto.KeyObject, box: Buffer, aad: string): Buffer {
  const format = BOX_FORMATS.find((f) => f.version === box[0]);
  if (box.length < HEAD || !format) throw new CiphertextError(aad, 'unknown format');
  const ephemeralPublic = box.subarray(1, 1 + X25519_PUBLIC_KEY_BYTES);
  const nonce = box.subarray(1 + X25519_PUBLIC_KEY_BYTES, 1 + X25519_PUBLIC_KEY_BYTES + NONCE_BYTES);
  const tag = box.subarray(HEAD - TAG_BYTES, HEAD);
  try {
    const shared = crypto.diffieHellman({ privateKey, publicKey: publicKeyOf(Buffer.from(ephemeralPublic)) });
    const key = boxKey(format, shared, ephemeralPublic, rawPublic(crypto.createPublicKey(privateKey)));
    const aead = cryptoProfile(format.profile).aead;
    const out = aead.open(key, nonce, box.subarray(HEAD), tag, Buffer.from(aad, 'utf8'));
    shared.fill(0);
    key.fill(0);
    return out;
  } catch {
    throw new CiphertextError(aad, 'authentication failed');
  }
}

export const sealJsonTo = (
  recipientPublic: Buffer,
  value: unknown,
  aad: string,
  profile: CryptoProfileName = 'default',
): Buffer => sealTo(recipientPublic, Buffer.from(JSON.stringify(value), 'utf8'), aad, profile);
export const openJsonBox = <T>(privateKey: crypto.KeyObject, box: Buffer, aad: string): T =>
  JSON.parse(openBox(privateKey, box, aad).toString('utf8')) as T;
