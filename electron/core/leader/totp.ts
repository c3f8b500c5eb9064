import { base32Decode as decodeBase32, base32Encode as encodeBase32, otpauthUri as keyUri } from '@shared/identity/otp';
import crypto from 'node:crypto';

/** HOTP (RFC 4226) and TOTP (RFC 6238), as authenticator apps compute them. */
export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';
export interface TotpOptions {
  stepSeconds?: number;
  digits?: number;
  algorithm?: TotpAlgorithm;
}

export function hotp(secret: Buffer, counter: number, digits = 6, algorithm: TotpAlgorithm = 'sha1'): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = crypto.createHmac(algorithm, secret).update(msg).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

export const totpStep = (timeMs: number, stepSeconds = 30): number => Math.floor(timeMs / 1000 / stepSeconds);

export function totp(secret: Buffer, timeMs: number, opts: TotpOptions = {}): string {
  return hotp(secret, totpStep(timeMs, opts.stepSeconds), opts.digits, opts.algorithm);
}

/**
 * The step a code belongs to, within ±`window` steps of now (clock drift), or null. Compared in constant
 * time; the caller refuses a step already used, so an overheard code cannot be replayed.
 */
export function matchTotp(
  secret: Buffer,
  code: string,
  timeMs: number,
  window = 1,
  opts: TotpOptions = {},
): number | null {
  const now = totpStep(timeMs, opts.stepSeconds);
  let found: number | null = null;
  for (let step = now - window; step <= now + window; step++) {
    const expected = Buffer.from(hotp(secret, step, opts.digits, opts.algorithm));
    const given = Buffer.from(code);
    if (expected.length === given.length && crypto.timingSafeEqual(expected, given) && found === null) found = step;
  }
  return found;
}

export const base32Encode = (buf: Uint8Array): string => encodeBase32(buf);
export const base32Decode = (text: string): Buffer => Buffer.from(decodeBase32(text));

/** The enrolment link an authenticator app scans (Key Uri Format). */
export const otpauthUri = (secret: Buffer, account: string, issuer: string): string =>
  keyUri(encodeBase32(secret), account, issuer);
