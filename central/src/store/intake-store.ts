import type { Db, Tx } from '../db/pool';
import type { CaseEvent } from '../casework/case-store';
import { contactOf, type CaseContact } from '../notices/notice-store';

/** A case's steps as the columns of case_events after case_id, one array each (unnest keeps their order). */
const eventColumns = (events: readonly CaseEvent[]) => {
  const col = <T>(f: (e: CaseEvent) => T) => events.map(f);
  return [
    col((e) => e.action),
    col((e) => e.fromStatus),
    col((e) => e.toStatus),
    col((e) => e.at),
    col((e) => e.actorKind),
    col((e) => e.actorStaffId),
    col((e) => e.actorName),
    col((e) => e.note),
  ];
};

/** A case as the counter reported it, for `createCase`. */
export interface NewCase {
  caseId: string;
  hallId: string;
  profileId: string | null;
  caseNumber: string;
  status: string;
  matterCode: string;
  departmentId: string;
  visitId: string;
  promisedDate: string | null;
  createdAt: string;
  acceptedAt: string | null;
  feeFen: number;
  counterNumber: number | null;
  clerkName: string;
  materials: readonly { materialId: string; name: string; requirement: string; status: string }[];
  toleranceDueDate: string | null;
  queryCodeSha256: string | null;
  legalDate: string | null;
  /** The counter's first steps, written when the case is new. */
  events: readonly CaseEvent[];
}

/** A visit as a counter reports it (its hall is the reporting device's). */
interface VisitRecord {
  visitId: string;
  profileId: string | null;
  counterId: string;
  clerkName: string;
  ticketNumber: string | null;
  hallDay: string;
  startedAt: string;
}

