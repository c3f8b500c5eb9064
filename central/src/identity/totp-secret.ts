import crypto from 'node:crypto';
import { base32Decode, base32Encode, matchTotp, otpauthUri } from '../../../electron/core/leader/totp';

/** The plain-Node RFC 6238 code of the leader pane, shared rather than copied. */
export const TOTP_ISSUER = 'OneWindow Central';

/** A new 160-bit secret (RFC 4226's recommended length), base32 as authenticator apps take it. */
export function newTotpEnrolment(login: string): { totpSecret: string; otpauthUri: string } {
  const secret = crypto.randomBytes(20);
  return { totpSecret: base32Encode(secret), otpauthUri: otpauthUri(secret, login, TOTP_ISSUER) };
}

/** The step of a valid code (±1 step of drift), or null. */
export const totpStepOf = (secret: string, code: string, nowMs = Date.now()) =>
  matchTotp(base32Decode(secret), code, nowMs);
