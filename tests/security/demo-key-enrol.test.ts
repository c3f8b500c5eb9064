import crypto from 'node:crypto';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { DEMO_ID_HASH_KEY, deviceConfigSchema } from '@shared/config';
import type { Caller } from '../../electron/core/api/caller';
import { createCore, type Core } from '../../electron/core/app/create-core';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { tempDir } from '../fixtures/temp-dir';

/**
 * A device with no `idHashKey` hashes applicants' ID numbers under the public demo key, which anyone can
 * use to reverse every hash (resident IDs have little entropy). Such a device enrolled with a production
 * central and its hashes merged into the hall's profiles. It must refuse — a typed error saying what to set
 * — unless the central is itself a demo one (CENTRAL_DEMO=1), where demo devices are what it is for.
 */
describe('a device on the demo idHashKey enrols with a demo central only', () => {
  let production: TestCentral;
  let demo: TestCentral;
  const page: Caller = { role: 'admin', transport: 'ipc', origin: 'admin-page' };
  const dirs: { remove(): void }[] = [];
  const cores: Core[] = [];
  beforeAll(async () => {
    production = await startCentral({ demo: false });
    demo = await startCentral({ demo: true });
  }, 60_000);
  afterEach(async () => {
    for (const core of cores.splice(0)) {
      await core.sync.stop();
      core.close();
    }
  });
  afterAll(async () => {
    await production?.stop();
    await demo?.stop();
    for (const d of dirs) d.remove();
  });

  const device = async (idHashKey?: string) => {
    const tmp = tempDir('ow-sec-demo-key-');
    dirs.push(tmp);
    const config = deviceConfigSchema.parse({
      hall: { code: 'KEY01', name: '大厅' },
      deviceCode: 'A1',
      roles: ['admin'],
      ...(idHashKey ? { idHashKey } : {}),
    });
    const core = await createCore({ dataDir: tmp.dir, config, appVersion: 'test', sync: { autoStart: false } });
    cores.push(core);
    return core;
  };
  const enrol = async (core: Core, central: TestCentral, hallId: string) =>
    core.dispatch(page, 'sync.enroll', { centralUrl: central.url, code: await central.admin.code(hallId, 'admin') });

  it('refuses a production central without its idHashKey or with the demo one, and keeps the code unspent', async () => {
    const hall = await production.admin.createHall('KEY01');
    for (const key of [undefined, DEMO_ID_HASH_KEY]) {
      const core = await device(key);
      const code = await production.admin.code(hall.id, 'admin');
      const refused = await core.dispatch(page, 'sync.enroll', { centralUrl: production.url, code });
      expect(refused).toMatchObject({ ok: false, error: { details: { reason: 'DEMO_ID_HASH_KEY' } } });
      expect((refused as { error: { message: string } }).error.message).toMatch(/idHashKey/);
      expect(core.sync.status().enrolled).toBe(false);
      // The code still works for a device with the deployment's key.
      const keyed = await device(crypto.randomBytes(32).toString('hex'));
      expect(await keyed.dispatch(page, 'sync.enroll', { centralUrl: production.url, code })).toMatchObject({
        ok: true,
      });
    }
  });

  it('enrols with a demo central on the demo key', async () => {
    const hall = await demo.admin.createHall('KEY01');
    expect(await enrol(await device(), demo, hall.id)).toMatchObject({ ok: true, value: { enrolled: true } });
  });
});
