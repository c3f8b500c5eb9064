import { z } from 'zod';

/** The algorithms a release may be signed with: Ed25519, SM2 (GB/T 32918.2 with SM3), or both. */
export const RELEASE_ALGS = ['ed25519', 'sm2'] as const;
export type ReleaseAlg = (typeof RELEASE_ALGS)[number];

/**
 * A release's detached signature beside each `latest*.yml` on central's `/updates/` (`<channel>.yml.sig`
 * for Ed25519, `<channel>.yml.sm2.sig` for SM2): one base64 signature of 64 bytes (Ed25519, or SM2's r ‖ s)
 * over the yml's exact bytes, written by `scripts/sign-updates.mjs`.
 */
export const releaseSignatureSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9+/]{86}==$/, { message: 'must be one base64 64-byte signature' });
