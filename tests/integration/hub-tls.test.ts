import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceConfigSchema } from '@shared/config';
import { createCore, type Core } from '../../electron/core/app/create-core';
import { HUB_TLS_DIR, hubPin, hubTls } from '../../electron/core/host/hub-tls';
import { loadOrCreateSelfManagedTls } from '../../tls/self-managed-ca';
import { spkiPin } from '../../tls/spki-pin';
import { startHubProcess } from '../fixtures/hub-process';
import { tempDir } from '../fixtures/temp-dir';

/** The hall hub over HTTPS/WSS with its own CA, and a kiosk device paired with it by the pin. */
describe('the hall hub over TLS', () => {
  let hub: Awaited<ReturnType<typeof startHubProcess>>;
  let device: Core;
  const tmp = tempDir('ow-hub-tls-device-');
  const seen: string[] = [];
  const kiosk = { role: 'kiosk' as const, transport: 'ipc' as const, origin: 'window-kiosk-1' };

  beforeAll(async () => {
    hub = await startHubProcess({ kiosks: 1, tls: true });
    fs.writeFileSync(path.join(tmp.dir, 'hub.token'), hub.tokens.kiosks[0]!);
    const config = deviceConfigSchema.parse({
      hall: { code: 'HUB01', name: '测试大厅' },
      deviceCode: 'K1',
      roles: ['kiosk'],
      hub: { url: hub.url, tokenFile: 'hub.token', pin: hub.enrolledPin },
    });
    device = await createCore({ dataDir: tmp.dir, config, appVersion: 'test' });
    device.bus.subscribe((name) => seen.push(name));
  }, 120_000);
  afterAll(async () => {
    device.close();
    await hub.stop();
    tmp.remove();
  });

  it('prints its pin with --add-device and in its banner, and keeps its keys to itself', async () => {
    expect(hub.url).toMatch(/^https:\/\//);
    expect(hub.enrolledPin).toMatch(/^sha256\/[A-Za-z0-9+/]{43}=$/);
    await expect.poll(() => hub.bannerPin()).toBe(hub.enrolledPin);
    for (const file of fs.readdirSync(path.join(hub.dataDir, HUB_TLS_DIR))) {
      expect(fs.statSync(path.join(hub.dataDir, HUB_TLS_DIR, file)).mode & 0o777, file).toBe(0o600);
    }
  });

  it('answers a pinned device’s queue calls and sends it live events over the WebSocket', async () => {
    await expect.poll(() => seen.includes('queue.changed')).toBe(true); // the welcome on the WSS socket
    const r = await device.dispatch(kiosk, 'queue.ticket.issue', {
      mutationId: hub.mutationId(),
      queueId: 'general',
      applicantType: 'person',
    });
    expect(r).toMatchObject({ ok: true, value: { ticket: { number: 'A001' } } });
    const count = seen.length;
    await hub.call(hub.tokens.kiosks[0]!, 'queue.ticket.issue', {
      mutationId: hub.mutationId(),
      queueId: 'general',
      applicantType: 'person',
    });
    await expect.poll(() => seen.length).toBeGreaterThan(count);
  });

  it('keeps its CA across a restart: the same pin, and the device reaches it again', async () => {
    await hub.kill('SIGTERM');
    await hub.start();
    await expect.poll(() => hub.bannerPin()).toBe(hub.enrolledPin);
    expect(await device.dispatch(kiosk, 'queue.kiosk.queues', {})).toMatchObject({ ok: true });
  });
});

describe('a hall that uses its government CA', () => {
  it('serves the certificate it is given and pins that CA, the chain file’s last certificate', async () => {
    const gov = tempDir('ow-hub-gov-');
    try {
      // A stand-in for the hall's government CA and the certificate it issued the hub.
      const issued = await loadOrCreateSelfManagedTls(path.join(gov.dir, 'ca'), ['hub.hall.lan'], 'Government CA');
      const certFile = path.join(gov.dir, 'hub.pem');
      const keyFile = path.join(gov.dir, 'hub.key');
      fs.writeFileSync(certFile, issued.cert);
      fs.writeFileSync(keyFile, issued.key);
      const options = { mode: 'auto' as const, bindHost: '0.0.0.0', certFile, keyFile };
      const tls = await hubTls(gov.dir, options);
      expect(tls).toMatchObject({ cert: issued.cert, key: issued.key, pin: spkiPin(issued.caCert) });
      expect(await hubPin(gov.dir, options)).toBe(spkiPin(issued.caCert));
      // No CA of its own beside the hall's.
      expect(fs.existsSync(path.join(gov.dir, HUB_TLS_DIR))).toBe(false);
    } finally {
      gov.remove();
    }
  });

  it('refuses plain HTTP beyond loopback, and a certificate without its key', async () => {
    const dir = tempDir('ow-hub-plain-');
    try {
      await expect(hubTls(dir.dir, { mode: 'off', bindHost: '0.0.0.0' })).rejects.toThrow(/loopback only/);
      await expect(hubTls(dir.dir, { mode: 'auto', bindHost: '127.0.0.1' })).resolves.toBeNull();
      await expect(hubTls(dir.dir, { mode: 'auto', bindHost: '0.0.0.0', certFile: 'a.pem' })).rejects.toThrow(
        /go together/,
      );
    } finally {
      dir.remove();
    }
  });
});
