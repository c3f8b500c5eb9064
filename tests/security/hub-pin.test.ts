import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceConfigSchema } from '@shared/config';
import { createEventBus } from '../../electron/core/api/event-bus';
import { HubLinkError } from '../../electron/core/api/hub-link';
import { createHubForwarding } from '../../electron/core/api/remote-dispatch';
import { createCore } from '../../electron/core/app/create-core';
import { loadOrCreateCa, loadOrCreateSelfManagedTls } from '../../tls/self-managed-ca';
import { spkiPin } from '../../tls/spki-pin';
import { tempDir } from '../fixtures/temp-dir';

const TOKEN = 'device-token-that-must-not-leak';

/** What a device's hub client does with an address: the typed refusal it throws, if it throws one. */
function refusal(run: () => unknown): string | undefined {
  try {
    run();
  } catch (e) {
    if (e instanceof HubLinkError) return e.code;
    throw e;
  }
  return undefined;
}

/**
 * A device talks to its hall hub with its device token (and, through the hub, clerks' sign-ins): on the
 * LAN that goes only over TLS to the hub it was paired with (its pin), never in clear nor to an impostor.
 */
describe('a device reaches only the hub it pinned', () => {
  const keys = tempDir('ow-hub-pin-');
  let genuinePin: string;
  let impostor: https.Server;
  let impostorUrl: string;
  const seen = { connections: 0, requests: [] as string[], upgrades: 0 };

  beforeAll(async () => {
    genuinePin = spkiPin(await loadOrCreateCa(path.join(keys.dir, 'genuine'), 'OneWindow hall hub CA'));
    // Another CA's certificate, for the very address the device was given: the man in the middle on the LAN.
    const fake = await loadOrCreateSelfManagedTls(
      path.join(keys.dir, 'impostor'),
      ['127.0.0.1'],
      'OneWindow hall hub CA',
    );
    impostor = https.createServer({ cert: fake.cert, key: fake.key }, (req, res) => {
      seen.requests.push(`${req.method} ${req.url} authorization=${req.headers.authorization ?? ''}`);
      res.end('{}');
    });
    impostor.on('connection', () => (seen.connections += 1));
    impostor.on('upgrade', (req, socket) => {
      seen.upgrades += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    impostorUrl = `https://127.0.0.1:${(impostor.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => impostor.close(resolve));
    keys.remove();
  });

  it('refuses a hub on the LAN over plain http://, and an https:// hub without its pin', () => {
    const bus = createEventBus();
    const lan = (url: string, pin?: string) => () => createHubForwarding({ url, pin, token: TOKEN, bus }).close();
    expect(refusal(lan('http://192.0.2.10:5181'))).toBe('INSECURE_HUB_URL');
    expect(refusal(lan('http://hub.hall.lan:5181', genuinePin))).toBe('INSECURE_HUB_URL');
    expect(refusal(lan('https://192.0.2.10:5181'))).toBe('HUB_PIN_REQUIRED');
  });

  it('a device configured with a LAN http:// hub does not start', async () => {
    const device = tempDir('ow-hub-pin-device-');
    try {
      fs.writeFileSync(path.join(device.dir, 'hub.token'), TOKEN);
      const config = deviceConfigSchema.parse({
        hall: { code: 'HUB01', name: '测试大厅' },
        deviceCode: 'K1',
        roles: ['kiosk'],
        hub: { url: 'http://192.0.2.10:5181', tokenFile: 'hub.token' },
      });
      const started = createCore({ dataDir: device.dir, config, appVersion: 'test' });
      await expect(started).rejects.toBeInstanceOf(HubLinkError);
      await expect(started).rejects.toMatchObject({ code: 'INSECURE_HUB_URL' });
    } finally {
      device.remove();
    }
  });

  it('an impostor with another certificate gets no token: neither a call nor the WebSocket upgrade', async () => {
    const bus = createEventBus();
    const forwarding = createHubForwarding({ url: impostorUrl, pin: genuinePin, token: TOKEN, bus });
    try {
      const r = await forwarding.call('queue.kiosk.queues', {});
      expect(r).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', details: { reason: 'HUB_PIN_MISMATCH' } } });
      // Both the call and the live socket reached it, and each went no further than the handshake.
      await expect.poll(() => seen.connections).toBeGreaterThanOrEqual(2);
    } finally {
      forwarding.close();
    }
    expect(seen.requests).toEqual([]);
    expect(seen.upgrades).toBe(0);
  });
});
