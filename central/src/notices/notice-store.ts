import type { NoticeDeadLetter, NoticeKind, NoticeParams, NoticeTemplate } from '@shared/notices/notices';
import type { Db, Tx } from '../db/pool';
import { catalogJoin } from '../store/catalog-join';

type Q = Db | Tx;

/** What a notice about a case needs of it: where it is, what it is, whom to tell. */
export interface CaseContact {
  caseId: string;
  hallId: string;
  hallName: string;
  timeZone: string;
  caseNumber: string;
  matterCode: string;
  matterName: string;
  status: string;
  phone: string | null;
  toleranceDueDate: string | null;
}

export interface NoticeRow {
  id: string;
  kind: NoticeKind;
  hallId: string;
  matterCode: string;
  phone: string;
  phoneMasked: string;
  params: NoticeParams & { queryCode?: string };
  attempts: number;
  /** A queue ticket's notice: not sent after this. */
  expiresAt: Date | null;
}

/** A notice to queue: `dropped`, written as dropped for that reason, without the phone. */
export interface NoticeToQueue {
  key: string;
  kind: NoticeKind;
  hallId: string;
  caseId: string | null;
  matterCode: string;
  phone: string;
  phoneMasked: string;
  params: Record<string, string>;
  at: Date;
  expiresAt?: Date;
  dropped?: string;
}

const CONTACT_COLUMNS = `c.case_id AS "caseId", c.hall_id AS "hallId", h.name AS "hallName", h.time_zone AS "timeZone",
  coalesce(c.case_number, c.case_id) AS "caseNumber", coalesce(c.matter_code, '') AS "matterCode",
  coalesce(mn.name, c.matter_code, '') AS "matterName", c.status, p.phone,
  c.tolerance_due_date::text AS "toleranceDueDate"`;
/** `source`: case_status, or rows of its shape (a data-modifying CTE's RETURNING *). */
const contactFrom = (source: string) => `${source} c JOIN halls h ON h.id = c.hall_id
  LEFT JOIN applicant_profiles p ON p.id = c.profile_id
  ${catalogJoin('catalog.matter', 'c.matter_code', "r.data->>'nameZh' AS name", 'mn')}`;
const CONTACT_FROM = contactFrom('case_status');

/**
 * The contact of each case row of `source` (`c` in `columns`, read beside it), for a statement that writes
 * the case and answers its contact at once.
 */
export const contactOf = (source: string, columns: string) =>
  `SELECT ${columns}, ${CONTACT_COLUMNS} FROM ${contactFrom(source)}`;

