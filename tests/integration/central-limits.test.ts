import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PUSH_BATCH, SYNC_SCHEMA_HEADER } from '@shared/sync/wire';
import { SYNC_SCHEMA_VERSION } from '@shared/sync/version';
import { CENTRAL_BODY_LIMIT } from '../../central/src/server';
import { openSyncDevice, type SyncDevice } from '../fixtures/central-device';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { tempDir } from '../fixtures/temp-dir';

describe('central: rate and size limits', () => {
  let central: TestCentral;
  let device: SyncDevice;
  const tmp = tempDir('ow-central-limits-');
  const push = (body: string) =>
    fetch(`${central.url}/sync/v1/push`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${device.token()}`,
        [SYNC_SCHEMA_HEADER]: String(SYNC_SCHEMA_VERSION),
        'content-type': 'application/json',
      },
      body,
    });

  beforeAll(async () => {
    central = await startCentral({ rateLimitPerMinute: 8 });
    const hall = await central.admin.createHall('LIM01');
    device = await openSyncDevice({ dataDir: tmp.dir, name: 'limits' });
    await device.engine.enroll(central.url, await central.admin.code(hall.id, 'counter'));
  });
  afterAll(async () => {
    await device.close();
    await central.stop();
    tmp.remove();
  });

  it('refuses a body over the limit and a batch over the maximum, before touching the database', async () => {
    expect((await push(JSON.stringify({ mutations: [], pad: 'x'.repeat(CENTRAL_BODY_LIMIT) }))).status).toBe(413);
    const m = {
      replicaId: '00000000-0000-4000-8000-000000000001',
      mutationId: '00000000-0000-4000-8000-000000000002',
      name: 'test.note',
      version: 1,
      args: {},
      entityId: null,
      schemaVersion: 1,
      deviceTime: new Date().toISOString(),
    };
    const tooMany = Array.from({ length: MAX_PUSH_BATCH + 1 }, (_, i) => ({ ...m, seq: i + 1 }));
    expect((await push(JSON.stringify({ mutations: tooMany }))).status).toBe(400);
    expect((await central.pool.query('SELECT count(*)::int AS n FROM replicas')).rows[0].n).toBe(0);
  });

  it('limits requests per device token; the device records RATE_LIMITED and keeps its queue', async () => {
    device.write(1);
    let limited = false;
    for (let i = 0; i < 10 && !limited; i++) {
      await device.engine.runOnce();
      limited = /^RATE_LIMITED/.test(device.engine.status().lastError ?? '');
    }
    expect(limited).toBe(true);
    expect((await push('{}')).status).toBe(429);
  });
});
