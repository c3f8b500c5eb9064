import crypto from 'node:crypto';
import type { Db, Tx } from '../db/pool';

export interface ProfileHistoryItem {
  hallId: string;
  hallCode: string;
  hallName: string;
  /** The device that recorded it: a device tells its own records from everyone else's. */
  deviceId: string | null;
  what: string;
  entityId: string | null;
  at: string;
  summary: Record<string, unknown>;
}

export interface ProfileDetails {
  idHash: string;
  kind: string;
  name: string;
  idType: string;
  idMasked: string;
  phone: string;
  segment: string;
  orgType: string | null;
  contactName: string | null;
  /** The device time the details were written at: first and last seen only (a PC clock can be far off). */
  at: string;
}

const DETAIL_COLUMNS = [
  'kind',
  'name',
  'id_type',
  'id_masked',
  'phone',
  'segment',
  'org_type',
  'contact_name',
  'details_at',
] as const;
// details_at is when central received the details, not the device's time: a PC clock a year ahead would
// otherwise freeze the profile against every later correction.
const NEWER = 'applicant_profiles.details_at IS NULL OR excluded.details_at >= applicant_profiles.details_at';
const MERGE_DETAILS = DETAIL_COLUMNS.map(
  (c) => `${c} = CASE WHEN ${NEWER} THEN excluded.${c} ELSE applicant_profiles.${c} END`,
).join(', ');

/** Cross-hall applicant profiles, the device applicant ids that map to them, their history: SQL only. */
export const profileStore = {
  /** The profile of a verified ID hash, created on first sight; returns its id. */
  async merge(tx: Tx, p: ProfileDetails): Promise<string> {
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO applicant_profiles (id, id_hash, kind, name, first_seen, last_seen, id_type, id_masked, phone,
         segment, org_type, contact_name, details_at)
       VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8, $9, $10, $11, now())
       ON CONFLICT (id_hash) DO UPDATE SET
         first_seen = least(applicant_profiles.first_seen, excluded.first_seen),
         last_seen = greatest(applicant_profiles.last_seen, excluded.last_seen),
         ${MERGE_DETAILS}
       RETURNING id`,
      [
        crypto.randomUUID(),
        p.idHash,
        p.kind,
        p.name,
        p.at,
        p.idType,
        p.idMasked,
        p.phone,
        p.segment,
        p.orgType,
        p.contactName,
      ],
    );
    return rows[0]!.id;
  },
  /** Remembers which profile a device's applicant record belongs to (a record never changes identity). */
  async linkApplicant(tx: Tx, a: { applicantId: string; profileId: string; hallId: string }): Promise<void> {
    await tx.query(
      `INSERT INTO applicant_ids (applicant_id, profile_id, hall_id) VALUES ($1, $2, $3)
       ON CONFLICT (applicant_id) DO NOTHING`,
      [a.applicantId, a.profileId, a.hallId],
    );
  },
  async profileIdOfApplicant(tx: Tx, applicantId: string): Promise<string | null> {
    const { rows } = await tx.query<{ profile_id: string }>(
      'SELECT profile_id FROM applicant_ids WHERE applicant_id = $1',
      [applicantId],
    );
    return rows[0]?.profile_id ?? null;
  },
  async addHistory(
    tx: Tx,
    h: {
      profileId: string;
      mutationId: string;
      hallId: string;
      what: string;
      entityId: string | null;
      at: string;
      summary?: Record<string, unknown>;
    },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO applicant_history (profile_id, mutation_id, hall_id, what, entity_id, at, summary)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [h.profileId, h.mutationId, h.hallId, h.what, h.entityId, h.at, JSON.stringify(h.summary ?? {})],
    );
  },
  async profileIdByHash(db: Db | Tx, idHash: string): Promise<string | undefined> {
    const { rows } = await db.query<{ id: string }>('SELECT id FROM applicant_profiles WHERE id_hash = $1', [idHash]);
    return rows[0]?.id;
  },
  /** The profile with its history across halls, newest first; a case line carries the case's current status. */
  async lookup(db: Db, idHash: string) {
    const { rows } = await db.query<{
      id: string;
      kind: string;
      name: string;
      first_seen: Date;
      last_seen: Date;
      id_type: string | null;
      id_masked: string | null;
      phone: string | null;
      segment: string | null;
      org_type: string | null;
      contact_name: string | null;
      details_at: Date | null;
    }>(
      `SELECT id, kind, name, first_seen, last_seen, id_type, id_masked, phone, segment, org_type, contact_name,
         details_at FROM applicant_profiles WHERE id_hash = $1`,
      [idHash],
    );
    const p = rows[0];
    if (!p) return undefined;
    const history = await db.query<{
      hall_id: string;
      hall_code: string;
      hall_name: string;
      device_id: string | null;
      what: string;
      entity_id: string | null;
      at: Date;
      summary: Record<string, unknown>;
      case_status: string | null;
    }>(
      `SELECT h.hall_id, hl.code AS hall_code, hl.name AS hall_name, m.device_id, h.what, h.entity_id, h.at,
         h.summary, cs.status AS case_status
       FROM applicant_history h
       JOIN halls hl ON hl.id = h.hall_id
       LEFT JOIN mutations m ON m.mutation_id = h.mutation_id
       LEFT JOIN case_status cs ON h.what = 'case' AND cs.case_id = h.entity_id
       WHERE h.profile_id = $1 ORDER BY h.at DESC LIMIT 200`,
      [p.id],
    );
    return {
      id: p.id,
      kind: p.kind,
      name: p.name,
      firstSeen: p.first_seen.toISOString(),
      lastSeen: p.last_seen.toISOString(),
      // Profiles first seen before the details were kept have none until their next write.
      applicant:
        p.id_type && p.id_masked && p.segment && p.details_at
          ? {
              kind: p.kind,
              name: p.name,
              idType: p.id_type,
              idMasked: p.id_masked,
              phone: p.phone ?? '',
              segment: p.segment,
              orgType: p.org_type,
              contactName: p.contact_name,
              updatedAt: p.details_at.toISOString(),
            }
          : null,
      history: history.rows.map((h) => ({
        hallId: h.hall_id,
        hallCode: h.hall_code,
        hallName: h.hall_name,
        deviceId: h.device_id,
        what: h.what,
        entityId: h.entity_id,
        at: h.at.toISOString(),
        summary: h.case_status ? { ...h.summary, state: h.case_status } : h.summary,
      })),
    };
  },
};
