import { AppError, type Dashboard, type ParsedInput, type TicketStats } from '@shared/api';
import { BAD_RATING_MAX, FEEDBACK_KINDS, FEEDBACK_STATUSES, RATING_LEVELS } from '@shared/api/methods/feedback';
import { CASE_STATES } from '@shared/intake/case-states';
import { localDate, startOfLocalDate } from '@shared/queue/hall-day';
import type { Caller } from '../api/caller';
import type { IntakeInsightStore } from '../store/insight-store';

/** How many overdue cases the dashboard lists (the count of the rest is not needed to act on the first ones). */
const OVERDUE_LIST_LIMIT = 200;

const nextDate = (date: string) => new Date(Date.parse(date) + 86_400_000).toISOString().slice(0, 10);

/**
 * The hall dashboard: ticket statistics from the queue (asked through the dispatcher, so a hall hub
 * answers for its live day and its history) and the intake's cases, feedback and ratings from this
 * device's tables. A queue that cannot be reached leaves the ticket part empty, not the whole dashboard.
 */
export function createInsightService(deps: {
  store: IntakeInsightStore;
  queueTickets: (from: string, to: string, caller: Caller) => Promise<TicketStats>;
  timeZone: () => string;
  now: () => Date;
}) {
  const { store, now } = deps;

  return {
    async dashboard(input: ParsedInput<'insight.dashboard'>, caller: Caller): Promise<Dashboard> {
      const tz = deps.timeZone();
      const at = now();
      const today = localDate(at, tz);
      // One date given is a single day; none is today.
      const from = input.from ?? input.to ?? today;
      const to = input.to ?? from;

      let tickets: TicketStats | null;
      try {
        tickets = await deps.queueTickets(from, to, caller);
      } catch (e) {
        if (e instanceof AppError && e.code === 'UNAVAILABLE') tickets = null;
        else throw e;
      }

      const fromInstant = startOfLocalDate(from, tz).toISOString();
      const toInstant = startOfLocalDate(nextDate(to), tz).toISOString();

      const states = new Map(store.casesByState(fromInstant, toInstant).map((r) => [r.state, r.count]));
      const feedbackRows = store.feedbackByKindStatus(fromInstant, toInstant);
      const visits = store.returnVisits(from, to);
      const levels = new Map(store.ratingsByLevel(fromInstant, toInstant).map((r) => [r.level, r.count]));
      const rectification = new Map(
        store.rectification(fromInstant, toInstant, BAD_RATING_MAX).map((r) => [r.status, r.count]),
      );
      const byLevel = RATING_LEVELS.map((level) => ({ level, count: levels.get(level) ?? 0 }));

      return {
        from,
        to,
        timeZone: tz,
        generatedAt: at.toISOString(),
        live: from <= today && today <= to,
        tickets,
        cases: {
          total: [...states.values()].reduce((a, b) => a + b, 0),
          byMatter: store.casesByMatter(fromInstant, toInstant).map((r) => ({
            matterCode: r.matter_code,
            nameZh: r.name_zh,
            nameEn: r.name_en,
            count: r.count,
          })),
          byStatus: CASE_STATES.map((state) => ({ state, count: states.get(state) ?? 0 })),
          overdue: store.overdueCases(today, OVERDUE_LIST_LIMIT).map((r) => ({
            caseNumber: r.case_number,
            matterNameZh: r.matter_name_zh,
            matterNameEn: r.matter_name_en,
            state: r.state as (typeof CASE_STATES)[number],
            promisedDate: r.promised_date,
          })),
        },
        feedback: {
          byKind: FEEDBACK_KINDS.map((kind) => {
            const mine = feedbackRows.filter((r) => r.kind === kind);
            return {
              kind,
              total: mine.reduce((a, r) => a + r.count, 0),
              byStatus: FEEDBACK_STATUSES.map((status) => ({
                status,
                count: mine.find((r) => r.status === status)?.count ?? 0,
              })),
            };
          }),
          returnVisits: {
            scheduled: visits.scheduled,
            done: visits.done,
            completionRate: visits.scheduled ? visits.done / visits.scheduled : null,
          },
        },
        ratings: {
          total: byLevel.reduce((a, r) => a + r.count, 0),
          byLevel,
          rectification: FEEDBACK_STATUSES.map((status) => ({ status, count: rectification.get(status) ?? 0 })),
          badTotal: byLevel.filter((r) => r.level <= BAD_RATING_MAX).reduce((a, r) => a + r.count, 0),
        },
      };
    },
  };
}
export type InsightService = ReturnType<typeof createInsightService>;
