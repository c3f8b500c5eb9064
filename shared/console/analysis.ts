import { z } from 'zod';
import { isoDate } from '../api/methods/intake';
import type { StaffRole } from '../identity/staff';

/**
 * The cross-hall analysis of the console (`GET {CONSOLE_API}/analysis`): per hall and per department, the
 * figures of a range of hall days. How each figure is made from the hall dashboard's own statistics is in
 * `analysis-figures.ts`.
 */

/** The longest range: a year, leap day included. */
export const ANALYSIS_MAX_DAYS = 366;
/** The most halls one query names (a county's halls, with room to spare). */
export const ANALYSIS_MAX_HALLS = 200;

/** The days of [from, to], both ends counted. */
export const daysInRange = (from: string, to: string) =>
  Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;

/** Why a range is refused, as `params.reason` of its issue: the console words it in the person's language. */
export type AnalysisRangeReason = 'fromAfterTo' | 'tooLong';

/** Hall ids as a query string carries them: comma-separated. */
const hallIdList = z
  .string()
  .transform((s) => s.split(',').filter((id) => id !== ''))
  .pipe(z.array(z.uuid()).min(1).max(ANALYSIS_MAX_HALLS));

/** The query: both ends of the range (hall dates), and optionally the halls to compare (else all one may see). */
export const analysisQuerySchema = z
  .object({ from: isoDate, to: isoDate, hallIds: hallIdList.optional() })
  .strict()
  .superRefine((q, ctx) => {
    if (q.from > q.to) {
      const params = { reason: 'fromAfterTo' satisfies AnalysisRangeReason };
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'from must not be after to', params });
    } else if (daysInRange(q.from, q.to) > ANALYSIS_MAX_DAYS) {
      const params = { reason: 'tooLong' satisfies AnalysisRangeReason };
      ctx.addIssue({ code: 'custom', path: ['to'], message: `at most ${ANALYSIS_MAX_DAYS} days`, params });
    }
  });
/** The query as the console sends it (hall ids comma-separated). */
export type AnalysisQueryInput = z.input<typeof analysisQuerySchema>;
export type AnalysisQuery = z.infer<typeof analysisQuerySchema>;

const count = z.number().int().min(0);
/** A share from 0 to 1; null when there is nothing to share out (no rating, no 差评…). */
const rate = z.number().min(0).max(1).nullable();
const seconds = z.number().int().min(0).nullable();

export const analysisFiguresSchema = z.object({
  cases: z.object({
    /** Cases of the range the counters accepted (not those given a 一次性告知 or refused). */
    accepted: count,
    /** Cases of the range completed by now. */
    completed: count,
    /** Open cases past their promised date as of today, whatever the range (as the hall dashboard lists them). */
    overdue: count,
    /** Completed cases of the range with a promised date: what `daysAgainstPromise` averages. */
    timed: count,
    /**
     * Working days (the hall's calendar) between completion and the promised date, on average: positive when
     * finished before the promise, negative after it; one decimal. Null without a timed case.
     */
    daysAgainstPromise: z.number().nullable(),
  }),
  /** Tickets of the days the hall's hub archived (a department has none: queues are the hall's). */
  tickets: z
    .object({
      issued: count,
      served: count,
      /** Tickets called, whose wait is measured: from issue to the first call. */
      waited: count,
      avgWaitSeconds: seconds,
      p90WaitSeconds: seconds,
    })
    .nullable(),
  ratings: z.object({
    /** Ratings that count (an upheld appeal takes a rating out of the figures). */
    total: count,
    /** Of those, 非常满意, 满意 and 基本满意: not a 差评. */
    satisfied: count,
    satisfactionRate: rate,
    /** Every 差评 of the range (as the 好差评 figures count them: an upheld appeal is one way it was dealt with). */
    bad: count,
    /** 差评 whose rectification is closed, or whose appeal was upheld. */
    rectified: count,
    rectificationRate: rate,
  }),
  feedback: z.object({
    /** Complaints of the range (a 差评's rectification is counted under the ratings). */
    complaints: count,
    /** Feedback of the range that was answered (a return visit is then due) or called back anyway. */
    revisitDue: count,
    revisited: count,
    returnVisitRate: rate,
  }),
});
export type AnalysisFigures = z.infer<typeof analysisFiguresSchema>;

/** One line of a ranking: a hall (its code) or a department (code null) with its figures. */
export const analysisRowSchema = analysisFiguresSchema.extend({
  id: z.string(),
  code: z.string().nullable(),
  name: z.string(),
});
export type AnalysisRow = z.infer<typeof analysisRowSchema>;

export const analysisSchema = z.object({
  from: isoDate,
  to: isoDate,
  generatedAt: z.string(),
  /** Every hall asked for (or that the person may see), zeros included. */
  halls: z.array(analysisRowSchema),
  /** The departments of those halls: their cases, their feedback, and the ratings of visits with their cases. */
  departments: z.array(analysisRowSchema),
});
export type Analysis = z.infer<typeof analysisSchema>;

/** Who reads the analysis: the central roles (every hall) and the hall roles (their own halls). */
export const ANALYSIS_ROLES = [
  'leader_office',
  'central_admin',
  'leader',
  'hall_admin',
  'supervisor',
] as const satisfies readonly StaffRole[];
