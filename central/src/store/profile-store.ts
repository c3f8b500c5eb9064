import crypto from 'node:crypto';
import type { Db, Tx } from '../db/pool';

export interface ProfileHistoryItem {
  hallId: string;
  what: string;
  entityId: string | null;
  at: string;
}

/** Cross-hall applicant profiles, their history and case status: SQL only. */
export const profileStore = {
  /** The profile of a verified ID hash, created on first sight and kept current; returns its id. */
  async merge(tx: Tx, p: { idHash: string; kind: string; name: string; at: string }): Promise<string> {
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO applicant_profiles (id, id_hash, kind, name, first_seen, last_seen) VALUES ($1, $2, $3, $4, $5, $5)
       ON CONFLICT (id_hash) DO UPDATE SET name = excluded.name, kind = excluded.kind,
         last_seen = greatest(applicant_profiles.last_seen, excluded.last_seen)
       RETURNING id`,
      [crypto.randomUUID(), p.idHash, p.kind, p.name, p.at],
    );
    return rows[0]!.id;
  },
  async addHistory(
    tx: Tx,
    h: { profileId: string; mutationId: string; hallId: string; what: string; entityId: string | null; at: string },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO applicant_history (profile_id, mutation_id, hall_id, what, entity_id, at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [h.profileId, h.mutationId, h.hallId, h.what, h.entityId, h.at],
    );
  },
  async profileIdByHash(db: Db | Tx, idHash: string): Promise<string | undefined> {
    const { rows } = await db.query<{ id: string }>('SELECT id FROM applicant_profiles WHERE id_hash = $1', [idHash]);
    return rows[0]?.id;
  },
  async lookup(
    db: Db,
    idHash: string,
  ): Promise<
    | { id: string; kind: string; name: string; firstSeen: string; lastSeen: string; history: ProfileHistoryItem[] }
    | undefined
  > {
    const { rows } = await db.query<{ id: string; kind: string; name: string; first_seen: Date; last_seen: Date }>(
      'SELECT id, kind, name, first_seen, last_seen FROM applicant_profiles WHERE id_hash = $1',
      [idHash],
    );
    const p = rows[0];
    if (!p) return undefined;
    const history = await db.query<{ hall_id: string; what: string; entity_id: string | null; at: Date }>(
      'SELECT hall_id, what, entity_id, at FROM applicant_history WHERE profile_id = $1 ORDER BY at DESC LIMIT 200',
      [p.id],
    );
    return {
      id: p.id,
      kind: p.kind,
      name: p.name,
      firstSeen: p.first_seen.toISOString(),
      lastSeen: p.last_seen.toISOString(),
      history: history.rows.map((h) => ({
        hallId: h.hall_id,
        what: h.what,
        entityId: h.entity_id,
        at: h.at.toISOString(),
      })),
    };
  },
  async setCaseStatus(
    tx: Tx,
    c: { caseId: string; hallId: string; profileId: string | null; status: string; at: string },
  ): Promise<{ hallId: string } | undefined> {
    const { rows } = await tx.query<{ hall_id: string }>(
      `INSERT INTO case_status (case_id, hall_id, profile_id, status, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (case_id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at,
         profile_id = coalesce(excluded.profile_id, case_status.profile_id)
       WHERE case_status.hall_id = excluded.hall_id
       RETURNING hall_id`,
      [c.caseId, c.hallId, c.profileId, c.status, c.at],
    );
    return rows[0] && { hallId: rows[0].hall_id };
  },
};
