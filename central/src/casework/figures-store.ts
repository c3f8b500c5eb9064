import { countedRatingSql } from '@shared/intake/intake-stats';
import type { Db } from '../db/pool';

/** One hall's part of the range: the instants (ISO, UTC) its own first and day-after-last dates begin at. */
export interface HallRange {
  hallId: string;
  fromInstant: string;
  toInstant: string;
}

/**
 * The 好差评 rules' counts over ratings given in these halls, each in its own [fromInstant, toInstant) (halls
 * count their days in their own zones). `ratings` leaves out the ratings whose appeal was upheld (kept on record, out of the figures, as
 * the hall dashboard counts them); `bad` is every 差评 of the range, because each one has to be dealt with,
 * and an upheld appeal is one way it was (it counts as rectified). SQL only.
 */
export const figuresStore = {
  async counts(db: Db, q: { ranges: readonly HallRange[]; badMax: number }) {
    const ranges = `unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) AS w(hall_id, from_at, to_at)`;
    const scope = `EXISTS (SELECT 1 FROM ${ranges} WHERE w.hall_id = r.hall_id AND r.at >= w.from_at AND r.at < w.to_at)`;
    const params = [
      q.ranges.map((w) => w.hallId),
      q.ranges.map((w) => w.fromInstant),
      q.ranges.map((w) => w.toInstant),
    ];
    const ratings = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ratings r WHERE ${scope} AND ${countedRatingSql('rating_id')}`,
      params,
    );
    // Each 差评 with its rectification (the feedback naming it) and whether someone called the applicant back.
    const bad = await db.query<{
      bad: number;
      rectified: number;
      namedBad: number;
      namedBadRevisited: number;
      appealsFiled: number;
      appealsUpheld: number;
    }>(
      `SELECT count(*)::int AS bad,
              count(*) FILTER (WHERE x.status = 'closed' OR a.status = 'upheld')::int AS rectified,
              count(*) FILTER (WHERE r.profile_id IS NOT NULL)::int AS "namedBad",
              count(*) FILTER (WHERE r.profile_id IS NOT NULL AND x.revisited)::int AS "namedBadRevisited",
              count(a.rating_id)::int AS "appealsFiled",
              count(*) FILTER (WHERE a.status = 'upheld')::int AS "appealsUpheld"
         FROM ratings r
         LEFT JOIN rating_appeals a ON a.rating_id = r.rating_id
         LEFT JOIN LATERAL (
           SELECT f.status, EXISTS (SELECT 1 FROM return_visits rv
                                     WHERE rv.feedback_id = f.feedback_id AND rv.done_at IS NOT NULL) AS revisited
             FROM feedback f WHERE f.rating_id = r.rating_id ORDER BY f.created_at LIMIT 1) x ON true
        WHERE ${scope} AND r.level <= $4`,
      [...params, q.badMax],
    );
    // Feedback of the range that was answered (a return visit is then due) or was called back anyway.
    const visits = await db.query<{ revisitDue: number; revisited: number }>(
      `SELECT count(*)::int AS "revisitDue", count(*) FILTER (WHERE x.revisited)::int AS revisited
         FROM feedback f
         CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM return_visits rv
                                             WHERE rv.feedback_id = f.feedback_id AND rv.done_at IS NOT NULL)
                                    AS revisited) x
        WHERE EXISTS (SELECT 1 FROM ${ranges}
                       WHERE w.hall_id = f.hall_id AND f.created_at >= w.from_at AND f.created_at < w.to_at)
          AND (f.status IN ('resolved', 'closed') OR x.revisited)`,
      params,
    );
    return { ratings: ratings.rows[0]!.n, ...bad.rows[0]!, ...visits.rows[0]! };
  },
};