/** Central's SMS outbox and the notice templates. SQL only. */
export const noticeStore = {
  async caseContact(q: Q, caseId: string): Promise<CaseContact | undefined> {
    // Named: prepared once per connection, the plan of its joins kept (each accepted case reads it).
    const { rows } = await q.query<CaseContact>({
      name: 'notice-case-contact',
      text: `SELECT ${CONTACT_COLUMNS} FROM ${CONTACT_FROM} WHERE c.case_id = $1`,
      values: [caseId],
    });
    return rows[0];
  },

  /** Running cases with 容缺 items due between the two dates (each hall's own bounds are checked by the caller). */
  async toleranceDueBetween(q: Q, statuses: readonly string[], from: string, until: string): Promise<CaseContact[]> {
    const { rows } = await q.query<CaseContact>(
      `SELECT ${CONTACT_COLUMNS} FROM ${CONTACT_FROM}
        WHERE c.tolerance_due_date BETWEEN $2 AND $3 AND c.status = ANY($1) AND p.phone IS NOT NULL`,
      [statuses, from, until],
    );
    return rows;
  },

  /**
   * One notice; false when its key was already queued (the event applied again), nothing written then.
   * `dropped`: written as dropped for that reason, without the phone (the key is known, nothing is sent).
   */
  async enqueue(tx: Q, n: NoticeToQueue): Promise<boolean> {
    return (await noticeStore.enqueueAll(tx, [n])) === 1;
  },

  /**
   * Notices in one statement, as `enqueue` writes each in turn: a key already queued, or queued earlier in
   * the list (unnest keeps its order), writes nothing. Returns how many were written.
   */
  async enqueueAll(tx: Q, notices: readonly NoticeToQueue[]): Promise<number> {
    // One JSON document (json_to_recordset keeps its order): a jsonb[] parameter would escape every quote.
    const { rowCount } = await tx.query({
      name: 'notice-enqueue-all',
      text: `INSERT INTO notice_outbox (idempotency_key, kind, hall_id, case_id, matter_code, phone, phone_masked, params,
         created_at, expires_at, status, last_error)
       SELECT * FROM json_to_recordset($1::json) AS t(idempotency_key text, kind text, hall_id uuid, case_id text,
         matter_code text, phone text, phone_masked text, params jsonb, created_at timestamptz,
         expires_at timestamptz, status text, last_error text)
       ON CONFLICT (idempotency_key) DO NOTHING`,
      values: [
        JSON.stringify(
          notices.map((n) => ({
            idempotency_key: n.key,
            kind: n.kind,
            hall_id: n.hallId,
            case_id: n.caseId,
            matter_code: n.matterCode,
            phone: n.dropped ? null : n.phone,
            phone_masked: n.phoneMasked,
            params: n.params,
            created_at: n.at,
            expires_at: n.expiresAt ?? null,
            status: n.dropped ? 'dropped' : 'pending',
            last_error: n.dropped ?? null,
          })),
        ),
      ],
    });
    return rowCount ?? 0;
  },

  /** Whether a notice was ever written under this key (sent, waiting or dropped). */
  async known(q: Q, key: string): Promise<boolean> {
    const { rowCount } = await q.query('SELECT 1 FROM notice_outbox WHERE idempotency_key = $1', [key]);
    return rowCount === 1;
  },

  /** The hall's name and zone, for a notice about it rather than about a case. */
  async hall(q: Q, hallId: string): Promise<{ name: string; timeZone: string } | undefined> {
    const { rows } = await q.query<{ name: string; timeZone: string }>(
      'SELECT name, time_zone AS "timeZone" FROM halls WHERE id = $1',
      [hallId],
    );
    return rows[0];
  },

  /** A notice not taken by a worker yet, dropped for `reason` (its phone cleared); false if none was waiting. */
  async dropWaiting(q: Q, key: string, reason: string): Promise<boolean> {
    const { rowCount } = await q.query(
      `UPDATE notice_outbox SET status = 'dropped', phone = NULL, last_error = $2
        WHERE idempotency_key = $1 AND status = 'pending'`,
      [key, reason],
    );
    return rowCount === 1;
  },

  /** A taken notice that is no use any more (stale, or due in quiet hours): dropped, its phone cleared. */
  async drop(db: Db, id: string, reason: string): Promise<void> {
    await db.query(
      `UPDATE notice_outbox SET status = 'dropped', phone = NULL, last_error = $2, lease_until = NULL
        WHERE id = $1 AND status = 'sending'`,
      [id, reason],
    );
  },

  /**
   * Takes up to `limit` notices due at `now` for a lease: pending ones, and those whose sender died with
   * the lease running out. Two workers never take the same row.
   */
  async claim(db: Db, now: Date, leaseUntil: Date, limit: number): Promise<NoticeRow[]> {
    const { rows } = await db.query<NoticeRow & { id: string }>(
      `UPDATE notice_outbox o SET status = 'sending', lease_until = $2
        WHERE o.id IN (
          SELECT id FROM notice_outbox
           WHERE (status = 'pending' AND (not_before IS NULL OR not_before <= $1))
              OR (status = 'sending' AND lease_until <= $1)
           ORDER BY not_before NULLS FIRST, id LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING o.id::text AS id, o.kind, o.hall_id AS "hallId", o.matter_code AS "matterCode", o.phone,
         o.phone_masked AS "phoneMasked", o.params, o.attempts, o.expires_at AS "expiresAt"`,
      [now, leaseUntil, limit],
    );
    return rows;
  },

  /** The matter's own wording of this notice, else the global one. */
  async template(q: Q, kind: NoticeKind, matterCode: string): Promise<string | undefined> {
    const { rows } = await q.query<{ body: string }>(
      `SELECT body FROM notice_templates WHERE kind = $1 AND matter_code IN ('', $2)
        ORDER BY matter_code DESC LIMIT 1`,
      [kind, matterCode],
    );
    return rows[0]?.body;
  },

  async templates(q: Q): Promise<NoticeTemplate[]> {
    const { rows } = await q.query<Omit<NoticeTemplate, 'updatedAt'> & { updatedAt: Date }>(
      `SELECT kind, matter_code AS "matterCode", body, updated_at AS "updatedAt" FROM notice_templates
        ORDER BY kind, matter_code`,
    );
    return rows.map((r) => ({ ...r, updatedAt: r.updatedAt.toISOString() }));
  },
  /** The wording of a kind, global (`matterCode` '') or for one matter; answers the row before, if any. */
  async putTemplate(
    tx: Tx,
    t: { kind: NoticeKind; matterCode: string; body: string; at: Date },
  ): Promise<string | undefined> {
    const before = await tx.query<{ body: string }>(
      'SELECT body FROM notice_templates WHERE kind = $1 AND matter_code = $2 FOR UPDATE',
      [t.kind, t.matterCode],
    );
    await tx.query(
      `INSERT INTO notice_templates (kind, matter_code, body, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (kind, matter_code) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
      [t.kind, t.matterCode, t.body, t.at],
    );
    return before.rows[0]?.body;
  },

  /** Sent: the phone and the query code are no longer needed here, so they are not kept. */
  async sent(db: Db, id: string, attempts: number, ref: string, at: Date): Promise<void> {
    await db.query(
      `UPDATE notice_outbox SET status = 'sent', attempts = $2, provider_ref = $3, sent_at = $4, lease_until = NULL,
         last_error = NULL, phone = NULL, params = params - 'queryCode'
        WHERE id = $1 AND status = 'sending'`,
      [id, attempts, ref, at],
    );
  },
  /** Quiet hours: back in the queue until `notBefore`, the try not counted. */
  async defer(db: Db, id: string, notBefore: Date): Promise<void> {
    await db.query(
      `UPDATE notice_outbox SET status = 'pending', not_before = $2, lease_until = NULL WHERE id = $1 AND status = 'sending'`,
      [id, notBefore],
    );
  },
  async retryLater(db: Db, id: string, attempts: number, error: string, notBefore: Date): Promise<void> {
    await db.query(
      `UPDATE notice_outbox SET status = 'pending', attempts = $2, last_error = $3, not_before = $4, lease_until = NULL
        WHERE id = $1 AND status = 'sending'`,
      [id, attempts, error, notBefore],
    );
  },
  async dead(db: Db, id: string, attempts: number, error: string, at: Date): Promise<void> {
    await db.query(
      `UPDATE notice_outbox SET status = 'dead', attempts = $2, last_error = $3, dead_at = $4, lease_until = NULL
        WHERE id = $1 AND status = 'sending'`,
      [id, attempts, error, at],
    );
  },

  /** Dead letters, newest first; `hallIds` null: every hall's. */
  async deadLetters(db: Db, hallIds: readonly string[] | null, limit: number): Promise<NoticeDeadLetter[]> {
    const { rows } = await db.query<NoticeDeadLetter & { createdAt: Date; deadAt: Date }>(
      `SELECT o.id::text AS id, o.kind, o.hall_id AS "hallId", h.name AS "hallName",
         o.params->>'caseNumber' AS "caseNumber", o.phone_masked AS "phoneMasked", o.attempts,
         o.last_error AS "lastError", o.created_at AS "createdAt", o.dead_at AS "deadAt"
         FROM notice_outbox o JOIN halls h ON h.id = o.hall_id
        WHERE o.status = 'dead' AND ($1::uuid[] IS NULL OR o.hall_id = ANY($1::uuid[]))
        ORDER BY o.dead_at DESC, o.id DESC LIMIT $2`,
      [hallIds, limit],
    );
    return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), deadAt: r.deadAt.toISOString() }));
  },

  /** A dead letter back in the queue with a fresh count: its hall, or undefined when it is not (or no longer) dead. */
  async revive(q: Q, id: string, hallIds: readonly string[] | null): Promise<string | undefined> {
    const { rows } = await q.query<{ hall_id: string }>(
      `UPDATE notice_outbox SET status = 'pending', attempts = 0, not_before = NULL, dead_at = NULL
        WHERE id = $1 AND status = 'dead' AND ($2::uuid[] IS NULL OR hall_id = ANY($2::uuid[]))
       RETURNING hall_id`,
      [id, hallIds],
    );
    return rows[0]?.hall_id;
  },
};
