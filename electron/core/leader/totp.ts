import { base32Decode as decodeBase32, base32Encode as encodeBase32 } from '@shared/identity/otp';
import { HOTP, Secret, TOTP } from 'otpauth';

/**
 * HOTP (RFC 4226) and TOTP (RFC 6238) by the maintained `otpauth` library; the only module that imports
 * it. What this app adds on top stays here and in the callers: codes within ±1 step (30 s) of now, and
 * the step of a code returned so the caller refuses a step already used (an overheard code is never
 * good twice).
 */
export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';
export interface TotpOptions {
  stepSeconds?: number;
  digits?: number;
  algorithm?: TotpAlgorithm;
}

const secretOf = (bytes: Uint8Array) => new Secret({ buffer: Uint8Array.from(bytes).buffer });
const settings = (opts: TotpOptions) => ({
  period: opts.stepSeconds ?? 30,
  digits: opts.digits ?? 6,
  algorithm: (opts.algorithm ?? 'sha1').toUpperCase(),
});

export const hotp = (secret: Buffer, counter: number, digits = 6, algorithm: TotpAlgorithm = 'sha1'): string =>
  HOTP.generate({ secret: secretOf(secret), counter, digits, algorithm: algorithm.toUpperCase() });

export const totpStep = (timeMs: number, stepSeconds = 30): number =>
  TOTP.counter({ period: stepSeconds, timestamp: timeMs });

export const totp = (secret: Buffer, timeMs: number, opts: TotpOptions = {}): string =>
  TOTP.generate({ secret: secretOf(secret), timestamp: timeMs, ...settings(opts) });

/**
 * The step a code belongs to, within ±`window` steps of now (clock drift), or null. The library compares
 * in constant time; the caller refuses a step already used, so an overheard code cannot be replayed.
 */
export function matchTotp(
  secret: Buffer,
  code: string,
  timeMs: number,
  window = 1,
  opts: TotpOptions = {},
): number | null {
  const delta = TOTP.validate({ token: code, secret: secretOf(secret), timestamp: timeMs, window, ...settings(opts) });
  return delta === null ? null : totpStep(timeMs, opts.stepSeconds) + delta;
}

/** A new 160-bit secret (RFC 4226's recommended length), from the library's CSPRNG. */
export const newTotpSecret = (): Buffer => Buffer.from(new Secret({ size: 20 }).bytes);

export const base32Encode = (buf: Uint8Array): string => encodeBase32(buf);
export const base32Decode = (text: string): Buffer => Buffer.from(decodeBase32(text));

/** The enrolment link an authenticator app scans (Key Uri Format). */
export const otpauthUri = (secret: Buffer, account: string, issuer: string): string =>
  new TOTP({ issuer, label: account, secret: secretOf(secret) }).toString();
