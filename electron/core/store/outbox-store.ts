import crypto from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { SYNC_SCHEMA_VERSION } from '@shared/sync/version';

export interface OutboxMutation {
  /** A domain mutation name, e.g. `case.accept`; its args schema is `name@version` in shared/sync. */
  name: string;
  version: number;
  args: unknown;
  entityId: string | null;
}

export interface OutboxEntry extends OutboxMutation {
  replicaId: string;
  seq: number;
  mutationId: string;
  schemaVersion: number;
  deviceTime: string;
  status: 'pending' | 'applied' | 'rejected';
}

interface Row {
  replica_id: string;
  seq: number;
  mutation_id: string;
  name: string;
  version: number;
  args: string;
  entity_id: string | null;
  schema_version: number;
  device_time: string;
  status: OutboxEntry['status'];
}

const toEntry = (r: Row): OutboxEntry => ({
  replicaId: r.replica_id,
  seq: r.seq,
  mutationId: r.mutation_id,
  name: r.name,
  version: r.version,
  args: JSON.parse(r.args),
  entityId: r.entity_id,
  schemaVersion: r.schema_version,
  deviceTime: r.device_time,
  status: r.status,
});

/**
 * The sync outbox: SQL only. `append` must run inside the transaction of the domain write it records,
 * so a write and its outbox row are committed together or not at all.
 */
export function createOutboxStore(db: Database) {
  const replica = db.prepare<[], { replica_id: string; next_seq: number }>(
    'SELECT replica_id, next_seq FROM sync_replica WHERE id = 1',
  );
  const createReplica = db.prepare(
    'INSERT INTO sync_replica (id, replica_id, next_seq, created_at) VALUES (1, ?, 1, ?) ON CONFLICT (id) DO NOTHING',
  );
  const bumpSeq = db.prepare('UPDATE sync_replica SET next_seq = next_seq + 1 WHERE id = 1');
  const insert = db.prepare(`
    INSERT INTO outbox (replica_id, seq, mutation_id, name, version, args, entity_id, schema_version, device_time)
    VALUES (@replicaId, @seq, @mutationId, @name, @version, @args, @entityId, @schemaVersion, @deviceTime)
  `);
  const pending = db.prepare<[string, number], Row>(
    `SELECT * FROM outbox WHERE status = 'pending' AND replica_id = ? ORDER BY seq LIMIT ?`,
  );
  const pendingCount = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM outbox WHERE status = 'pending'`);
  const byEntity = db.prepare<[string], Row>('SELECT * FROM outbox WHERE entity_id = ? ORDER BY replica_id, seq');

  function currentReplica(now: Date): { replica_id: string; next_seq: number } {
    const r = replica.get();
    if (r) return r;
    createReplica.run(crypto.randomUUID(), now.toISOString());
    return replica.get()!;
  }

  return {
    /** Appends one mutation with the next gapless seq of this replica. Call inside the write's transaction. */
    append(m: OutboxMutation, now: Date): OutboxEntry {
      if (!db.inTransaction) throw new Error('outbox.append must run inside the transaction of its write');
      const r = currentReplica(now);
      const entry: OutboxEntry = {
        ...m,
        replicaId: r.replica_id,
        seq: r.next_seq,
        mutationId: crypto.randomUUID(),
        schemaVersion: SYNC_SCHEMA_VERSION,
        deviceTime: now.toISOString(),
        status: 'pending',
      };
      insert.run({ ...entry, args: JSON.stringify(m.args) });
      bumpSeq.run();
      return entry;
    },
    replicaId: (now: Date) => currentReplica(now).replica_id,
    /** The oldest pending mutations of a replica, in seq order: the next push batch. */
    pending: (replicaId: string, limit: number): OutboxEntry[] => pending.all(replicaId, limit).map(toEntry),
    pendingCount: (): number => pendingCount.get()!.n,
    /** Every mutation recorded for one entity (tests and support use it to see what was sent). */
    forEntity: (entityId: string): OutboxEntry[] => byEntity.all(entityId).map(toEntry),
  };
}
export type OutboxStore = ReturnType<typeof createOutboxStore>;