/** What the halls' intake reports: visits, cases and their status, feedback, return visits, ratings. SQL only. */
export const intakeStore = {
  /** A visit; a later report that names its applicant fills the profile in. Returns the visit's hall. */
  async putVisit(tx: Tx, v: VisitRecord & { hallId: string }): Promise<string> {
    const { rows } = await tx.query<{ hall_id: string }>({
      name: 'intake-put-visit',
      text: `INSERT INTO visits (visit_id, hall_id, profile_id, counter_id, clerk_name, ticket_number, hall_day, started_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (visit_id) DO UPDATE SET profile_id = coalesce(visits.profile_id, excluded.profile_id)
       RETURNING hall_id`,
      values: [v.visitId, v.hallId, v.profileId, v.counterId, v.clerkName, v.ticketNumber, v.hallDay, v.startedAt],
    });
    return rows[0]!.hall_id;
  },
  /** `putVisit` for several visits of one hall (each visit once), in one statement: each visit's hall. */
  async putVisits(tx: Tx, hallId: string, visits: readonly VisitRecord[]): Promise<Map<string, string>> {
    // One JSON document, in its order: pg arrays would escape every element on the way.
    const { rows } = await tx.query<{ visit_id: string; hall_id: string }>({
      name: 'intake-put-visits',
      text: `INSERT INTO visits (visit_id, hall_id, profile_id, counter_id, clerk_name, ticket_number, hall_day, started_at)
       SELECT t.visit_id, $1, t.profile_id, t.counter_id, t.clerk_name, t.ticket_number, t.hall_day, t.started_at
       FROM ROWS FROM (json_to_recordset($2::json) AS (visit_id uuid, profile_id uuid, counter_id text,
         clerk_name text, ticket_number text, hall_day date, started_at timestamptz)) WITH ORDINALITY
         AS t(visit_id, profile_id, counter_id, clerk_name, ticket_number, hall_day, started_at, ord)
       ORDER BY t.ord
       ON CONFLICT (visit_id) DO UPDATE SET profile_id = coalesce(visits.profile_id, excluded.profile_id)
       RETURNING visit_id, hall_id`,
      values: [
        hallId,
        JSON.stringify(
          visits.map((v) => ({
            visit_id: v.visitId,
            profile_id: v.profileId,
            counter_id: v.counterId,
            clerk_name: v.clerkName,
            ticket_number: v.ticketNumber,
            hall_day: v.hallDay,
            started_at: v.startedAt,
          })),
        ),
      ],
    });
    return new Map(rows.map((r) => [r.visit_id, r.hall_id]));
  },
  async visit(tx: Tx, visitId: string): Promise<{ hallId: string; profileId: string | null } | undefined> {
    const { rows } = await tx.query<{ hall_id: string; profile_id: string | null }>(
      'SELECT hall_id, profile_id FROM visits WHERE visit_id = $1',
      [visitId],
    );
    return rows[0] && { hallId: rows[0].hall_id, profileId: rows[0].profile_id };
  },

  /**
   * A new case with what the counter recorded of it. Answers 'foreign' when the id is already a case of
   * another hall (nothing written then), 'again' when this hall's case was already here (only its number
   * is kept up to date: the department may have moved it since), else 'created'.
   */
  /**
   * `createCase` for several cases of one hall (each case and visit once), in one statement: the contact of
   * each case written, by case id. Another hall's case is left out of the answer, nothing written for it.
   */
  async createCases(
    tx: Tx,
    hallId: string,
    cases: readonly Omit<NewCase, 'hallId'>[],
  ): Promise<Map<string, CaseContact>> {
    // The cases and their steps as two JSON documents, in their order (ROWS FROM … WITH ORDINALITY): pg
    // arrays would escape every quote of every case's materials on the way.
    const input = cases.map((c) => ({
      case_id: c.caseId,
      profile_id: c.profileId,
      status: c.status,
      case_number: c.caseNumber,
      matter_code: c.matterCode,
      department_id: c.departmentId,
      visit_id: c.visitId,
      promised_date: c.promisedDate,
      created_at: c.createdAt,
      accepted_at: c.acceptedAt,
      fee_fen: c.feeFen,
      counter_number: c.counterNumber,
      clerk_name: c.clerkName,
      materials: c.materials,
      tolerance_due_date: c.toleranceDueDate,
      query_code_sha256: c.queryCodeSha256,
      legal_date: c.legalDate,
    }));
    const events = cases.flatMap((c) =>
      c.events.map((e) => ({
        case_id: e.caseId,
        action: e.action,
        from_status: e.fromStatus,
        to_status: e.toStatus,
        at: e.at,
        actor_kind: e.actorKind,
        actor_staff_id: e.actorStaffId,
        actor_name: e.actorName,
        note: e.note,
      })),
    );
    const { rows } = await tx.query<CaseContact & { created: boolean }>({
      name: 'intake-create-cases',
      text: `WITH input AS (
         SELECT * FROM ROWS FROM (json_to_recordset($2::json) AS (case_id text, profile_id uuid, status text,
           case_number text, matter_code text, department_id text, visit_id uuid, promised_date date,
           created_at timestamptz, accepted_at timestamptz, fee_fen integer, counter_number integer,
           clerk_name text, materials jsonb, tolerance_due_date date, query_code_sha256 text, legal_date date))
           WITH ORDINALITY AS t(case_id, profile_id, status, case_number, matter_code, department_id, visit_id,
             promised_date, created_at, accepted_at, fee_fen, counter_number, clerk_name, materials,
             tolerance_due_date, query_code_sha256, legal_date, ord)),
       c AS (
         INSERT INTO case_status (case_id, hall_id, profile_id, status, updated_at, case_number, matter_code,
           department_id, visit_id, promised_date, created_at, accepted_at, fee_fen, counter_number, clerk_name,
           materials, tolerance_due_date, query_code_sha256, legal_date)
         SELECT case_id, $1, profile_id, status, created_at, case_number, matter_code, department_id, visit_id,
           promised_date, created_at, accepted_at, fee_fen, counter_number, clerk_name, materials,
           tolerance_due_date, query_code_sha256, legal_date
         FROM input ORDER BY ord
         ON CONFLICT (case_id) DO UPDATE SET case_number = excluded.case_number
         WHERE case_status.hall_id = excluded.hall_id
         RETURNING *, (xmax = 0) AS created),
       v AS (
         UPDATE visits SET profile_id = i.profile_id FROM input i JOIN c ON c.case_id = i.case_id
         WHERE visits.visit_id = i.visit_id AND visits.profile_id IS NULL AND i.profile_id IS NOT NULL),
       e AS (
         INSERT INTO case_events (case_id, action, from_status, to_status, at, actor_kind, actor_staff_id,
           actor_name, note)
         SELECT t.case_id, t.action, t.from_status, t.to_status, t.at, t.actor_kind, t.actor_staff_id, t.actor_name,
           t.note
         FROM ROWS FROM (json_to_recordset($3::json) AS (case_id text, action text, from_status text,
           to_status text, at timestamptz, actor_kind text, actor_staff_id text, actor_name text, note text))
           WITH ORDINALITY AS t(case_id, action, from_status, to_status, at, actor_kind, actor_staff_id, actor_name,
             note, ord)
         JOIN c ON c.case_id = t.case_id AND c.created
         ORDER BY t.ord)
       ${contactOf('c', 'c.created')}`,
      values: [hallId, JSON.stringify(input), JSON.stringify(events)],
    });
    return new Map(rows.map(({ created: _c, ...contact }) => [contact.caseId, contact]));
  },

  async createCase(
    tx: Tx,
    c: NewCase,
  ): Promise<{ kind: 'created' | 'again'; contact: CaseContact } | { kind: 'foreign' }> {
    // One statement, as each accepted case arrives: the case, its first steps when it is new, its visit's
    // profile (the visit was reported before its applicant was known: a ticket called, then identified),
    // and the case as a notice about it needs it; none of it when the case is another hall's.
    const { rows } = await tx.query<CaseContact & { created: boolean }>({
      name: 'intake-create-case',
      text: `WITH c AS (
         INSERT INTO case_status (case_id, hall_id, profile_id, status, updated_at, case_number, matter_code,
           department_id, visit_id, promised_date, created_at, accepted_at, fee_fen, counter_number, clerk_name,
           materials, tolerance_due_date, query_code_sha256, legal_date)
         VALUES ($1, $2, $3, $4, $10, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
         ON CONFLICT (case_id) DO UPDATE SET case_number = excluded.case_number
         WHERE case_status.hall_id = excluded.hall_id
         RETURNING *, (xmax = 0) AS created),
       v AS (
         UPDATE visits SET profile_id = $3
         WHERE visit_id = $8 AND profile_id IS NULL AND $3::uuid IS NOT NULL AND EXISTS (SELECT 1 FROM c)),
       e AS (
         INSERT INTO case_events (case_id, action, from_status, to_status, at, actor_kind, actor_staff_id,
           actor_name, note)
         SELECT $1, t.action, t.from_status, t.to_status, t.at, t.actor_kind, t.actor_staff_id, t.actor_name, t.note
         FROM unnest($19::text[], $20::text[], $21::text[], $22::timestamptz[], $23::text[], $24::text[],
           $25::text[], $26::text[])
           AS t(action, from_status, to_status, at, actor_kind, actor_staff_id, actor_name, note)
         WHERE (SELECT created FROM c))
       ${contactOf('c', 'c.created')}`,
      values: [
        c.caseId,
        c.hallId,
        c.profileId,
        c.status,
        c.caseNumber,
        c.matterCode,
        c.departmentId,
        c.visitId,
        c.promisedDate,
        c.createdAt,
        c.acceptedAt,
        c.feeFen,
        c.counterNumber,
        c.clerkName,
        JSON.stringify(c.materials),
        c.toleranceDueDate,
        c.queryCodeSha256,
        c.legalDate,
        ...eventColumns(c.events),
      ],
    });
    const r = rows[0];
    if (!r) return { kind: 'foreign' };
    const { created, ...contact } = r;
    return { kind: created ? 'created' : 'again', contact };
  },
  /**
   * A status put by hand through the admin API (`PUT /admin/v1/ref/case.status/:id`) for a case of this
   * hall; the version moves on, so a console decision taken on the old one is refused. False when the case
   * is unknown here.
   */
  async setCaseStatus(tx: Tx, s: { caseId: string; hallId: string; status: string; at: string }): Promise<boolean> {
    const { rowCount } = await tx.query(
      `UPDATE case_status SET status = $3, updated_at = $4, version = version + 1
        WHERE case_id = $1 AND hall_id = $2`,
      [s.caseId, s.hallId, s.status, s.at],
    );
    return (rowCount ?? 0) > 0;
  },

  /**
   * A feedback item as the hall filed it; the contact is kept masked only (a supervisor calls back through
   * the hall). False when the id was already here (nothing written then).
   */
  async createFeedback(
    tx: Tx,
    f: {
      feedbackId: string;
      hallId: string;
      profileId: string | null;
      number: string;
      kind: string;
      channel: string;
      category: string;
      status: string;
      content: string;
      contactMasked: string | null;
      phoneMasked: string | null;
      caseId: string | null;
      departmentId: string | null;
      ratingId: string | null;
      dueDate: string;
      createdAt: string;
    },
  ): Promise<boolean> {
    const { rowCount } = await tx.query(
      `INSERT INTO feedback (feedback_id, hall_id, profile_id, number, kind, category, status, case_id, rating_id,
         due_date, created_at, updated_at, channel, content, contact_masked, phone_masked, department_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12, $13, $14, $15, $16)
       ON CONFLICT (feedback_id) DO NOTHING`,
      [
        f.feedbackId,
        f.hallId,
        f.profileId,
        f.number,
        f.kind,
        f.category,
        f.status,
        f.caseId,
        f.ratingId,
        f.dueDate,
        f.createdAt,
        f.channel,
        f.content,
        f.contactMasked,
        f.phoneMasked,
        f.departmentId,
      ],
    );
    return rowCount === 1;
  },
  /** The feedback of this hall, or undefined. */
  async feedback(
    tx: Tx,
    feedbackId: string,
    hallId: string,
  ): Promise<{ profileId: string | null; number: string; kind: string; status: string } | undefined> {
    const { rows } = await tx.query<{ profile_id: string | null; number: string; kind: string; status: string }>(
      'SELECT profile_id, number, kind, status FROM feedback WHERE feedback_id = $1 AND hall_id = $2',
      [feedbackId, hallId],
    );
    return (
      rows[0] && { profileId: rows[0].profile_id, number: rows[0].number, kind: rows[0].kind, status: rows[0].status }
    );
  },
  /** The rectification a 差评 opened (the first, should a hall have filed two). */
  async feedbackOfRating(tx: Tx, ratingId: string): Promise<{ feedbackId: string; status: string } | undefined> {
    const { rows } = await tx.query<{ feedbackId: string; status: string }>(
      `SELECT feedback_id AS "feedbackId", status FROM feedback WHERE rating_id = $1 ORDER BY created_at LIMIT 1`,
      [ratingId],
    );
    return rows[0];
  },
  /** False: the return visit id belongs to another feedback (of another hall, perhaps); nothing written. */
  async scheduleReturnVisit(
    tx: Tx,
    r: { returnVisitId: string; feedbackId: string; scheduledFor: string; method: string },
  ): Promise<boolean> {
    const { rowCount } = await tx.query(
      `INSERT INTO return_visits (return_visit_id, feedback_id, scheduled_for, method) VALUES ($1, $2, $3, $4)
       ON CONFLICT (return_visit_id) DO UPDATE SET scheduled_for = excluded.scheduled_for, method = excluded.method
       WHERE return_visits.feedback_id = excluded.feedback_id`,
      [r.returnVisitId, r.feedbackId, r.scheduledFor, r.method],
    );
    return rowCount === 1;
  },
  /** False: the return visit id belongs to another feedback (of another hall, perhaps); nothing written. */
  async recordReturnVisit(
    tx: Tx,
    r: { returnVisitId: string; feedbackId: string; outcome: string; note: string; doneAt: string },
  ): Promise<boolean> {
    const { rowCount } = await tx.query(
      `INSERT INTO return_visits (return_visit_id, feedback_id, outcome, note, done_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (return_visit_id) DO UPDATE SET outcome = excluded.outcome, note = excluded.note,
         done_at = excluded.done_at
       WHERE return_visits.feedback_id = excluded.feedback_id`,
      [r.returnVisitId, r.feedbackId, r.outcome, r.note, r.doneAt],
    );
    return rowCount === 1;
  },

  async addRating(
    tx: Tx,
    r: {
      ratingId: string;
      hallId: string;
      visitId: string;
      profileId: string | null;
      level: number;
      reasons: readonly string[];
      comment: string;
      at: string;
    },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO ratings (rating_id, hall_id, visit_id, profile_id, level, reasons, comment, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (rating_id) DO NOTHING`,
      [r.ratingId, r.hallId, r.visitId, r.profileId, r.level, JSON.stringify(r.reasons), r.comment, r.at],
    );
  },
  /** A visit of this hall whose rating request ran out: "not rated". False: no such visit in the hall. */
  async markNotRated(tx: Tx, hallId: string, visitId: string, at: string): Promise<boolean> {
    const { rowCount } = await tx.query(
      'UPDATE visits SET not_rated_at = COALESCE(not_rated_at, $3) WHERE visit_id = $1 AND hall_id = $2',
      [visitId, hallId, at],
    );
    return rowCount === 1;
  },
  async ratingHall(tx: Tx, ratingId: string): Promise<string | undefined> {
    const { rows } = await tx.query<{ hall_id: string }>('SELECT hall_id FROM ratings WHERE rating_id = $1', [
      ratingId,
    ]);
    return rows[0]?.hall_id;
  },
  async fileAppeal(
    tx: Tx,
    a: { appealId: string; hallId: string; ratingId: string; reason: string; filedBy: string; at: string },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO rating_appeals (appeal_id, hall_id, rating_id, reason, filed_by, filed_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [a.appealId, a.hallId, a.ratingId, a.reason, a.filedBy, a.at],
    );
  },
  /** False when the hall has no such appeal still waiting for its decision. */
  async decideAppeal(
    tx: Tx,
    a: { appealId: string; hallId: string; decision: string; reason: string; decidedBy: string; at: string },
  ): Promise<boolean> {
    const { rowCount } = await tx.query(
      `UPDATE rating_appeals SET status = $3, decision_reason = $4, decided_by = $5, decided_at = $6
        WHERE appeal_id = $1 AND hall_id = $2 AND status = 'filed'`,
      [a.appealId, a.hallId, a.decision, a.reason, a.decidedBy, a.at],
    );
    return rowCount === 1;
  },
  /** A hall's bad ratings (level 1–2), newest first: what the service supervisor follows up. */
  async badRatings(db: Db, hallId: string, limit: number) {
    const { rows } = await db.query<{ rating_id: string; level: number; comment: string; reasons: string[]; at: Date }>(
      `SELECT rating_id, level, comment, reasons, at FROM ratings WHERE hall_id = $1 AND level <= 2
       ORDER BY at DESC LIMIT $2`,
      [hallId, limit],
    );
    return rows.map((r) => ({
      ratingId: r.rating_id,
      level: r.level,
      comment: r.comment,
      reasons: r.reasons,
      at: r.at.toISOString(),
    }));
  },
};
