import { INSIGHT_BUCKET_EDGES, type Histogram, type TicketStats } from '../api/methods/insight';
import { localDate, localTime, startOfLocalDate } from '../queue/hall-day';

/**
 * The ticket statistics of a range of hall days, from the facts of its tickets: one computation for the
 * hub (its live queue and history) and central (the days the hub archived there), so both mean the same.
 */

/** One ticket of the range, with the instants the statistics are made of (ISO, UTC). */
export interface TicketFact {
  id: string;
  queueId: string;
  parentId: string | null;
  state: string;
  counterId: string | null;
  issuedAt: string;
  firstCalledAt: string | null;
  serviceStartedAt: string | null;
  finishedAt: string | null;
}

/** A ticket's statistics columns as the hub's SQLite and central's archive both name them. */
export interface TicketFactColumns {
  queue_id: string;
  parent_id: string | null;
  state: string;
  counter_id: string | null;
  issued_at: string;
  first_called_at: string | null;
  service_started_at: string | null;
  finished_at: string | null;
}

export const ticketFactOf = (id: string, r: TicketFactColumns): TicketFact => ({
  id,
  queueId: r.queue_id,
  parentId: r.parent_id,
  state: r.state,
  counterId: r.counter_id,
  issuedAt: r.issued_at,
  firstCalledAt: r.first_called_at,
  serviceStartedAt: r.service_started_at,
  finishedAt: r.finished_at,
});

/** A finished service with the clerk on duty at the counter. */
export interface FinishFact {
  ticketId: string;
  hallDay: string;
  at: string;
  clerkId: string;
}

/** A clerk's sign-in at a counter; open (null) while they are still signed in. */
export interface SessionFact {
  clerkId: string;
  signedInAt: string;
  signedOutAt: string | null;
}

export interface TicketStatsInput {
  from: string;
  to: string;
  timeZone: string;
  now: Date;
  tickets: readonly TicketFact[];
  finishes: readonly FinishFact[];
  /** Sessions overlapping [fromInstant, toInstant). */
  sessions: (fromInstant: string, toInstant: string) => readonly SessionFact[];
  /** The rows of the per-queue and per-counter tables, in the order shown, with or without tickets. */
  queues: readonly { id: string; nameZh: string; nameEn: string }[];
  counters: readonly { id: string; number: number | null; name: string }[];
  /** Clerks by name; those without a service or a sign-in in the range are left out. */
  clerks: readonly { id: string; name: string }[];
}

const QUARTER_HOUR_MS = 15 * 60_000;

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
const waitOf = (t: TicketFact) => (t.firstCalledAt ? seconds(t.issuedAt, t.firstCalledAt) : null);
/**
 * Service: from the start of service to its finish, for tickets served, and for those transferred while
 * in service (the time spent before the transfer was service all the same; the transfer ended it).
 */
const serviceOf = (t: TicketFact) =>
  (t.state === 'done' || t.state === 'transferred') && t.serviceStartedAt && t.finishedAt
    ? seconds(t.serviceStartedAt, t.finishedAt)
    : null;
const present = (v: number | null): v is number => v !== null;

export const nextDate = (date: string) => new Date(Date.parse(date) + 86_400_000).toISOString().slice(0, 10);

/** The instants a local date of the hall begins and ends: the window its sign-ins are counted in. */
export const localDayWindow = (date: string, timeZone: string) => ({
  from: startOfLocalDate(date, timeZone).toISOString(),
  to: startOfLocalDate(nextDate(date), timeZone).toISOString(),
});

/**
 * Seconds each clerk was signed in at a counter, per day of the range, overlapping sign-ins counted once.
 * A sign-in left open past its day (nobody signed out) counts until that clerk's last finished service of
 * the day; today's open sign-in counts until now.
 */
