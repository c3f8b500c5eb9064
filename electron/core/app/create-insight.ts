import type { Database } from 'better-sqlite3';
import { AppError, type TicketStats } from '@shared/api';
import type { Dispatch } from '../api/dispatch';
import { createInsightService, type CentralInsight } from '../services/insight-service';
import { createQueueInsightService } from '../services/queue-insight-service';
import { createIntakeInsightStore, createQueueInsightStore } from '../store/insight-store';

/**
 * Wires the hall dashboard: the queue's ticket statistics (served by whichever device holds the queue)
 * and the dashboard itself, which asks for them through the dispatcher so a hall hub answers.
 */
export function createInsight(deps: {
  db: Database;
  timeZone: () => string;
  dispatch: Dispatch;
  central: CentralInsight;
  hallDay: () => string;
  addWorkingDays: (from: string, days: number) => string;
  now: () => Date;
}) {
  const queue = createQueueInsightService({
    store: createQueueInsightStore(deps.db),
    timeZone: deps.timeZone,
    now: deps.now,
  });
  const dashboard = createInsightService({
    store: createIntakeInsightStore(deps.db),
    queueTickets: async (from, to, caller) => {
      const res = await deps.dispatch(caller, 'queue.insight.tickets', { from, to });
      if (!res.ok) throw new AppError(res.error.code, res.error.message, res.error.details);
      return res.value as TicketStats;
    },
    central: deps.central,
    timeZone: deps.timeZone,
    hallDay: deps.hallDay,
    addWorkingDays: deps.addWorkingDays,
    now: deps.now,
  });
  return { queue, dashboard };
}
