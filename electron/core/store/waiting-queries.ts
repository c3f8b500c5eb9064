import type { Database } from 'better-sqlite3';
import type { AheadCounts } from '../queue/ordering';
import { toTicket, type TicketRecord, type TicketRow } from './ticket-row';

/** Where the call order stands for a counter: how many wait for it, and since when the longest has. */
export interface WaitingSummary {
  total: number;
  oldestArrivedAt: string | null;
}

/** A count over one group (`prio` 1 or 0) of a queue's call-order index, the ticket itself left out. */
const groupCount = (prio: string, and: string) => `(
  SELECT COUNT(*) FROM tickets INDEXED BY tickets_call_order
  WHERE hall_day = @hallDay AND queue_id = @queueId AND state = 'waiting' AND target_counter_id IS NULL
    AND (priority <> 'none') = ${prio} AND id <> @id ${and})`;

/**
 * The waiting tickets as "call next" and "people ahead" need them, none of it growing with the queue: each
 * group of the call order (ordering.ts) is read from the head of its own index (device migration 022), at most
 * `limit` rows, and the counts are SQLite's, never rows loaded into JavaScript.
 */
export function createWaitingQueries(db: Database) {
  /**
   * One group's head within a scope: a queue's untargeted tickets (`queue_id = @key`) or those transferred to
   * one counter (`target_counter_id = @key`). Due appointments by window start, the others by arrival with
   * `prio` the index's own expression, so the walk is the index's order and stops at the limit.
   */
  const heads = (scope: string) => ({
    group: db.prepare<{ hallDay: string; key: string; prio: number; nowMs: number; limit: number }, TicketRow>(`
      SELECT * FROM tickets
      WHERE hall_day = @hallDay AND ${scope} AND state = 'waiting'
        AND (priority <> 'none') = @prio
        AND NOT (appt_start_ms > 0 AND appt_start_ms <= @nowMs AND @nowMs <= appt_end_ms)
      ORDER BY arrived_ms, seq, id LIMIT @limit`),
    due: db.prepare<{ hallDay: string; key: string; nowMs: number; limit: number }, TicketRow>(`
      SELECT * FROM tickets
      WHERE hall_day = @hallDay AND ${scope} AND state = 'waiting'
        AND appt_start_ms > 0 AND appt_start_ms <= @nowMs AND @nowMs <= appt_end_ms
      ORDER BY appt_start_ms, arrived_ms, seq, id LIMIT @limit`),
  });
  const queueHeads = heads('queue_id = @key AND target_counter_id IS NULL');
  const transferredHeads = heads('target_counter_id = @key');
  const s = {
    // Counted from the call-order index alone (it covers arrived_ms), one scope at a time.
    queueSummary: db.prepare<[string, string], { total: number; oldest: number | null }>(`
      SELECT COUNT(*) AS total, MIN(arrived_ms) AS oldest FROM tickets
      WHERE hall_day = ? AND queue_id = ? AND state = 'waiting' AND target_counter_id IS NULL`),
    transferredSummary: db.prepare<[string, string], { total: number; oldest: number | null }>(`
      SELECT COUNT(*) AS total, MIN(arrived_ms) AS oldest FROM tickets
      WHERE hall_day = ? AND target_counter_id = ? AND state = 'waiting'`),
    /**
     * People ahead, counted without reading the line: the due appointments (few) from their own index, each
     * group's count and the count of those after the ticket from the covering call-order index (INDEXED BY:
     * the planner would scan the table for a large group). "Before" is the group less those after and the
     * due ones, so a ticket just issued, the last of its group, walks no entries for it at all.
     */
    aheadCounts: db.prepare<
      [
        {
          hallDay: string;
          queueId: string;
          id: string;
          nowMs: number;
          apptStartMs: number;
          arrivedMs: number;
          seq: number;
        },
      ],
      {
        due: number;
        due_before: number;
        due_prio: number;
        due_prio_after: number;
        due_regular_after: number;
        prio_all: number;
        prio_after: number;
        regular_all: number;
        regular_after: number;
      }
    >(`
      WITH due AS (
        SELECT appt_start_ms, (priority <> 'none') AS prio,
          (arrived_ms, seq, id) < (@arrivedMs, @seq, @id) AS arrived_before,
          (arrived_ms, seq, id) > (@arrivedMs, @seq, @id) AS arrived_after
        FROM tickets INDEXED BY tickets_due_order
        WHERE hall_day = @hallDay AND queue_id = @queueId AND state = 'waiting' AND target_counter_id IS NULL
          AND appt_start_ms > 0 AND appt_start_ms <= @nowMs AND @nowMs <= appt_end_ms AND id <> @id)
      SELECT
        (SELECT COUNT(*) FROM due) AS due,
        (SELECT COUNT(*) FROM due
          WHERE appt_start_ms < @apptStartMs OR (appt_start_ms = @apptStartMs AND arrived_before)) AS due_before,
        (SELECT COUNT(*) FROM due WHERE prio) AS due_prio,
        (SELECT COUNT(*) FROM due WHERE prio AND arrived_after) AS due_prio_after,
        (SELECT COUNT(*) FROM due WHERE NOT prio AND arrived_after) AS due_regular_after,
        ${groupCount('1', '')} AS prio_all,
        ${groupCount('1', 'AND (arrived_ms, seq, id) > (@arrivedMs, @seq, @id)')} AS prio_after,
        ${groupCount('0', '')} AS regular_all,
        ${groupCount('0', 'AND (arrived_ms, seq, id) > (@arrivedMs, @seq, @id)')} AS regular_after`),
  };

  return {
    /**
     * The first `limit` tickets of each group of the call order, for each of the counter's queues and those
     * transferred to it: the first `limit` of the whole order are among them (orderCandidates merges the
     * groups, each taken in its own order), however many wait.
     */
    callHeads(hallDay: string, queueIds: readonly string[], counterId: string, nowMs: number, limit: number) {
      const rows: TicketRow[] = [];
      const take = (h: typeof queueHeads, key: string) => {
        rows.push(...h.due.all({ hallDay, key, nowMs, limit }));
        for (const prio of [1, 0]) rows.push(...h.group.all({ hallDay, key, prio, nowMs, limit }));
      };
      take(transferredHeads, counterId);
      for (const queueId of queueIds) take(queueHeads, queueId);
      return rows.map(toTicket);
    },
    /** How many tickets the counter may call (its queues' untargeted ones and those transferred to it). */
    waitingSummary(hallDay: string, queueIds: readonly string[], counterId: string): WaitingSummary {
      const parts = [
        s.transferredSummary.get(hallDay, counterId)!,
        ...queueIds.map((queueId) => s.queueSummary.get(hallDay, queueId)!),
      ];
      const oldest = Math.min(...parts.map((p) => p.oldest ?? Infinity));
      return {
        total: parts.reduce((n, p) => n + p.total, 0),
        oldestArrivedAt: Number.isFinite(oldest) ? new Date(oldest).toISOString() : null,
      };
    },
    /** The other waiting tickets of the ticket's queue, counted as `countAhead` needs them (ordering.ts). */
    aheadCounts(t: TicketRecord, nowMs: number): AheadCounts {
      const r = s.aheadCounts.get({ ...t, nowMs })!;
      const priority = r.prio_all - r.due_prio;
      const regular = r.regular_all - (r.due - r.due_prio);
      return {
        due: r.due,
        dueBefore: r.due_before,
        priority,
        priorityBefore: priority - (r.prio_after - r.due_prio_after),
        regular,
        regularBefore: regular - (r.regular_after - r.due_regular_after),
      };
    },
  };
}