function onDutySeconds(input: TicketStatsInput, lastFinish: Map<string, string>): Map<string, number> {
  const { from, to, timeZone: tz, now } = input;
  const total = new Map<string, number>();
  const today = localDate(now, tz);
  for (let day = from; day <= to; day = nextDate(day)) {
    const window = localDayWindow(day, tz);
    const dayStart = Date.parse(window.from);
    const dayEnd = Date.parse(window.to);
    const spans = new Map<string, [number, number][]>();
    for (const s of input.sessions(window.from, window.to)) {
      const start = Math.max(Date.parse(s.signedInAt), dayStart);
      const out = s.signedOutAt ? Date.parse(s.signedOutAt) : Infinity;
      const last = lastFinish.get(`${s.clerkId}\u0000${day}`);
      const openEnd = day === today ? now.getTime() : last ? Date.parse(last) : start;
      const end = Math.min(out <= dayEnd ? out : openEnd, dayEnd);
      if (end > start) spans.set(s.clerkId, [...(spans.get(s.clerkId) ?? []), [start, end]]);
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
 * A transfer's follow-up ticket counts as a call and a service of its own, but not as an issued ticket.
 */
export function ticketStats(input: TicketStatsInput): TicketStats {
  const rows = input.tickets;
  // The hour of an instant by its UTC quarter hour: today's zone offsets, and the moments they change, are
  // all whole quarter hours, so a quarter hour has one local hour (one formatting, not one per instant).
  const hours = new Map<number, number>();
  const hourOf = (iso: string) => {
    const slot = Math.floor(Date.parse(iso) / QUARTER_HOUR_MS);
    let hour = hours.get(slot);
    if (hour === undefined) {
      hour = Number(localTime(new Date(slot * QUARTER_HOUR_MS), input.timeZone).slice(0, 2));
      hours.set(slot, hour);
    }
    return hour;
  };

  const perHour = Array.from({ length: 24 }, (_, hour) => ({ hour, issued: 0, called: 0, served: 0 }));
  for (const t of rows) {
    if (!t.parentId) perHour[hourOf(t.issuedAt)]!.issued += 1;
    if (t.firstCalledAt) perHour[hourOf(t.firstCalledAt)]!.called += 1;
    if (t.state === 'done' && t.finishedAt) perHour[hourOf(t.finishedAt)]!.served += 1;
  }
  const called = rows.filter((t) => t.firstCalledAt).length;
  const noShow = rows.filter((t) => t.state === 'no_show').length;

  // Each ticket's wait and service worked out once, for the totals, its queue, its counter and its clerk.
  const timed = rows.map((t) => ({ t, wait: waitOf(t), service: serviceOf(t) }));
  const groupBy = (key: (t: TicketFact) => string | null) => {
    const groups = new Map<string, typeof timed>();
    for (const x of timed) {
      const k = key(x.t);
      if (k === null) continue;
      const group = groups.get(k);
      if (group) group.push(x);
      else groups.set(k, [x]);
    }
    return (k: string) => groups.get(k) ?? [];
  };
  const waits = (xs: typeof timed) => histogram(xs.map((x) => x.wait).filter(present));
  const services = (xs: typeof timed) => histogram(xs.map((x) => x.service).filter(present));
  const count = (xs: typeof timed, holds: (t: TicketFact) => boolean) => xs.filter((x) => holds(x.t)).length;

  const ofQueue = groupBy((t) => t.queueId);
  const byQueue = input.queues.map((q) => {
    const mine = ofQueue(q.id);
    return {
      queueId: q.id,
      nameZh: q.nameZh,
      nameEn: q.nameEn,
      issued: count(mine, (t) => !t.parentId),
      served: count(mine, (t) => t.state === 'done'),
      noShow: count(mine, (t) => t.state === 'no_show'),
      wait: waits(mine),
      service: services(mine),
    };
  });
  const ofCounter = groupBy((t) => t.counterId);
  const byCounter = input.counters.map((c) => {
    const mine = ofCounter(c.id);
    return {
      counterId: c.id,
      number: c.number,
      name: c.name,
      served: count(mine, (t) => t.state === 'done'),
      wait: waits(mine),
      service: services(mine),
    };
  });

  const serviceById = new Map(timed.map((x) => [x.t.id, x.service]));
  const clerkTotals = new Map<string, { served: number; serviceSeconds: number }>();
  const lastFinish = new Map<string, string>();
  for (const e of input.finishes) {
    const total = clerkTotals.get(e.clerkId) ?? { served: 0, serviceSeconds: 0 };
    total.served += 1;
    total.serviceSeconds += serviceById.get(e.ticketId) ?? 0;
    clerkTotals.set(e.clerkId, total);
    const key = `${e.clerkId}\u0000${e.hallDay}`;
    const before = lastFinish.get(key);
    if (before === undefined || Date.parse(e.at) >= Date.parse(before)) lastFinish.set(key, e.at);
  }
  const onDuty = onDutySeconds(input, lastFinish);
  const clerks = input.clerks
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
      issued: rows.filter((t) => !t.parentId).length,
      called,
      served: rows.filter((t) => t.state === 'done').length,
      noShow,
      noShowRate: called ? noShow / called : null,
    },
    perHour,
    wait: waits(timed),
    service: services(timed),
    byQueue,
    byCounter,
    clerks,
  };
}
