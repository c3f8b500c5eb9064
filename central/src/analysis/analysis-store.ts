import type { PromiseMarginRow, RatingRuleCounts } from '@shared/console/analysis-figures';
import { countedRatingSql, type IntakeStatsRows } from '@shared/intake/intake-stats';
import { inTransaction, type Db, type Tx } from '../db/pool';

/** One hall's part of the range, in its own zone: the instants (ISO, UTC) of [from, to] and its today. */
export interface HallWindow {
  hallId: string;
  fromInstant: string;
  toInstant: string;
  today: string;
  zone: string;
}

/** What the figures are counted by: each hall, or each department over the halls of the windows. */
export type Dimension = 'hall' | 'department';

/**
 * What one hall or department counts: the hall dashboard's intake rows (the parts the analysis shows; the
 * others empty), the open cases past their promise as of today, completed cases by promise and day, and the
 * 好差评 rules' counts.
 */
export interface GroupCounts {
  intake: IntakeStatsRows;
  overdue: number;
  promise: PromiseMarginRow[];
  rules: RatingRuleCounts;
}

/**
 * The windows as a table `w` every query joins its rows to: the halls asked for, each with its own range
 * (zones may differ between halls).
 */
const WINDOWS = `WITH w AS (
  SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[], $4::date[], $5::text[])
    AS w(hall_id, from_at, to_at, today, zone))`;

/**
 * Each query's key by dimension. A case and a feedback item name their department; a rating names a visit,
 * so a department's ratings are those of the visits that accepted a case of it (a visit with two
 * departments' cases counts once for each, never twice for one: counts of ratings are DISTINCT).
 */
const KEYS = {
  hall: { c: 'c.hall_id::text', f: 'f.hall_id::text', r: 'r.hall_id::text', ratingJoin: '' },
  department: {
    c: 'c.department_id',
    f: 'f.department_id',
    r: 'vc.department_id',
    // Only the cases of the halls asked for ($1): a rating and the cases of its visit share their hall.
    ratingJoin: `JOIN (SELECT DISTINCT hall_id, visit_id, department_id FROM case_status
                        WHERE hall_id = ANY($1::uuid[]) AND visit_id IS NOT NULL AND department_id IS NOT NULL) vc
                  ON vc.hall_id = r.hall_id AND vc.visit_id = r.visit_id`,
  },
} as const;

type Keyed<T> = T & { key: string };

/** A group's rows as they are read; `groupCounts` makes them the dashboard's intake rows. */
interface Read {
  casesByState: { state: string; count: number }[];
  feedbackByKindStatus: { kind: string; status: string; count: number }[];
  ratingsByLevel: { level: number; count: number }[];
  overdue: number;
  promise: PromiseMarginRow[];
  rules: RatingRuleCounts;
}

const emptyRead = (): Read => ({
  casesByState: [],
  feedbackByKindStatus: [],
  ratingsByLevel: [],
  overdue: 0,
  promise: [],
  rules: { bad: 0, rectified: 0, revisitDue: 0, revisited: 0 },
});

/** The parts of the dashboard's intake rows the analysis does not show are left empty. */
const groupCounts = ({ casesByState, feedbackByKindStatus, ratingsByLevel, ...rest }: Read): GroupCounts => ({
  intake: {
    casesByState,
    casesByMatter: [],
    overdue: [],
    feedbackByKindStatus,
    returnVisits: { scheduled: 0, scheduledDone: 0, done: 0 },
    ratingsByLevel,
    rectification: [],
  },
  ...rest,
});

/** A hall or department with nothing in the range. */
export const NO_COUNTS: GroupCounts = groupCounts(emptyRead());

/**
 * The counts of the cross-hall analysis, SQL only. Each count is the one the hall dashboard's reader
 * (store/insight-intake-store.ts) or the 好差评 figures (casework/figures-store.ts) makes, with the same
 * conditions, grouped by hall or department instead of read for one hall or a set of halls; the arithmetic
 * on them is the shared functions'. Read in one snapshot, so the parts add up while counters push.
 */
