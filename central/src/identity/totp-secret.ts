import crypto from 'node:crypto';
import { TOTP_STEP_SECONDS, base32Decode, base32Encode, otpauthUri } from '@shared/identity/otp';

/*
 * RFC 6238 TOTP (SHA-1, 6 digits, 30 s), as authenticator apps compute it. Base32 and the enrolment link
 * come from shared/identity/otp.ts; the HMAC is Node's, which shared/ may not hold, so the code check is
 * central's own (the leader pane has its twin); the tests compute codes with the device's, so both agree.
 */
export const TOTP_ISSUER = 'OneWindow Central';
function hotp(secret: Buffer, counter: number): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = crypto.createHmac('sha1', secret).update(msg).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** A new 160-bit secret (RFC 4226's recommended length), base32 as authenticator apps take it. */
export function newTotpEnrolment(login: string): { totpSecret: string; otpauthUri: string } {
  const totpSecret = base32Encode(crypto.randomBytes(20));
  return { totpSecret, otpauthUri: otpauthUri(totpSecret, login, TOTP_ISSUER) };
}

/** The step of a valid code within ±1 step of now (clock drift), compared in constant time; else null. */
export function totpStepOf(secret: string, code: string, nowMs = Date.now()): number | null {
  const key = Buffer.from(base32Decode(secret));
  const now = Math.floor(nowMs / 1000 / TOTP_STEP_SECONDS);
  const given = Buffer.from(code);
  let found: number | null = null;
  for (let step = now - 1; step <= now + 1; step++) {
    const expected = Buffer.from(hotp(key, step));
    if (expected.length === given.length && crypto.timingSafeEqual(expected, given) && found === null) found = step;
  }
  return found;
}
