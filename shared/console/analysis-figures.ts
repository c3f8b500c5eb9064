import type { IntakeStats, TicketStats } from '../api/methods/insight';
import type { CalendarYear } from '../api/methods/intake';
import type { CaseState } from '../intake/case-states';
import type { AnalysisFigures } from './analysis';
import { workingDaysLeft } from './deadline';

/**
 * The analysis' figures of a hall or a department, made from what the hall dashboard's shared functions
 * answer (`intakeStatsOf`, `ticketStats`), the 好差评 rules' counts (as the console's rating figures count
 * them) and the working-day reckoning of deadlines (`workingDaysLeft`). Central feeds it the rows it holds;
 * fed a hall dashboard, it gives the same figures for the same data (the integration test compares them).
 */

/** States of a case the counter did not accept: still a draft, given a 一次性告知, or refused. */
export const NOT_ACCEPTED_STATES: readonly CaseState[] = ['draft', 'notice_issued', 'rejected'];

/** n of `of` as a share; null when `of` is 0. */
export const rateOf = (n: number, of: number): number | null => (of === 0 ? null : n / of);

/** Completed cases sharing a hall, a promised date and the hall date they were completed on. */
export interface PromiseMarginRow {
  hallId: string;
  promisedDate: string;
  completedOn: string;
  count: number;
}

export type PromiseFigures = Pick<AnalysisFigures['cases'], 'timed' | 'daysAgainstPromise'>;

/**
 * Working days from completion to the promise, on average over the cases, each by its hall's calendar
 * (`workingDaysLeft`, the reckoning the console and the hall colour deadlines by), to one decimal.
 */
export function promiseMargin(
  rows: readonly PromiseMarginRow[],
  calendarOf: (hallId: string) => readonly CalendarYear[],
): PromiseFigures {
  let timed = 0;
  let days = 0;
  for (const r of rows) {
    timed += r.count;
    days += r.count * workingDaysLeft(r.completedOn, r.promisedDate, calendarOf(r.hallId));
  }
  return { timed, daysAgainstPromise: timed === 0 ? null : Math.round((days / timed) * 10) / 10 };
}

/** The 好差评 rules' counts of the console's rating figures (`RatingFigures`), for one hall or department. */
export interface RatingRuleCounts {
  bad: number;
  rectified: number;
  revisitDue: number;
  revisited: number;
}

export function analysisFiguresOf(p: {
  intake: IntakeStats;
  /** Open cases past their promise as of today (the dashboard lists them: `intake.cases.overdue`). */
  overdue: number;
  promise: PromiseFigures;
  /** Null for a department: queues are the hall's. */
  tickets: TicketStats | null;
  rules: RatingRuleCounts;
}): AnalysisFigures {
  const { cases, ratings, feedback } = p.intake;
  const statusCount = (state: CaseState) => cases.byStatus.find((s) => s.state === state)?.count ?? 0;
  const satisfied = ratings.total - ratings.badTotal;
  return {
    cases: {
      accepted: cases.total - NOT_ACCEPTED_STATES.reduce((n, state) => n + statusCount(state), 0),
      completed: statusCount('completed'),
      overdue: p.overdue,
      ...p.promise,
    },
    tickets: p.tickets && {
      issued: p.tickets.totals.issued,
      served: p.tickets.totals.served,
      waited: p.tickets.wait.count,
      avgWaitSeconds: p.tickets.wait.avgSeconds,
      p90WaitSeconds: p.tickets.wait.p90Seconds,
    },
    ratings: {
      total: ratings.total,
      satisfied,
      satisfactionRate: rateOf(satisfied, ratings.total),
      bad: p.rules.bad,
      rectified: p.rules.rectified,
      rectificationRate: rateOf(p.rules.rectified, p.rules.bad),
    },
    feedback: {
      complaints: feedback.byKind.find((k) => k.kind === 'complaint')?.total ?? 0,
      revisitDue: p.rules.revisitDue,
      revisited: p.rules.revisited,
      returnVisitRate: rateOf(p.rules.revisited, p.rules.revisitDue),
    },
  };
}
