import { execFileSync } from 'node:child_process';
import path from 'node:path';
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNC_SCHEMA_HEADER } from '@shared/sync/wire';
import { SYNC_SCHEMA_VERSION } from '@shared/sync/version';
import { drain, openSyncDevice, type SyncDevice } from '../fixtures/central-device';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { tempDir } from '../fixtures/temp-dir';

/**
 * Central's database restored from a real dump (pg_dump / pg_restore) taken before some pushes: every
 * replica of the device whose acknowledged rows central lost must be sent again, not only the replica
 * whose next push meets a gap, and each note must end up at central exactly once.
 */
// pg_dump and pg_restore come with a PostgreSQL server (tag `postgres`).
describe('sync: central restored from an older dump', { tags: ['postgres'] }, () => {
  let central: TestCentral;
  const tmp = tempDir('ow-sync-central-restore-');
  let hallId: string;
  let device: SyncDevice;
  let code: string;

  beforeAll(async () => {
    central = await startCentral();
    hallId = (await central.admin.createHall('CRESTO')).id;
    code = await central.admin.code(hallId, 'counter');
  });
  afterAll(async () => {
    await device?.close();
    await central.stop();
    tmp.remove();
  });

  const dumpFile = (name: string) => path.join(tmp.dir, `${name}.dump`);
  const dump = (name: string) => execFileSync('pg_dump', ['-Fc', '-f', dumpFile(name), central.databaseUrl]);
  const restore = (name: string) =>
    execFileSync('pg_restore', [
      '--clean',
      '--if-exists',
      '--single-transaction',
      '-d',
      central.databaseUrl,
      dumpFile(name),
    ]);
  /** A restart of the device: the database is opened again, so its next write starts a new replica. */
  const reopen = async () => {
    await device?.close();
    device = await openSyncDevice({ dataDir: path.join(tmp.dir, 'device'), name: 'restore-counter' });
  };
  const notesAtCentral = async () => {
    const { rows } = await central.pool.query<{ n: number; status: string }>(
      `SELECT (args->>'n')::int AS n, status FROM mutations WHERE hall_id = $1 ORDER BY n`,
      [hallId],
    );
    return rows;
  };
  const everyNoteOnce = (count: number) => Array.from({ length: count }, (_, n) => ({ n, status: 'applied' }));

  it('resends older replicas central had acknowledged, even when the next push meets no gap', async () => {
    await reopen();
    await device.engine.enroll(central.url, code);
    device.write(2); // replica A: notes 0, 1
    await drain(device);
    dump('early');
    device.write(3); // replica A: notes 2–4, acknowledged, then lost in the restore
    await drain(device);
    await reopen();
    device.write(2); // replica B: notes 5, 6, acknowledged, then lost in the restore
    await drain(device);
    const [replicaA, replicaB] = [...new Set(device.rows().map((r) => r.replica_id))];

    restore('early');
    expect(await notesAtCentral()).toEqual(everyNoteOnce(2));
    await reopen();
    device.write(1); // replica C: note 7, seq 1, which central accepts without any gap
    await drain(device);

    expect(await notesAtCentral()).toEqual(everyNoteOnce(8));
    const { rows } = await central.pool.query<{ replica_id: string; last_seq: number }>(
      'SELECT replica_id, last_seq FROM replicas WHERE hall_id = $1',
      [hallId],
    );
    expect(Object.fromEntries(rows.map((r) => [r.replica_id, r.last_seq]))).toMatchObject({
      [replicaA!]: 5,
      [replicaB!]: 2,
    });
  });

  it('resends the older replicas too when the current one meets a gap, without applying anything twice', async () => {
    dump('middle'); // notes 0–7 at central
    await reopen();
    device.write(2); // replica D: notes 8, 9, lost in the restore
    await drain(device);
    await reopen();
    device.write(2); // replica E: notes 10, 11, lost in the restore
    await drain(device);
    restore('middle');
    device.write(1); // replica E, seq 3: a gap at central, which holds none of E
    await drain(device);
    expect(await notesAtCentral()).toEqual(everyNoteOnce(13));

    // Nothing lost now: a further round sends nothing again.
    const before = (await central.pool.query('SELECT count(*)::int AS n FROM mutations')).rows[0].n;
    expect(await device.engine.runOnce()).toBe('ok');
    expect((await central.pool.query('SELECT count(*)::int AS n FROM mutations')).rows[0].n).toBe(before);
    expect(device.outbox.pendingCount()).toBe(0);
  });

  it('answers the replica check for the device’s hall only: unknown is 0, another hall’s is left out', async () => {
    const otherHall = (await central.admin.createHall('CRESTX')).id;
    const other = await openSyncDevice({ dataDir: path.join(tmp.dir, 'other'), name: 'other-hall' });
    try {
      await other.engine.enroll(central.url, await central.admin.code(otherHall, 'counter'));
      other.write(1);
      await drain(other);
      const ask = async (replicaIds: unknown) => {
        const res = await fetch(`${central.url}/sync/v1/replicas`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${device.token()}`,
            'content-type': 'application/json',
            [SYNC_SCHEMA_HEADER]: String(SYNC_SCHEMA_VERSION),
          },
          body: JSON.stringify({ replicaIds }),
        });
        return { status: res.status, json: (await res.json()) as unknown };
      };
      const own = device.outbox.activeReplicaId()!;
      const unknown = crypto.randomUUID();
      expect(await ask([own, unknown, other.outbox.activeReplicaId()])).toEqual({
        status: 200,
        json: {
          replicas: [
            { replicaId: own, lastSeq: 3 },
            { replicaId: unknown, lastSeq: 0 },
          ],
        },
      });
      expect((await ask([])).status).toBe(400);
      expect((await ask(['not-a-uuid'])).status).toBe(400);
    } finally {
      await other.close();
    }
  });
});
