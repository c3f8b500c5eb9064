import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PAGE_KEY_FILE, pageSealingFromEnv } from '../../central/src/attachments/page-key';
import { openPage, pageSealer, sealPage } from '../../central/src/attachments/page-sealing';
import { tempDir } from '../fixtures/temp-dir';

/** CENTRAL_CRYPTO and central's page key: from its keys folder, or from the environment for a cluster. */
describe('central page key', () => {
  const tmp = tempDir('ow-page-key-');

  it('makes the key once, owner-only, in the keys folder, and reads it back at the next start', () => {
    const keysDir = path.join(tmp.dir, 'keys');
    const first = pageSealingFromEnv({}, keysDir);
    expect(first.profile).toBe('default');
    expect(first.key).toHaveLength(32);
    expect(fs.statSync(path.join(keysDir, PAGE_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(keysDir)).toEqual([PAGE_KEY_FILE]);
    const again = pageSealingFromEnv({ CENTRAL_CRYPTO: 'sm' }, keysDir);
    expect(again).toEqual({ profile: 'sm', key: first.key });
  });

  it('takes a cluster key from the environment, and refuses what is not a profile or a 32-byte key', () => {
    const key = crypto.randomBytes(32);
    const keysDir = path.join(tmp.dir, 'unused');
    expect(pageSealingFromEnv({ CENTRAL_ATTACHMENTS_KEY: key.toString('base64') }, keysDir).key.equals(key)).toBe(true);
    expect(fs.existsSync(keysDir)).toBe(false);
    expect(() => pageSealingFromEnv({ CENTRAL_CRYPTO: 'gm' }, keysDir)).toThrow(/^CENTRAL_CRYPTO: /);
    expect(() =>
      pageSealingFromEnv({ CENTRAL_ATTACHMENTS_KEY: crypto.randomBytes(16).toString('base64') }, keysDir),
    ).toThrow(/^CENTRAL_ATTACHMENTS_KEY: must be 32 bytes/);
    fs.mkdirSync(keysDir);
    fs.writeFileSync(path.join(keysDir, PAGE_KEY_FILE), 'not a key\n');
    expect(() => pageSealingFromEnv({}, keysDir)).toThrow(/not a page key/);
  });

  it('opens what either profile sealed, whichever profile central has now, and only under its own name', () => {
    const key = crypto.randomBytes(32);
    const page = Buffer.from('%PDF-1.7 a page');
    const name = crypto.createHash('sha256').update(page).digest('hex');
    const bySm = sealPage({ profile: 'sm', key }, name, page);
    const byDefault = sealPage({ profile: 'default', key }, name, page);
    expect([bySm[0], byDefault[0]]).toEqual([2, 1]);
    expect(openPage({ profile: 'default', key }, name, bySm).equals(page)).toBe(true);
    expect(openPage({ profile: 'sm', key }, name, byDefault).equals(page)).toBe(true);
    expect(() => openPage({ profile: 'sm', key }, 'f'.repeat(64), bySm)).toThrow(/authentication failed/);
    expect(() => openPage({ profile: 'sm', key: crypto.randomBytes(32) }, name, bySm)).toThrow(/cannot be read/);
  });

  it('seals a page piece by piece as it arrives into a file that opens as the whole page, with either profile', () => {
    const key = crypto.randomBytes(32);
    const page = Buffer.concat([Buffer.from('%PDF-1.7 '), crypto.randomBytes(300_000)]);
    const name = crypto.createHash('sha256').update(page).digest('hex');
    for (const profile of ['default', 'sm'] as const) {
      const sealer = pageSealer({ profile, key }, name);
      // Uneven pieces, as a request body arrives.
      for (let at = 0; at < page.length; at += 65_521) sealer.update(page.subarray(at, at + 65_521));
      const file = Buffer.concat(sealer.final());
      expect(file[0]).toBe(profile === 'sm' ? 2 : 1);
      expect(file.includes(page.subarray(0, 64))).toBe(false);
      expect(openPage({ profile: 'default', key }, name, file).equals(page)).toBe(true);
      expect(() => openPage({ profile, key }, 'e'.repeat(64), file)).toThrow(/authentication failed/);
    }
  });
});
