import crypto from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { SYNC_SCHEMA_VERSION } from '@shared/sync/version';
import { actingStaffId } from '../identity/acting';
import { decodeArgs, encodeArgs } from './outbox-args';
import { packId, packTime, unpackId, unpackTime, type PackedId, type PackedTime } from './packed-keys';

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
  /**
   * Central's answer to a rejected row, which says why; null for an applied one (what central answered then,
   * e.g. the profile it filed the row under, is central's to keep, and no resend needs it).
   */
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
  mutation_id: PackedId;
  name: string;
  version: number;
  args: Buffer;
  entity_id: PackedId | null;
  schema_version: number;
  device_time: PackedTime;
  actor_staff_id: string | null;
  status: OutboxEntry['status'];
  result: string | null;
}

const toEntry = (r: Row): OutboxEntry => ({
  replicaId: r.replica_id,
  seq: r.seq,
  mutationId: unpackId(r.mutation_id),
  name: r.name,
  version: r.version,
  args: decodeArgs(r.args),
  entityId: r.entity_id === null ? null : unpackId(r.entity_id),
  schemaVersion: r.schema_version,
  deviceTime: unpackTime(r.device_time),
  actorStaffId: r.actor_staff_id,
  status: r.status,
  result: r.result === null ? null : JSON.parse(r.result),
});

/**
 * What central keeps once it has answered and the device must then not keep in clear: a leader's 批示 (in
 * rows of version 1, from before it went sealed for central; version 2 has no such field) and a ticket
 * holder's phone (for central's notice).
 */
const BLANKED_ONCE_ACKED = { 'leader.action': 'comment', 'queue.ticket.notice': 'phone' } as const;
type BlankedName = keyof typeof BLANKED_ONCE_ACKED;

/** A row with its replica's UUID (the table names its replica by a number, `outbox_replicas`). */
const ROWS = 'SELECT o.*, r.replica_id FROM outbox o JOIN outbox_replicas r ON r.id = o.replica';
const REPLICA = '(SELECT id FROM outbox_replicas WHERE replica_id = @replicaId)';

/**
 * The sync outbox: SQL only. `append` must run inside the transaction of the domain write it records,
 * so a write and its outbox row are committed together or not at all. Its ids and times are kept packed
 * (packed-keys.ts) and its replica by number: a replica's number is given at its first row and only grows,
 * so (replica, seq) order is write order.
 */
