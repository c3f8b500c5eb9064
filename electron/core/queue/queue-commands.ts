import {
  AppError,
  COUNTER_VIEW_WAITING_LIMIT,
  type CounterView,
  type IssuedTicket,
  type Queue,
  type QueueSettings,
} from '@shared/api';
import { hallDay } from '@shared/queue/hall-day';
import { TICKET_NEAR_AHEAD } from '@shared/notices/notices';
import { nextState, type TicketAction } from '@shared/queue/ticket-states';
import type { Caller } from '../api/caller';
import type { EventBus } from '../api/event-bus';
import type { DayArchive } from './day-archive';
import type { TicketNotices } from './ticket-notices';
import { countAhead, groupOf, orderCandidates } from './ordering';
import { publicCounter, publicSettings, strip } from './queue-views';
import type { CounterRecord, QueueStore, TicketRecord } from '../store/queue-store';

export const DEFAULT_QUEUE_SETTINGS: QueueSettings = {
  timeZone: 'Asia/Shanghai',
  resetTime: '03:00',
  noShowAfterCalls: 2,
  noShowGraceSeconds: 60,
  priorityStreakLimit: 3,
  appointmentEarlyMinutes: 30,
  appointmentLateMinutes: 15,
};

/** A refused queue command: the code for the transport, the reason for the page to translate. */
export const refuse = (
  code: 'CONFLICT' | 'NOT_FOUND' | 'FORBIDDEN',
  reason: string,
  message: string,
  extra: object = {},
) => new AppError(code, message, { reason, ...extra });

/** The command log's note of a counter command: which counter's view a retry rebuilds. */
const COUNTER_VIEW = '$counterView';
/** The command log's note of an issued ticket: which ticket a retry answers with, as it stands then. */
const ISSUED_TICKET = '$issuedTicket';
/**
 * How long a command's answer stays in the log for a retry with the same mutation id: a client re-sends
 * for seconds (send-mutation.ts: three tries within 4 s) and a mutation id lives as long as one action on a
 * page, so a day is far past any retry. The reset prunes once a day, so an answer stays a day at least and
 * two at most: the log holds a day or two of commands, where a week's was most of it (a busy hall's
 * week of commands is some 10 MB).
 */
const COMMAND_RETRY_HORIZON_MS = 24 * 3600_000;

export interface QueueCommandDeps {
  store: QueueStore;
  bus: EventBus;
  now: () => Date;
  /** Reports the days the reset moves to history to central (through the outbox, in the same transaction). */
  dayArchive: Pick<DayArchive, 'report'>;
  /** The SMS a ticket's holder opted in to: asked of central in the transaction of the command that causes it. */
  ticketNotices: TicketNotices;
}

/**
 * What every part of the queue service shares: the hall day and its rollover, the command log that makes
 * a retried command act once, and the lookups and views the commands answer with.
 */
