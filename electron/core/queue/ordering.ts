import type { PriorityClass } from '@shared/queue/priority';

/** What "call next" needs to know about a waiting ticket. */
export interface Candidate {
  id: string;
  priority: PriorityClass;
  /** Appointment window in epoch ms; 0/0 for a walk-in. */
  apptStartMs: number;
  apptEndMs: number;
  arrivedMs: number;
  seq: number;
}

export interface OrderContext {
  nowMs: number;
  /** Priority tickets this counter called in a row most recently. */
  priorityStreak: number;
  priorityStreakLimit: number;
}

const isAppointmentDue = (c: Candidate, nowMs: number) =>
  c.apptStartMs > 0 && c.apptStartMs <= nowMs && nowMs <= c.apptEndMs;
const isPriority = (c: Candidate) => c.priority !== 'none';

/** Arrival order; the daily sequence breaks ties so the order is total and never depends on row order. */
const byArrival = (a: Candidate, b: Candidate) => a.arrivedMs - b.arrivedMs || a.seq - b.seq || (a.id < b.id ? -1 : 1);

/**
 * The hall's order for "call next" (DOMAIN.md): checked-in appointments inside their window first (by
 * window start), then declared priority classes, then everyone by arrival. After `priorityStreakLimit`
 * priority calls in a row, the longest-waiting regular ticket goes next so nobody starves.
 */
export function orderCandidates<T extends Candidate>(candidates: readonly T[], ctx: OrderContext): T[] {
  const due = candidates
    .filter((c) => isAppointmentDue(c, ctx.nowMs))
    .sort((a, b) => a.apptStartMs - b.apptStartMs || byArrival(a, b));
  const rest = candidates.filter((c) => !isAppointmentDue(c, ctx.nowMs));
  const priority = rest.filter(isPriority).sort(byArrival);
  const regular = rest.filter((c) => !isPriority(c)).sort(byArrival);

  const ordered = [...due];
  let streak = ctx.priorityStreak;
  let p = 0;
  let r = 0;
  while (p < priority.length || r < regular.length) {
    const regularTurn = r < regular.length && (p >= priority.length || streak >= ctx.priorityStreakLimit);
    if (regularTurn) {
      ordered.push(regular[r++]!);
      streak = 0;
    } else {
      ordered.push(priority[p++]!);
      streak += 1;
    }
  }
  return ordered;
}

/** Where a waiting ticket stands in the call order's three groups (see orderCandidates). */
export type OrderGroup = 'due' | 'priority' | 'regular';
export const groupOf = (c: Candidate, nowMs: number): OrderGroup =>
  isAppointmentDue(c, nowMs) ? 'due' : isPriority(c) ? 'priority' : 'regular';

/**
 * The other waiting tickets of a queue, counted by group and by whether each comes before a given ticket
 * within its group (due appointments by window start then arrival, the others by arrival): all that
 * "people ahead" needs, counted by the store without loading the queue (queue-store `aheadCounts`).
 */
export interface AheadCounts {
  due: number;
  dueBefore: number;
  priority: number;
  priorityBefore: number;
  regular: number;
  regularBefore: number;
}

/**
 * How many tickets "call next" takes before a ticket of `group`: its place in `orderCandidates` over the
 * waiting tickets of its queue, from counts alone. No counter has called it yet, so no counter's priority
 * streak applies: the order starts from a streak of none, and so takes `limit` priority tickets before each
 * regular one while both last.
 */
export function countAhead(group: OrderGroup, n: AheadCounts, priorityStreakLimit: number): number {
  if (group === 'due') return n.dueBefore;
  if (group === 'priority') {
    const regularsFirst = priorityStreakLimit > 0 ? Math.floor(n.priorityBefore / priorityStreakLimit) : n.regular;
    return n.due + n.priorityBefore + Math.min(n.regular, regularsFirst);
  }
  return n.due + n.regularBefore + Math.min(n.priority, priorityStreakLimit * (n.regularBefore + 1));
}
