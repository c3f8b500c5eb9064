import { INSIGHT_BUCKET_EDGES, type Histogram, type TicketStats } from '@shared/api';
import { localDate, localTime, startOfLocalDate } from '@shared/queue/hall-day';
import type { InsightTicketRow, QueueInsightStore } from '../store/insight-store';

const seconds = (fromIso: string, toIso: string) =>
  Math.max(0, Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 1000));

/** Nearest-rank percentile of sorted values. */
const percentile = (sorted: number[], p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;

export function histogram(values: number[]): Histogram {
  const sorted = [...values].sort((a, b) => a - b);
  const buckets = new Array<number>(INSIGHT_BUCKET_EDGES.length + 1).fill(0);
  for (const v of sorted) {
    const i = INSIGHT_BUCKET_EDGES.findIndex((edge) => v < edge);
    buckets[i === -1 ? INSIGHT_BUCKET_EDGES.length : i]! += 1;
  }
  const n = sorted.length;
  return {
    count: n,
    buckets,
    p50Seconds: n ? percentile(sorted, 0.5) : null,
    p90Seconds: n ? percentile(sorted, 0.9) : null,
    avgSeconds: n ? Math.round(sorted.reduce((a, b) => a + b, 0) / n) : null,
  };
}

/** Wait: from issue (or check-in, which issues the ticket) to the first call. */
const waitOf = (t: InsightTicketRow) => (t.first_called_at ? seconds(t.issued_at, t.first_called_at) : null);
/** Service: from the start of service to its finish, for tickets served. */
const serviceOf = (t: InsightTicketRow) =>
  t.state === 'done' && t.service_started_at && t.finished_at ? seconds(t.service_started_at, t.finished_at) : null;
const present = (v: number | null): v is number => v !== null;

const nextDate = (date: string) => new Date(Date.parse(date) + 86_400_000).toISOString().slice(0, 10);

/**
 * Seconds each clerk was signed in at a counter, per day of the range, overlapping sign-ins counted once.
 * A sign-in left open past its day (nobody signed out) counts until that clerk's last finished service of
 * the day; today's open sign-in counts until now.
 */
function onDutySeconds(
  from: string,
  to: string,
  tz: string,
  now: Date,
  sessions: QueueInsightStore['sessions'],
  lastFinish: Map<string, string>,
): Map<string, number> {
  const total = new Map<string, number>();
  const today = localDate(now, tz);
  for (let day = from; day <= to; day = nextDate(day)) {
    const dayStart = startOfLocalDate(day, tz).getTime();
    const dayEnd = startOfLocalDate(nextDate(day), tz).getTime();
    const spans = new Map<string, [number, number][]>();
    for (const s of sessions(new Date(dayStart).toISOString(), new Date(dayEnd).toISOString())) {
      const start = Math.max(Date.parse(s.signed_in_at), dayStart);
      const out = s.signed_out_at ? Date.parse(s.signed_out_at) : Infinity;
      const last = lastFinish.get(`${s.clerk_id}\u0000${day}`);
      const openEnd = day === today ? now.getTime() : last ? Date.parse(last) : start;
      const end = Math.min(out <= dayEnd ? out : openEnd, dayEnd);
      if (end > start) spans.set(s.clerk_id, [...(spans.get(s.clerk_id) ?? []), [start, end]]);
    }
    for (const [clerk, list] of spans) {
      let covered = 0;
      let reach = -Infinity;
      for (const [start, end] of list.sort((a, b) => a[0] - b[0])) {
        covered += Math.max(0, end - Math.max(start, reach));
        reach = Math.max(reach, end);
      }
      total.set(clerk, (total.get(clerk) ?? 0) + Math.round(covered / 1000));
    }
  }
  return total;
}

/**
 * Ticket statistics of a range of hall days, computed where the queue lives (the hub, or a standalone
 * device) from its live tickets and its history. A transfer's follow-up ticket counts as a call and a
 * service of its own, but not as an issued ticket.
 */
export function createQueueInsightService(deps: { store: QueueInsightStore; timeZone: () => string; now: () => Date }) {
  const { store } = deps;

  return {
    tickets(from: string, to: string): TicketStats {
      const tz = deps.timeZone();
      const rows = store.tickets(from, to);
      const hourOf = (iso: string) => Number(localTime(new Date(iso), tz).slice(0, 2));

      const perHour = Array.from({ length: 24 }, (_, hour) => ({ hour, issued: 0, called: 0, served: 0 }));
      for (const t of rows) {
        if (!t.parent_id) perHour[hourOf(t.issued_at)]!.issued += 1;
        if (t.first_called_at) perHour[hourOf(t.first_called_at)]!.called += 1;
        if (t.state === 'done' && t.finished_at) perHour[hourOf(t.finished_at)]!.served += 1;
      }
      const called = rows.filter((t) => t.first_called_at).length;
      const noShow = rows.filter((t) => t.state === 'no_show').length;

      const byQueue = store.queues().map((q) => {
        const mine = rows.filter((t) => t.queue_id === q.id);
        return {
          queueId: q.id,
          nameZh: q.name_zh,
          nameEn: q.name_en,
          issued: mine.filter((t) => !t.parent_id).length,
          served: mine.filter((t) => t.state === 'done').length,
          noShow: mine.filter((t) => t.state === 'no_show').length,
          wait: histogram(mine.map(waitOf).filter(present)),
          service: histogram(mine.map(serviceOf).filter(present)),
        };
      });
      const byCounter = store.counters().map((c) => {
        const mine = rows.filter((t) => t.counter_id === c.id);
        return {
          counterId: c.id,
          number: c.number,
          name: c.name,
          served: mine.filter((t) => t.state === 'done').length,
          wait: histogram(mine.map(waitOf).filter(present)),
          service: histogram(mine.map(serviceOf).filter(present)),
        };
      });

      const serviceById = new Map(rows.map((t) => [t.id, serviceOf(t)]));
      const clerkTotals = new Map<string, { served: number; serviceSeconds: number }>();
      const lastFinish = new Map<string, string>();
      for (const e of store.finishEvents(from, to)) {
        if (!e.clerk_id) continue;
        const total = clerkTotals.get(e.clerk_id) ?? { served: 0, serviceSeconds: 0 };
        total.served += 1;
        total.serviceSeconds += serviceById.get(e.ticket_id) ?? 0;
        clerkTotals.set(e.clerk_id, total);
        lastFinish.set(`${e.clerk_id}\u0000${e.hall_day}`, e.at);
      }
      const onDuty = onDutySeconds(from, to, tz, deps.now(), store.sessions.bind(store), lastFinish);
      const clerks = store
        .clerks()
        .filter((c) => clerkTotals.has(c.id) || onDuty.has(c.id))
        .map((c) => {
          const { served, serviceSeconds } = clerkTotals.get(c.id) ?? { served: 0, serviceSeconds: 0 };
          const onDutySeconds = onDuty.get(c.id) ?? 0;
          return {
            clerkId: c.id,
            name: c.name,
            served,
            avgServiceSeconds: served ? Math.round(serviceSeconds / served) : null,
            serviceSeconds,
            onDutySeconds,
            idleSeconds: Math.max(0, onDutySeconds - serviceSeconds),
          };
        });

      return {
        totals: {
          issued: rows.filter((t) => !t.parent_id).length,
          called,
          served: rows.filter((t) => t.state === 'done').length,
          noShow,
          noShowRate: called ? noShow / called : null,
        },
        perHour,
        wait: histogram(rows.map(waitOf).filter(present)),
        service: histogram(rows.map(serviceOf).filter(present)),
        byQueue,
        byCounter,
        clerks,
      };
    },
  };
}
export type QueueInsightService = ReturnType<typeof createQueueInsightService>;
