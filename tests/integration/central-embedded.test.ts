import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMutationRegistry } from '@shared/sync/registry';
import { createPool } from '../../central/src/db/pool';
import { migrate } from '../../central/src/db/migrate';
import { startEmbeddedPostgres } from '../../central/src/embedded';
import { buildCentral } from '../../central/src/server';
import { drain, openSyncDevice, type SyncDevice } from '../fixtures/central-device';
import { testNote } from '../fixtures/central-mutations';
import { ADMIN_TOKEN, centralAdmin } from '../fixtures/central-server';
import { tempDir } from '../fixtures/temp-dir';

/** `npm run central` without DATABASE_URL: the same server on an embedded PostgreSQL (PGlite). */
describe('central on the embedded PostgreSQL', () => {
  const dataTmp = tempDir('ow-central-pglite-');
  const deviceTmp = tempDir('ow-central-pglite-dev-');
  let stop: () => Promise<void>;
  let url: string;
  let device: SyncDevice;

  beforeAll(async () => {
    const embedded = await startEmbeddedPostgres(dataTmp.dir);
    const pool = createPool(embedded.url, 1);
    await migrate(pool);
    const app = await buildCentral({
      pool,
      adminToken: ADMIN_TOKEN,
      registry: createMutationRegistry([testNote]),
      nudges: false,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    stop = async () => {
      await app.close();
      await pool.end();
      await embedded.stop();
    };
    device = await openSyncDevice({ dataDir: deviceTmp.dir, name: 'pglite' });
  }, 60_000);
  afterAll(async () => {
    await device.close();
    await stop();
    dataTmp.remove();
    deviceTmp.remove();
  });

  it('enrolls, pushes and pulls', async () => {
    const admin = centralAdmin(url);
    const hall = await admin.createHall('EMB01');
    await device.engine.enroll(url, await admin.code(hall.id, 'counter'));
    await admin.putRef('clerk', 'k1', { hallId: hall.id, data: { name: '王五', pinHash: 'h' } });
    device.write(50);
    await drain(device);
    const log = await admin.request<unknown[]>('GET', `/admin/v1/halls/${hall.id}/mutations`);
    expect(log.json).toHaveLength(50);
    expect(device.queue.clerks().map((c) => c.name)).toEqual(['王五']);
  });
});
