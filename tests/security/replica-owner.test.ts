import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNC_SCHEMA_HEADER } from '@shared/sync/wire';
import { SYNC_SCHEMA_VERSION } from '@shared/sync/version';
import { openSyncDevice, type SyncDevice } from '../fixtures/central-device';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { tempDir } from '../fixtures/temp-dir';

/**
 * Another device of the same hall pushed into a device's replica: central took the row under the next seq,
 * so the owner's own next row came back SEQ_REUSED and was lost. A replica is its first pusher's.
 */
describe('central: a replica belongs to the device that first pushed it', () => {
  let central: TestCentral;
  let owner: SyncDevice;
  let other: SyncDevice;
  const dirs = [tempDir('ow-sec-replica-a-'), tempDir('ow-sec-replica-b-'), tempDir('ow-sec-replica-c-')];

  beforeAll(async () => {
    central = await startCentral();
    const hall = await central.admin.createHall('REP01');
    owner = await openSyncDevice({ dataDir: dirs[0]!.dir, name: 'owner' });
    other = await openSyncDevice({ dataDir: dirs[1]!.dir, name: 'other' });
    await owner.engine.enroll(central.url, await central.admin.code(hall.id, 'counter'));
    await other.engine.enroll(central.url, await central.admin.code(hall.id, 'kiosk'));
  });
  afterAll(async () => {
    await owner.close();
    await other.close();
    await central.stop();
    for (const d of dirs) d.remove();
  });

  it("refuses another device's push into the replica (403) and the owner's next row goes through", async () => {
    owner.write(1);
    expect(await owner.engine.runOnce()).toBe('ok');
    const [mine] = owner.rows();
    const forged = {
      replicaId: mine!.replica_id,
      seq: mine!.seq + 1,
      mutationId: crypto.randomUUID(),
      name: 'test.note',
      version: 1,
      args: { device: 'owner', n: 99, text: 'forged' },
      entityId: null,
      schemaVersion: SYNC_SCHEMA_VERSION,
      deviceTime: new Date().toISOString(),
    };
    const res = await fetch(`${central.url}/sync/v1/push`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${other.token()}`,
        [SYNC_SCHEMA_HEADER]: String(SYNC_SCHEMA_VERSION),
        'content-type': 'application/json',
      },
      body: JSON.stringify({ mutations: [forged] }),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: 'FOREIGN_REPLICA' });

    owner.write(1);
    expect(await owner.engine.runOnce()).toBe('ok');
    expect(owner.rows().map((r) => r.status)).toEqual(['applied', 'applied']);
    const { rows } = await central.pool.query(`SELECT status FROM mutations WHERE replica_id = $1 ORDER BY seq`, [
      mine!.replica_id,
    ]);
    expect(rows.map((r) => r.status)).toEqual(['applied', 'applied']);
  });

  it('keeps its replicas through a re-enrolment of the same device, and the old token dies', async () => {
    const oldToken = owner.token();
    owner.write(1);
    const hallId = owner.state.get().enrollment!.hallId;
    await owner.engine.enroll(central.url, await central.admin.code(hallId, 'counter'), { force: true });
    expect(await owner.engine.runOnce()).toBe('ok');
    expect(owner.rows().map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    const pull = await fetch(`${central.url}/sync/v1/pull?kinds=holiday`, {
      headers: { authorization: `Bearer ${oldToken}`, [SYNC_SCHEMA_HEADER]: String(SYNC_SCHEMA_VERSION) },
    });
    expect(pull.status).toBe(401);
  });
});
