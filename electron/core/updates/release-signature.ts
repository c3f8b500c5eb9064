import crypto from 'node:crypto';
import { releaseSignatureSchema } from '@shared/updates';

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

/** The detached signature's name beside a channel file (scripts/sign-updates.mjs writes the same). */
export const signatureFileOf = (channelFile: string): string => `${channelFile}.sig`;

/** The release public key built into the app; a build without one can verify nothing, so it updates nothing. */
export function releaseKey(publicKeyPem: string | null): crypto.KeyObject {
  if (!publicKeyPem) {
    throw new ReleaseSignatureError('NO_RELEASE_KEY', 'this build carries no release public key: updates are off');
  }
  // createPublicKey would happily derive the public half from a private key: a build that embeds one has
  // shipped the power to sign releases, so it must not pass as configured.
  if (/PRIVATE KEY/.test(publicKeyPem)) {
    throw new ReleaseSignatureError('NO_RELEASE_KEY', 'the built-in release key is a private key: updates are off');
  }
  const key = crypto.createPublicKey(publicKeyPem);
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new ReleaseSignatureError('NO_RELEASE_KEY', 'the built-in release public key is not Ed25519');
  }
  return key;
}

/**
 * Throws unless `signature` is the release key's signature over exactly these bytes. The yml lists each
 * installer's SHA-512, which electron-updater checks on download, so this vouches for the installers too.
 */
export function verifyRelease(
  channelFile: string,
  yml: Uint8Array,
  signature: string | null,
  key: crypto.KeyObject,
): void {
  if (signature === null) {
    throw new ReleaseSignatureError(
      'NO_SIGNATURE',
      `${channelFile} has no signature (${signatureFileOf(channelFile)})`,
    );
  }
  const parsed = releaseSignatureSchema.safeParse(signature);
  if (!parsed.success) {
    throw new ReleaseSignatureError(
      'MALFORMED_SIGNATURE',
      `${signatureFileOf(channelFile)} is not a release signature`,
    );
  }
  if (!crypto.verify(null, yml, key, Buffer.from(parsed.data, 'base64'))) {
    throw new ReleaseSignatureError(
      'BAD_SIGNATURE',
      `${channelFile} does not match the release key's signature (altered, or signed by another key)`,
    );
  }
}
