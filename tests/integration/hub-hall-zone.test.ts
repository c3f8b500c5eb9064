import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dashboard, QueueSettings, Role, SystemInfo } from '@shared/api';
import { deviceConfigSchema } from '@shared/config';
import { createCore, type Core } from '../../electron/core/app/create-core';
import { HUB_CLOCK_START, startHubProcess } from '../fixtures/hub-process';
import { tempDir } from '../fixtures/temp-dir';

/**
 * The hall's zone, reset time and day live in the queue settings of the device that owns the queue, the
 * hub. A PC served by the hub answers `system.info.timeZone`, the dashboard's zone and its hall day from
 * the hub's, not from its own local queue settings (which would stay at Asia/Shanghai, 03:00), and keeps
 * the last it heard for a restart while the hub is down.
 */
describe('hub: the hall zone on a PC served by the hub', () => {
  let hub: Awaited<ReturnType<typeof startHubProcess>>;
  const opened: Core[] = [];
  const dirs: ReturnType<typeof tempDir>[] = [];
  const admin = { role: 'admin' as const, transport: 'ipc' as const, origin: 'window-admin-1' };

  const newDir = () => {
    const d = tempDir('ow-hub-zone-');
    dirs.push(d);
    return d.dir;
  };
  const openDevice = async (dir: string, token: string, role: Role, now = HUB_CLOCK_START) => {
    fs.writeFileSync(path.join(dir, 'hub.token'), token);
    const config = deviceConfigSchema.parse({
      hall: { code: 'HUB01', name: '测试大厅' },
      deviceCode: 'A7',
      roles: [role],
      hub: { url: hub.url, tokenFile: 'hub.token' },
    });
    const core = await createCore({ dataDir: dir, config, appVersion: 'test', now: () => new Date(now) });
    opened.push(core);
    return core;
  };
  /** The administrator signs in on the device's admin page (checked by the hub, where accounts live). */
  const signInAdmin = async (core: Core) => {
    const r = await core.dispatch(admin, 'identity.signIn', hub.adminSignIn());
    if (!r.ok) throw new Error(r.error.message);
  };
  const setHubZone = async (timeZone: string, resetTime = '03:00') => {
    const settings = (await hub.call(hub.tokens.admin, 'queue.settings.get', {})).value as QueueSettings;
    const updated = await hub.call(hub.tokens.admin, 'queue.settings.update', { ...settings, timeZone, resetTime });
    expect(updated.ok).toBe(true);
  };
  const info = async (core: Core, role: Role = 'admin') => {
    const r = await core.dispatch({ role, transport: 'ipc', origin: `window-${role}-1` }, 'system.info', {});
    if (!r.ok) throw new Error(r.error.message);
    return r.value as SystemInfo;
  };
  const dashboard = async (core: Core) => {
    const r = await core.dispatch(admin, 'insight.dashboard', {});
    if (!r.ok) throw new Error(r.error.message);
    return r.value as Dashboard;
  };

  beforeAll(async () => {
    hub = await startHubProcess();
    await setHubZone('America/New_York');
  }, 120_000);
  afterAll(async () => {
    for (const core of opened) core.close();
    await hub.stop();
    for (const d of dirs) d.remove();
  });

  it('tells the hall’s zone, not the PC’s local default', async () => {
    const device = await openDevice(newDir(), hub.tokens.admin, 'admin');
    expect((await info(device)).timeZone).toBe('America/New_York');
    await signInAdmin(device);
    expect((await dashboard(device)).timeZone).toBe('America/New_York');
  });

  it('lets a display read it, and takes the hall day from the hub whatever this PC’s clock says', async () => {
    const display = await openDevice(newDir(), hub.tokens.display, 'display');
    expect((await info(display, 'display')).timeZone).toBe('America/New_York');

    // The hub's day is 2026-03-02 (it never goes back); this PC's clock says 20:00 on 1 March in Shanghai.
    const skewed = await openDevice(newDir(), hub.tokens.admin, 'admin', '2026-03-01T12:00:00.000Z');
    await signInAdmin(skewed);
    const dash = await dashboard(skewed);
    expect(dash).toMatchObject({ from: '2026-03-02', to: '2026-03-02', timeZone: 'America/New_York' });
  });

  it('follows a change of zone on the hub, then keeps it for a restart while the hub is down (no admin sign-in then: accounts live on the hub)', async () => {
    const dir = newDir();
    const device = await openDevice(dir, hub.tokens.admin, 'admin');
    expect((await info(device)).timeZone).toBe('America/New_York');

    await setHubZone('Europe/Berlin', '04:00');
    const deadline = Date.now() + 10_000;
    while ((await info(device)).timeZone !== 'Europe/Berlin' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await info(device)).timeZone).toBe('Europe/Berlin');

    device.close();
    opened.splice(opened.indexOf(device), 1);
    await hub.kill();
    const restarted = await openDevice(dir, hub.tokens.admin, 'admin');
    expect((await info(restarted)).timeZone).toBe('Europe/Berlin');
    // The restart signed everybody out, and the hub that checks sign-ins is down: the dashboard waits.
    expect(await restarted.dispatch(admin, 'identity.signIn', hub.adminSignIn())).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE' },
    });
    expect(await restarted.dispatch(admin, 'insight.dashboard', {})).toMatchObject({
      ok: false,
      error: { code: 'SIGN_IN_REQUIRED' },
    });
  });
});
