import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { deviceConfigSchema } from '@shared/config';
import { SOCKET_CLOSE } from '@shared/api';
import { createCore, type Core } from '../../electron/core/app/create-core';
import { startApiServer, type ApiServer } from '../../electron/core/server/api-server';
import { addDevice, watchDeviceList } from '../../electron/core/server/device-tokens';
import { createDeviceTokenAuthenticator } from '../../electron/core/server/device-tokens';
import { tempDir } from '../fixtures/temp-dir';

/**
 * The hub's device list as an attacker meets it: a device revoked in hub-devices.json must lose the socket
 * it opened before (it kept answering), and a half-written file must not take the hub down.
 */
describe('hub-devices.json: revocation and a bad file', () => {
  const t = tempDir('ow-sec-devices-');
  const file = path.join(t.dir, 'hub-devices.json');
  const logged: string[] = [];
  let core: Core;
  let server: ApiServer;
  let devices: ReturnType<typeof watchDeviceList>;

  beforeAll(async () => {
    const config = deviceConfigSchema.parse({
      hall: { code: 'SEC01', name: '安全' },
      deviceCode: 'H1',
      roles: ['kiosk'],
      demo: true,
    });
    core = await createCore({
      dataDir: path.join(t.dir, 'core'),
      config,
      appVersion: 'test',
      sync: { autoStart: false },
    });
    devices = watchDeviceList(file, { warn: (msg) => logged.push(msg), pollMs: 50 });
    server = await startApiServer({
      dispatch: core.dispatch,
      bus: core.bus,
      auth: createDeviceTokenAuthenticator(devices),
      host: '127.0.0.1',
      port: 0,
      loopbackOnly: false,
    });
  });
  afterAll(async () => {
    await server.close();
    devices.close();
    core.close();
    t.remove();
  });

  const open = (token: string) =>
    new Promise<{ ws: WebSocket; call: (method: string) => Promise<{ ok: boolean }>; closed: Promise<number> }>(
      (resolve, reject) => {
        const ws = new WebSocket(`${server.url.replace('http', 'ws')}/api/v1/ws`);
        const pending = new Map<number, (r: { ok: boolean }) => void>();
        let n = 0;
        const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
        ws.on('message', (data) => {
          const msg = JSON.parse(String(data));
          if (msg.type === 'welcome') {
            resolve({
              ws,
              closed,
              call: (method) =>
                new Promise((r) => {
                  const id = ++n;
                  pending.set(id, r);
                  ws.send(JSON.stringify({ type: 'call', id, method, input: {} }));
                }),
            });
          }
          if (msg.type === 'result') pending.get(msg.id)?.(msg.result);
        });
        ws.on('close', (code) => reject(new Error(`closed ${code}`)));
        ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', token })));
      },
    );

  it('closes the socket of a device revoked after it connected, and refuses its calls', async () => {
    const token = addDevice(file, 'kiosk-1', 'kiosk');
    const kiosk = await open(token);
    expect((await kiosk.call('system.info')).ok).toBe(true);

    const list = JSON.parse(fs.readFileSync(file, 'utf8')) as { revoked: boolean }[];
    list[0]!.revoked = true;
    fs.writeFileSync(file, JSON.stringify(list));
    expect(await kiosk.closed).toBe(SOCKET_CLOSE.revoked);
    await expect(open(token)).rejects.toThrow(`closed ${SOCKET_CLOSE.unauthenticated}`);
  });

  it('keeps the last good list when the file is half-written, says why, and takes the fixed file', async () => {
    const token = addDevice(file, 'counter-1', 'counter', ['w1']);
    const before = await open(token);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').slice(0, 40));
    // A new device's hello and an open socket's call both still answer from the last good list.
    const again = await open(token);
    expect((await again.call('system.info')).ok).toBe(true);
    expect((await before.call('system.info')).ok).toBe(true);
    expect(logged.some((m) => m.includes('hub-devices.json') && m.includes('last good'))).toBe(true);

    const fixed = addDevice(path.join(t.dir, 'next.json'), 'counter-2', 'counter', ['w2']);
    fs.renameSync(path.join(t.dir, 'next.json'), file);
    const second = await open(fixed);
    expect((await second.call('system.info')).ok).toBe(true);
    expect(await before.closed).toBe(SOCKET_CLOSE.revoked);
    for (const s of [second, again]) s.ws.close();
  });
});
