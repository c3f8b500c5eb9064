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
