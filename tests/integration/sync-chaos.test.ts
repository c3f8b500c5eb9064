import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNC_SCHEMA_HEADER } from '@shared/sync/wire';
import { SYNC_SCHEMA_VERSION } from '@shared/sync/version';
import { startChaosProxy, seededRandom } from '../fixtures/central-chaos-proxy';
import { drain, openSyncDevice, type SyncDevice } from '../fixtures/central-device';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { decodeArgs } from '../../electron/core/store/outbox-args';
import { tempDir } from '../fixtures/temp-dir';
import { OUTBOX_ROWS } from '../fixtures/outbox-rows';

const DEVICES = 5;
const PER_DEVICE = 2000;
const SEED = Number(process.env.SYNC_CHAOS_SEED ?? 20261124);

/**
 * (1) 5 devices × 2,000 mutations through a proxy that cuts requests and drops answers at random, while
 * devices keep writing, plus verbatim replays of already-acknowledged batches: central must hold exactly
 * the unique mutation ids, each device's in its write order.
 */
describe('sync under disconnects, dropped answers and replays', () => {
  let central: TestCentral;
  let proxy: Awaited<ReturnType<typeof startChaosProxy>>;
  const devices: SyncDevice[] = [];
  const dirs: { remove(): void }[] = [];

  beforeAll(async () => {
    central = await startCentral({ poolSize: 10 });
    proxy = await startChaosProxy(central.url, { cutRequest: 0.04, dropResponse: 0.04, random: seededRandom(SEED) });
    const hall = await central.admin.createHall('CHAOS1');
    for (let i = 0; i < DEVICES; i++) {
      const tmp = tempDir('ow-sync-chaos-');
      dirs.push(tmp);
      const d = await openSyncDevice({ dataDir: tmp.dir, name: `dev${i}`, timing: { pushBatch: 50 } });
      await d.engine.enroll(central.url, await central.admin.code(hall.id, 'counter'));
      // From now on everything goes through the chaos proxy.
      d.state.enroll({ ...d.state.get().enrollment!, centralUrl: proxy.url });
      devices.push(d);
    }
  });
  afterAll(async () => {
    for (const d of devices) await d.close();
    await proxy?.stop();
    await central?.stop();
    for (const t of dirs) t.remove();
  });

  // About 30 s on a server; on the embedded PostgreSQL's one connection the devices' pushes wait for each
  // other, so more of them outlive the proxy's cuts and are sent again: about 100 s, more on a loaded machine.
  it('central holds exactly the unique mutation ids, per-device order kept', async () => {
    for (const d of devices) d.engine.start();
    const replays: Promise<void>[] = [];
    // Devices write in bursts while their loops push; every few bursts the whole network drops.
    for (let burst = 0; burst < 20; burst++) {
      for (const d of devices) d.write(PER_DEVICE / 20);
      if (burst % 5 === 4) proxy.cutAll();
      if (burst % 4 === 1) replays.push(...devices.map((d) => replayAcknowledged(d)));
      for (const d of devices) d.engine.nudge();
      await new Promise((r) => setTimeout(r, 30));
    }
    await Promise.all(replays);
    // The loops drain through the chaos on their own (backoff, retries), network cuts continuing.
    const until = Date.now() + 90_000;
    for (let i = 0; devices.some((d) => d.outbox.pendingCount() > 0) && Date.now() < until; i++) {
      if (i % 20 === 19) proxy.cutAll();
      await new Promise((r) => setTimeout(r, 50));
    }
    for (const d of devices) await d.engine.stop();
    proxy.setChaos(false);
    for (const d of devices) await drain(d);
    expect(proxy.stats.cutRequests + proxy.stats.droppedResponses).toBeGreaterThan(20);

    const { rows } = await central.pool.query<{
      device_id: string;
      replica_id: string;
      seq: number;
      mutation_id: string;
      args: { device: string; n: number };
      status: string;
    }>('SELECT device_id, replica_id, seq, mutation_id, args, status FROM mutations ORDER BY received_order');
    expect(rows).toHaveLength(DEVICES * PER_DEVICE);
    expect(new Set(rows.map((r) => r.mutation_id)).size).toBe(DEVICES * PER_DEVICE);
    expect(rows.every((r) => r.status === 'applied')).toBe(true);
    for (const d of devices) {
      const local = d.rows();
      expect(local.every((r) => r.status === 'applied')).toBe(true);
      const mine = rows.filter((r) => r.args.device === d.name);
      // Same ids as the device wrote, in the order it wrote them (arrival order at central = seq order).
      expect(mine.map((r) => r.mutation_id)).toEqual(local.map((r) => r.mutation_id));
      expect(mine.map((r) => r.args.n)).toEqual(local.map((_, i) => i));
    }
  }, 330_000);

  /** Sends an already-acknowledged batch again, verbatim, straight to central: it must answer the stored outcomes. */
  async function replayAcknowledged(d: SyncDevice) {
    const acked = d.db
      .prepare<
        [],
        {
          replica_id: string;
          seq: number;
          mutation_id: string;
          name: string;
          version: number;
          args: Buffer;
          entity_id: string | null;
          schema_version: number;
          device_time: string;
          status: string;
        }
      >(`SELECT * FROM (${OUTBOX_ROWS}) WHERE status = 'applied' ORDER BY write_order LIMIT 20`)
      .all();
    if (acked.length === 0) return;
    const replica = acked.filter((r) => r.replica_id === acked[0]!.replica_id);
    const token = d.token();
    const res = await fetch(`${central.url}/sync/v1/push`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        [SYNC_SCHEMA_HEADER]: String(SYNC_SCHEMA_VERSION),
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        mutations: replica.map((r) => ({
          replicaId: r.replica_id,
          seq: r.seq,
          mutationId: r.mutation_id,
          name: r.name,
          version: r.version,
          args: decodeArgs(r.args),
          entityId: r.entity_id,
          schemaVersion: r.schema_version,
          deviceTime: r.device_time,
        })),
      }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { outcomes: { mutationId: string; status: string }[] };
    expect(body.outcomes.map((o) => o.mutationId)).toEqual(replica.map((r) => r.mutation_id));
    expect(body.outcomes.every((o) => o.status === 'applied')).toBe(true);
  }
});
