import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceConfigSchema } from '@shared/config';
import type { Caller } from '../../electron/core/api/caller';
import { createCore, type Core } from '../../electron/core/app/create-core';
import { addDevice } from '../../electron/core/server/device-tokens';
import { startHubProcess } from '../fixtures/hub-process';
import { DEMO_PIN } from '../fixtures/staff';
import { tempDir } from '../fixtures/temp-dir';

const deviceConfig = (role: 'kiosk' | 'counter', url: string) =>
  deviceConfigSchema.parse({
    hall: { code: 'HUB01', name: '测试大厅' },
    deviceCode: role === 'kiosk' ? 'K1' : 'C1',
    roles: [role],
    hub: { url, tokenFile: 'hub.token' },
  });

/**
 * A device whose queue lives on the hall hub checks every call (method, window role, person, binding)
 * before anything goes to the hub: here the "hub" only records what reaches it.
 */
describe('forwarding to the hub: checked on the device first', () => {
  const tmp = tempDir('ow-fwd-');
  const seen: string[] = [];
  let fakeHub: http.Server;
  const cores: Core[] = [];

  beforeAll(async () => {
    fakeHub = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: { code: 'UNAVAILABLE', message: 'a recording hub' } }));
    });
    await new Promise<void>((r) => fakeHub.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(fakeHub.address() as AddressInfo).port}`;
    for (const role of ['kiosk', 'counter'] as const) {
      const dir = path.join(tmp.dir, role);
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'hub.token'), `${role}-token`);
      cores.push(await createCore({ dataDir: dir, config: deviceConfig(role, url), appVersion: 'test' }));
    }
  });
  afterAll(async () => {
    for (const c of cores) c.close();
    await new Promise((r) => fakeHub.close(r));
    tmp.remove();
  });

  // Calls of pages; the device's own reads of the hall clock (retried while the hub answers nothing) aside.
  const calls = () => seen.filter((s) => s.startsWith('POST /api/v1/call/') && !s.endsWith('/queue.hall.clock'));

  it('refuses a kiosk window calling queue.counter.signIn on the device: the hub never hears of it', async () => {
    const kiosk: Caller = { role: 'kiosk', transport: 'ipc', origin: 'window-kiosk-1' };
    const before = calls().length;
    const r = await cores[0]!.dispatch(kiosk, 'queue.counter.signIn', {
      counterId: 'w1',
      login: 'clerk01',
      pin: DEMO_PIN,
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { reason: 'WRONG_ROLE' } } });
    expect(calls().slice(before)).toEqual([]);
  });

  it('refuses a counter window where nobody signed in, and a hub-served admin method, without forwarding', async () => {
    const counter: Caller = { role: 'counter', transport: 'ipc', origin: 'window-counter-1' };
    const before = calls().length;
    const next = await cores[1]!.dispatch(counter, 'queue.callNext', {
      mutationId: crypto.randomUUID(),
      counterId: 'w1',
    });
    expect(next).toMatchObject({
      ok: false,
      error: { code: 'SIGN_IN_REQUIRED', details: { reason: 'SIGN_IN_REQUIRED' } },
    });
    const staff = await cores[1]!.dispatch(counter, 'staff.upsert', {});
    expect(staff).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { reason: 'WRONG_ROLE' } } });
    expect(calls().slice(before)).toEqual([]);
  });

  it('does forward an allowed call (the recording hub is reached at all)', async () => {
    const counter: Caller = { role: 'counter', transport: 'ipc', origin: 'window-counter-2' };
    const before = calls().length;
    const r = await cores[1]!.dispatch(counter, 'queue.counter.signIn', {
      counterId: 'w1',
      login: 'clerk01',
      pin: DEMO_PIN,
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(calls().slice(before)).toEqual(['POST /api/v1/call/queue.counter.signIn']);
  });
});

/** A counter PC is bound to its window by its hub device entry (`counters`): the hub refuses any other. */
describe('forwarding to the hub: a counter PC bound to w1', () => {
  let hub: Awaited<ReturnType<typeof startHubProcess>>;
  let device: Core;
  const tmp = tempDir('ow-bound-');
  const window1: Caller = { role: 'counter', transport: 'ipc', origin: 'window-counter-1' };

  beforeAll(async () => {
    hub = await startHubProcess();
    // As `hub --add-device counter-w1 --role counter --counters w1` writes it (the hub reads the list per call).
    const token = addDevice(path.join(hub.dataDir, 'hub-devices.json'), 'counter-w1', 'counter', ['w1']);
    fs.writeFileSync(path.join(tmp.dir, 'hub.token'), token);
    device = await createCore({ dataDir: tmp.dir, config: deviceConfig('counter', hub.url), appVersion: 'test' });
  }, 120_000);
  afterAll(async () => {
    device?.close();
    await hub.stop();
    tmp.remove();
  });

  it('cannot sign in at w2 (COUNTER_NOT_BOUND, no PIN tried), and can at w1', async () => {
    const audit = async () => (await hub.call(hub.tokens.admin, 'audit.list', { limit: 500 })).value as unknown[];
    const auditBefore = await audit();
    const w2 = await device.dispatch(window1, 'queue.counter.signIn', {
      counterId: 'w2',
      login: 'clerk01',
      pin: DEMO_PIN,
    });
    expect(w2).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { reason: 'COUNTER_NOT_BOUND' } } });
    // The hub refused before checking the PIN: no sign-in (nor failure) in its audit log.
    expect(await audit()).toEqual(auditBefore);
    // Nobody is signed in on the window, and w2 stayed closed on the hub.
    expect(await device.dispatch(window1, 'identity.session', {})).toMatchObject({ ok: true, value: { person: null } });
    const counters = (await hub.call(hub.tokens.admin, 'queue.counters', {})).value as { id: string; status: string }[];
    expect(counters.find((c) => c.id === 'w2')?.status).toBe('closed');

    const w1 = await device.dispatch(window1, 'queue.counter.signIn', {
      counterId: 'w1',
      login: 'clerk01',
      pin: DEMO_PIN,
    });
    expect(w1).toMatchObject({ ok: true, value: { counter: { id: 'w1', status: 'open', clerkId: 'clerk01' } } });
    expect(await device.dispatch(window1, 'identity.session', {})).toMatchObject({
      ok: true,
      value: { person: { staffId: 'clerk01', via: 'pin', counterId: 'w1' } },
    });
    // Signed in, the window works its counter through the hub.
    const view = await device.dispatch(window1, 'queue.counter.view', { counterId: 'w1' });
    expect(view).toMatchObject({ ok: true, value: { counter: { id: 'w1', status: 'open' } } });
  });
});
