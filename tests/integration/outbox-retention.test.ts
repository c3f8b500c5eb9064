import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3';
import { deviceMigrations } from '../../electron/core/db/migrations';
import { openDatabase } from '../../electron/core/db/open';
import { createOutboxStore } from '../../electron/core/store/outbox-store';
import { tempDir } from '../fixtures/temp-dir';
import { OUTBOX_ROWS } from '../fixtures/outbox-rows';

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-01T02:00:00Z');

/**
 * An outbox keeps what a resend after a restore of central needs — acknowledged rows of the retention
 * period, and each replica's newest acknowledged row, by which a restore is noticed — and no more.
 */
describe('outbox retention', () => {
  const tmp = tempDir('ow-outbox-retention-');
  let db: Database;
  let outbox: ReturnType<typeof createOutboxStore>;

  beforeAll(async () => {
    ({ db } = await openDatabase({ file: `${tmp.dir}/device.sqlite`, migrations: deviceMigrations }));
    outbox = createOutboxStore(db);
  });
  afterAll(() => {
    db.close();
    tmp.remove();
  });

  const write = (n: number, at: number) =>
    db.transaction(() =>
      Array.from({ length: n }, (_, i) =>
        outbox.append({ name: 'test.row', version: 1, args: { i }, entityId: null }, new Date(at)),
      ),
    )();
  const ack = (rows: { replicaId: string; seq: number; mutationId: string }[], at: number) =>
    outbox.acknowledge(
      rows.map((r) => ({ ...r, status: 'applied' as const, result: null })),
      new Date(at),
    );
  const seqs = () =>
    db.prepare(`SELECT replica_id, seq, status FROM (${OUTBOX_ROWS}) ORDER BY write_order`).all() as {
      replica_id: string;
      seq: number;
      status: string;
    }[];

  it('prunes rows acknowledged before the cut-off, keeping pending rows and each replica’s newest ack', () => {
    const oldReplica = write(5, T0);
    ack(oldReplica, T0 + DAY);
    outbox.startNewReplica();
    const acked = write(4, T0 + 10 * DAY);
    ack(acked.slice(0, 3), T0 + 10 * DAY);
    const recent = write(2, T0 + 40 * DAY);
    ack(recent, T0 + 40 * DAY);
    const pending = write(2, T0 + 41 * DAY);
    const before = outbox.ackedThrough();

    const pruned = outbox.pruneAcknowledged(new Date(T0 + 30 * DAY));

    // The old replica keeps its newest ack only; the new one keeps its ack of day 40 and its unacked rows.
    expect(pruned).toBe(4 + 3);
    expect(seqs()).toEqual([
      { replica_id: oldReplica[0]!.replicaId, seq: 5, status: 'applied' },
      { replica_id: acked[0]!.replicaId, seq: 4, status: 'pending' },
      { replica_id: acked[0]!.replicaId, seq: 5, status: 'applied' },
      { replica_id: acked[0]!.replicaId, seq: 6, status: 'applied' },
      { replica_id: acked[0]!.replicaId, seq: 7, status: 'pending' },
      { replica_id: acked[0]!.replicaId, seq: 8, status: 'pending' },
    ]);
    expect(pending.map((p) => p.seq)).toEqual([7, 8]);
    // What tells a restore of central is unchanged.
    expect(outbox.ackedThrough()).toEqual(before);
    expect(outbox.pendingCount()).toBe(3);
    // Nothing more to prune on a second pass.
    expect(outbox.pruneAcknowledged(new Date(T0 + 30 * DAY))).toBe(0);
  });
});
