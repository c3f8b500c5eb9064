import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SEAL_BOX_INFO, SEAL_BOX_VERSION, X25519_PUBLIC_KEY_BYTES } from '@shared/leader/seal-format';

/**
 * Central's X25519 key pair for what leader devices seal for it (a leader's 批示): devices learn the public
 * key at enrolment; the private key stays in central's data folder. The box is the device's sealed box
 * (shared/leader/seal-format); central only opens.
 */
export interface LeaderSealKey {
  /** Raw 32-byte public key, base64: what enrolment hands to devices. */
  publicKeyBase64: string;
  /** The plaintext of a box sealed for this key under `aad`; throws when it is not one. */
  open(box: Buffer, aad: string): Buffer;
}

export const LEADER_SEAL_KEY_FILE = 'leader-seal-key.pem';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEAD = 1 + X25519_PUBLIC_KEY_BYTES + NONCE_BYTES + TAG_BYTES;

const rawPublic = (key: crypto.KeyObject) => Buffer.from(key.export({ format: 'jwk' }).x!, 'base64url');

function sealKeyOf(privateKey: crypto.KeyObject): LeaderSealKey {
  const publicRaw = rawPublic(crypto.createPublicKey(privateKey));
  return {
    publicKeyBase64: publicRaw.toString('base64'),
    open(box, aad) {
      if (box.length < HEAD || box[0] !== SEAL_BOX_VERSION) throw new Error('not a sealed box');
      const ephemeralRaw = box.subarray(1, 1 + X25519_PUBLIC_KEY_BYTES);
      const ephemeral = crypto.createPublicKey({
        key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(ephemeralRaw).toString('base64url') },
        format: 'jwk',
      });
      const shared = crypto.diffieHellman({ privateKey, publicKey: ephemeral });
      const key = Buffer.from(
        crypto.hkdfSync('sha256', shared, Buffer.concat([ephemeralRaw, publicRaw]), SEAL_BOX_INFO, 32),
      );
      const nonce = box.subarray(1 + X25519_PUBLIC_KEY_BYTES, HEAD - TAG_BYTES);
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, nonce);
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(box.subarray(HEAD - TAG_BYTES, HEAD));
      return Buffer.concat([decipher.update(box.subarray(HEAD)), decipher.final()]);
    },
  };
}

/**
 * The key pair in `dir` (PKCS#8 PEM, owner-only), made on first start. Losing it loses only the 批示 still
 * on their way: devices enrolled again learn the new public key.
 */
export function loadOrCreateLeaderSealKey(dir: string): LeaderSealKey {
  const file = path.join(dir, LEADER_SEAL_KEY_FILE);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { privateKey } = crypto.generateKeyPairSync('x25519');
    try {
      // 'wx': two starts racing cannot both write, leaving devices with a key central no longer has.
      fs.writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  return sealKeyOf(crypto.createPrivateKey(fs.readFileSync(file, 'utf8')));
}

/** A key pair in memory only: for a central built without a data folder (tests, tools). */
export const ephemeralLeaderSealKey = (): LeaderSealKey => sealKeyOf(crypto.generateKeyPairSync('x25519').privateKey);
