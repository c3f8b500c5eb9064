import type { Database, Statement } from 'better-sqlite3';
import type { AheadCounts } from '../queue/ordering';
import { toTicket, type TicketRecord, type TicketRow } from './ticket-row';

/** Where the call order stands for a counter: how many wait for it, and since when the longest has. */
export interface WaitingSummary {
  total: number;
  oldestArrivedAt: string | null;
}

/** The call-order index's entries of one group (`prio` 1 or 0) of the ticket's queue, the ticket left out. */
const inGroup = (prio: string) => `FROM tickets INDEXED BY tickets_call_order
  WHERE hall_day = @hallDay AND queue_id = @queueId AND state = 'waiting' AND target_counter_id IS NULL
    AND (priority <> 'none') = ${prio} AND id <> @id`;

/** The tickets after the given one in its group, counted from the covering call-order index. */
const countAfter = (prio: string) =>
  `(SELECT COUNT(*) ${inGroup(prio)} AND (arrived_ms, seq, id) > (@arrivedMs, @seq, @id))`;

/**
 * The tickets before the given one in its group and not due, at most `cap` of them: a walk from the head of
 * the index that stops at the cap, however long the line. The cap is in the text (see `headsStatement`).
 */
const countBefore = (prio: string, cap: number) => `(SELECT COUNT(*) FROM (SELECT 1 ${inGroup(prio)}
  AND (arrived_ms, seq, id) < (@arrivedMs, @seq, @id)
  AND NOT (appt_start_ms > 0 AND appt_start_ms <= @nowMs AND @nowMs <= appt_end_ms) LIMIT ${cap}))`;

/** A limit written into a statement's text: a whole number, never input. */
const literalLimit = (n: number, what: string) => {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`${what}: bad limit ${n}`);
  return n;
};

/** Statements prepared the first time their shape (a limit, a number of queues) is asked for, then kept. */
function preparedByShape<S>() {
  const prepared = new Map<string, S>();
  return (shape: string, prepare: () => S): S => {
    let statement = prepared.get(shape);
    if (!statement) prepared.set(shape, (statement = prepare()));
    return statement;
  };
}

/** The due appointments of the ticket's queue (few) from their own index, and its group totals. */
const DUE_AND_TOTALS = `
  WITH due AS (
    SELECT appt_start_ms, (priority <> 'none') AS prio,
      (arrived_ms, seq, id) < (@arrivedMs, @seq, @id) AS arrived_before,
      (arrived_ms, seq, id) > (@arrivedMs, @seq, @id) AS arrived_after
    FROM tickets INDEXED BY tickets_due_order
    WHERE hall_day = @hallDay AND queue_id = @queueId AND state = 'waiting' AND target_counter_id IS NULL
      AND appt_start_ms > 0 AND appt_start_ms <= @nowMs AND @nowMs <= appt_end_ms AND id <> @id),
  counts AS (SELECT waiting_priority, waiting_regular FROM queue_day_seq WHERE hall_day = @hallDay AND queue_id = @queueId)
  SELECT
    (SELECT COUNT(*) FROM due) AS due,
    (SELECT COUNT(*) FROM due
      WHERE appt_start_ms < @apptStartMs OR (appt_start_ms = @apptStartMs AND arrived_before)) AS due_before,
    (SELECT COUNT(*) FROM due WHERE prio) AS due_prio,
    (SELECT COUNT(*) FROM due WHERE prio AND arrived_after) AS due_prio_after,
    (SELECT COUNT(*) FROM due WHERE NOT prio AND arrived_after) AS due_regular_after,
    coalesce((SELECT waiting_priority FROM counts), 0) - @selfPrio AS prio_all,
    coalesce((SELECT waiting_regular FROM counts), 0) - @selfRegular AS regular_all`;

interface AheadParams {
  hallDay: string;
  queueId: string;
  id: string;
  nowMs: number;
  apptStartMs: number;
  arrivedMs: number;
  seq: number;
  /** 1 when the ticket is itself counted in its queue's waiting priority (or regular) total. */
  selfPrio: number;
  selfRegular: number;
}

interface AheadRow {
  due: number;
  due_before: number;
  due_prio: number;
  due_prio_after: number;
  due_regular_after: number;
  prio_all: number;
  regular_all: number;
  prio_after: number;
  regular_after: number;
  prio_before: number;
  regular_before: number;
}

/**
 * The waiting tickets as "call next" and "people ahead" need them, none of it growing with the queue: each
 * group of the call order (ordering.ts) is read from the head of its own index (device migration 022), at most
 * `limit` rows, and the counts are SQLite's, never rows loaded into JavaScript.
 */
