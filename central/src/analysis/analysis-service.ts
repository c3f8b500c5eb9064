import { BAD_RATING_MAX } from '@shared/api/methods/feedback';
import type { Analysis, AnalysisQuery, AnalysisRow } from '@shared/console/analysis';
import { analysisFiguresOf, promiseMargin } from '@shared/console/analysis-figures';
import { ticketStats, ticketFactOf } from '@shared/insight/ticket-stats';
import { OPEN_CASE_STATES } from '@shared/intake/case-states';
import { intakeRangeInstants, intakeStatsOf } from '@shared/intake/intake-stats';
import { localDate } from '@shared/queue/hall-day';
import type { StaffRecord } from '../identity/staff-store';
import type { Db } from '../db/pool';
import { scopeOf } from '../casework/console-access';
import { catalogStore } from '../casework/catalog-store';
import { HallCalendars, type CaseworkClock } from '../casework/hall-calendar';
import { hallStore, type Hall } from '../store/hall-store';
import { queueHistoryStore } from '../store/queue-history-store';
import { analysisStore, NO_COUNTS, type GroupCounts, type HallWindow } from './analysis-store';

/**
 * The ticket statistics of a hall over the days its hub archived here: the rows the hall dashboard's
 * central reading takes (routes/insight-tickets-route.ts) through the very function the hub uses. Only
 * the totals and the wait are shown, so the per-queue, per-counter and per-clerk lists are left out.
 */
async function hallTickets(db: Db, hall: Hall, q: AnalysisQuery, now: Date) {
  const tickets = await queueHistoryStore.tickets(db, hall.id, q.from, q.to);
  return ticketStats({
    from: q.from,
    to: q.to,
    timeZone: hall.timeZone,
    now,
    tickets: tickets.map((t) => ticketFactOf(t.ticket_id, t)),
    finishes: [],
    sessions: () => [],
    queues: [],
    counters: [],
    clerks: [],
  });
}

export function createAnalysisService(db: Db, clock: CaseworkClock) {
  return {
    /**
     * The figures of the halls asked for (all the person may see when none is named) and their
     * departments; FORBIDDEN when a hall named is not theirs or they may see none.
     */
    async analysis(actor: StaffRecord, q: AnalysisQuery): Promise<Analysis | 'FORBIDDEN'> {
      const scope = scopeOf(actor);
      const visible = (await hallStore.halls(db)).filter((h) => scope.all || scope.hallIds.includes(h.id));
      const halls = q.hallIds ? visible.filter((h) => q.hallIds!.includes(h.id)) : visible;
      if (visible.length === 0 || (q.hallIds && halls.length !== new Set(q.hallIds).size)) return 'FORBIDDEN';

      const now = clock.now();
      const windows: HallWindow[] = halls.map((h) => {
        const zone = h.timeZone;
        return {
          hallId: h.id,
          ...intakeRangeInstants(q.from, q.to, zone),
          today: localDate(now, zone),
          zone,
        };
      });
      const opts = { openStates: OPEN_CASE_STATES, badMax: BAD_RATING_MAX };
      const [byHall, byDepartment, holidays, departments] = await Promise.all([
        analysisStore.counts(db, 'hall', windows, opts),
        analysisStore.counts(db, 'department', windows, opts),
        catalogStore.holidays(db),
        catalogStore.departments(
          db,
          halls.map((h) => h.id),
        ),
      ]);
      const calendars = new HallCalendars(holidays, new Map(halls.map((h) => [h.id, h.timeZone])));
      const figures = (g: GroupCounts, tickets: Awaited<ReturnType<typeof hallTickets>> | null) =>
        analysisFiguresOf({
          intake: intakeStatsOf(g.intake),
          overdue: g.overdue,
          promise: promiseMargin(g.promise, (hallId) => calendars.of(hallId)),
          tickets,
          rules: g.rules,
        });

      const hallRows: AnalysisRow[] = [];
      // One hall's tickets at a time: a year of a busy hall is a few hundred thousand rows.
      for (const h of halls) {
        const tickets = await hallTickets(db, h, q, now);
        hallRows.push({ id: h.id, code: h.code, name: h.name, ...figures(byHall.get(h.id) ?? NO_COUNTS, tickets) });
      }
      // The live departments of the halls, and any other that has figures (one deleted since), by its id.
      const names = new Map(departments.map((d) => [d.id, d.nameZh]));
      for (const id of byDepartment.keys()) if (!names.has(id)) names.set(id, id);
      const departmentRows: AnalysisRow[] = [...names].map(([id, name]) => ({
        id,
        code: null,
        name,
        ...figures(byDepartment.get(id) ?? NO_COUNTS, null),
      }));

      return {
        from: q.from,
        to: q.to,
        generatedAt: now.toISOString(),
        halls: hallRows,
        departments: departmentRows,
      };
    },
  };
}
