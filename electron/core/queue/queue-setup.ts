import type { Counter, HallClock, Queue, QueueSettings } from '@shared/api';
import { refuse, type QueueCommands } from './queue-commands';
import { publicCounter, publicSettings } from './queue-views';

/** The hall's queue rules and clock, and the queues and counters an administrator sets up. */
export function createQueueSetup(commands: QueueCommands) {
  const { store, bus, settings, today, ensureToday, queueOrThrow } = commands;
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
  };
}
