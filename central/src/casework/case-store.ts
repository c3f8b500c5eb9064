import type { CaseDecision, CasePickup, SupplementItem } from '@shared/intake/case-outcome';
import type { CaseState } from '@shared/intake/case-states';
import type { Db, Tx } from '../db/pool';
import { catalogJoin } from '../store/catalog-join';
import { likePrefix, queueFilterSql, type QueueFilter } from './queue-filter';

type Q = Db | Tx;

/** A case as central holds it, with the names the console shows. */
export interface CaseRow {
  caseId: string;
  hallId: string;
  hallName: string;
  caseNumber: string;
  matterCode: string;
  matterName: string;
  departmentId: string;
  departmentName: string;
  status: CaseState;
  version: number;
  acceptedAt: Date | null;
  createdAt: Date | null;
  promisedDate: string | null;
  legalDate: string | null;
  feeFen: number | null;
  counterNumber: number | null;
  clerkName: string | null;
  toleranceDueDate: string | null;
  materials: { materialId: string; name: string; requirement: string; status: string }[];
  missing: SupplementItem[];
  pausedSince: string | null;
  supplementReceivedAt: Date | null;
  decision: CaseDecision | null;
  pickup: CasePickup | null;
  applicantKind: 'person' | 'organisation' | null;
  applicantName: string | null;
  applicantIdType: string | null;
  applicantIdMasked: string | null;
  applicantPhone: string | null;
  applicantContactName: string | null;
}

export interface CaseEventRow {
  at: Date;
  action: string;
  fromStatus: CaseState | null;
  toStatus: CaseState;
  actorKind: 'hall' | 'department' | 'supervisor' | 'system';
  actorName: string | null;
  note: string | null;
}

const CASE_COLUMNS = `c.case_id AS "caseId", c.hall_id AS "hallId", h.name AS "hallName",
  coalesce(c.case_number, c.case_id) AS "caseNumber", coalesce(c.matter_code, '') AS "matterCode",
  coalesce(mn.name, c.matter_code, '') AS "matterName", coalesce(c.department_id, '') AS "departmentId",
  coalesce(dn.name, c.department_id, '') AS "departmentName", c.status, c.version,
  c.accepted_at AS "acceptedAt", c.created_at AS "createdAt", c.promised_date::text AS "promisedDate",
  c.legal_date::text AS "legalDate", c.fee_fen AS "feeFen", c.counter_number AS "counterNumber",
  c.clerk_name AS "clerkName", c.tolerance_due_date::text AS "toleranceDueDate", c.materials, c.missing,
  c.paused_since::text AS "pausedSince", c.supplement_received_at AS "supplementReceivedAt", c.decision,
  c.pickup, p.kind AS "applicantKind", p.name AS "applicantName", p.id_type AS "applicantIdType",
  p.id_masked AS "applicantIdMasked", p.phone AS "applicantPhone", p.contact_name AS "applicantContactName"`;

const CASE_FROM = `case_status c JOIN halls h ON h.id = c.hall_id
  LEFT JOIN applicant_profiles p ON p.id = c.profile_id
  ${catalogJoin('catalog.matter', 'c.matter_code', "r.data->>'nameZh' AS name", 'mn')}
  ${catalogJoin('catalog.department', 'c.department_id', "r.data->>'nameZh' AS name", 'dn')}`;

/** The work queue's filter, as SQL over `c` (case_status) and `p` (the applicant's profile). */
interface CaseFilter extends QueueFilter {
  /** Listed states (the work queue's by default). */
  statuses: readonly string[];
  q?: string | undefined;
}

function whereOf(f: CaseFilter) {
  const sql = queueFilterSql(f, 'c', 'promised_date');
  const own = [`c.status = ANY(${sql.add(f.statuses)}::text[])`];
  if (f.q) {
    own.push(
      `(c.case_number LIKE ${sql.add(likePrefix(f.q))} OR position(${sql.add(f.q)} in coalesce(p.name, '')) > 0)`,
    );
  }
  return { ...sql, where: sql.where(own) };
}

