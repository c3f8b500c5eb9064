import { events, type EventName, type EventPayload } from '@shared/api';

export type EventListener = (name: EventName, payload: unknown) => void;

/** In-process fan-out of contract events to the transports, which filter by the listener's role. */
export function createEventBus() {
  const listeners = new Set<EventListener>();
  let held: (() => void)[] | undefined;

  function deliver(name: EventName, payload: unknown) {
    for (const listener of listeners) {
      try {
        listener(name, payload);
      } catch {
        // One broken listener (a closed socket, a destroyed window) must not stop the others.
      }
    }
  }

  return {
    publish<E extends EventName>(name: E, payload: EventPayload<E>): void {
      const checked = events[name].payload.parse(payload);
      if (held) held.push(() => deliver(name, checked));
      else deliver(name, checked);
    },
    subscribe(listener: EventListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /**
     * Runs `fn`, a synchronous SQLite transaction, holding back what it publishes until it has returned
     * (committed): a command that runs nested in it (a savepoint) would otherwise announce a change that
     * the outer transaction may still roll back. If `fn` throws, its events are dropped. Nested holds
     * leave the decision to the outermost.
     */
    hold<T>(fn: () => T): T {
      if (held) return fn();
      const queue: (() => void)[] = [];
      held = queue;
      let value: T;
      try {
        value = fn();
      } finally {
        held = undefined;
      }
      for (const e of queue) e();
      return value;
    },
  };
}
export type EventBus = ReturnType<typeof createEventBus>;
