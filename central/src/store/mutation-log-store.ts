import type { Db, Tx } from '../db/pool';
import type { MutationOutcome, PushedMutation } from '@shared/sync/wire';

/** The per-replica seq and the mutation log (exactly once by mutation id): SQL only. */
export const mutationLogStore = {
  /**
   * Locks the replica's row for this transaction (creating it bound to the device on first sight), so
   * the seq check and the apply that follows cannot interleave with a concurrent push of the same replica.
   */
  async lockReplica(
    tx: Tx,
    m: { replicaId: string; mutationId: string },
    device: { id: string; hallId: string },
  ): Promise<{ lastSeq: number; hallId: string; deviceId: string; mutationIdTaken: boolean }> {
    // DO UPDATE (a no-op write) takes the row lock in the same statement that creates or finds the row;
    // whether the mutation id is already logged comes along, saving a round trip per mutation.
    const { rows } = await tx.query<{ last_seq: number; hall_id: string; device_id: string; taken: boolean }>(
      `WITH r AS (
         INSERT INTO replicas (replica_id, device_id, hall_id) VALUES ($1, $2, $3)
         ON CONFLICT (replica_id) DO UPDATE SET last_seq = replicas.last_seq
         RETURNING last_seq, hall_id, device_id)
       SELECT last_seq, hall_id, device_id, EXISTS (SELECT 1 FROM mutations WHERE mutation_id = $4) AS taken FROM r`,
      [m.replicaId, device.id, device.hallId, m.mutationId],
    );
    const r = rows[0]!;
    return { lastSeq: r.last_seq, hallId: r.hall_id, deviceId: r.device_id, mutationIdTaken: r.taken };
  },
  async outcome(
    tx: Tx,
    replicaId: string,
    seq: number,
  ): Promise<(Omit<MutationOutcome, 'mutationId'> & { mutationId: string | null }) | undefined> {
    const { rows } = await tx.query<{
      mutation_id: string | null;
      seq: number;
      status: 'applied' | 'rejected';
      result: unknown;
    }>('SELECT mutation_id, seq, status, result FROM mutations WHERE replica_id = $1 AND seq = $2', [replicaId, seq]);
    const r = rows[0];
    return r && { mutationId: r.mutation_id, seq: r.seq, status: r.status, result: r.result };
  },
  /** Records one mutation and advances its replica; `keepId` false stores a duplicate id as NULL. */
  async record(
    tx: Tx,
    m: PushedMutation,
    device: { id: string; hallId: string },
    outcome: { status: 'applied' | 'rejected'; result: unknown },
    keepId = true,
  ): Promise<void> {
    // One round trip: the log row and the replica's new seq.
    await tx.query(
      `WITH logged AS (
         INSERT INTO mutations (replica_id, seq, mutation_id, hall_id, device_id, name, version, args, entity_id,
           schema_version, device_time, status, result, actor_staff_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14))
       UPDATE replicas SET last_seq = $2 WHERE replica_id = $1`,
      [
        m.replicaId,
        m.seq,
        keepId ? m.mutationId : null,
        device.hallId,
        device.id,
        m.name,
        m.version,
        JSON.stringify(m.args ?? null),
        m.entityId,
        m.schemaVersion,
        m.deviceTime,
        outcome.status,
        JSON.stringify(outcome.result ?? null),
        m.actorStaffId ?? null,
      ],
    );
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
