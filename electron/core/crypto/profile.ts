import crypto from 'node:crypto';
import { hkdf, sm2, sm3 } from 'sm-crypto-v2';
import { SM4_KEY_BYTES, sm4GcmOpen, sm4GcmSeal } from '@shared/crypto/sm4-gcm';
import type { CryptoProfileName, MacName } from '@shared/crypto/profile';

/**
 * The algorithms of each crypto profile (shared/crypto/profile): AES-256-GCM, SHA-256, HMAC-SHA-256 and
 * Ed25519 by default; SM4-GCM, SM3, HMAC-SM3 and SM2 under `sm`. The SM algorithms come from sm-crypto-v2
 * (pure JS): Electron's BoringSSL has none of them, even where the Node that runs the tests and central has
 * SM3/SM4 in its OpenSSL.
 */

const u8 = (b: Buffer | Uint8Array): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

// ---------------------------------------------------------------- authenticated encryption at rest

/** Every key this module seals under is 32 random (or scrypt-derived) bytes, whichever the cipher. */
export const AEAD_KEY_BYTES = 32;
export const AEAD_NONCE_BYTES = 12;
export const AEAD_TAG_BYTES = 16;

export interface Aead {
  /** The format byte a sealed blob starts with, so a blob names the cipher that sealed it. */
  readonly id: number;
  readonly name: 'AES-256-GCM' | 'SM4-GCM';
  seal(key: Buffer, nonce: Buffer, plain: Buffer, aad: Buffer): { body: Buffer; tag: Buffer };
  /** Throws when the tag does not verify. */
  open(key: Buffer, nonce: Buffer, body: Buffer, tag: Buffer, aad: Buffer): Buffer;
}

const aes256gcm: Aead = {
  id: 1,
  name: 'AES-256-GCM',
  seal(key, nonce, plain, aad) {
    const c = crypto.createCipheriv('aes-256-gcm', key, nonce);
    c.setAAD(aad);
    const sealed = c.update(plain);
    const rest = c.final();
    return { body: rest.length === 0 ? sealed : Buffer.concat([sealed, rest]), tag: c.getAuthTag() };
  },
  open(key, nonce, body, tag, aad) {
    const d = crypto.createDecipheriv('aes-256-gcm', key, nonce);
    d.setAAD(aad);
    d.setAuthTag(tag);
    const plain = d.update(body);
    // GCM's final() gives no bytes (it checks the tag): a page is not copied into a second buffer.
    const rest = d.final();
    return rest.length === 0 ? plain : Buffer.concat([plain, rest]);
  },
};

/** SM4 has a 128-bit key: the first half of the 32-byte key, which is uniformly random on its own. */
const sm4Key = (key: Buffer): Uint8Array => {
  if (key.length !== AEAD_KEY_BYTES) throw new Error(`a sealing key is ${AEAD_KEY_BYTES} bytes`);
  return u8(key.subarray(0, SM4_KEY_BYTES));
};

const sm4gcm: Aead = {
  id: 2,
  name: 'SM4-GCM',
  seal(key, nonce, plain, aad) {
    const { body, tag } = sm4GcmSeal(sm4Key(key), u8(nonce), u8(plain), u8(aad));
    return { body: Buffer.from(body), tag: Buffer.from(tag) };
  },
  open: (key, nonce, body, tag, aad) => Buffer.from(sm4GcmOpen(sm4Key(key), u8(nonce), u8(body), u8(tag), u8(aad))),
};

const AEADS = [aes256gcm, sm4gcm] as const;

/** The cipher a sealed blob's format byte names; undefined for a byte no cipher uses. */
export const aeadById = (id: number | undefined): Aead | undefined => AEADS.find((a) => a.id === id);

// ---------------------------------------------------------------- the profile

export interface CryptoProfile {
  readonly name: CryptoProfileName;
  /** What new data at rest is sealed with; data sealed earlier opens by its own format byte. */
  readonly aead: Aead;
  /** The name of the keyed MAC, as a keyed audit chain records it. */
  readonly macName: MacName;
}

const PROFILES: Record<CryptoProfileName, CryptoProfile> = {
  default: { name: 'default', aead: aes256gcm, macName: 'hmac-sha256' },
  sm: { name: 'sm', aead: sm4gcm, macName: 'hmac-sm3' },
};

