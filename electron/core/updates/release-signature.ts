import crypto from 'node:crypto';
import type { CryptoProfileName } from '@shared/crypto/profile';
import { RELEASE_ALGS, releaseSignatureSchema, type ReleaseAlg } from '@shared/updates';
import { verify } from '../crypto/profile';

export type ReleaseRefusal = 'NO_RELEASE_KEY' | 'NO_SIGNATURE' | 'MALFORMED_SIGNATURE' | 'BAD_SIGNATURE';

/** Why a release was refused; nothing of it is downloaded or installed. */
export class ReleaseSignatureError extends Error {
  constructor(
    readonly code: ReleaseRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'ReleaseSignatureError';
  }
}

/** The detached signature of each algorithm beside a channel file (scripts/release-keys.mjs names the same). */
export const signatureFileOf = (channelFile: string, alg: ReleaseAlg): string =>
  alg === 'sm2' ? `${channelFile}.sm2.sig` : `${channelFile}.sig`;

/** The release public keys built into the app (PEM), each null when the build had none. */
export interface ReleasePublicKeys {
  ed25519: string | null;
  sm2: string | null;
}

/** What a device checks a release with: the keys it has, and whether its profile requires the SM2 signature. */
export interface ReleaseTrust {
  keys: { alg: ReleaseAlg; publicKey: Buffer }[];
  requireSm2: boolean;
}

const ALG_NAME: Record<ReleaseAlg, string> = { ed25519: 'Ed25519', sm2: 'SM2' };
const noKey = (message: string) => new ReleaseSignatureError('NO_RELEASE_KEY', message);

// SubjectPublicKeyInfo of an SM2 key: id-ecPublicKey on the SM2 curve (1.2.156.10197.1.301), then the
// uncompressed point. Read by hand: Electron's BoringSSL has no SM2 (scripts/release-keys.mjs writes it).
const SM2_SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a811ccf5501822d034200', 'hex');

function rawPublicKey(alg: ReleaseAlg, pem: string): Buffer {
  // createPublicKey would happily derive the public half from a private key: a build that embeds one has
  // shipped the power to sign releases, so it must not pass as configured.
  if (/PRIVATE KEY/.test(pem))
    throw noKey(`the built-in ${ALG_NAME[alg]} release key is a private key: updates are off`);
  if (alg === 'sm2') {
    const body = /-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\s]+)-----END PUBLIC KEY-----/.exec(pem)?.[1];
    const der = Buffer.from((body ?? '').replace(/\s+/g, ''), 'base64');
    const point = der.subarray(SM2_SPKI_PREFIX.length);
    if (!der.subarray(0, SM2_SPKI_PREFIX.length).equals(SM2_SPKI_PREFIX) || point.length !== 65) {
      throw noKey('the built-in SM2 release public key is not an SM2 public key');
    }
    return point;
  }
  const key = crypto.createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw noKey('the built-in release public key is not Ed25519');
  return Buffer.from(key.export({ format: 'jwk' }).x!, 'base64url');
}

/**
 * The keys releases are checked against. A device under `sm` needs the SM2 key (its releases must carry the
 * SM2 signature); any device needs one key at least: a build that can verify nothing updates nothing.
 */
export function releaseTrust(pems: ReleasePublicKeys, profile: CryptoProfileName): ReleaseTrust {
  if (profile === 'sm' && !pems.sm2) {
    throw noKey('this build carries no SM2 release public key, which the sm profile requires: updates are off');
  }
  const keys = RELEASE_ALGS.flatMap((alg) => {
    const pem = pems[alg];
    return pem ? [{ alg, publicKey: rawPublicKey(alg, pem) }] : [];
  });
  if (keys.length === 0) throw noKey('this build carries no release public key: updates are off');
  return { keys, requireSm2: profile === 'sm' };
}

/**
 * Throws unless the signatures vouch for exactly these bytes: every signature there is a built-in key for
 * must verify (a bad one means an altered yml or a foreign key, whatever the other says), and one at least
 * must be there — the SM2 one on an `sm` device. `signatures` holds each file's text, or null when it is
 * missing. The yml lists each installer's SHA-512, which electron-updater checks on download, so this
 * vouches for the installers too.
 */
export function verifyRelease(
  channelFile: string,
  yml: Uint8Array,
  signatures: Partial<Record<ReleaseAlg, string | null>>,
  trust: ReleaseTrust,
): void {
  const valid = new Set<ReleaseAlg>();
  for (const { alg, publicKey } of trust.keys) {
    const text = signatures[alg];
    if (text === null || text === undefined) continue;
    const parsed = releaseSignatureSchema.safeParse(text);
    if (!parsed.success) {
      throw new ReleaseSignatureError(
        'MALFORMED_SIGNATURE',
        `${signatureFileOf(channelFile, alg)} is not a release signature`,
      );
    }
    if (!verify(alg === 'sm2' ? 'sm' : 'default', publicKey, yml, Buffer.from(parsed.data, 'base64'))) {
      throw new ReleaseSignatureError(
        'BAD_SIGNATURE',
        `${channelFile} does not match the ${ALG_NAME[alg]} release key's signature (altered, or signed by another key)`,
      );
    }
    valid.add(alg);
  }
  if (trust.requireSm2 && !valid.has('sm2')) {
    throw new ReleaseSignatureError(
      'NO_SIGNATURE',
      `${channelFile} has no SM2 signature (${signatureFileOf(channelFile, 'sm2')}), which this device's sm profile requires`,
    );
  }
  if (valid.size === 0) {
    const files = trust.keys.map((k) => signatureFileOf(channelFile, k.alg)).join(' or ');
    throw new ReleaseSignatureError('NO_SIGNATURE', `${channelFile} has no signature (${files})`);
  }
}