/** Cases and their history: the console's reads and writes, and the counter's steps from the appliers. SQL only. */
/** A step of a case as written to its history. */
export interface CaseEvent {
  caseId: string;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  at: string;
  actorKind: CaseEventRow['actorKind'];
  actorStaffId: string | null;
  actorName: string | null;
  note: string | null;
}

export const caseStore = {
  async page(db: Q, f: CaseFilter, page: { limit: number; offset: number }) {
    const w = whereOf(f);
    const counts = await db.query<{ total: number; overdue: number; dueSoon: number }>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE ${w.overdue()})::int AS overdue,
              count(*) FILTER (WHERE ${w.dueSoon()})::int AS "dueSoon"
         FROM case_status c LEFT JOIN applicant_profiles p ON p.id = c.profile_id WHERE ${w.where}`,
      w.params,
    );
    const l = whereOf(f);
    const rows = await db.query<CaseRow>(
      `SELECT ${CASE_COLUMNS} FROM ${CASE_FROM} WHERE ${l.where}
        ORDER BY c.promised_date NULLS LAST, c.case_number COLLATE "C"
        LIMIT ${page.limit} OFFSET ${page.offset}`,
      l.params,
    );
    return { rows: rows.rows, ...counts.rows[0]! };
  },

  async byId(db: Q, caseId: string, lock = false): Promise<CaseRow | undefined> {
    // The lock is taken on the case row alone (the names come from rows nobody here changes).
    if (lock) await db.query('SELECT 1 FROM case_status WHERE case_id = $1 FOR UPDATE', [caseId]);
    const { rows } = await db.query<CaseRow>(`SELECT ${CASE_COLUMNS} FROM ${CASE_FROM} WHERE c.case_id = $1`, [caseId]);
    return rows[0];
  },

  async events(db: Q, caseId: string): Promise<CaseEventRow[]> {
    const { rows } = await db.query<CaseEventRow>(
      `SELECT at, action, from_status AS "fromStatus", to_status AS "toStatus", actor_kind AS "actorKind",
              actor_name AS "actorName", note
         FROM case_events WHERE case_id = $1 ORDER BY id`,
      [caseId],
    );
    return rows;
  },

  async addEvent(tx: Tx, e: CaseEvent): Promise<void> {
    await tx.query(
      `INSERT INTO case_events (case_id, action, from_status, to_status, at, actor_kind, actor_staff_id, actor_name, note)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [e.caseId, e.action, e.fromStatus, e.toStatus, e.at, e.actorKind, e.actorStaffId, e.actorName, e.note],
    );
  },

  /**
   * A step of the case, only on the version it was decided on: the new version, or undefined when
   * someone else moved the case meanwhile. `promisedDate`/`legalDate` undefined: unchanged.
   */
  async move(
    tx: Tx,
    m: {
      caseId: string;
      version: number;
      status: string;
      at: string;
      note: string | null;
      missing: readonly SupplementItem[];
      pausedSince: string | null;
      supplementReceivedAt: string | null;
      decision: CaseDecision | null;
      pickup: CasePickup | null;
      promisedDate?: string | null | undefined;
      legalDate?: string | null | undefined;
    },
  ): Promise<number | undefined> {
    const { rows } = await tx.query<{ version: number }>(
      `UPDATE case_status SET status = $3, updated_at = $4, status_note = $5, missing = $6, paused_since = $7,
         supplement_received_at = $8, decision = $9, pickup = $10,
         promised_date = CASE WHEN $11 THEN $12::date ELSE promised_date END,
         legal_date = CASE WHEN $13 THEN $14::date ELSE legal_date END,
         version = version + 1
       WHERE case_id = $1 AND version = $2 RETURNING version`,
      [
        m.caseId,
        m.version,
        m.status,
        m.at,
        m.note,
        JSON.stringify(m.missing),
        m.pausedSince,
        m.supplementReceivedAt,
        m.decision && JSON.stringify(m.decision),
        m.pickup && JSON.stringify(m.pickup),
        m.promisedDate !== undefined,
        m.promisedDate ?? null,
        m.legalDate !== undefined,
        m.legalDate ?? null,
      ],
    );
    return rows[0]?.version;
  },
};
