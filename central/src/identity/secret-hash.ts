import crypto from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(crypto.scrypt) as (
  secret: crypto.BinaryLike,
  salt: crypto.BinaryLike,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

/**
 * scrypt N=2^15, r=8, p=1: 32 MiB of memory per guess (OWASP's minimum for scrypt), about 60 ms here.
 * 32-byte key, 16-byte salt, stored as `scrypt$N$r$p$salt$key` (base64), the device's PIN format
 * (electron/core/queue/pin-hash.ts), so a hub verifies what central hashed. The parameters travel in
 * the string: raising them later leaves every stored hash verifiable.
 */
export const SECRET_HASH_PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
// Node's default ceiling (32 MiB) is exactly what N=2^15, r=8 needs, and scrypt needs a little more.
const maxmem = (N: number, r: number) => 128 * N * r + 16 * 1024 * 1024;

export async function hashSecret(secret: string): Promise<string> {
  const { N, r, p } = SECRET_HASH_PARAMS;
  const salt = crypto.randomBytes(SALT_LENGTH);
  const key = await scrypt(secret, salt, KEY_LENGTH, { N, r, p, maxmem: maxmem(N, r) });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** False for a wrong secret and for anything that is not a hash this format can hold. */
export async function verifySecret(secret: string, stored: string | null): Promise<boolean> {
  const [kind, n, r, p, salt, key] = (stored ?? '').split('$');
  const N = Number(n);
  const R = Number(r);
  const P = Number(p);
  // Refuse parameters a forged hash could use to make central spend gigabytes.
  if (kind !== 'scrypt' || !salt || !key || !(N >= 2 && N <= 2 ** 20 && R >= 1 && R <= 32 && P >= 1 && P <= 4)) {
    return false;
  }
  const expected = Buffer.from(key, 'base64');
  if (expected.length < 16) return false;
  const actual = await scrypt(secret, Buffer.from(salt, 'base64'), expected.length, {
    N,
    r: R,
    p: P,
    maxmem: maxmem(N, R),
  });
  return crypto.timingSafeEqual(actual, expected);
}

/** What an unknown login costs: the same work as a real one, so timing does not tell logins apart. */
const DUMMY = hashSecret('not-a-password-0');
export async function burnSecretCheck(secret: string): Promise<void> {
  await verifySecret(secret, await DUMMY);
}

/** A well-formed stored hash (what a hub may send): scrypt with sane parameters. */
export const isSecretHash = (s: string) => /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/.test(s);
