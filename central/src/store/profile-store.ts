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
/** A line of a profile's history: what one mutation did for it. */
export interface HistoryLine {
  profileId: string;
  mutationId: string;
  hallId: string;
  what: string;
  entityId: string | null;
  at: string;
  summary?: Record<string, unknown>;
}

const MERGE_DETAILS = DETAIL_COLUMNS.map(
  (c) => `${c} = CASE WHEN ${NEWER} THEN excluded.${c} ELSE applicant_profiles.${c} END`,
).join(', ');

/** Cross-hall applicant profiles, the device applicant ids that map to them, their history: SQL only. */
export const profileStore = {
  /** The profile of a verified ID hash, created on first sight; returns its id. */
  /**
   * Merges the details into the profile of their ID hash and links the device's applicant record to it
   * (a record never changes identity: one already linked keeps its profile), in one statement. Answers
   * the merged profile and the one the record is linked to.
   */
  async mergeAndLink(
    tx: Tx,
    p: ProfileDetails,
    applicant: { applicantId: string; hallId: string },
  ): Promise<{ profileId: string; linkedProfileId: string }> {
    const { rows } = await tx.query<{ id: string; linked: string }>({
      name: 'profile-merge-and-link',
      text: `WITH merged AS (
         INSERT INTO applicant_profiles (id, id_hash, kind, name, first_seen, last_seen, id_type, id_masked, phone,
           segment, org_type, contact_name, details_at)
         VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8, $9, $10, $11, now())
         ON CONFLICT (id_hash) DO UPDATE SET
           first_seen = least(applicant_profiles.first_seen, excluded.first_seen),
           last_seen = greatest(applicant_profiles.last_seen, excluded.last_seen),
           ${MERGE_DETAILS}
         RETURNING id),
       linked AS (
         INSERT INTO applicant_ids (applicant_id, profile_id, hall_id) SELECT $12, id, $13 FROM merged
         ON CONFLICT (applicant_id) DO NOTHING
         RETURNING profile_id)
       SELECT id, coalesce((SELECT profile_id FROM linked),
         (SELECT profile_id FROM applicant_ids WHERE applicant_id = $12)) AS linked
       FROM merged`,
      values: [
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
        applicant.applicantId,
        applicant.hallId,
      ],
    });
    return { profileId: rows[0]!.id, linkedProfileId: rows[0]!.linked };
  },
  /**
   * `mergeAndLink` for several applicant records at once, in one statement, answered in their order. Their
   * ID hashes and applicant ids must differ (the caller's run), as one row may be upserted once a statement.
   */
  async mergeAndLinkAll(
    tx: Tx,
    details: readonly (ProfileDetails & { applicantId: string })[],
    hallId: string,
  ): Promise<{ profileId: string; linkedProfileId: string }[]> {
    // One JSON document, in its order: pg arrays would escape every element on the way.
    const input = details.map((p) => ({
      id: crypto.randomUUID(),
      id_hash: p.idHash,
      kind: p.kind,
      name: p.name,
      at: p.at,
      id_type: p.idType,
      id_masked: p.idMasked,
      phone: p.phone,
      segment: p.segment,
      org_type: p.orgType,
      contact_name: p.contactName,
      applicant_id: p.applicantId,
    }));
    const { rows } = await tx.query<{ id: string; linked: string }>({
      name: 'profile-merge-and-link-all',
      text: `WITH input AS (
         SELECT * FROM ROWS FROM (json_to_recordset($1::json) AS (id uuid, id_hash text, kind text, name text,
           at timestamptz, id_type text, id_masked text, phone text, segment text, org_type text, contact_name text,
           applicant_id uuid)) WITH ORDINALITY
           AS t(id, id_hash, kind, name, at, id_type, id_masked, phone, segment, org_type, contact_name, applicant_id, ord)),
       merged AS (
         INSERT INTO applicant_profiles (id, id_hash, kind, name, first_seen, last_seen, id_type, id_masked, phone,
           segment, org_type, contact_name, details_at)
         SELECT id, id_hash, kind, name, at, at, id_type, id_masked, phone, segment, org_type, contact_name, now()
         FROM input ORDER BY ord
         ON CONFLICT (id_hash) DO UPDATE SET
           first_seen = least(applicant_profiles.first_seen, excluded.first_seen),
           last_seen = greatest(applicant_profiles.last_seen, excluded.last_seen),
           ${MERGE_DETAILS}
         RETURNING id, id_hash),
       linked AS (
         INSERT INTO applicant_ids (applicant_id, profile_id, hall_id)
         SELECT i.applicant_id, m.id, $2 FROM input i JOIN merged m ON m.id_hash = i.id_hash ORDER BY i.ord
         ON CONFLICT (applicant_id) DO NOTHING
         RETURNING applicant_id, profile_id)
       SELECT m.id, coalesce(l.profile_id, a.profile_id) AS linked
       FROM input i JOIN merged m ON m.id_hash = i.id_hash
         LEFT JOIN linked l ON l.applicant_id = i.applicant_id
         LEFT JOIN applicant_ids a ON a.applicant_id = i.applicant_id
       ORDER BY i.ord`,
      values: [JSON.stringify(input), hallId],
    });
    return rows.map((r) => ({ profileId: r.id, linkedProfileId: r.linked }));
  },
  /** The profiles these applicant records are linked to (an unlinked one is left out). */
  async profilesOfApplicants(tx: Tx, applicantIds: readonly string[]): Promise<Map<string, string>> {
    const { rows } = await tx.query<{ applicant_id: string; profile_id: string }>({
      name: 'profiles-of-applicants',
      text: 'SELECT applicant_id, profile_id FROM applicant_ids WHERE applicant_id = ANY($1::uuid[])',
      values: [applicantIds],
    });
    return new Map(rows.map((r) => [r.applicant_id, r.profile_id]));
  },
  async profileIdOfApplicant(tx: Tx, applicantId: string): Promise<string | null> {
    const { rows } = await tx.query<{ profile_id: string }>({
      name: 'profile-of-applicant',
      text: 'SELECT profile_id FROM applicant_ids WHERE applicant_id = $1',
      values: [applicantId],
    });
    return rows[0]?.profile_id ?? null;
  },
  /**
   * History lines, in one statement; a line already written (same profile and mutation) is kept as it was.
   * The lines go as one JSON document: a jsonb[] parameter would escape every quote of every summary.
   */
  async addHistories(tx: Tx, lines: readonly HistoryLine[]): Promise<void> {
    await tx.query({
      name: 'profile-add-histories',
      text: `INSERT INTO applicant_history (profile_id, mutation_id, hall_id, what, entity_id, at, summary)
       SELECT * FROM json_to_recordset($1::json)
         AS t(profile_id uuid, mutation_id uuid, hall_id uuid, what text, entity_id text, at timestamptz, summary jsonb)
       ON CONFLICT DO NOTHING`,
      values: [
        JSON.stringify(
          lines.map((h) => ({
            profile_id: h.profileId,
            mutation_id: h.mutationId,
            hall_id: h.hallId,
            what: h.what,
            entity_id: h.entityId,
            at: h.at,
            summary: h.summary ?? {},
          })),
        ),
      ],
    });
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
