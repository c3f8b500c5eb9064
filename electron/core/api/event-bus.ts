import { events, type EventName, type EventPayload } from '@shared/api';

export type EventListener = (name: EventName, payload: unknown) => void;

/** In-process fan-out of contract events to the transports, which filter by the listener's role. */
export function createEventBus() {
  const listeners = new Set<EventListener>();
  return {
    publish<E extends EventName>(name: E, payload: EventPayload<E>): void {
      const checked = events[name].payload.parse(payload);
      for (const listener of listeners) {
        try {
          listener(name, checked);
        } catch {
          // One broken listener (a closed socket, a destroyed window) must not stop the others.
        }
      }
    },
    subscribe(listener: EventListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
export type EventBus = ReturnType<typeof createEventBus>;
