import type { HallClock, Result } from '@shared/api';
import { hallClockSchema } from '@shared/api/methods/queue';
import type { EventBus } from '../api/event-bus';

/** How long a first answer from the hub may hold up the calls that print the hall's zone. */
const FIRST_READ_WAIT_MS = 3_000;
/** A hall day read longer ago is read again: a hub gone quiet sends no event when its day rolls over. */
const DAY_FRESH_MS = 60_000;

/**
 * The hall's clock on a device whose queue lives on the hall hub: the hub owns the zone, reset time and
 * hall day. Read at start, again on every `queue.changed` the hub relays (a reconnect is one) and when the
 * day asked for is a minute old, one read at a time. The zone and reset time are kept in this device's own
 * queue settings (`adopt`), so after a restart with the hub down they are still the hall's; while the hub
 * cannot be reached the hall day is computed here from them (`localDay`).
 */
export function createHubHallClock(deps: {
  read: () => Promise<Result<unknown>>;
  adopt: (c: Pick<HallClock, 'timeZone' | 'resetTime'>) => void;
  localDay: () => string;
  bus: EventBus;
  now: () => Date;
  log?: { error(obj: object, msg: string): void };
}) {
  let hubDay: string | null = null;
  let readAt = 0;
  let running: Promise<void> | null = null;
  let again = false;
  let closed = false;

  const readOnce = async () => {
    const r = await deps.read();
    // A read still under way when the device shuts down must not write to its closed database.
    if (closed) return;
    const clock = r.ok ? hallClockSchema.safeParse(r.value) : undefined;
    if (!clock?.success) {
      hubDay = null;
      if (r.ok) deps.log?.error({ value: r.value }, 'the hall hub answered queue.hall.clock outside the contract');
      return;
    }
    deps.adopt(clock.data);
    hubDay = clock.data.hallDay;
    readAt = deps.now().getTime();
  };
  const refresh = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await readOnce();
        } while (again && !closed);
      } catch (e) {
        hubDay = null;
        deps.log?.error({ err: e }, 'reading the hall clock from the hub failed');
      } finally {
        running = null;
      }
    })();
    return running;
  };

  let firstSettled = false;
  const first = refresh().then(() => {
    firstSettled = true;
  });
  const unsubscribe = deps.bus.subscribe((name) => {
    if (name === 'queue.changed') void refresh();
  });

  return {
    /** Resolves once the first read has settled, or after a short wait when the hub is slow. */
    ready: (): Promise<void> =>
      firstSettled
        ? Promise.resolve()
        : Promise.race([first, new Promise<void>((resolve) => setTimeout(resolve, FIRST_READ_WAIT_MS).unref())]),
    hallDay: (): string => {
      if (deps.now().getTime() - readAt > DAY_FRESH_MS) void refresh();
      return hubDay ?? deps.localDay();
    },
    close: () => {
      closed = true;
      unsubscribe();
    },
  };
}
