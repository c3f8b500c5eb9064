// Device database size: per 10,000 tickets (each issued, called, started and finished through the queue
// service) and per 10,000 cases (the offline intake backlog of the sync figure, before and after its
// catch-up), by table from dbstat. The limit is the part of it that holds the records themselves: for
// tickets, the ticket and event tables; for cases, everything but the command log and the outbox.
import { startQueueCore } from '../../tests/fixtures/queue-core';
import { growthPer, sizeByTable, type DbSize } from '../lib/dbstat';
import type { Backlog } from '../lib/intake-backlog';
import { ratio } from '../lib/stats';

const PER = 10_000;
const TICKET_TABLES = ['tickets', 'ticket_events', 'ticket_history', 'ticket_event_history'];
/** What is kept for retries and resends rather than as the hall's records. */
const OVERHEAD_TABLES = ['command_log', 'outbox'];

const sumOf = (tables: Record<string, number>, pick: (name: string) => boolean) =>
  +Object.entries(tables)
    .filter(([name]) => pick(name))
    .reduce((n, [, v]) => n + v, 0)
    .toFixed(1);

export async function ticketsDbSizeFigure(plan: { tickets: number }) {
  const q = await startQueueCore();
  try {
    const before = sizeByTable(q.db);
    q.signIn('w12');
    const clerk = q.clerk('w12');
    const queues = ['general', 'property', 'social', 'fund'];
    for (let i = 0; i < plan.tickets; i++) {
      q.issue(queues[i % queues.length]);
      const called = q.queue.callNext({ mutationId: q.m(), counterId: 'w12' }, clerk).current!;
      q.queue.start({ mutationId: q.m(), counterId: 'w12', ticketId: called.id }, clerk);
      q.queue.finish({ mutationId: q.m(), counterId: 'w12', ticketId: called.id }, clerk);
      q.advance(1000);
    }
    const growth = growthPer(before, sizeByTable(q.db), plan.tickets, PER);
    const records = sumOf(growth.tablesMB, (t) => TICKET_TABLES.includes(t));
    return {
      what: `device database growth per ${PER} tickets (measured over ${plan.tickets}, each issued, called, started, finished), by table with its indexes`,
      limitWhat: 'the ticket and ticket event tables (and their history copies) in the same file',
      value: { totalMB: growth.totalMB },
      limit: { recordsMB: records },
      ratio: ratio(growth.totalMB, records),
      goal: '<= 15 MB per 10,000 tickets',
      tablesMB: growth.tablesMB,
    };
  } finally {
    q.stop();
  }
}

function casesGrowth(empty: DbSize, now: DbSize, cases: number) {
  const growth = growthPer(empty, now, cases, PER);
  const records = sumOf(growth.tablesMB, (t) => !OVERHEAD_TABLES.includes(t));
  return { totalMB: growth.totalMB, recordsMB: records, tablesMB: growth.tablesMB };
}

export function casesDbSizeFigure(backlog: Backlog, afterCatchUp: DbSize | undefined) {
  const offline = casesGrowth(backlog.size.empty, backlog.size.offline, backlog.cases);
  const synced = afterCatchUp && casesGrowth(backlog.size.empty, afterCatchUp, backlog.cases);
  const shown = synced ?? offline;
  return {
    what: `device database growth per ${PER} cases (measured over ${backlog.cases} real intakes with their tickets), ${synced ? 'after the catch-up of the sync figure' : 'offline (no central to sync with)'}, by table`,
    limitWhat: `the same file without ${OVERHEAD_TABLES.join(' and ')}: the hall's records themselves`,
    value: { totalMB: shown.totalMB },
    limit: { recordsMB: shown.recordsMB },
    ratio: ratio(shown.totalMB, shown.recordsMB),
    goal: '<= 40 MB per 10,000 cases',
    offline,
    ...(synced ? { afterCatchUp: synced } : {}),
  };
}
