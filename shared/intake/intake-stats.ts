import type { IntakeStats } from '../api/methods/insight';
import { BAD_RATING_MAX, FEEDBACK_KINDS, FEEDBACK_STATUSES, RATING_LEVELS } from '../api/methods/feedback';
import { CASE_STATES, type CaseState } from './case-states';
import { startOfLocalDate } from '../queue/hall-day';

/** How many overdue cases the dashboard lists (the count of the rest is not needed to act on the first ones). */
export const OVERDUE_LIST_LIMIT = 200;

/**
 * The counts the intake statistics are made of, as a device's SQLite and central's PostgreSQL both read
 * them: cases, feedback and ratings of the range, its return visits (see `returnVisits`), and the cases
 * open past their promised date as of today (whatever the range, at most `OVERDUE_LIST_LIMIT`).
 */
export interface IntakeStatsRows {
  casesByState: readonly { state: string; count: number }[];
  /** Most cases first, then by matter code. */
  casesByMatter: readonly { matterCode: string; nameZh: string; nameEn: string; count: number }[];
  /** Earliest promised date first, then by case number. */
  overdue: readonly {
    caseNumber: string;
    matterNameZh: string;
    matterNameEn: string;
    state: string;
    promisedDate: string;
  }[];
  /** Feedback of the range except the rectifications that bad ratings open (those count under ratings). */
  feedbackByKindStatus: readonly { kind: string; status: string; count: number }[];
  /**
   * Return visits due in the range by their planned date (`scheduled`) and how many of those are done by
   * now (`scheduledDone`); `done`: those recorded within the range, whatever date they were planned for.
   */
  returnVisits: { scheduled: number; scheduledDone: number; done: number };
  /**
   * Ratings of the range that count (see `ratingCounts`): a rating whose appeal a supervisor upheld stays
   * on record but is left out of every figure, the rated clerk's and the hall's.
   */
  ratingsByLevel: readonly { level: number; count: number }[];
  /** Counted bad ratings of the range by the status of the rectification each one opened. */
  rectification: readonly { status: string; count: number }[];
}

/** The appeal decision that takes a rating out of the figures (申诉成立). */
export const APPEAL_UPHELD = 'upheld';
/**
 * Whether a rating counts in the figures: the one rule both SQL readers (device SQLite, central
 * PostgreSQL) apply in their WHERE, and the device's rating list shows.
 */
export const ratingCounts = (appealStatus: string | null | undefined): boolean => appealStatus !== APPEAL_UPHELD;
/**
 * The WHERE part of that rule for a ratings table aliased `r` whose id column is `idColumn`, over a
 * `rating_appeals` table with `rating_id` and `status` (the same names on the device and at central).
 */
export const countedRatingSql = (idColumn: string) =>
  `NOT EXISTS (SELECT 1 FROM rating_appeals ra WHERE ra.rating_id = r.${idColumn} AND ra.status = '${APPEAL_UPHELD}')`;

const nextDate = (date: string) => new Date(Date.parse(date) + 86_400_000).toISOString().slice(0, 10);

/** The instants (ISO, UTC) of the hall days [from, to] in `timeZone`: [start of from, start of the day after to). */
export function intakeRangeInstants(from: string, to: string, timeZone: string) {
  return {
    fromInstant: startOfLocalDate(from, timeZone).toISOString(),
    toInstant: startOfLocalDate(nextDate(to), timeZone).toISOString(),
  };
}

/** The dashboard's intake part from its counts: every state, kind, status and level listed, zeros included. */
export function intakeStatsOf(rows: IntakeStatsRows): IntakeStats {
  const states = new Map(rows.casesByState.map((r) => [r.state, r.count]));
  const levels = new Map(rows.ratingsByLevel.map((r) => [r.level, r.count]));
  const rectification = new Map(rows.rectification.map((r) => [r.status, r.count]));
  const byLevel = RATING_LEVELS.map((level) => ({ level, count: levels.get(level) ?? 0 }));
  const { scheduled, scheduledDone, done } = rows.returnVisits;

  return {
    cases: {
      total: [...states.values()].reduce((a, b) => a + b, 0),
      byMatter: rows.casesByMatter.map((r) => ({
        matterCode: r.matterCode,
        nameZh: r.nameZh,
        nameEn: r.nameEn,
        count: r.count,
      })),
      byStatus: CASE_STATES.map((state) => ({ state, count: states.get(state) ?? 0 })),
      overdue: rows.overdue.map((r) => ({
        caseNumber: r.caseNumber,
        matterNameZh: r.matterNameZh,
        matterNameEn: r.matterNameEn,
        state: r.state as CaseState,
        promisedDate: r.promisedDate,
      })),
    },
    feedback: {
      byKind: FEEDBACK_KINDS.map((kind) => {
        const mine = rows.feedbackByKindStatus.filter((r) => r.kind === kind);
        return {
          kind,
          total: mine.reduce((a, r) => a + r.count, 0),
          byStatus: FEEDBACK_STATUSES.map((status) => ({
            status,
            count: mine.find((r) => r.status === status)?.count ?? 0,
          })),
        };
      }),
      returnVisits: { scheduled, done, completionRate: scheduled ? scheduledDone / scheduled : null },
    },
    ratings: {
      total: byLevel.reduce((a, r) => a + r.count, 0),
      byLevel,
      rectification: FEEDBACK_STATUSES.map((status) => ({ status, count: rectification.get(status) ?? 0 })),
      badTotal: byLevel.filter((r) => r.level <= BAD_RATING_MAX).reduce((a, r) => a + r.count, 0),
    },
  };
}
