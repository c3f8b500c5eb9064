import type { CounterView } from '@shared/api';
import type { Caller } from '../api/caller';
import { refuse, type QueueCommands } from './queue-commands';
import { newTicketId } from './ticket-id';
import type { CounterRecord, TicketRecord } from '../store/queue-store';

/** A counter's work on its tickets: calling, recalling, serving, no-shows, cancelling and transfers. */
export function createCallFlow(commands: QueueCommands) {
  const {
    store,
    bus,
    now,
    ticketNotices,
    settings,
    counterCommand,
    queueOrThrow,
    ticketOrThrow,
    myCounter,
    transition,
    record,
    callOrder,
  } = commands;

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
    callNext(input: { mutationId: string; counterId: string }, caller: Caller): CounterView {
      return counterCommand(input.mutationId, 'queue.callNext', (emit, day) => {
        const c = myCounter(input.counterId, caller);
        const next = callOrder(c, day, 1)[0];
        if (!next) throw refuse('NOT_FOUND', 'QUEUE_EMPTY', 'nobody is waiting');
        callTicket(c, next, caller, undefined, emit);
        return c.id;
      });
    },

    callSpecific(input: { mutationId: string; counterId: string; ticketId: string }, caller: Caller): CounterView {
      return counterCommand(input.mutationId, 'queue.callTicket', (emit, day) => {
        const c = myCounter(input.counterId, caller);
        const t = store.ticket(input.ticketId);
        const callable =
          t?.state === 'waiting' &&
          t.hallDay === day &&
          (t.targetCounterId === null ? c.queueIds.includes(t.queueId) : t.targetCounterId === c.id);
        if (!callable)
          throw refuse('CONFLICT', 'NOT_CALLABLE_HERE', 'this ticket is not waiting in a queue of this counter');
        // Logged as chosen by the clerk, with whom the hall's order would have called instead.
        const next = callOrder(c, day, 1)[0]!;
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
        const childId = newTicketId(now());
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
  };
}