export const analysisStore = {
  async counts(
    db: Db,
    dimension: Dimension,
    windows: readonly HallWindow[],
    q: { openStates: readonly string[]; badMax: number },
  ): Promise<Map<string, GroupCounts>> {
    const k = KEYS[dimension];
    const params = [
      windows.map((w) => w.hallId),
      windows.map((w) => w.fromInstant),
      windows.map((w) => w.toInstant),
      windows.map((w) => w.today),
      windows.map((w) => w.zone),
    ];
    const groups = new Map<string, Read>();
    const group = (key: string) => {
      let g = groups.get(key);
      if (!g) groups.set(key, (g = emptyRead()));
      return g;
    };
    const ofRange = (col: string) => `${col} >= w.from_at AND ${col} < w.to_at`;
    const cases = `FROM case_status c JOIN w ON w.hall_id = c.hall_id WHERE ${k.c} IS NOT NULL`;
    const ratings = `FROM ratings r JOIN w ON w.hall_id = r.hall_id ${k.ratingJoin}`;

    await inTransaction(db, async (tx: Tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const rows = async <T extends object>(sql: string, extra: unknown[] = []) =>
        (await tx.query<Keyed<T>>(`${WINDOWS} ${sql}`, [...params, ...extra])).rows;

      for (const { key, ...r } of await rows<{ state: string; count: number }>(
        `SELECT ${k.c} AS key, c.status AS state, count(*)::int AS count ${cases} AND ${ofRange('c.created_at')}
          GROUP BY 1, 2`,
      ))
        group(key).casesByState.push(r);

      for (const { key, count } of await rows<{ count: number }>(
        `SELECT ${k.c} AS key, count(*)::int AS count ${cases}
            AND c.status = ANY($6::text[]) AND c.promised_date < w.today GROUP BY 1`,
        [q.openStates],
      ))
        group(key).overdue = count;

      // A completed case's status is final: its last change is the completion.
      for (const { key, ...r } of await rows<PromiseMarginRow>(
        `SELECT ${k.c} AS key, c.hall_id::text AS "hallId", c.promised_date::text AS "promisedDate",
                (c.updated_at AT TIME ZONE w.zone)::date::text AS "completedOn", count(*)::int AS count
           ${cases} AND ${ofRange('c.created_at')} AND c.status = 'completed' AND c.promised_date IS NOT NULL
          GROUP BY 1, 2, 3, 4`,
      ))
        group(key).promise.push(r);

      // A bad rating's rectification is counted under the ratings, not as the hall's feedback.
      for (const { key, ...r } of await rows<{ kind: string; status: string; count: number }>(
        `SELECT ${k.f} AS key, f.kind, f.status, count(*)::int AS count
           FROM feedback f JOIN w ON w.hall_id = f.hall_id
          WHERE ${k.f} IS NOT NULL AND ${ofRange('f.created_at')} AND f.rating_id IS NULL GROUP BY 1, 2, 3`,
      ))
        group(key).feedbackByKindStatus.push(r);

      for (const { key, ...r } of await rows<{ level: number; count: number }>(
        `SELECT ${k.r} AS key, r.level, count(DISTINCT r.rating_id)::int AS count ${ratings}
          WHERE ${ofRange('r.at')} AND ${countedRatingSql('rating_id')} GROUP BY 1, 2`,
      ))
        group(key).ratingsByLevel.push(r);

      // Every 差评, with its rectification (the first feedback naming it) or its upheld appeal.
      for (const { key, ...r } of await rows<{ bad: number; rectified: number }>(
        `SELECT ${k.r} AS key, count(DISTINCT r.rating_id)::int AS bad,
                count(DISTINCT r.rating_id) FILTER (WHERE x.status = 'closed' OR a.status = 'upheld')::int
                  AS rectified
           ${ratings}
           LEFT JOIN rating_appeals a ON a.rating_id = r.rating_id
           LEFT JOIN LATERAL (SELECT f.status FROM feedback f WHERE f.rating_id = r.rating_id
                               ORDER BY f.created_at LIMIT 1) x ON true
          WHERE ${ofRange('r.at')} AND r.level <= $6 GROUP BY 1`,
        [q.badMax],
      ))
        Object.assign(group(key).rules, r);

      // Feedback that was answered (a return visit is then due) or was called back anyway.
      for (const { key, ...r } of await rows<{ revisitDue: number; revisited: number }>(
        `SELECT ${k.f} AS key, count(*)::int AS "revisitDue", count(*) FILTER (WHERE x.revisited)::int AS revisited
           FROM feedback f JOIN w ON w.hall_id = f.hall_id
           CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM return_visits rv
                                               WHERE rv.feedback_id = f.feedback_id AND rv.done_at IS NOT NULL)
                                      AS revisited) x
          WHERE ${k.f} IS NOT NULL AND ${ofRange('f.created_at')}
            AND (f.status IN ('resolved', 'closed') OR x.revisited)
          GROUP BY 1`,
      ))
        Object.assign(group(key).rules, r);
    });
    return new Map([...groups].map(([key, g]) => [key, groupCounts(g)]));
  },
};
