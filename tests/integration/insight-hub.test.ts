import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CounterView, Dashboard, IssuedTicket } from '@shared/api';
import { deviceConfigSchema } from '@shared/config';
import { createCore, type Core } from '../../electron/core/app/create-core';
import { HUB_CLOCK_START, startHubProcess } from '../fixtures/hub-process';
import { tempDir } from '../fixtures/temp-dir';

/**
 * An admin device whose queue lives on the hall hub: the dashboard's ticket numbers are the hub's live
 * queue; with the hub down the dashboard still answers with this device's intake numbers.
 */
describe('dashboard on a device served by the hub', () => {
  let hub: Awaited<ReturnType<typeof startHubProcess>>;
  let device: Core;
  const tmp = tempDir('ow-admin-');
  const admin = { role: 'admin' as const, transport: 'ipc' as const, origin: 'window-admin-1' };
  const day = HUB_CLOCK_START.slice(0, 10);

  beforeAll(async () => {
    hub = await startHubProcess();
    fs.writeFileSync(path.join(tmp.dir, 'hub.token'), hub.tokens.admin);
    const config = deviceConfigSchema.parse({
      hall: { code: 'HUB01', name: '测试大厅' },
      deviceCode: 'A7',
      roles: ['admin'],
      demo: true,
      hub: { url: hub.url, tokenFile: 'hub.token' },
    });
    device = await createCore({ dataDir: tmp.dir, config, appVersion: 'test', now: () => new Date(HUB_CLOCK_START) });
    // The administrator signs in on this device's admin page; the hub, where accounts live, checks it.
    expect(await device.dispatch(admin, 'identity.signIn', hub.adminSignIn())).toMatchObject({
      ok: true,
      value: { person: { staffId: 'admin01', via: 'password' } },
    });
  }, 120_000);
  afterAll(async () => {
    device.close();
    await hub.stop();
    tmp.remove();
  });

  const dashboard = async () => {
    const r = await device.dispatch(admin, 'insight.dashboard', { from: day, to: day });
    if (!r.ok) throw new Error(`${r.error.code} ${r.error.message}`);
    return r.value as Dashboard;
  };

  it('counts the tickets of the hub’s live queue', async () => {
    const before = (await dashboard()).tickets!.totals;
    const kiosk = hub.tokens.kiosks[0]!;
    const issued = (
      await hub.call(kiosk, 'queue.ticket.issue', {
        mutationId: hub.mutationId(),
        queueId: 'general',
        applicantType: 'person',
      })
    ).value as IssuedTicket;
    expect(issued.ticket.hallDay).toBe(day);
    await hub.call(hub.tokens.counter, 'queue.counter.signIn', { counterId: 'w2', login: 'clerk02', pin: '123456' });
    const view = (
      await hub.call(hub.tokens.counter, 'queue.callNext', { mutationId: hub.mutationId(), counterId: 'w2' })
    ).value as CounterView;
    expect(view.current?.id).toBe(issued.ticket.id);

    const after = (await dashboard()).tickets!.totals;
    expect(after.issued).toBe(before.issued + 1);
    expect(after.called).toBe(before.called + 1);
    // The same numbers the hub gives when asked itself.
    const atHub = await hub.call(hub.tokens.admin, 'queue.insight.tickets', { from: day, to: day });
    expect(atHub).toMatchObject({ ok: true, value: { totals: after } });
  });

  it('still answers with the intake numbers while the hub is down', async () => {
    await hub.kill('SIGKILL');
    const d = await dashboard();
    expect(d.tickets).toBeNull();
    expect(d.ratings.byLevel).toHaveLength(5);
    await hub.start();
  });
});
