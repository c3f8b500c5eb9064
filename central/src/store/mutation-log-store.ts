import type { Db, Tx } from '../db/pool';
import type { MutationOutcome, PushedMutation } from '@shared/sync/wire';

/** A new mutation of a push batch as the log keeps it, with its outcome. */
export interface LoggedMutation {
  mutation: PushedMutation;
  status: 'applied' | 'rejected';
  result: unknown;
  /** False: the mutation id was already logged, so it is stored as NULL. */
  keepId: boolean;
}

/** The per-replica seq and the mutation log (exactly once by mutation id): SQL only. */
export const mutationLogStore = {
  /**
   * Locks the replica's row for this transaction (creating it bound to the device on first sight), so
   * the seq checks and the applies that follow cannot interleave with a concurrent push of the same
   * replica. Which of the batch's mutation ids are already logged comes along, saving a round trip.
   */
  async lockReplica(
    tx: Tx,
    replicaId: string,
    device: { id: string; hallId: string },
    mutationIds: readonly string[],
  ): Promise<{ lastSeq: number; hallId: string; deviceId: string; takenIds: Set<string> }> {
    // DO UPDATE (a no-op write) takes the row lock in the same statement that creates or finds the row.
    const { rows } = await tx.query<{ last_seq: number; hall_id: string; device_id: string; taken: string[] }>({
      name: 'mutation-log-lock-replica',
      text: `WITH r AS (
         INSERT INTO replicas (replica_id, device_id, hall_id) VALUES ($1, $2, $3)
         ON CONFLICT (replica_id) DO UPDATE SET last_seq = replicas.last_seq
         RETURNING last_seq, hall_id, device_id)
       SELECT last_seq, hall_id, device_id,
         ARRAY(SELECT mutation_id::text FROM mutations WHERE mutation_id = ANY($4::uuid[])) AS taken
       FROM r`,
      values: [replicaId, device.id, device.hallId, mutationIds],
    });
    const r = rows[0]!;
    return { lastSeq: r.last_seq, hallId: r.hall_id, deviceId: r.device_id, takenIds: new Set(r.taken) };
  },
  /** The logged outcomes of a replica's seqs `from`..`to`, by seq. */
  async outcomes(
    tx: Tx,
    replicaId: string,
    from: number,
    to: number,
  ): Promise<Map<number, Omit<MutationOutcome, 'mutationId'> & { mutationId: string | null }>> {
    const { rows } = await tx.query<{
      mutation_id: string | null;
      seq: number;
      status: 'applied' | 'rejected';
      result: unknown;
    }>('SELECT mutation_id, seq, status, result FROM mutations WHERE replica_id = $1 AND seq BETWEEN $2 AND $3', [
      replicaId,
      from,
      to,
    ]);
    return new Map(
      rows.map((r) => [r.seq, { mutationId: r.mutation_id, seq: r.seq, status: r.status, result: r.result }]),
    );
  },
  /**
   * Logs a batch's new mutations (one replica, consecutive seqs, in order) and advances the replica to the
   * last: one statement for the batch. `keepId` false stores a duplicate id as NULL. The rows go as one JSON
   * document: pg arrays would escape every quote of every args text on the way.
   */
  async record(tx: Tx, device: { id: string; hallId: string }, batch: readonly LoggedMutation[]): Promise<void> {
    const rows = batch.map((l) => ({
      seq: l.mutation.seq,
      mutationId: l.keepId ? l.mutation.mutationId : null,
      name: l.mutation.name,
      version: l.mutation.version,
      args: l.mutation.args ?? null,
      entityId: l.mutation.entityId,
      schemaVersion: l.mutation.schemaVersion,
      deviceTime: l.mutation.deviceTime,
      status: l.status,
      result: l.result ?? null,
      actorStaffId: l.mutation.actorStaffId ?? null,
    }));
    await tx.query({
      name: 'mutation-log-record',
      // Inserted in the batch's order, so received_order follows the seqs. `->` keeps a JSON null as the
      // jsonb null it was logged as before.
      text: `WITH logged AS (
         INSERT INTO mutations (replica_id, seq, mutation_id, hall_id, device_id, name, version, args, entity_id,
           schema_version, device_time, status, result, actor_staff_id)
         SELECT $1, (m->>'seq')::bigint, (m->>'mutationId')::uuid, $2, $3, m->>'name', (m->>'version')::integer,
           m->'args', m->>'entityId', (m->>'schemaVersion')::integer, (m->>'deviceTime')::timestamptz,
           m->>'status', m->'result', m->>'actorStaffId'
         FROM jsonb_array_elements($4::jsonb) WITH ORDINALITY AS t(m, ord)
         ORDER BY t.ord)
       UPDATE replicas SET last_seq = $5 WHERE replica_id = $1`,
      values: [
        batch[0]!.mutation.replicaId,
        device.hallId,
        device.id,
        JSON.stringify(rows),
        batch.at(-1)!.mutation.seq,
      ],
    });
  },
  async lastSeq(db: Db, replicaId: string): Promise<number> {
    const { rows } = await db.query<{ last_seq: number }>('SELECT last_seq FROM replicas WHERE replica_id = $1', [
      replicaId,
    ]);
    return rows[0]?.last_seq ?? 0;
  },
  /**
   * Central's last seq of each replica: 0 for one it does not know; one of another hall is left out (the
   * device cannot push it here, so it must not be sent again).
   */
  async lastSeqs(db: Db, hallId: string, replicaIds: readonly string[]): Promise<Map<string, number>> {
    const { rows } = await db.query<{ replica_id: string; last_seq: number; hall_id: string }>(
      'SELECT replica_id, last_seq, hall_id FROM replicas WHERE replica_id = ANY($1::uuid[])',
      [replicaIds],
    );
    const held = new Map(rows.map((r) => [r.replica_id, r]));
    return new Map(
      replicaIds.flatMap((id): [string, number][] => {
        const r = held.get(id);
        if (!r) return [[id, 0]];
        return r.hall_id === hallId ? [[id, r.last_seq]] : [];
      }),
    );
  },
  /** A hall's log in arrival order (admin and tests). */
  async forHall(
    db: Db,
    hallId: string,
  ): Promise<
    {
      replicaId: string;
      seq: number;
      mutationId: string | null;
      name: string;
      status: string;
      deviceId: string;
      actorStaffId: string | null;
    }[]
  > {
    const { rows } = await db.query(
      `SELECT replica_id AS "replicaId", seq, mutation_id AS "mutationId", name, status, device_id AS "deviceId",
         actor_staff_id AS "actorStaffId"
       FROM mutations WHERE hall_id = $1 ORDER BY received_order`,
      [hallId],
    );
    return rows;
  },
};
