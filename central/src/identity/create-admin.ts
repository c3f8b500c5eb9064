import type { Db } from '../db/pool';
import { staffLoginSchema } from '@shared/identity/staff';
import { createAdmin, SETUP_CODE_MS } from './sign-in';

/**
 * `npm run central -- --create-admin <login>`: creates (or resets) a central administrator and prints
 * the one-time setup code; nothing else of the server starts.
 */
export async function createAdminCommand(db: Db, rawLogin: string, publicUrl: string): Promise<string> {
  const login = staffLoginSchema.parse(rawLogin);
  const { code, expiresAt } = await createAdmin(db, login);
  return [
    `central administrator "${login}": no password yet, any session ended.`,
    `one-time setup code (valid ${SETUP_CODE_MS / 60_000} minutes, until ${expiresAt.toISOString()}): ${code}`,
    `choose the password: POST ${publicUrl}/admin/v1/setup {"login":"${login}","code":"<code>","password":"…"}`,
    'the answer holds the authenticator secret (and otpauth:// link); every sign-in then asks for its code.',
  ].join('\n');
}
