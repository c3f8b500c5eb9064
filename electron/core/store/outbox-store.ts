import crypto from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { SYNC_SCHEMA_VERSION } from '@shared/sync/version';
import { actingStaffId } from '../identity/acting';

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
  /** The person whose act this row records; null: the device itself. */
  actorStaffId: string | null;
  status: 'pending' | 'applied' | 'rejected';
  /** Central's answer once acknowledged: a business rejection says why here. */
  result: unknown;
}

export interface OutboxOutcome {
  replicaId: string;
  seq: number;
  mutationId: string;
  status: 'applied' | 'rejected';
  result: unknown;
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
  actor_staff_id: string | null;
  status: OutboxEntry['status'];
  result: string | null;
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
  actorStaffId: r.actor_staff_id,
  status: r.status,
  result: r.result === null ? null : JSON.parse(r.result),
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
    INSERT INTO outbox (replica_id, seq, mutation_id, name, version, args, entity_id, schema_version, device_time,
      actor_staff_id, write_order)
    VALUES (@replicaId, @seq, @mutationId, @name, @version, @args, @entityId, @schemaVersion, @deviceTime,
      @actorStaffId, (SELECT coalesce(max(write_order), 0) + 1 FROM outbox))
  `);
  const pending = db.prepare<[string, number], Row>(
    `SELECT * FROM outbox WHERE status = 'pending' AND replica_id = ? ORDER BY seq LIMIT ?`,
  );
  const pendingCount = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM outbox WHERE status = 'pending'`);
  const oldestPendingReplica = db.prepare<[], { replica_id: string }>(
    `SELECT replica_id FROM outbox WHERE status = 'pending' ORDER BY write_order LIMIT 1`,
  );
  const markOutcome = db.prepare(`
    UPDATE outbox SET status = @status, result = @result, acked_at = @ackedAt
    WHERE replica_id = @replicaId AND seq = @seq AND mutation_id = @mutationId AND status = 'pending'`);
  // Central keeps a leader's 批示 once it has answered; the device must not keep it in clear (rows of
  // version 1, from before it went sealed for central; json_replace leaves version 2's args as they are).
  const blankLeaderComment = db.prepare(`
    UPDATE outbox SET args = json_replace(args, '$.comment', NULL)
    WHERE replica_id = @replicaId AND seq = @seq AND mutation_id = @mutationId AND name = 'leader.action'
      AND status <> 'pending'`);
  // A ticket holder's phone is for central's notice: once central has it, the hub keeps it no longer.
  const blankTicketPhone = db.prepare(`
    UPDATE outbox SET args = json_replace(args, '$.phone', NULL)
    WHERE replica_id = @replicaId AND seq = @seq AND mutation_id = @mutationId AND name = 'queue.ticket.notice'
      AND status <> 'pending'`);
  const requeue = db.prepare(`
    UPDATE outbox SET status = 'pending', result = NULL, acked_at = NULL WHERE replica_id = ? AND seq > ?`);
  const dropReplica = db.prepare('DELETE FROM sync_replica');
  const latestAck = db.prepare<[], { replica_id: string; seq: number }>(
    `SELECT replica_id, seq FROM outbox WHERE status <> 'pending' ORDER BY write_order DESC LIMIT 1`,
  );
  const ackedThrough = db.prepare<[], { replica_id: string; seq: number }>(
    `SELECT replica_id, max(seq) AS seq FROM outbox WHERE status <> 'pending' GROUP BY replica_id
     ORDER BY min(write_order)`,
  );
  const deleteAll = db.prepare('DELETE FROM outbox');
  const pruneAcked = db.prepare(`
    DELETE FROM outbox
     WHERE status <> 'pending' AND acked_at < ?
       AND write_order NOT IN (SELECT max(write_order) FROM outbox WHERE status <> 'pending' GROUP BY replica_id)`);

  const byEntity = db.prepare<[string], Row>('SELECT * FROM outbox WHERE entity_id = ? ORDER BY replica_id, seq');

  const acknowledge = db.transaction((outcomes: readonly OutboxOutcome[], at: Date): number => {
    let blanked = 0;
    for (const o of outcomes) {
      markOutcome.run({ ...o, result: JSON.stringify(o.result ?? null), ackedAt: at.toISOString() });
      const row = { replicaId: o.replicaId, seq: o.seq, mutationId: o.mutationId };
      blanked += blankLeaderComment.run(row).changes + blankTicketPhone.run(row).changes;
    }
    return blanked;
  });

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
        actorStaffId: actingStaffId(),
        status: 'pending',
        result: null,
      };
      insert.run({ ...entry, args: JSON.stringify(m.args) });
      bumpSeq.run();
      return entry;
    },
    replicaId: (now: Date) => currentReplica(now).replica_id,
    /** The replica the next write will use, if one has started since the database was opened. */
    activeReplicaId: (): string | null => replica.get()?.replica_id ?? null,
    /** The oldest pending mutations of a replica, in seq order: the next push batch. */
    pending: (replicaId: string, limit: number): OutboxEntry[] => pending.all(replicaId, limit).map(toEntry),
    pendingCount: (): number => pendingCount.get()!.n,
    /**
     * The next push batch: pending rows of the replica holding the oldest pending row. Rows of an older
     * replica were all written before any row of a newer one, so draining in this order keeps write order.
     */
    nextBatch(limit: number): OutboxEntry[] {
      const r = oldestPendingReplica.get();
      return r ? pending.all(r.replica_id, limit).map(toEntry) : [];
    },
    /**
     * Records central's committed outcomes (acks); one transaction for the whole answer. A leader's 批示
     * and a ticket holder's phone are blanked in the same transaction, and the WAL, which still holds the
     * clear frame, is emptied.
     */
    acknowledge(outcomes: readonly OutboxOutcome[], at: Date): void {
      const blanked = acknowledge(outcomes, at);
      if (blanked > 0) db.pragma('wal_checkpoint(TRUNCATE)');
    },
    /** Central holds this replica only up to `lastSeq` (its database was restored): send the rest again. */
    requeueAfter: (replicaId: string, lastSeq: number) => void requeue.run(replicaId, lastSeq),
    /**
     * The newest acknowledged row. Rows are pushed, and so acknowledged, in write order: a central that
     * still holds this one holds every acknowledged row before it.
     */
    latestAck(): { replicaId: string; seq: number } | undefined {
      const r = latestAck.get();
      return r && { replicaId: r.replica_id, seq: r.seq };
    },
    /**
     * Each replica's highest acknowledged seq, oldest replica first: pruning keeps each replica's newest
     * acknowledged row, so this survives it.
     */
    ackedThrough: (): { replicaId: string; seq: number }[] =>
      ackedThrough.all().map((r) => ({ replicaId: r.replica_id, seq: r.seq })),
    /**
     * Deletes rows central acknowledged before `before`, except each replica's newest acknowledged one (by
     * which `ackedThrough` still notices a restore of central). Rows acknowledged since are kept: after a
     * restore of central from a backup of that period they are what the device sends again.
     */
    pruneAcknowledged: (before: Date): number => pruneAcked.run(before.toISOString()).changes,
    /**
     * Deletes every row, acknowledged or not, and returns how many were still pending: the device left the
     * hall they were written for, and central refuses another hall's replica to it for good.
     */
    forgetAll: db.transaction((): number => {
      const pending = pendingCount.get()!.n;
      deleteAll.run();
      return pending;
    }),
    /**
     * Forgets the current replica so the next write starts a new one. Called at every opening of the
     * database: whatever file was put back (a restored backup), no seq of the old replica is issued twice.
     */
    startNewReplica: () => void dropReplica.run(),
    /** Every mutation recorded for one entity (tests and support use it to see what was sent). */
    forEntity: (entityId: string): OutboxEntry[] => byEntity.all(entityId).map(toEntry),
  };
}
export type OutboxStore = ReturnType<typeof createOutboxStore>;
