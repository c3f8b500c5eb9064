import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMutationRegistry } from '@shared/sync/registry';
import { createPool } from '../../central/src/db/pool';
import { migrate } from '../../central/src/db/migrate';
import { startEmbeddedPostgres } from '../../central/src/embedded';
import { buildCentral } from '../../central/src/server';
import { drain, openSyncDevice, type SyncDevice } from '../fixtures/central-device';
import { testNote } from '../fixtures/central-mutations';
import { centralAdmin } from '../fixtures/central-server';
import { adminSession } from '../fixtures/central-identity';
import { tempDir } from '../fixtures/temp-dir';

/** `npm run central` without DATABASE_URL: the same server on an embedded PostgreSQL (PGlite). */
describe('central on the embedded PostgreSQL', () => {
  const dataTmp = tempDir('ow-central-pglite-');
  const deviceTmp = tempDir('ow-central-pglite-dev-');
  let stop: () => Promise<void>;
  let url: string;
  let token: string;
  let device: SyncDevice;

  beforeAll(async () => {
    const embedded = await startEmbeddedPostgres(dataTmp.dir);
    const pool = createPool(embedded.url, 1, undefined, { keepIdle: true, stream: embedded.stream });
    await migrate(pool);
    const app = await buildCentral({
      pool,
      registry: createMutationRegistry([testNote]),
      nudges: false,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    token = (await adminSession(url, pool)).token;
    stop = async () => {
      await app.close();
      await pool.end();
      await embedded.stop();
    };
    device = await openSyncDevice({ dataDir: deviceTmp.dir, name: 'pglite' });
  }, 120_000);
  afterAll(async () => {
    await device.close();
    await stop();
    dataTmp.remove();
    deviceTmp.remove();
  });

  it('enrolls, pushes and pulls', async () => {
    const admin = centralAdmin(url, token);
    const hall = await admin.createHall('EMB01');
    await device.engine.enroll(url, await admin.code(hall.id, 'counter'));
    await admin.request('PUT', `/admin/v1/halls/${hall.id}/clerks/k1`, { name: '王五', pin: '135790' });
    device.write(50);
    await drain(device);
    const log = await admin.request<unknown[]>('GET', `/admin/v1/halls/${hall.id}/mutations`);
    expect(log.json).toHaveLength(50);
    const staff = await admin.request<{ login: string }[]>('GET', `/admin/v1/staff?hallId=${hall.id}`);
    expect(staff.json.map((s) => s.login)).toEqual(['k1']);
  });
});
