import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { cryptoProfileSchema } from '@shared/crypto/profile';
import { PAGE_KEY_BYTES, type PageSealing } from './page-sealing';

/** The page key in central's keys folder, beside the TLS and leader-seal keys: 32 random bytes, base64. */
export const PAGE_KEY_FILE = 'attachments-key';

const base64Key = z
  .string()
  .trim()
  .refine((s) => /^[A-Za-z0-9+/]{43}=$/.test(s) && Buffer.from(s, 'base64').length === PAGE_KEY_BYTES, {
    message: `must be ${PAGE_KEY_BYTES} bytes in base64 (openssl rand -base64 ${PAGE_KEY_BYTES})`,
  });

/**
 * Central's crypto settings: CENTRAL_CRYPTO, the profile its pages are sealed with at rest (`default`
 * AES-256-GCM, `sm` SM4-GCM), and CENTRAL_ATTACHMENTS_KEY, the page key itself for a cluster whose nodes
 * share one attachments folder (otherwise each central makes its own in its keys folder).
 */
export const centralCryptoEnvSchema = z.object({
  CENTRAL_CRYPTO: z.preprocess((v) => (v === '' ? undefined : v), cryptoProfileSchema.default('default')),
  CENTRAL_ATTACHMENTS_KEY: z.preprocess((v) => (v === '' ? undefined : v), base64Key.optional()),
});

/** The page sealing from the environment and the keys folder; throws, naming the variable, on a bad value. */
export function pageSealingFromEnv(env: NodeJS.ProcessEnv, keysDir: string): PageSealing {
  const parsed = centralCryptoEnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${issue.path.join('.')}: ${issue.message}`);
  }
  const { CENTRAL_CRYPTO: profile, CENTRAL_ATTACHMENTS_KEY: given } = parsed.data;
  return { profile, key: given ? Buffer.from(given, 'base64') : loadOrCreatePageKey(keysDir) };
}

/**
 * The key in `dir`, made on first start (owner-only). Losing it loses every page sealed under it: it is
 * backed up with the keys folder, never with the pages.
 */
export function loadOrCreatePageKey(dir: string): Buffer {
  const file = path.join(dir, PAGE_KEY_FILE);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Written whole under another name, then linked: link fails when the name exists, so two starts racing
    // cannot both make one (a page sealed under a key then lost), and no start reads a half-written key.
    const fresh = `${file}.${process.pid}.${crypto.randomUUID()}`;
    fs.writeFileSync(fresh, `${crypto.randomBytes(PAGE_KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    try {
      fs.linkSync(fresh, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      fs.rmSync(fresh, { force: true });
    }
  }
  const parsed = base64Key.safeParse(fs.readFileSync(file, 'utf8'));
  if (!parsed.success) throw new Error(`${file}: not a page key (${parsed.error.issues[0]!.message})`);
  return Buffer.from(parsed.data, 'base64');
}
