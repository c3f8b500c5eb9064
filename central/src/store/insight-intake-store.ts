import { inTransaction, type Db } from '../db/pool';
import { countedRatingSql, type IntakeStatsRows } from '@shared/intake/intake-stats';

/**
 * A matter's names: the newest catalog row of the hall or of every hall that still holds them. Devices
 * copy the names into each case when they accept it; central only has the code, hence the catalog. A
 * code the catalog never had is shown as itself.
 */
const MATTER_NAMES = `LEFT JOIN LATERAL (
    SELECT r.data->>'nameZh' AS name_zh, r.data->>'nameEn' AS name_en FROM ref_rows r
     WHERE r.kind = 'catalog.matter' AND r.id = c.matter_code AND r.hall_key IN ($1::uuid::text, '*')
       AND r.data ? 'nameZh'
     ORDER BY r.version DESC LIMIT 1) m ON true`;

/**
 * What the hall dashboard's intake part counts, over every device of one hall: the same rows a device's
 * own tables give (electron/core/store/insight-store.ts), as central stores them. Instants are ISO (UTC)
 * in [fromInstant, toInstant); dates are hall dates. Orders use byte order ("C"), as SQLite's do.
 */
export const insightIntakeStore = {
  async rows(
    db: Db,
    q: {
      hallId: string;
      fromInstant: string;
      toInstant: string;
      fromDate: string;
      toDate: string;
      today: string;
      openStates: readonly string[];
      badMax: number;
      overdueLimit: number;
    },
  ): Promise<IntakeStatsRows> {
    const range = [q.hallId, q.fromInstant, q.toInstant];
    // One snapshot, so the parts add up while counters push; one connection, so a dashboard never
    // holds more of the pool than a push does.
    return inTransaction(db, async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const casesByState = await tx.query<{ state: string; count: number }>(
        `SELECT status AS state, count(*) AS count FROM case_status
          WHERE hall_id = $1 AND created_at >= $2 AND created_at < $3 GROUP BY status`,
        range,
      );
      const casesByMatter = await tx.query<{ matterCode: string; nameZh: string; nameEn: string; count: number }>(
        `SELECT c.matter_code AS "matterCode", coalesce(m.name_zh, c.matter_code) AS "nameZh",
                coalesce(m.name_en, c.matter_code) AS "nameEn", c.count
           FROM (SELECT matter_code, count(*) AS count FROM case_status
                  WHERE hall_id = $1 AND created_at >= $2 AND created_at < $3 GROUP BY matter_code) c
           ${MATTER_NAMES}
          ORDER BY c.count DESC, c.matter_code COLLATE "C"`,
        range,
      );
      const overdue = await tx.query<IntakeStatsRows['overdue'][number]>(
        `SELECT c.case_number AS "caseNumber", coalesce(m.name_zh, c.matter_code) AS "matterNameZh",
                coalesce(m.name_en, c.matter_code) AS "matterNameEn", c.status AS state,
                c.promised_date::text AS "promisedDate"
           FROM case_status c ${MATTER_NAMES}
          WHERE c.hall_id = $1 AND c.status = ANY($2::text[]) AND c.promised_date < $3::date
          ORDER BY c.promised_date, c.case_number COLLATE "C" LIMIT $4`,
        [q.hallId, q.openStates, q.today, q.overdueLimit],
      );
      // A device's feedback is of channel 'rating' exactly when it names its rating (a CHECK there), and
      // central keeps the rating id, not the channel: the rectifications are the rows with a rating id.
      const feedbackByKindStatus = await tx.query<{ kind: string; status: string; count: number }>(
        `SELECT kind, status, count(*) AS count FROM feedback
          WHERE hall_id = $1 AND created_at >= $2 AND created_at < $3 AND rating_id IS NULL
          GROUP BY kind, status`,
        range,
      );
      // Due by the day planned, done by the day done: a visit done early counts on the day it was made.
      const returnVisits = await tx.query<IntakeStatsRows['returnVisits']>(
        `SELECT count(*) FILTER (WHERE rv.scheduled_for BETWEEN $2::date AND $3::date) AS scheduled,
                count(*) FILTER (WHERE rv.scheduled_for BETWEEN $2::date AND $3::date AND rv.done_at IS NOT NULL)
                  AS "scheduledDone",
                count(*) FILTER (WHERE rv.done_at >= $4 AND rv.done_at < $5) AS done
           FROM return_visits rv JOIN feedback f ON f.feedback_id = rv.feedback_id
          WHERE f.hall_id = $1
            AND (rv.scheduled_for BETWEEN $2::date AND $3::date OR (rv.done_at >= $4 AND rv.done_at < $5))`,
        [q.hallId, q.fromDate, q.toDate, q.fromInstant, q.toInstant],
      );
      const ratingsByLevel = await tx.query<{ level: number; count: number }>(
        `SELECT r.level, count(*) AS count FROM ratings r
          WHERE r.hall_id = $1 AND r.at >= $2 AND r.at < $3 AND ${countedRatingSql('rating_id')} GROUP BY r.level`,
        range,
      );
      const rectification = await tx.query<{ status: string; count: number }>(
        `SELECT f.status, count(*) AS count
           FROM ratings r JOIN feedback f ON f.rating_id = r.rating_id AND f.hall_id = r.hall_id
          WHERE r.hall_id = $1 AND r.at >= $2 AND r.at < $3 AND r.level <= $4 AND ${countedRatingSql('rating_id')}
          GROUP BY f.status`,
        [...range, q.badMax],
      );
      return {
        casesByState: casesByState.rows,
        casesByMatter: casesByMatter.rows,
        overdue: overdue.rows,
        feedbackByKindStatus: feedbackByKindStatus.rows,
        returnVisits: returnVisits.rows[0]!,
        ratingsByLevel: ratingsByLevel.rows,
        rectification: rectification.rows,
      };
    });
  },
};