export function createOutboxStore(db: Database) {
  const replica = db.prepare<[], { replica_id: string; next_seq: number }>(
    'SELECT replica_id, next_seq FROM sync_replica WHERE id = 1',
  );
  const createReplica = db.prepare(
    'INSERT INTO sync_replica (id, replica_id, next_seq, created_at) VALUES (1, ?, 1, ?) ON CONFLICT (id) DO NOTHING',
  );
  const bumpSeq = db.prepare('UPDATE sync_replica SET next_seq = next_seq + 1 WHERE id = 1');
  const numberReplica = db.prepare('INSERT INTO outbox_replicas (replica_id) VALUES (?) ON CONFLICT DO NOTHING');
  const insert = db.prepare(`
    INSERT INTO outbox (replica, seq, mutation_id, name, version, args, entity_id, schema_version, device_time,
      actor_staff_id, write_order)
    VALUES (${REPLICA}, @seq, @mutationId, @name, @version, @args, @entityId, @schemaVersion, @deviceTime,
      @actorStaffId, (SELECT coalesce(max(write_order), 0) + 1 FROM outbox))
  `);
  const pending = db.prepare<{ replicaId: string; after: number; limit: number }, Row>(
    `${ROWS} WHERE o.status = 'pending' AND o.replica = ${REPLICA} AND o.seq > @after ORDER BY o.seq LIMIT @limit`,
  );
  const pendingCount = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM outbox WHERE status = 'pending'`);
  const oldestPendingReplica = db.prepare<[], { replica_id: string }>(
    `SELECT r.replica_id FROM outbox_replicas r
     WHERE r.id = (SELECT replica FROM outbox WHERE status = 'pending' ORDER BY replica, seq LIMIT 1)`,
  );
  const markOutcome = db.prepare(`
    UPDATE outbox SET status = @status, result = @result, acked_at = @ackedAt
    WHERE replica = ${REPLICA} AND seq = @seq AND mutation_id = @mutationId AND status = 'pending'`);
  const blankable = db.prepare<
    { replicaId: string; seq: number; mutationId: PackedId },
    { name: BlankedName; args: Buffer }
  >(`
    SELECT name, args FROM outbox
    WHERE replica = ${REPLICA} AND seq = @seq AND mutation_id = @mutationId AND status <> 'pending'
      AND name IN (${Object.keys(BLANKED_ONCE_ACKED)
        .map((n) => `'${n}'`)
        .join(', ')})`);
  const putArgs = db.prepare(`UPDATE outbox SET args = @args WHERE replica = ${REPLICA} AND seq = @seq`);
  const requeue = db.prepare(`
    UPDATE outbox SET status = 'pending', result = NULL, acked_at = NULL WHERE replica = ${REPLICA} AND seq > @seq`);
  const dropReplica = db.prepare('DELETE FROM sync_replica');
  const latestAck = db.prepare<[], { replica_id: string; seq: number }>(
    `SELECT r.replica_id, o.seq FROM outbox o JOIN outbox_replicas r ON r.id = o.replica
     WHERE o.status <> 'pending' ORDER BY o.write_order DESC LIMIT 1`,
  );
  const ackedThrough = db.prepare<[], { replica_id: string; seq: number }>(
    `SELECT r.replica_id, max(o.seq) AS seq FROM outbox o JOIN outbox_replicas r ON r.id = o.replica
     WHERE o.status <> 'pending' GROUP BY o.replica ORDER BY o.replica`,
  );
  const deleteAll = db.prepare('DELETE FROM outbox');
  const deleteReplicas = db.prepare('DELETE FROM outbox_replicas');
  const pruneAcked = db.prepare(`
    DELETE FROM outbox
     WHERE status <> 'pending' AND acked_at < ?
       AND write_order NOT IN (SELECT max(write_order) FROM outbox WHERE status <> 'pending' GROUP BY replica)`);

  const byEntity = db.prepare<[PackedId], Row>(`${ROWS} WHERE o.entity_id = ? ORDER BY o.write_order`);

  /** Blanks what central keeps and the device must not (BLANKED_ONCE_ACKED) in an acknowledged row. */
  function blankOnceAcked(o: OutboxOutcome): boolean {
    const key = { replicaId: o.replicaId, seq: o.seq, mutationId: packId(o.mutationId) };
    const row = blankable.get(key);
    if (!row) return false;
    const args = decodeArgs(row.args) as Record<string, unknown>;
    const field = BLANKED_ONCE_ACKED[row.name];
    if (args[field] === undefined || args[field] === null) return false;
    putArgs.run({ ...key, args: encodeArgs({ ...args, [field]: null }) });
    return true;
  }

  const acknowledge = db.transaction((outcomes: readonly OutboxOutcome[], at: Date): number => {
    let blanked = 0;
    for (const o of outcomes) {
      markOutcome.run({
        replicaId: o.replicaId,
        seq: o.seq,
        mutationId: packId(o.mutationId),
        status: o.status,
        result: o.status === 'rejected' ? JSON.stringify(o.result ?? null) : null,
        ackedAt: at.getTime(),
      });
      if (blankOnceAcked(o)) blanked += 1;
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
      numberReplica.run(entry.replicaId);
      insert.run({
        replicaId: entry.replicaId,
        seq: entry.seq,
        mutationId: packId(entry.mutationId),
        name: entry.name,
        version: entry.version,
        args: encodeArgs(m.args),
        entityId: entry.entityId === null ? null : packId(entry.entityId),
        schemaVersion: entry.schemaVersion,
        deviceTime: packTime(entry.deviceTime),
        actorStaffId: entry.actorStaffId,
      });
      bumpSeq.run();
      return entry;
    },
    replicaId: (now: Date) => currentReplica(now).replica_id,
    /** The replica the next write will use, if one has started since the database was opened. */
    activeReplicaId: (): string | null => replica.get()?.replica_id ?? null,
    /** The oldest pending mutations of a replica, in seq order: the next push batch. */
    pending: (replicaId: string, limit: number): OutboxEntry[] =>
      pending.all({ replicaId, after: 0, limit }).map(toEntry),
    /**
     * The pending mutations of a replica after `seq`, in seq order: the batch after one that is on its way
     * to central and so still pending.
     */
    pendingAfter: (replicaId: string, seq: number, limit: number): OutboxEntry[] =>
      pending.all({ replicaId, after: seq, limit }).map(toEntry),
    pendingCount: (): number => pendingCount.get()!.n,
    /**
     * The next push batch: pending rows of the replica holding the oldest pending row. Rows of an older
     * replica were all written before any row of a newer one, so draining in this order keeps write order.
     */
    nextBatch(limit: number): OutboxEntry[] {
      const r = oldestPendingReplica.get();
      return r ? pending.all({ replicaId: r.replica_id, after: 0, limit }).map(toEntry) : [];
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
    requeueAfter: (replicaId: string, lastSeq: number) => void requeue.run({ replicaId, seq: lastSeq }),
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
    pruneAcknowledged: (before: Date): number => pruneAcked.run(before.getTime()).changes,
    /**
     * Deletes every row, acknowledged or not, and returns how many were still pending: the device left the
     * hall they were written for, and central refuses another hall's replica to it for good.
     */
    forgetAll: db.transaction((): number => {
      const pending = pendingCount.get()!.n;
      deleteAll.run();
      deleteReplicas.run();
      return pending;
    }),
    /**
     * Forgets the current replica so the next write starts a new one. Called at every opening of the
     * database: whatever file was put back (a restored backup), no seq of the old replica is issued twice.
     */
    startNewReplica: () => void dropReplica.run(),
    /** Every mutation recorded for one entity (tests and support use it to see what was sent). */
    forEntity: (entityId: string): OutboxEntry[] => byEntity.all(packId(entityId)).map(toEntry),
  };
}
export type OutboxStore = ReturnType<typeof createOutboxStore>;
