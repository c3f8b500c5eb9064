import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core/app/create-core';
import { loadDeviceConfig } from '../../electron/core/config/load-config';
import { tempDir } from '../fixtures/temp-dir';

/**
 * A device started for the first time must not open with the public demo accounts (clerks with PIN
 * 123456, an administrator whose password and TOTP secret are in the README): the demo hall is asked for.
 */
describe('the demo hall only when asked for', () => {
  const t = tempDir('ow-sec-demo-');
  afterAll(() => t.remove());

  async function staffLogins(dataDir: string, demo?: boolean): Promise<string[]> {
    const config = loadDeviceConfig(dataDir, { demo });
    const core = await createCore({ dataDir, config, appVersion: 'test', sync: { autoStart: false } });
    core.close();
    const db = new Sqlite(path.join(dataDir, 'device.sqlite'), { readonly: true });
    try {
      return (db.prepare('SELECT login FROM staff ORDER BY login').all() as { login: string }[]).map((r) => r.login);
    } finally {
      db.close();
    }
  }

  it('a first start writes "demo": false and seeds no account', async () => {
    const dataDir = path.join(t.dir, 'plain');
    expect(await staffLogins(dataDir)).toEqual([]);
    const written = JSON.parse(fs.readFileSync(path.join(dataDir, 'onewindow.config.json'), 'utf8'));
    expect(written.demo).toBe(false);
  });

  it('--demo seeds the demo hall into a new database, and says so in the config it writes', async () => {
    const dataDir = path.join(t.dir, 'demo');
    expect(await staffLogins(dataDir, true)).toEqual(expect.arrayContaining(['clerk01', 'admin']));
    const written = JSON.parse(fs.readFileSync(path.join(dataDir, 'onewindow.config.json'), 'utf8'));
    expect(written.demo).toBe(true);
  });
});
