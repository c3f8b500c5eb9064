import {
  AppError,
  type Dashboard,
  type HallReminders,
  type IntakeStats,
  type ParsedInput,
  type TicketStats,
} from '@shared/api';
import { BAD_RATING_MAX } from '@shared/api/methods/feedback';
import { FEEDBACK_DUE_SOON_DAYS } from '@shared/console/deadline';
import type { SupplementItem } from '@shared/intake/case-outcome';
import { OVERDUE_LIST_LIMIT, intakeRangeInstants, intakeStatsOf } from '@shared/intake/intake-stats';
import type { Caller } from '../api/caller';
import type { IntakeInsightStore } from '../store/insight-store';

/**
 * What central answers for the hall of this device; `undefined` when it cannot be asked or does not
 * answer in time (not enrolled, offline), so the dashboard falls back to what this device holds.
 */
export interface CentralInsight {
  intake(from: string, to: string, today: string): Promise<IntakeStats | undefined>;
  tickets(from: string, to: string): Promise<TicketStats | undefined>;
}

/** The most reminders of each kind the dashboard lists. */
export const REMINDER_LIMIT = 50;

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
  /** The hall calendar's working days, for what is due within one of them. */
  addWorkingDays: (from: string, days: number) => string;
  now: () => Date;
}) {
  const { store, now } = deps;

  /**
   * What to chase today, from this device's own records: central's escalation counts as much as the
   * hall's calendar, so an item central calls overdue is overdue here too.
   */
  function reminders(today: string): HallReminders {
    const soonLimit = deps.addWorkingDays(today, FEEDBACK_DUE_SOON_DAYS);
    return {
      feedback: store.feedbackDue(soonLimit, REMINDER_LIMIT).map((f) => ({
        feedbackId: f.id,
        number: f.number,
        kind: f.kind,
        category: f.category,
        status: f.status,
        rating: f.channel === 'rating',
        departmentNameZh: f.department_name_zh,
        departmentNameEn: f.department_name_en,
        dueDate: f.due_date,
        level: f.due_date < today || f.escalation === 'overdue' ? 'overdue' : 'due_soon',
      })),
      supplement: store.supplementCases(REMINDER_LIMIT).map((c) => ({
        caseNumber: c.case_number,
        matterNameZh: c.matter_name_zh,
        matterNameEn: c.matter_name_en,
        missing: (JSON.parse(c.missing) as SupplementItem[]).map((m) => m.name),
        since: c.updated_at,
      })),
    };
  }

  function localIntake(from: string, to: string, today: string, tz: string): IntakeStats {
    const { fromInstant, toInstant } = intakeRangeInstants(from, to, tz);
    return intakeStatsOf({
      casesByState: store.casesByState(fromInstant, toInstant),
      casesByMatter: store.casesByMatter(fromInstant, toInstant).map((r) => ({
        matterCode: r.matter_code,
        nameZh: r.name_zh,
        nameEn: r.name_en,
        count: r.count,
      })),
      overdue: store.overdueCases(today, OVERDUE_LIST_LIMIT).map((r) => ({
        caseNumber: r.case_number,
        matterNameZh: r.matter_name_zh,
        matterNameEn: r.matter_name_en,
        state: r.state,
        promisedDate: r.promised_date,
      })),
      feedbackByKindStatus: store.feedbackByKindStatus(fromInstant, toInstant),
      returnVisits: store.returnVisits({ fromDate: from, toDate: to, fromInstant, toInstant }),
      ratingsByLevel: store.ratingsByLevel(fromInstant, toInstant),
      rectification: store.rectification(fromInstant, toInstant, BAD_RATING_MAX),
    });
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
        reminders: reminders(today),
      };
    },
  };
}
export type InsightService = ReturnType<typeof createInsightService>;
