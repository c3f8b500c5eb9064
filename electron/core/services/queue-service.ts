import crypto from 'node:crypto';
import {
  AppError,
  TICKET_REPRINT_LIMIT,
  type Counter,
  type CounterView,
  type EventPayload,
  type DisplayBoard,
  type HallClock,
  type IssuedTicket,
  type KioskQueue,
  type Queue,
  type QueueKpi,
  type QueueSettings,
} from '@shared/api';
import { hallDay, localTime } from '@shared/queue/hall-day';
import type { ApplicantType, PriorityClass } from '@shared/queue/priority';
import { formatTicketNumber } from '@shared/queue/ticket-number';
import { nextState, type TicketAction } from '@shared/queue/ticket-states';
import type { Person } from '@shared/identity/staff';
import type { Caller } from '../api/caller';
import type { EventBus } from '../api/event-bus';
import type { DayArchive } from '../queue/day-archive';
import type { TicketNotices } from '../queue/ticket-notices';
import { createCheckInGuard, newAppointmentCode } from '../queue/appointment-codes';
import { countAhead, groupOf, orderCandidates } from '../queue/ordering';
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
const refuse = (code: 'CONFLICT' | 'NOT_FOUND' | 'FORBIDDEN', reason: string, message: string, extra: object = {}) =>
  new AppError(code, message, { reason, ...extra });

/** The command log's note of a counter command: which counter's view a retry rebuilds. */
const COUNTER_VIEW = '$counterView';
/**
 * How long a command's answer stays in the log for a retry with the same mutation id: a client retries for
 * minutes at most (a lost answer, a hub restart); a week is far past that and keeps the log small.
 */
const COMMAND_RETRY_HORIZON_MS = 7 * 24 * 3600_000;