export const cryptoProfile = (name: CryptoProfileName): CryptoProfile => PROFILES[name];

// ---------------------------------------------------------------- digest and MAC

export type Bytes = Buffer | Uint8Array | string;
const bytesOf = (data: Bytes): Uint8Array => (typeof data === 'string' ? u8(Buffer.from(data, 'utf8')) : u8(data));

/** SHA-256 or SM3 (GB/T 32905); a string is hashed as UTF-8. */
export function digest(profile: CryptoProfileName, data: Bytes): Buffer {
  if (profile === 'sm') return Buffer.from(sm3(bytesOf(data)), 'hex');
  return crypto.createHash('sha256').update(bytesOf(data)).digest();
}

/** HMAC-SHA-256 or HMAC-SM3. */
export function mac(name: MacName, key: Buffer, data: Bytes): Buffer {
  if (name === 'hmac-sm3') return Buffer.from(sm3(bytesOf(data), { key: u8(key), mode: 'hmac' }), 'hex');
  return crypto.createHmac('sha256', key).update(bytesOf(data)).digest();
}

/** HKDF (RFC 5869) over SHA-256 or SM3. */
export function deriveKey(profile: CryptoProfileName, ikm: Buffer, salt: Buffer, info: string, length: number): Buffer {
  if (profile === 'sm') return Buffer.from(hkdf(u8(ikm), u8(salt), u8(Buffer.from(info, 'utf8')), length));
  return Buffer.from(crypto.hkdfSync('sha256', ikm, salt, info, length));
}

// ---------------------------------------------------------------- signatures

/**
 * The user id SM2 signs with when the parties agree on none: GB/T 35276 §10 gives `1234567812345678`.
 * It enters the signature through Z = SM3(ENTL ‖ ID ‖ curve ‖ public key).
 */
export const SM2_DEFAULT_USER_ID = '1234567812345678';

export interface SigningKeyPair {
  /** Ed25519: the raw 32 bytes; SM2: the uncompressed point (0x04 ‖ x ‖ y, 65 bytes). */
  publicKey: Buffer;
  /** Ed25519: PKCS#8 DER; SM2: the 32-byte scalar. */
  privateKey: Buffer;
}

export function newSigningKeyPair(profile: CryptoProfileName): SigningKeyPair {
  if (profile === 'sm') {
    const pair = sm2.generateKeyPairHex();
    return { publicKey: Buffer.from(pair.publicKey, 'hex'), privateKey: Buffer.from(pair.privateKey, 'hex') };
  }
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const { x } = publicKey.export({ format: 'jwk' });
  return { publicKey: Buffer.from(x!, 'base64url'), privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }) };
}

/** Ed25519 (64 bytes) or SM2 with SM3 and the default user id (r ‖ s, 64 bytes). */
export function sign(profile: CryptoProfileName, privateKey: Buffer, message: Bytes): Buffer {
  if (profile === 'sm') {
    const d = privateKey.toString('hex');
    const sig = sm2.doSignature(bytesOf(message), d, {
      hash: true,
      publicKey: sm2.getPublicKeyFromPrivateKey(d),
      userId: SM2_DEFAULT_USER_ID,
    });
    return Buffer.from(sig, 'hex');
  }
  const key = crypto.createPrivateKey({ key: privateKey, format: 'der', type: 'pkcs8' });
  return crypto.sign(null, bytesOf(message), key);
}

/** False for a signature that does not verify, a malformed one, or a public key that is not on the curve. */
export function verify(profile: CryptoProfileName, publicKey: Buffer, message: Bytes, signature: Buffer): boolean {
  if (signature.length !== 64) return false;
  try {
    if (profile === 'sm') {
      const q = publicKey.toString('hex');
      if (publicKey.length !== 65 || !sm2.verifyPublicKey(q)) return false;
      return sm2.doVerifySignature(bytesOf(message), signature.toString('hex'), q, {
        hash: true,
        userId: SM2_DEFAULT_USER_ID,
      });
    }
    if (publicKey.length !== 32) return false;
    const key = crypto.createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: publicKey.toString('base64url') },
      format: 'jwk',
    });
    return crypto.verify(null, bytesOf(message), key, signature);
  } catch {
    return false;
  }
}
