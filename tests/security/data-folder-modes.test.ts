import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core/app/create-core';
import { loadDeviceConfig } from '../../electron/core/config/load-config';
import { backupDatabase } from '../../electron/core/db/backup';
import { tempDir } from '../fixtures/temp-dir';

/** Every path under the folder another local account could read or enter (group or other bits). */
function readableByOthers(dir: string): string[] {
  const open: string[] = [];
  const walk = (p: string) => {
    const st = fs.lstatSync(p);
    if ((st.mode & 0o077) !== 0) open.push(`${p} ${(st.mode & 0o777).toString(8)}`);
    if (st.isDirectory()) for (const e of fs.readdirSync(p)) walk(path.join(p, e));
  };
  walk(dir);
  return open;
}

describe.skipIf(process.platform === 'win32')('the data folder is private to the account that runs the app', () => {
  const t = tempDir('ow-sec-modes-');
  afterAll(() => t.remove());

  it('creates the config, databases, keys and backups 0600 in folders 0700', async () => {
    const dataDir = path.join(t.dir, 'fresh');
    const config = { ...loadDeviceConfig(dataDir), roles: ['kiosk' as const, 'leader' as const], demo: true };
    const core = await createCore({ dataDir, config, appVersion: 'test', sync: { autoStart: false } });
    core.close();
    // A backup as the daily one writes it, taken by this process after the core started.
    const db = new Sqlite(path.join(dataDir, 'device.sqlite'));
    await backupDatabase(db, { dir: path.join(dataDir, 'backups'), label: 'daily' });
    db.close();
    expect(fs.readdirSync(dataDir)).toEqual(
      expect.arrayContaining(['onewindow.config.json', 'device.sqlite', 'leader.sqlite', 'backups']),
    );
    expect(readableByOthers(dataDir)).toEqual([]);
  });

  it('makes a folder an older version left readable private on the next start', async () => {
    const dataDir = path.join(t.dir, 'old');
    fs.mkdirSync(path.join(dataDir, 'backups'), { recursive: true, mode: 0o755 });
    fs.chmodSync(dataDir, 0o755);
    fs.writeFileSync(path.join(dataDir, 'backups', 'device-2026-01-01.sqlite'), 'old', { mode: 0o644 });
    const config = loadDeviceConfig(dataDir);
    fs.chmodSync(path.join(dataDir, 'onewindow.config.json'), 0o644);
    const core = await createCore({
      dataDir,
      config: { ...config, roles: ['kiosk'], demo: true },
      appVersion: 'test',
      sync: { autoStart: false },
    });
    core.close();
    expect(readableByOthers(dataDir)).toEqual([]);
  });

  it('does not walk the scanned pages at each start (this version writes them private; there may be thousands)', async () => {
    const dataDir = path.join(t.dir, 'pages');
    const config = loadDeviceConfig(dataDir);
    // A marker mode no start of this version writes: the walk would make it 0600.
    const page = path.join(dataDir, 'attachments', 'ab', 'marker');
    fs.mkdirSync(path.dirname(page), { recursive: true });
    fs.writeFileSync(page, 'x', { mode: 0o640 });
    fs.chmodSync(page, 0o640);
    const core = await createCore({
      dataDir,
      config: { ...config, roles: ['kiosk'], demo: true },
      appVersion: 'test',
      sync: { autoStart: false },
    });
    core.close();
    expect(fs.statSync(page).mode & 0o777).toBe(0o640);
    expect(readableByOthers(dataDir).filter((p) => !p.startsWith(path.join(dataDir, 'attachments')))).toEqual([]);
  });
});
