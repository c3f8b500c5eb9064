import { z } from 'zod';

/**
 * A release's detached signature, `<channel>.yml.sig` beside each `latest*.yml` on central's `/updates/`:
 * one base64 Ed25519 signature (64 bytes) over the yml's exact bytes, written by `scripts/sign-updates.mjs`.
 */
export const releaseSignatureSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9+/]{86}==$/, { message: 'must be one base64 Ed25519 signature' });
