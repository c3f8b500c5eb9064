// The release keys of scripts/sign-updates.mjs and scripts/verify-updates.mjs: Ed25519 through Node's crypto,
// SM2 (GB/T 32918.2, SM3 and the default user id 1234567812345678, as electron/core/crypto/profile.ts) through
// sm-crypto-v2. Node 20 can make an SM2 key but aborts the process when asked to export one it read back, so
// SM2 keys are encoded here: PKCS#8 and SubjectPublicKeyInfo with id-ecPublicKey on the SM2 curve
// (1.2.156.10197.1.301), the DER OpenSSL writes and reads (`openssl pkey -in <file> -text`).
import crypto from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';

export const RELEASE_ALGS = ['ed25519', 'sm2'];
export const SM2_DEFAULT_USER_ID = '1234567812345678';

const SM2_ALGORITHM = '301306072a8648ce3d020106082a811ccf5501822d';
// electron/core/updates/release-keys.ts reads the same prefix: the app's Electron has no SM2 in its crypto.
const SM2_SPKI_PREFIX = Buffer.from(`3059${SM2_ALGORITHM}034200`, 'hex');
const SM2_PKCS8_PREFIX = Buffer.from(`308187020100${SM2_ALGORITHM}046d306b0201010420`, 'hex');
const SM2_PKCS8_MIDDLE = Buffer.from('a144034200', 'hex');

const pem = (label, der) =>
  `-----BEGIN ${label}-----\n${der.toString('base64').replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
const derOf = (text, label) => {
  const m = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`).exec(text);
  return m ? Buffer.from(m[1].replace(/\s+/g, ''), 'base64') : null;
};
const startsWith = (der, prefix) => der.length > prefix.length && der.subarray(0, prefix.length).equals(prefix);

/** A fresh release key pair of that algorithm, both halves PEM. */
export function createReleaseKeyPair(alg = 'ed25519') {
  if (alg === 'sm2') {
    const pair = sm2.generateKeyPairHex();
    const q = Buffer.from(pair.publicKey, 'hex');
    const d = Buffer.from(pair.privateKey.padStart(64, '0'), 'hex');
    return {
      privateKey: pem('PRIVATE KEY', Buffer.concat([SM2_PKCS8_PREFIX, d, SM2_PKCS8_MIDDLE, q])),
      publicKey: pem('PUBLIC KEY', Buffer.concat([SM2_SPKI_PREFIX, q])),
    };
  }
  if (alg !== 'ed25519') throw new Error(`no release key algorithm ${alg}: ${RELEASE_ALGS.join(' or ')}`);
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** `{ alg, sign(bytes) → 64-byte signature }` of a release private key PEM; throws for any other key. */
export function releaseSigner(privateKeyPem) {
  const der = derOf(privateKeyPem, 'PRIVATE KEY');
  if (der && startsWith(der, SM2_PKCS8_PREFIX) && der.length === SM2_PKCS8_PREFIX.length + 32 + 5 + 65) {
    const d = der.subarray(SM2_PKCS8_PREFIX.length, SM2_PKCS8_PREFIX.length + 32).toString('hex');
    const publicKey = sm2.getPublicKeyFromPrivateKey(d);
    return {
      alg: 'sm2',
      sign: (bytes) =>
        Buffer.from(
          sm2.doSignature(new Uint8Array(bytes), d, { hash: true, publicKey, userId: SM2_DEFAULT_USER_ID }),
          'hex',
        ),
    };
  }
  let key;
  try {
    key = crypto.createPrivateKey(privateKeyPem);
  } catch {
    key = null;
  }
  if (key?.asymmetricKeyType !== 'ed25519') {
    throw new Error('the release key must be an Ed25519 or SM2 private key (made by sign-updates.mjs --new-key)');
  }
  return { alg: 'ed25519', sign: (bytes) => crypto.sign(null, bytes, key) };
}

/** `{ alg, verify(bytes, signature) → boolean }` of a release public key PEM; throws for any other key. */
export function releaseVerifier(publicKeyPem) {
  if (/PRIVATE KEY/.test(publicKeyPem)) throw new Error('the release public key file holds a private key');
  const der = derOf(publicKeyPem, 'PUBLIC KEY');
  if (der && startsWith(der, SM2_SPKI_PREFIX) && der.length === SM2_SPKI_PREFIX.length + 65) {
    const q = der.subarray(SM2_SPKI_PREFIX.length).toString('hex');
    if (!sm2.verifyPublicKey(q)) throw new Error('the SM2 release public key is not a point of the curve');
    return {
      alg: 'sm2',
      verify: (bytes, signature) =>
        signature.length === 64 &&
        sm2.doVerifySignature(new Uint8Array(bytes), signature.toString('hex'), q, {
          hash: true,
          userId: SM2_DEFAULT_USER_ID,
        }),
    };
  }
  let key;
  try {
    key = crypto.createPublicKey(publicKeyPem);
  } catch {
    key = null;
  }
  if (key?.asymmetricKeyType !== 'ed25519') throw new Error('the release public key is neither Ed25519 nor SM2');
  return { alg: 'ed25519', verify: (bytes, signature) => crypto.verify(null, bytes, key, signature) };
}

/** Where a yml's detached signature of each algorithm lives (electron/core/updates/release-signature.ts). */
export const signatureFileOf = (yml, alg = 'ed25519') => (alg === 'sm2' ? `${yml}.sm2.sig` : `${yml}.sig`);