export function createWaitingQueries(db: Database) {
  /**
   * The head of each group of the call order within a scope: a queue's untargeted tickets or those transferred
   * to one counter. Due appointments by window start, the others by arrival with `prio` the call-order index's
   * own expression, so each walk is its index's order and stops at the limit.
   */
  const due = (scope: string, limit: number) => `SELECT * FROM tickets
      WHERE hall_day = @hallDay AND ${scope} AND state = 'waiting'
        AND appt_start_ms > 0 AND appt_start_ms <= @nowMs AND @nowMs <= appt_end_ms
      ORDER BY appt_start_ms, arrived_ms, seq, id LIMIT ${limit}`;
  const group = (scope: string, prio: 0 | 1, limit: number) => `SELECT * FROM tickets
      WHERE hall_day = @hallDay AND ${scope} AND state = 'waiting' AND (priority <> 'none') = ${prio}
        AND NOT (appt_start_ms > 0 AND appt_start_ms <= @nowMs AND @nowMs <= appt_end_ms)
      ORDER BY arrived_ms, seq, id LIMIT ${limit}`;
  /**
   * All the heads a counter calls from in one statement, one per number of queues and limit. Both are in its
   * text rather than bound: a bound LIMIT cost each group's read ~20 µs beyond its rows, and a counter reads
   * three groups per queue and three transferred, twice per "call next" (measured: 0.43 ms for its next ticket).
   */
  const heads = preparedByShape<Statement<[Record<string, string | number>], TicketRow>>();
  const headsStatement = (queues: number, limit: number) =>
    heads(`${queues}:${limit}`, () => {
      const scopes = [
        'target_counter_id = @counterId',
        ...Array.from({ length: queues }, (_, i) => `queue_id = @q${i} AND target_counter_id IS NULL`),
      ];
      const n = literalLimit(limit, 'call heads');
      const parts = scopes.flatMap((scope) => [due(scope, n), group(scope, 1, n), group(scope, 0, n)]);
      return db.prepare(parts.map((part) => `SELECT * FROM (${part})`).join('\nUNION ALL\n'));
    });
  const s = {
    // The total from the queue's day counts; the oldest from the head of each group of the call-order index.
    queueSummary: db.prepare<[{ hallDay: string; queueId: string }], { total: number; oldest: number | null }>(`
      SELECT coalesce((SELECT waiting_regular + waiting_priority FROM queue_day_seq
          WHERE hall_day = @hallDay AND queue_id = @queueId), 0) AS total,
        (SELECT min(head) FROM (${[1, 0]
          .map(
            (prio) => `SELECT (SELECT arrived_ms FROM tickets INDEXED BY tickets_call_order
              WHERE hall_day = @hallDay AND queue_id = @queueId AND state = 'waiting' AND target_counter_id IS NULL
                AND (priority <> 'none') = ${prio} ORDER BY arrived_ms LIMIT 1) AS head`,
          )
          .join(' UNION ALL ')})) AS oldest`),
    transferredSummary: db.prepare<[string, string], { total: number; oldest: number | null }>(`
      SELECT COUNT(*) AS total, MIN(arrived_ms) AS oldest FROM tickets
      WHERE hall_day = ? AND target_counter_id = ? AND state = 'waiting'`),
    /**
     * People ahead, counted without reading the line: the due appointments and the group totals (the queue's
     * day counts), and either the tickets after the ticket in its group (few for a ticket just issued, the
     * last of its group) or those before it up to a cap (few for a ticket near the head).
     */
    aheadFromTail: db.prepare<[AheadParams], AheadRow>(`${DUE_AND_TOTALS},
      ${countAfter('1')} AS prio_after, ${countAfter('0')} AS regular_after, 0 AS prio_before, 0 AS regular_before`),
  };
  const aheadFromHead = preparedByShape<Statement<[AheadParams], AheadRow>>();
  const aheadFromHeadStatement = (cap: number) =>
    aheadFromHead(String(cap), () => {
      const n = literalLimit(cap, 'people ahead');
      return db.prepare(`${DUE_AND_TOTALS},
        0 AS prio_after, 0 AS regular_after, ${countBefore('1', n)} AS prio_before,
        ${countBefore('0', n)} AS regular_before`);
    });

  return {
    /**
     * The first `limit` tickets of each group of the call order, for each of the counter's queues and those
     * transferred to it: the first `limit` of the whole order are among them (orderCandidates merges the
     * groups, each taken in its own order), however many wait.
     */
    callHeads(hallDay: string, queueIds: readonly string[], counterId: string, nowMs: number, limit: number) {
      const params: Record<string, string | number> = { hallDay, counterId, nowMs };
      queueIds.forEach((queueId, i) => (params[`q${i}`] = queueId));
      return headsStatement(queueIds.length, limit).all(params).map(toTicket);
    },
    /** How many tickets the counter may call (its queues' untargeted ones and those transferred to it). */
    waitingSummary(hallDay: string, queueIds: readonly string[], counterId: string): WaitingSummary {
      const parts = [
        s.transferredSummary.get(hallDay, counterId)!,
        ...queueIds.map((queueId) => s.queueSummary.get({ hallDay, queueId })!),
      ];
      const oldest = Math.min(...parts.map((p) => p.oldest ?? Infinity));
      return {
        total: parts.reduce((n, p) => n + p.total, 0),
        oldestArrivedAt: Number.isFinite(oldest) ? new Date(oldest).toISOString() : null,
      };
    },
    /**
     * The other waiting tickets of the ticket's queue, counted as `countAhead` needs them (ordering.ts). With
     * `cap`, each "before" count stops at it: exact while below it, and `countAhead` is then at least the cap
     * whenever a capped count mattered, so a result below the cap is exact (the SMS "near" check).
     */
    aheadCounts(t: TicketRecord, nowMs: number, cap?: number): AheadCounts {
      const counted = t.state === 'waiting' && t.targetCounterId === null;
      const prio = t.priority !== 'none';
      const params: AheadParams = {
        hallDay: t.hallDay,
        queueId: t.queueId,
        id: t.id,
        nowMs,
        apptStartMs: t.apptStartMs,
        arrivedMs: t.arrivedMs,
        seq: t.seq,
        selfPrio: counted && prio ? 1 : 0,
        selfRegular: counted && !prio ? 1 : 0,
      };
      const r = (cap === undefined ? s.aheadFromTail : aheadFromHeadStatement(cap)).get(params)!;
      const priority = r.prio_all - r.due_prio;
      const regular = r.regular_all - (r.due - r.due_prio);
      return {
        due: r.due,
        dueBefore: r.due_before,
        priority,
        priorityBefore: cap === undefined ? priority - (r.prio_after - r.due_prio_after) : r.prio_before,
        regular,
        regularBefore: cap === undefined ? regular - (r.regular_after - r.due_regular_after) : r.regular_before,
      };
    },
  };
}
