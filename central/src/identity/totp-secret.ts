import crypto from 'node:crypto';

/*
 * RFC 6238 TOTP (SHA-1, 6 digits, 30 s), as authenticator apps compute it. The leader pane has the same
 * code in electron/core/leader/totp.ts, but central may share only shared/ with the app (ESLint zones)
 * and shared/ holds no Node code; the tests compute codes with the device's copy, so both must agree.
 */
export const TOTP_ISSUER = 'OneWindow Central';
const STEP_SECONDS = 30;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32Encode(buf: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of buf) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return bits > 0 ? out + BASE32[(value << (5 - bits)) & 31] : out;
}

function base32Decode(text: string): Buffer {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text.replace(/=+$/, '').toUpperCase()) {
    const v = BASE32.indexOf(ch);
    if (v < 0) throw new Error('not base32');
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

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
  const label = encodeURIComponent(`${TOTP_ISSUER}:${login}`);
  const params = new URLSearchParams({
    secret: totpSecret,
    issuer: TOTP_ISSUER,
    algorithm: 'SHA1',
    digits: '6',
    period: String(STEP_SECONDS),
  });
  return { totpSecret, otpauthUri: `otpauth://totp/${label}?${params.toString()}` };
}

/** The step of a valid code within ±1 step of now (clock drift), compared in constant time; else null. */
export function totpStepOf(secret: string, code: string, nowMs = Date.now()): number | null {
  const key = base32Decode(secret);
  const now = Math.floor(nowMs / 1000 / STEP_SECONDS);
  const given = Buffer.from(code);
  let found: number | null = null;
  for (let step = now - 1; step <= now + 1; step++) {
    const expected = Buffer.from(hotp(key, step));
    if (expected.length === given.length && crypto.timingSafeEqual(expected, given) && found === null) found = step;
  }
  return found;
}
