import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceConfigSchema } from '@shared/config';
import { createCore, type Core } from '../../electron/core/app/create-core';
import { startHubProcess } from '../fixtures/hub-process';
import { tempDir } from '../fixtures/temp-dir';

/** A kiosk device whose queue lives on the hub: its core forwards queue calls and relays the hub's events. */
describe('device forwarding to the hall hub', () => {
  let hub: Awaited<ReturnType<typeof startHubProcess>>;
  let device: Core;
  const tmp = tempDir('ow-device-');
  const seen: string[] = [];
  const kiosk = { role: 'kiosk' as const, transport: 'ipc' as const, origin: 'window-kiosk-1' };

  beforeAll(async () => {
    hub = await startHubProcess({ kiosks: 1 });
    fs.writeFileSync(path.join(tmp.dir, 'hub.token'), hub.tokens.kiosks[0]!);
    const config = deviceConfigSchema.parse({
      hall: { code: 'HUB01', name: '测试大厅' },
      deviceCode: 'K1',
      roles: ['kiosk'],
      hub: { url: hub.url, tokenFile: 'hub.token' },
    });
    device = await createCore({ dataDir: tmp.dir, config, appVersion: 'test' });
    device.bus.subscribe((name) => seen.push(name));
  }, 120_000);
  afterAll(async () => {
    device.close();
    await hub.stop();
    tmp.remove();
  });

  it('issues on the hub and hears the hub’s events', async () => {
    await expect.poll(() => seen.includes('queue.changed')).toBe(true); // the welcome after connecting
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
    // Local methods stay local.
    expect(await device.dispatch(kiosk, 'system.info', {})).toMatchObject({ ok: true, value: { deviceCode: 'K1' } });
  });

  it('answers UNAVAILABLE while the hub is down and works again after it restarts', async () => {
    await hub.kill('SIGKILL');
    const down = await device.dispatch(kiosk, 'queue.kiosk.queues', {});
    expect(down).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    await hub.start();
    const up = await device.dispatch(kiosk, 'queue.kiosk.queues', {});
    expect(up.ok).toBe(true);
  });
});
