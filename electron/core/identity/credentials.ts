import crypto from 'node:crypto';

/**
 * Credential hashes: scrypt (memory-hard) with a random 16-byte salt and a 32-byte key, stored as
 * `scrypt$N$r$p$salt$key` so parameters can be raised later and every device and central verify the
 * same string. PINs: N=2^14, r=8, p=1 (16 MiB, ~50 ms): a counter sign-in must be quick, and the
 * lockout, not the hash, stops guessing. Passwords: N=2^15, r=8, p=1 (32 MiB, ~100 ms), the leader
 * pane's cost. A 6-digit PIN hash falls to an offline search whatever the cost, which is why PIN hashes
 * reach only devices that verify them (STAFF_PIN_ROLES).
 */
const KEY_LENGTH = 32;
const PIN_SCRYPT = { N: 2 ** 14, r: 8, p: 1 } as const;
const PASSWORD_SCRYPT = { N: 2 ** 15, r: 8, p: 1 } as const;

function hashWith(secret: string, params: { N: number; r: number; p: number }): string {
  const salt = crypto.randomBytes(16);
  // 32 MiB at N=2^15: over Node's default 32 MiB maxmem once the overhead is counted.
  const key = crypto.scryptSync(secret, salt, KEY_LENGTH, { ...params, maxmem: 256 * params.N * params.r });
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export const hashPin = (pin: string): string => hashWith(pin, PIN_SCRYPT);
export const hashPassword = (password: string): string => hashWith(password, PASSWORD_SCRYPT);

/** True when `secret` matches the stored hash; false for anything that is not a hash (a disabled account). */
export function verifySecret(secret: string, stored: string): boolean {
  const [kind, n, r, p, salt, key] = stored.split('$');
  if (kind !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const N = Number(n);
  const R = Number(r);
  // A hash from central names its own cost; refuse absurd ones rather than let a row exhaust memory.
  if (!(N >= 2 ** 10 && N <= 2 ** 20 && R >= 1 && R <= 16 && Number(p) >= 1 && Number(p) <= 4)) return false;
  const actual = crypto.scryptSync(secret, Buffer.from(salt, 'base64'), expected.length, {
    N,
    r: R,
    p: Number(p),
    maxmem: 256 * N * R,
  });
  return crypto.timingSafeEqual(actual, expected);
}