export function createQueueCommands(deps: QueueCommandDeps) {
  const { store, bus, now, ticketNotices } = deps;

  if (!store.settings()) store.putSettings(DEFAULT_QUEUE_SETTINGS);
  const settings = (): QueueSettings & { currentHallDay: string | null } => store.settings()!;
  // The hall day never goes back: a PC clock set back a day must not reopen a day already archived or
  // strand today's waiting tickets; the day moves on again once the clock passes the next reset.
  const today = () => {
    const s = settings();
    const day = hallDay(now(), s.timeZone, s.resetTime);
    return s.currentHallDay !== null && day < s.currentHallDay ? s.currentHallDay : day;
  };

  /** Moves earlier days to history when the hall day has changed; runs inside the caller's transaction. */
  function ensureToday(): { day: string; rolled: boolean } {
    const day = today();
    const s = settings();
    if (s.currentHallDay === day) return { day, rolled: false };
    deps.dayArchive.report(day, s.currentHallDay, s.timeZone, now());
    store.archiveBefore(day);
    ticketNotices.dayEnded(day);
    store.pruneCommandsBefore(new Date(now().getTime() - COMMAND_RETRY_HORIZON_MS).toISOString());
    store.setCurrentDay(day);
    return { day, rolled: true };
  }

  /**
   * One queue command: in one IMMEDIATE transaction, answered from the command log when the mutation id
   * was seen before, so a retried call (a lost answer, a hub restart) never acts twice. Events go out
   * only after the commit.
   */
  function command<T, A = T>(
    mutationId: string,
    method: string,
    fn: (emit: (e: () => void) => void, day: string) => T,
    opts: {
      /** The command changes no page's view of the queue (a reprint): no `queue.changed` for it. */
      quiet?: boolean;
      /** The answer built from what the log keeps, in the same transaction (first run and retry alike). */
      answer?: (kept: T) => A;
    } = {},
  ): A {
    const answer = opts.answer ?? ((kept: T) => kept as unknown as A);
    const pending: (() => void)[] = [];
    const result = store.transaction(() => {
      const seen = store.command(mutationId);
      if (seen) {
        if (seen.method !== method) throw new AppError('CONFLICT', 'mutation id already used by another command');
        return answer(JSON.parse(seen.result) as T);
      }
      const { day } = ensureToday();
      const value = fn((e) => pending.push(e), day);
      store.putCommand(mutationId, method, value, now().toISOString());
      if (!opts.quiet) {
        ticketNotices.queueMoved(day, aheadOfWaiting, now());
        pending.push(() => bus.publish('queue.changed', { hallDay: day }));
      }
      return answer(value);
    });
    for (const e of pending) e();
    return result;
  }

  /**
   * A command whose answer is rebuilt, not stored: the log keeps the id `fn` returns under `marker`, and a
   * retry answers with `answer(id)` as things are then. A row written before this keeps its whole answer.
   */
  function keptCommand<V>(
    marker: string,
    mutationId: string,
    method: string,
    fn: (emit: (e: () => void) => void, day: string) => string,
    answer: (id: string) => V,
  ): V {
    return command<Record<string, string> | V, V>(mutationId, method, (emit, day) => ({ [marker]: fn(emit, day) }), {
      answer: (kept) =>
        typeof kept === 'object' && kept !== null && marker in kept
          ? answer((kept as Record<string, string>)[marker]!)
          : (kept as V),
    });
  }

  /**
   * A counter command: it answers with the counter's view, and the log keeps the counter's id. Storing each
   * answer grew the log by megabytes a command with 5,000 waiting.
   */
  const counterCommand = (
    mutationId: string,
    method: string,
    fn: (emit: (e: () => void) => void, day: string) => string,
  ): CounterView => keptCommand(COUNTER_VIEW, mutationId, method, fn, counterView);

  /**
   * A command that issues a ticket: the log keeps the ticket's id, not its answer (a third of the log per
   * ticket). A first run answers from the ticket it just wrote; a retry reads the ticket as it is then.
   */
  const ticketCommand = (
    mutationId: string,
    method: string,
    fn: (emit: (e: () => void) => void, day: string) => TicketRecord,
  ): IssuedTicket => {
    let written: TicketRecord | undefined;
    return keptCommand(
      ISSUED_TICKET,
      mutationId,
      method,
      (emit, day) => (written = fn(emit, day)).id,
      (id) => issuedView(written?.id === id ? written : ticketOrThrow(id)),
    );
  };

  function queueOrThrow(id: string): Queue {
    const q = store.queue(id);
    if (!q) throw refuse('NOT_FOUND', 'UNKNOWN_QUEUE', `no queue "${id}"`);
    return q;
  }

  function ticketOrThrow(id: string): TicketRecord {
    const t = store.ticket(id);
    if (!t) throw refuse('NOT_FOUND', 'UNKNOWN_TICKET', 'no such ticket today');
    return t;
  }

  /** The counter, checked to be signed in from this very window/session/device. */
  function myCounter(counterId: string, caller: Caller): CounterRecord {
    const c = store.counter(counterId);
    if (!c) throw refuse('NOT_FOUND', 'UNKNOWN_COUNTER', `no counter "${counterId}"`);
    if (c.status === 'closed' || c.signedInOrigin !== caller.origin) {
      throw refuse('FORBIDDEN', 'NOT_SIGNED_IN', 'sign in at this counter first');
    }
    return c;
  }

  function transition(t: TicketRecord, action: TicketAction): TicketRecord {
    const to = nextState(t.state, action);
    if (!to) {
      throw refuse('CONFLICT', 'ILLEGAL_TRANSITION', `a ${t.state} ticket cannot be ${action}`, {
        from: t.state,
        action,
      });
    }
    return { ...t, state: to };
  }

  function record(
    t: TicketRecord,
    action: TicketAction | 'issue' | 'reprint',
    from: TicketRecord['state'] | null,
    counterId: string | null,
    caller: Caller,
    detail?: unknown,
  ) {
    return store.insertEvent({
      ticketId: t.id,
      hallDay: t.hallDay,
      action,
      fromState: from,
      toState: t.state,
      at: now().toISOString(),
      counterId,
      actor: caller.origin,
      detail,
    });
  }

  function measuredServiceSeconds(queueId: string, day: string): number | undefined {
    const k = store.serviceStats(day, queueId);
    return k.served >= 3 && k.avg_service ? k.avg_service : undefined;
  }

  function estimateMinutes(queue: Queue, peopleAhead: number, day: string): number {
    const perPerson = measuredServiceSeconds(queue.id, day) ?? queue.avgServiceSeconds;
    return Math.ceil((peopleAhead * perPerson) / Math.max(1, store.openCountersServing(queue.id)) / 60);
  }

  /** `cap`: see the store's `aheadCounts`; a result below it is exact, one at or above it means "at least". */
  const peopleAheadOf = (t: TicketRecord, cap?: number) =>
    countAhead(groupOf(t, now().getTime()), store.aheadCounts(t, now().getTime(), cap), settings().priorityStreakLimit);

  /**
   * For the SMS opt-ins, after every command: how near a ticket still waiting is, as its holder's kiosk page
   * counts it, exact up to the "near" distance and only "farther" beyond it, so a long line is not walked.
   */
  function aheadOfWaiting(ticketId: string) {
    const t = store.ticket(ticketId);
    return t && t.state === 'waiting' ? { number: t.number, ahead: peopleAheadOf(t, TICKET_NEAR_AHEAD + 1) } : null;
  }

  function issuedView(t: TicketRecord): IssuedTicket {
    const q = queueOrThrow(t.queueId);
    const peopleAhead = t.state === 'waiting' ? peopleAheadOf(t) : 0;
    return {
      ticket: strip(t),
      queueNameZh: q.nameZh,
      queueNameEn: q.nameEn,
      peopleAhead,
      estimatedWaitMinutes: estimateMinutes(q, peopleAhead, t.hallDay),
    };
  }

  /** The first `limit` tickets this counter may call, in the order "call next" takes them. */
  function callOrder(c: CounterRecord, day: string, limit: number): TicketRecord[] {
    const nowMs = now().getTime();
    return orderCandidates(store.callHeads(day, c.queueIds, c.id, nowMs, limit), {
      nowMs,
      priorityStreak: store.priorityStreak(day, c.id),
      priorityStreakLimit: settings().priorityStreakLimit,
    }).slice(0, limit);
  }

  function counterView(counterId: string): CounterView {
    const c = store.counter(counterId);
    if (!c) throw refuse('NOT_FOUND', 'UNKNOWN_COUNTER', `no counter "${counterId}"`);
    const day = today();
    const s = settings();
    const waiting = callOrder(c, day, COUNTER_VIEW_WAITING_LIMIT);
    const { total, oldestArrivedAt } = store.waitingSummary(day, c.queueIds, c.id);
    const current = c.currentTicketId ? store.ticket(c.currentTicketId) : undefined;
    return {
      counter: publicCounter(c),
      current: current ? strip(current) : null,
      waiting: waiting.map(strip),
      waitingTotal: total,
      oldestArrivedAt,
      noShows: store.noShowsIn(day, c.queueIds).map(strip),
      settings: publicSettings(s),
      serverTime: now().toISOString(),
    };
  }

  return {
    store,
    bus,
    now,
    ticketNotices,
    settings,
    today,
    ensureToday,
    command,
    counterCommand,
    ticketCommand,
    queueOrThrow,
    ticketOrThrow,
    myCounter,
    transition,
    record,
    estimateMinutes,
    peopleAheadOf,
    issuedView,
    callOrder,
    counterView,
  };
}
export type QueueCommands = ReturnType<typeof createQueueCommands>;
