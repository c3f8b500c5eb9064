import { AppError, type Dashboard, type IntakeStats, type ParsedInput, type TicketStats } from '@shared/api';
import { BAD_RATING_MAX, FEEDBACK_KINDS, FEEDBACK_STATUSES, RATING_LEVELS } from '@shared/api/methods/feedback';
import { CASE_STATES } from '@shared/intake/case-states';
import { startOfLocalDate } from '@shared/queue/hall-day';
import type { Caller } from '../api/caller';
import type { IntakeInsightStore } from '../store/insight-store';

/** How many overdue cases the dashboard lists (the count of the rest is not needed to act on the first ones). */
export const OVERDUE_LIST_LIMIT = 200;

const nextDate = (date: string) => new Date(Date.parse(date) + 86_400_000).toISOString().slice(0, 10);

/**
 * What central answers for the hall of this device; `undefined` when it cannot be asked or does not
 * answer in time (not enrolled, offline), so the dashboard falls back to what this device holds.
 */
export interface CentralInsight {
  intake(from: string, to: string, today: string): Promise<IntakeStats | undefined>;
  tickets(from: string, to: string): Promise<TicketStats | undefined>;
}

/**
 * The hall dashboard. Tickets: from the queue (asked through the dispatcher, so a hall hub answers for its
 * live day and its history), else from the days the hub archived to central. Cases, feedback and ratings:
 * from central, which holds every counter's, else from this device's own tables. A part nobody can answer
 * is left empty, never the whole dashboard.
 */
export function createInsightService(deps: {
  store: IntakeInsightStore;
  queueTickets: (from: string, to: string, caller: Caller) => Promise<TicketStats>;
  central: CentralInsight;
  timeZone: () => string;
  /** The queue's hall day: after the reset time, and never back when the PC clock is set back. */
  hallDay: () => string;
  now: () => Date;
}) {
  const { store, now } = deps;

  function localIntake(from: string, to: string, today: string, tz: string): IntakeStats {
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
  }

  async function tickets(from: string, to: string, caller: Caller) {
    try {
      return { stats: await deps.queueTickets(from, to, caller), source: 'hub' as const };
    } catch (e) {
      if (!(e instanceof AppError && e.code === 'UNAVAILABLE')) throw e;
    }
    const archived = await deps.central.tickets(from, to);
    return archived ? { stats: archived, source: 'central' as const } : { stats: null, source: null };
  }

  return {
    async dashboard(input: ParsedInput<'insight.dashboard'>, caller: Caller): Promise<Dashboard> {
      const tz = deps.timeZone();
      const at = now();
      const today = deps.hallDay();
      // One date given is a single day; none is today.
      const from = input.from ?? input.to ?? today;
      const to = input.to ?? from;

      const [queue, hallIntake] = await Promise.all([tickets(from, to, caller), deps.central.intake(from, to, today)]);
      const intake = hallIntake ?? localIntake(from, to, today, tz);

      return {
        from,
        to,
        timeZone: tz,
        generatedAt: at.toISOString(),
        live: from <= today && today <= to,
        sources: { tickets: queue.source, intake: hallIntake ? 'central' : 'local' },
        tickets: queue.stats,
        ...intake,
      };
    },
  };
}
export type InsightService = ReturnType<typeof createInsightService>;