export function createQueueService(deps: {
  store: QueueStore;
  bus: EventBus;
  now: () => Date;
  /** Reports the days the reset moves to history to central (through the outbox, in the same transaction). */
  dayArchive: Pick<DayArchive, 'report'>;
  /** The SMS a ticket's holder opted in to: asked of central in the transaction of the command that causes it. */
  ticketNotices: TicketNotices;
  /** Checks a clerk's login and PIN (lockout and audit included); throws a typed refusal. */
  verifyPin(login: string, pin: string, origin: string, counterId: string): Person;
  /** Counters the calling PC may sign in at (its hub device entry, or this device's config); null: any. */
  boundCounters(caller: Caller): readonly string[] | null;
}) {
  const { store, bus, now, ticketNotices } = deps;
  const checkInGuard = createCheckInGuard(store, now);

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
  function command<T>(
    mutationId: string,
    method: string,
    fn: (emit: (e: () => void) => void, day: string) => T,
    /** The command changes no page's view of the queue (a reprint): no `queue.changed` for it. */
    opts: { quiet?: boolean } = {},
  ): T {
    const pending: (() => void)[] = [];
    const result = store.transaction(() => {
      const seen = store.command(mutationId);
      if (seen) {
        if (seen.method !== method) throw new AppError('CONFLICT', 'mutation id already used by another command');
        return JSON.parse(seen.result) as T;
      }
      const { day } = ensureToday();
      const value = fn((e) => pending.push(e), day);
      store.putCommand(mutationId, method, value, now().toISOString());
      if (!opts.quiet) {
        ticketNotices.queueMoved(day, aheadOfWaiting, now());
        pending.push(() => bus.publish('queue.changed', { hallDay: day }));
      }
      return value;
    });
    for (const e of pending) e();
    return result;
  }

  /**
   * A counter command: it answers with the counter's view (its whole waiting list), but the command log
   * keeps only the counter's id and a retry rebuilds the view as it is then. Storing each answer grew the
   * log by megabytes a command with 5,000 waiting. A row written before this keeps its whole view.
   */
  function counterCommand(
    mutationId: string,
    method: string,
    fn: (emit: (e: () => void) => void, day: string) => string,
  ): CounterView {
    const kept = command<{ [COUNTER_VIEW]: string } | CounterView>(mutationId, method, (emit, day) => ({
      [COUNTER_VIEW]: fn(emit, day),
    }));
    return COUNTER_VIEW in kept ? counterView(kept[COUNTER_VIEW]) : kept;
  }

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

  /** Closes counters whose clerk's sign-in ends without a sign-out; call inside a transaction. */
  function closeSignIns(counters: readonly CounterRecord[]) {
    for (const c of counters) {
      store.setCounterState(c.id, 'closed', null, null);
      store.logSession(c.id, null, now().toISOString());
    }
  }
  /** Tells the screen at a counter why its clerk's sign-in ended there. */
  const announceEnded = (
    counterId: string,
    staffId: string,
    reason: EventPayload<'queue.counter.ended'>['reason'],
    elsewhereCounterNumber: number | null = null,
  ) => bus.publish('queue.counter.ended', { counterId, staffId, reason, elsewhereCounterNumber });

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

  function openCountersServing(queueId: string): number {
    return store.counters().filter((c) => c.status === 'open' && c.queueIds.includes(queueId)).length;
  }

  function estimateMinutes(queue: Queue, peopleAhead: number, day: string): number {
    const perPerson = measuredServiceSeconds(queue.id, day) ?? queue.avgServiceSeconds;
    return Math.ceil((peopleAhead * perPerson) / Math.max(1, openCountersServing(queue.id)) / 60);
  }

  const peopleAheadOf = (t: TicketRecord) =>
    countAhead(groupOf(t, now().getTime()), store.aheadCounts(t, now().getTime()), settings().priorityStreakLimit);

  /** For the SMS opt-ins: how near a ticket still waiting is, as its holder's kiosk page counts it. */
  function aheadOfWaiting(ticketId: string) {
    const t = store.ticket(ticketId);
    return t && t.state === 'waiting' ? { number: t.number, ahead: peopleAheadOf(t) } : null;
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

  /** The queue's ticket hours against the hall's wall clock now. */
  function hoursOf(q: Queue): KioskQueue['hours'] {
    const t = localTime(now(), settings().timeZone);
    if (t < q.opensAt) return 'not_yet';
    return t < q.closesAt ? 'open' : 'over';
  }

  function isOpenNow(q: Queue): boolean {
    return q.active && hoursOf(q) === 'open';
  }

  function allocate(
    q: Queue,
    day: string,
    fields: {
      priority: PriorityClass;
      applicantType: ApplicantType;
      appointmentCode: string | null;
      apptStartMs: number;
      apptEndMs: number;
      holderHash: string | null;
    },
    caller: Caller,
  ): TicketRecord {
    if (store.issuedCount(day, q.id) >= q.dailyMax) {
      throw refuse('CONFLICT', 'DAILY_LIMIT_REACHED', `queue ${q.prefix} has issued its ${q.dailyMax} tickets today`);
    }
    const seq = store.nextSeq(day, q.id);
    const at = now().toISOString();
    const id = crypto.randomUUID();
    store.insertTicket({
      id,
      hallDay: day,
      queueId: q.id,
      seq,
      number: formatTicketNumber(q.prefix, seq),
      ...fields,
      arrivedAt: at,
      issuedAt: at,
      parentId: null,
      targetCounterId: null,
      reactivated: false,
    });
    const t = store.ticket(id)!;
    record(t, 'issue', null, null, caller, { appointmentCode: fields.appointmentCode });
    return t;
  }

  /** The tickets this counter may call, in the order "call next" takes them. */
  function callOrder(c: CounterRecord, day: string): TicketRecord[] {
    return orderCandidates(store.waitingFor(day, c.queueIds, c.id), {
      nowMs: now().getTime(),
      priorityStreak: store.priorityStreak(day, c.id),
      priorityStreakLimit: settings().priorityStreakLimit,
    });
  }

  function counterView(counterId: string): CounterView {
    const c = store.counter(counterId);
    if (!c) throw refuse('NOT_FOUND', 'UNKNOWN_COUNTER', `no counter "${counterId}"`);
    const day = today();
    const s = settings();
    const waiting = callOrder(c, day);
    const current = c.currentTicketId ? store.ticket(c.currentTicketId) : undefined;
    return {
      counter: publicCounter(c),
      current: current ? strip(current) : null,
      waiting: waiting.map(strip),
      noShows: store.noShowsIn(day, c.queueIds).map(strip),
      settings: publicSettings(s),
      serverTime: now().toISOString(),
    };
  }

  function callTicket(
    c: CounterRecord,
    t: TicketRecord,
    caller: Caller,
    detail: object | undefined,
    emit: (e: () => void) => void,
  ) {
    if (c.status === 'paused') throw refuse('CONFLICT', 'COUNTER_PAUSED', 'the counter is on a break');
    if (c.currentTicketId) {
      const cur = store.ticket(c.currentTicketId);
      if (cur && (cur.state === 'called' || cur.state === 'serving')) {
        throw refuse('CONFLICT', 'COUNTER_BUSY', `finish ${cur.number} first`, { current: cur.number });
      }
    }
    const at = now().toISOString();
    const called = { ...transition(t, 'call'), counterId: c.id, callCount: 1, firstCalledAt: at, lastCalledAt: at };
    store.updateTicket(called);
    store.setCounterCurrent(c.id, t.id);
    const callId = record(called, 'call', t.state, c.id, caller, detail);
    ticketNotices.called(t, c.number, now());
    emit(() =>
      bus.publish('queue.called', {
        callId,
        ticketId: t.id,
        ticketNumber: t.number,
        queueId: t.queueId,
        counterNumber: c.number,
        recall: false,
        at,
      }),
    );
  }

  /** A waiting ticket a counter may act on: in one of its queues, or transferred to it. */
  function assertServes(c: CounterRecord, t: TicketRecord): void {
    if (!c.queueIds.includes(t.queueId) && t.targetCounterId !== c.id) {
      throw refuse('CONFLICT', 'NOT_CALLABLE_HERE', 'this ticket belongs to a queue this counter does not serve');
    }
  }

  /** The counter's own current ticket, for recall/start/finish/no-show. */
  function currentOf(c: CounterRecord, ticketId: string): TicketRecord {
    const t = ticketOrThrow(ticketId);
    if (t.counterId !== c.id || c.currentTicketId !== t.id) {
      throw refuse('CONFLICT', 'NOT_THIS_COUNTER', `${t.number} is not being served at this counter`);
    }
    return t;
  }

  return {
    settings: () => publicSettings(settings()),
    /**
     * New rules apply at once: counters re-fetch their view (and its no-show rules) on the event, and a
     * changed time zone or reset time may start another hall day right away.
     */
    updateSettings(s: QueueSettings): QueueSettings {
      const { day } = store.transaction(() => {
        store.putSettings(s);
        return ensureToday();
      });
      bus.publish('queue.changed', { hallDay: day });
      return publicSettings(settings());
    },
    hallClock(): HallClock {
      const { timeZone, resetTime } = settings();
      return { timeZone, resetTime, hallDay: today() };
    },
    /**
     * On a device served by the hall hub, keeps the hub's zone and reset time as this device's own, so they
     * outlive a restart while the hub is down. Publishes nothing: the hub's queue events are relayed here.
     */
    adoptHallClock(c: Pick<HallClock, 'timeZone' | 'resetTime'>): void {
      const s = publicSettings(settings());
      if (s.timeZone === c.timeZone && s.resetTime === c.resetTime) return;
      store.transaction(() => {
        store.putSettings({ ...s, timeZone: c.timeZone, resetTime: c.resetTime });
        ensureToday();
      });
    },
    /**
     * The hall's zone as central holds it, on a device that keeps its own clock (the hub, a leader PC): a
     * new zone may start another hall day. Announced, so the devices the hub serves read its clock again.
     */
    adoptZone(timeZone: string): void {
      const s = publicSettings(settings());
      if (s.timeZone === timeZone) return;
      const { day } = store.transaction(() => {
        store.putSettings({ ...s, timeZone });
        return ensureToday();
      });
      bus.publish('queue.changed', { hallDay: day });
    },
    /** Daily reset: called on a timer and before every command; publishes when the day rolled. */
    rollover(): boolean {
      const { day, rolled } = store.transaction(() => ensureToday());
      if (rolled) bus.publish('queue.changed', { hallDay: day });
      return rolled;
    },
    today,

    kioskQueues(): KioskQueue[] {
      const day = today();
      return store
        .queues()
        .filter((q) => q.active)
        .map((q) => {
          const waiting = store.waitingCount(day, q.id);
          return {
            ...q,
            openNow: isOpenNow(q),
            hours: hoursOf(q),
            waiting,
            estimatedWaitMinutes: estimateMinutes(q, waiting, day),
            remainingToday: Math.max(0, q.dailyMax - store.issuedCount(day, q.id)),
          };
        });
    },

    /** `holderHash`: the applicant identified with their ID card (idcard/), as the keyed hash of the ID. */
    issue(
      input: { mutationId: string; queueId: string; applicantType: ApplicantType; priority: PriorityClass },
      caller: Caller,
      holderHash: string | null = null,
    ): IssuedTicket {
      return command(input.mutationId, 'queue.ticket.issue', (_emit, day) => {
        const q = queueOrThrow(input.queueId);
        if (!isOpenNow(q))
          throw refuse('CONFLICT', 'QUEUE_CLOSED', `queue ${q.prefix} is not open now`, {
            opensAt: q.opensAt,
            closesAt: q.closesAt,
          });
        if (!q.applicantTypes.includes(input.applicantType)) {
          throw refuse('CONFLICT', 'NOT_FOR_APPLICANT_TYPE', `queue ${q.prefix} does not serve ${input.applicantType}`);
        }
        const t = allocate(
          q,
          day,
          {
            priority: input.priority,
            applicantType: input.applicantType,
            appointmentCode: null,
            apptStartMs: 0,
            apptEndMs: 0,
            holderHash,
          },
          caller,
        );
        return issuedView(t);
      });
    },

    checkIn(
      input: { mutationId: string; code: string },
      caller: Caller,
      holderHash: string | null = null,
    ): IssuedTicket {
      const code = input.code.toUpperCase();
      const retryAt = checkInGuard.lockedUntil(caller);
      if (retryAt) {
        throw refuse('FORBIDDEN', 'CHECK_IN_LOCKED', 'too many wrong appointment codes from this device', { retryAt });
      }
      // Counted once the command's transaction has rolled back, which would take the count with it.
      let unknownCode = false;
      try {
        return command(input.mutationId, 'queue.appointment.checkIn', (_emit, day) => {
          const a = store.appointment(code);
          if (!a) {
            unknownCode = true;
            throw refuse('NOT_FOUND', 'UNKNOWN_APPOINTMENT', 'no appointment with this code');
          }
          if (a.ticket_id) {
            const existing = store.ticket(a.ticket_id);
            if (existing) return issuedView(existing);
          }
          const s = settings();
          const nowMs = now().getTime();
          const start = Date.parse(a.window_start);
          const end = Date.parse(a.window_end);
          if (nowMs < start - s.appointmentEarlyMinutes * 60_000) {
            throw refuse('CONFLICT', 'APPOINTMENT_TOO_EARLY', 'too early to check in', { windowStart: a.window_start });
          }
          if (nowMs > end + s.appointmentLateMinutes * 60_000) {
            throw refuse('CONFLICT', 'APPOINTMENT_EXPIRED', 'the appointment window has passed', {
              windowEnd: a.window_end,
            });
          }
          const q = queueOrThrow(a.queue_id);
          const t = allocate(
            q,
            day,
            {
              priority: 'none',
              applicantType: a.applicant_type as ApplicantType,
              appointmentCode: code,
              apptStartMs: start,
              apptEndMs: end + s.appointmentLateMinutes * 60_000,
              holderHash: holderHash ?? a.holder_hash,
            },
            caller,
          );
          store.setAppointmentTicket(code, t.id);
          return issuedView(t);
        });
      } finally {
        if (unknownCode) checkInGuard.wrongCode(caller);
      }
    },

    ticket: (ticketId: string) => issuedView(ticketOrThrow(ticketId)),

    /**
     * Counts one more kiosk print of a ticket, refusing past TICKET_REPRINT_LIMIT: the count is an event
     * row of the ticket, so neither a reload of the kiosk page nor a second kiosk gets round it.
     */
    reprint(input: { mutationId: string; ticketId: string }, caller: Caller) {
      return command(
        input.mutationId,
        'queue.ticket.reprint',
        () => {
          const t = ticketOrThrow(input.ticketId);
          const reprints = store.reprintCount(t.id);
          if (reprints >= TICKET_REPRINT_LIMIT) {
            throw refuse('CONFLICT', 'REPRINT_LIMIT', `${t.number} was printed again ${reprints} times already`, {
              limit: TICKET_REPRINT_LIMIT,
            });
          }
          record(t, 'reprint', t.state, null, caller);
          return { ticketId: t.id, reprints: reprints + 1, reprintsLeft: TICKET_REPRINT_LIMIT - reprints - 1 };
        },
        { quiet: true },
      );
    },
    /**
     * The holder of a waiting ticket gives a mobile number for its SMS notices (the kiosk's opt-in, after
     * the ticket printed). Quiet: no page shows it, and no other device learns of it.
     */
    smsOptIn(input: { mutationId: string; ticketId: string; phone: string }) {
      return command(
        input.mutationId,
        'queue.ticket.smsOptIn',
        () => {
          const t = ticketOrThrow(input.ticketId);
          if (t.state !== 'waiting') {
            throw refuse('CONFLICT', 'NOT_WAITING', `${t.number} is no longer waiting`, { state: t.state });
          }
          return ticketNotices.optIn(t, input.phone, peopleAheadOf(t), now());
        },
        { quiet: true },
      );
    },
    counters: (): Counter[] => store.counters().map(publicCounter),
    /**
     * A clerk opens a counter: the PC must be bound to it, the PIN right. A clerk holds one window at a
     * time, so their sign-in anywhere else ends, and that screen is told why.
     */
    signIn(input: { counterId: string; login: string; pin: string }, caller: Caller): CounterView & { person: Person } {
      const target = store.counter(input.counterId);
      if (!target) throw refuse('NOT_FOUND', 'UNKNOWN_COUNTER', `no counter "${input.counterId}"`);
      const bound = deps.boundCounters(caller);
      if (bound && !bound.includes(input.counterId)) {
        throw refuse('FORBIDDEN', 'COUNTER_NOT_BOUND', `this PC may not open counter ${target.number}`, {
          counterNumber: target.number,
        });
      }
      const person = deps.verifyPin(input.login, input.pin, caller.origin, input.counterId);
      // Whoever held this counter from another window is out: that screen is told by whom, not left failing.
      const replaced =
        target.status !== 'closed' && target.clerkId && target.clerkId !== person.staffId ? target.clerkId : null;
      let elsewhere: CounterRecord[] = [];
      store.transaction(() => {
        elsewhere = store.countersOfClerk(person.staffId).filter((c) => c.id !== input.counterId);
        closeSignIns(elsewhere);
        store.setCounterState(input.counterId, 'open', person.staffId, caller.origin);
        store.logSession(input.counterId, person.staffId, now().toISOString());
      });
      for (const c of elsewhere) announceEnded(c.id, person.staffId, 'signed_in_elsewhere', target.number);
      if (replaced) announceEnded(target.id, replaced, 'taken_over');
      bus.publish('queue.changed', { hallDay: today() });
      return { ...counterView(input.counterId), person };
    },

    /** A disabled account leaves every counter it held; the screens there say why. */
    endClerk(staffId: string) {
      const held = store.countersOfClerk(staffId);
      if (held.length === 0) return;
      store.transaction(() => closeSignIns(held));
      for (const c of held) announceEnded(c.id, staffId, 'account_disabled');
      bus.publish('queue.changed', { hallDay: today() });
    },

    signOut(input: { mutationId: string; counterId: string }, caller: Caller): Counter {
      return command(input.mutationId, 'queue.counter.signOut', () => {
        const c = myCounter(input.counterId, caller);
        const cur = c.currentTicketId ? store.ticket(c.currentTicketId) : undefined;
        if (cur && (cur.state === 'called' || cur.state === 'serving')) {
          throw refuse('CONFLICT', 'COUNTER_BUSY', `finish or transfer ${cur.number} first`, { current: cur.number });
        }
        store.setCounterState(c.id, 'closed', null, null);
        store.logSession(c.id, null, now().toISOString());
        store.setCounterCurrent(c.id, null);
        return publicCounter(store.counter(c.id)!);
      });
    },

    view(counterId: string, caller: Caller): CounterView {
      myCounter(counterId, caller);
      return counterView(counterId);
    },

    pause(input: { mutationId: string; counterId: string; paused: boolean }, caller: Caller): CounterView {
      return counterCommand(input.mutationId, 'queue.counter.pause', () => {
        const c = myCounter(input.counterId, caller);
        store.setCounterState(c.id, input.paused ? 'paused' : 'open', c.clerkId, c.signedInOrigin);
        return c.id;
      });
    },

    callNext(input: { mutationId: string; counterId: string }, caller: Caller): CounterView {
      return counterCommand(input.mutationId, 'queue.callNext', (emit, day) => {
        const c = myCounter(input.counterId, caller);
        const next = callOrder(c, day)[0];
        if (!next) throw refuse('NOT_FOUND', 'QUEUE_EMPTY', 'nobody is waiting');
        callTicket(c, next, caller, undefined, emit);
        return c.id;
      });
    },

    callSpecific(input: { mutationId: string; counterId: string; ticketId: string }, caller: Caller): CounterView {
      return counterCommand(input.mutationId, 'queue.callTicket', (emit, day) => {
        const c = myCounter(input.counterId, caller);
        const order = callOrder(c, day);
        const t = order.find((x) => x.id === input.ticketId);
        if (!t) throw refuse('CONFLICT', 'NOT_CALLABLE_HERE', 'this ticket is not waiting in a queue of this counter');
        // Logged as chosen by the clerk, with whom the hall's order would have called instead.
        const next = order[0]!;
        callTicket(c, t, caller, { specific: true, outOfOrder: next.id !== t.id, next: next.number }, emit);
        return c.id;
      });
    },

    recall(input: { mutationId: string; counterId: string; ticketId: string }, caller: Caller): CounterView {
      return counterCommand(input.mutationId, 'queue.recall', (emit) => {
        const c = myCounter(input.counterId, caller);
        const t = currentOf(c, input.ticketId);
        const at = now().toISOString();
        const recalled = { ...transition(t, 'recall'), callCount: t.callCount + 1, lastCalledAt: at };
        store.updateTicket(recalled);
        const callId = record(recalled, 'recall', t.state, c.id, caller, { callCount: recalled.callCount });
        emit(() =>
          bus.publish('queue.called', {
            callId,
            ticketId: t.id,
            ticketNumber: t.number,
            queueId: t.queueId,
            counterNumber: c.number,
            recall: true,
            at,
          }),
        );
        return c.id;
      });
    },

    start(input: { mutationId: string; counterId: string; ticketId: string }, caller: Caller): CounterView {
      return counterCommand(input.mutationId, 'queue.start', () => {
        const c = myCounter(input.counterId, caller);
        const t = currentOf(c, input.ticketId);
        const serving = transition(t, 'start');
        store.updateTicket(serving, { serviceStartedAt: now().toISOString() });
        record(serving, 'start', t.state, c.id, caller);
        return c.id;
      });
    },

    finish(input: { mutationId: string; counterId: string; ticketId: string }, caller: Caller): CounterView {
      return counterCommand(input.mutationId, 'queue.finish', () => {
        const c = myCounter(input.counterId, caller);
        const t = currentOf(c, input.ticketId);
        const done = transition(t, 'finish');
        store.updateTicket(done, { finishedAt: now().toISOString() });
        store.setCounterCurrent(c.id, null);
        // The clerk on duty, so the dashboard can count each clerk's services.
        record(done, 'finish', t.state, c.id, caller, { clerkId: c.clerkId });
        return c.id;
      });
    },

    noShow(input: { mutationId: string; counterId: string; ticketId: string }, caller: Caller): CounterView {
      return counterCommand(input.mutationId, 'queue.noShow', () => {
        const c = myCounter(input.counterId, caller);
        const t = currentOf(c, input.ticketId);
        const s = settings();
        const waitedMs = now().getTime() - Date.parse(t.firstCalledAt ?? now().toISOString());
        const secondsLeft = Math.max(0, Math.ceil(s.noShowGraceSeconds - waitedMs / 1000));
        if (t.state === 'called' && (t.callCount < s.noShowAfterCalls || secondsLeft > 0)) {
          throw refuse('CONFLICT', 'NO_SHOW_TOO_EARLY', 'call again or wait before marking a no-show', {
            callsNeeded: Math.max(0, s.noShowAfterCalls - t.callCount),
            secondsLeft,
          });
        }
        const gone = transition(t, 'no_show');
        store.updateTicket(gone);
        store.setCounterCurrent(c.id, null);
        record(gone, 'no_show', t.state, c.id, caller, { callCount: t.callCount });
        return c.id;
      });
    },

    reactivate(input: { mutationId: string; counterId: string; ticketId: string }, caller: Caller): CounterView {
      return counterCommand(input.mutationId, 'queue.reactivate', () => {
        const c = myCounter(input.counterId, caller);
        const t = ticketOrThrow(input.ticketId);
        if (t.reactivated) throw refuse('CONFLICT', 'ALREADY_REACTIVATED', `${t.number} was reactivated once already`);
        if (!c.queueIds.includes(t.queueId))
          throw refuse('CONFLICT', 'NOT_CALLABLE_HERE', 'this ticket belongs to a queue this counter does not serve');
        const back = { ...transition(t, 'reactivate'), reactivated: true, counterId: null };
        store.updateTicket(back);
        record(back, 'reactivate', t.state, c.id, caller);
        return c.id;
      });
    },

    cancel(input: { mutationId: string; counterId: string; ticketId: string }, caller: Caller): CounterView {
      return counterCommand(input.mutationId, 'queue.cancel', () => {
        const c = myCounter(input.counterId, caller);
        const t = ticketOrThrow(input.ticketId);
        assertServes(c, t);
        const cancelled = transition(t, 'cancel');
        store.updateTicket(cancelled);
        ticketNotices.ended(t.id);
        record(cancelled, 'cancel', t.state, c.id, caller);
        return c.id;
      });
    },

    transfer(
      input: { mutationId: string; counterId: string; ticketId: string; toQueueId?: string; toCounterId?: string },
      caller: Caller,
    ): CounterView {
      return counterCommand(input.mutationId, 'queue.transfer', () => {
        const c = myCounter(input.counterId, caller);
        const t = ticketOrThrow(input.ticketId);
        if ((t.state === 'called' || t.state === 'serving') && t.counterId !== c.id)
          throw refuse('CONFLICT', 'NOT_THIS_COUNTER', `${t.number} is at another counter`);
        if (t.state === 'waiting') assertServes(c, t);
        let queueId = t.queueId;
        let targetCounterId: string | null = null;
        if (input.toQueueId) {
          queueId = queueOrThrow(input.toQueueId).id;
        } else if (input.toCounterId) {
          const target = store.counter(input.toCounterId);
          if (!target) throw refuse('NOT_FOUND', 'UNKNOWN_COUNTER', `no counter "${input.toCounterId}"`);
          targetCounterId = target.id;
        }
        const moved = transition(t, 'transfer');
        const at = now().toISOString();
        // A service cut short by the transfer still took the clerk's time: it ends here, so the day's
        // service figures (and the clerk's) count it; the child ticket's service is measured on its own.
        const served = t.state === 'serving' && t.serviceStartedAt !== null;
        store.updateTicket(moved, served ? { finishedAt: at } : {});
        if (c.currentTicketId === t.id) store.setCounterCurrent(c.id, null);
        const childId = crypto.randomUUID();
        store.insertTicket({
          id: childId,
          hallDay: t.hallDay,
          queueId,
          seq: t.seq,
          number: t.number,
          priority: t.priority,
          applicantType: t.applicantType,
          appointmentCode: t.appointmentCode,
          apptStartMs: t.apptStartMs,
          apptEndMs: t.apptEndMs,
          arrivedAt: t.arrivedAt,
          issuedAt: now().toISOString(),
          parentId: t.id,
          targetCounterId,
          reactivated: t.reactivated,
          holderHash: t.holderHash,
        });
        record(moved, 'transfer', t.state, c.id, caller, {
          childId,
          toQueueId: input.toQueueId ?? null,
          toCounterId: input.toCounterId ?? null,
          ...(served
            ? {
                clerkId: c.clerkId,
                serviceSeconds: Math.max(0, Math.round((Date.parse(at) - Date.parse(t.serviceStartedAt!)) / 1000)),
              }
            : {}),
        });
        record(store.ticket(childId)!, 'issue', null, c.id, caller, { transferredFrom: t.id });
        ticketNotices.transferred(t.id, childId);
        return c.id;
      });
    },

    board(limit: number): Omit<DisplayBoard, 'settings'> {
      const day = today();
      const queues = new Map(store.queues().map((q) => [q.id, q]));
      return {
        hallDay: day,
        serverTime: now().toISOString(),
        calls: store.recentCalls(day, limit).map((r) => ({
          callId: r.id,
          ticketId: r.ticket_id,
          ticketNumber: r.number,
          queueId: r.queue_id,
          counterNumber: r.counter_number,
          recall: r.action === 'recall',
          at: r.at,
        })),
        tickets: store.recentCalledTickets(day, limit).map((r) => ({
          ticketId: r.ticket_id,
          ticketNumber: r.number,
          queueId: r.queue_id,
          counterNumber: r.counter_number,
          callId: r.id,
          at: r.at,
          recalls: r.recalls,
          noShow: r.state === 'no_show',
          state: r.state,
        })),
        counters: store.counters().flatMap((c) => {
          if (c.status === 'closed') return [];
          const t = c.currentTicketId ? store.ticket(c.currentTicketId) : undefined;
          const live = t && (t.state === 'called' || t.state === 'serving') ? t : undefined;
          return [
            {
              counterNumber: c.number,
              status: c.status,
              ticketNumber: live?.number ?? null,
              ticketState: live ? (live.state as 'called' | 'serving') : null,
              callId: live ? (store.latestCallId(live.id) ?? null) : null,
            },
          ];
        }),
        waiting: store.kpis(day, now().getTime()).flatMap((k) => {
          const q = queues.get(k.queue_id);
          return q && q.active
            ? [{ queueId: q.id, prefix: q.prefix, nameZh: q.nameZh, nameEn: q.nameEn, waiting: k.waiting }]
            : [];
        }),
      };
    },

    kpis(): QueueKpi[] {
      const queues = new Map(store.queues().map((q) => [q.id, q]));
      return store.kpis(today(), now().getTime()).flatMap((k) => {
        const q = queues.get(k.queue_id);
        return q
          ? [
              {
                queueId: q.id,
                prefix: q.prefix,
                nameZh: q.nameZh,
                nameEn: q.nameEn,
                waiting: k.waiting,
                issued: k.issued,
                served: k.served,
                noShows: k.no_shows,
                avgWaitSeconds: k.avg_wait,
                longestWaitSeconds: k.longest_wait,
                avgServiceSeconds: k.avg_service,
              },
            ]
          : [];
      });
    },

    allQueues: (): Queue[] => store.queues(),
    upsertQueue(q: Queue): Queue {
      store.transaction(() => {
        // The letter starts every ticket number of the queue: two queues with one letter would mix numbers.
        if (store.queues().some((other) => other.prefix === q.prefix && other.id !== q.id)) {
          throw refuse('CONFLICT', 'PREFIX_TAKEN', `prefix ${q.prefix} is another queue's`);
        }
        store.upsertQueue(q);
      });
      bus.publish('queue.changed', { hallDay: today() });
      return queueOrThrow(q.id);
    },
    upsertCounter(c: Pick<Counter, 'id' | 'number' | 'name' | 'queueIds'>): Counter {
      store.transaction(() => {
        for (const qid of c.queueIds) queueOrThrow(qid);
        // The display calls citizens to a counter by its number: it must say which one.
        if (store.counters().some((other) => other.number === c.number && other.id !== c.id)) {
          throw refuse('CONFLICT', 'NUMBER_TAKEN', `counter number ${c.number} is another counter's`);
        }
        store.upsertCounter(c);
      });
      // Counter pages and the display list counters: they re-fetch on this.
      bus.publish('queue.changed', { hallDay: today() });
      return publicCounter(store.counter(c.id)!);
    },
    /** `holderHash`: booked for this applicant (keyed hash of their ID), who may then check in by ID card. */
    createAppointment(
      a: { queueId: string; windowStart: string; windowEnd: string; applicantType: ApplicantType },
      holderHash: string | null = null,
    ) {
      queueOrThrow(a.queueId);
      if (Date.parse(a.windowEnd) <= Date.parse(a.windowStart)) {
        throw new AppError('INVALID_INPUT', 'windowEnd must be after windowStart', { reason: 'BAD_WINDOW' });
      }
      const code = newAppointmentCode();
      const windowStart = new Date(a.windowStart).toISOString();
      const windowEnd = new Date(a.windowEnd).toISOString();
      store.insertAppointment({
        code,
        queueId: a.queueId,
        applicantType: a.applicantType,
        windowStart,
        windowEnd,
        holderHash,
      });
      return { code, queueId: a.queueId, windowStart, windowEnd };
    },
  };
}
export type QueueService = ReturnType<typeof createQueueService>;

const publicCounter = (c: CounterRecord): Counter => ({
  id: c.id,
  number: c.number,
  name: c.name,
  queueIds: c.queueIds,
  status: c.status,
  clerkId: c.clerkId,
  clerkName: c.clerkName,
  currentTicketId: c.currentTicketId,
});

const publicSettings = (s: QueueSettings): QueueSettings => ({
  timeZone: s.timeZone,
  resetTime: s.resetTime,
  noShowAfterCalls: s.noShowAfterCalls,
  noShowGraceSeconds: s.noShowGraceSeconds,
  priorityStreakLimit: s.priorityStreakLimit,
  appointmentEarlyMinutes: s.appointmentEarlyMinutes,
  appointmentLateMinutes: s.appointmentLateMinutes,
});

function strip(t: TicketRecord) {
  return {
    id: t.id,
    number: t.number,
    queueId: t.queueId,
    hallDay: t.hallDay,
    state: t.state,
    priority: t.priority,
    applicantType: t.applicantType,
    appointmentCode: t.appointmentCode,
    arrivedAt: t.arrivedAt,
    issuedAt: t.issuedAt,
    parentId: t.parentId,
    targetCounterId: t.targetCounterId,
    counterId: t.counterId,
    callCount: t.callCount,
    firstCalledAt: t.firstCalledAt,
    lastCalledAt: t.lastCalledAt,
    reactivated: t.reactivated,
  };
}
