import type { Counter, CounterView, EventPayload } from '@shared/api';
import type { Person } from '@shared/identity/staff';
import type { Caller } from '../api/caller';
import { refuse, type QueueCommands } from './queue-commands';
import { publicCounter } from './queue-views';
import type { CounterRecord } from '../store/queue-store';

/** Clerks at counters: signing in and out, breaks, and the end of a sign-in made elsewhere. */
export function createCounterSessions(
  commands: QueueCommands,
  deps: {
    /** Checks a clerk's login and PIN (lockout and audit included); throws a typed refusal. */
    verifyPin(login: string, pin: string, origin: string, counterId: string): Person;
    /** Counters the calling PC may sign in at (its hub device entry, or this device's config); null: any. */
    boundCounters(caller: Caller): readonly string[] | null;
  },
) {
  const { store, bus, now, today, command, counterCommand, myCounter, counterView } = commands;

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

  return {
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
  };
}
