import type { Database } from 'better-sqlite3';
import type { EventBus } from './event-bus';

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

interface Waiting {
  run(): unknown;
  settle(outcome: Outcome): void;
}

/**
 * Group commit for the synchronous commands of the hall's line. Each command is its own SQLite transaction
 * with one durable commit (synchronous=FULL): under a hall's load the hub spent most of its time waiting on
 * those fsyncs, one per ticket. Commands that arrive while the hub is busy now wait for the next turn of the
 * event loop and run together in one transaction, each in its own savepoint (a command's own transaction,
 * nested), so a refused command rolls back alone; one commit makes them all durable, and only then is any
 * of them answered or announced (the event bus holds their events). A commit that fails fails them all,
 * with nothing of them written, and each caller retries with its mutation id as after any failure.
 */
export function createCommitGroup(db: Database, bus: EventBus) {
  let waiting: Waiting[] = [];

  function flush() {
    const batch = waiting;
    waiting = [];
    const outcomes: Outcome[] = [];
    try {
      bus.hold(() =>
        db
          .transaction(() => {
            for (const w of batch) {
              // As when it runs alone: its own transaction (a savepoint here) rolls back what it refused, and
              // what it writes after that (a wrong appointment code counted) stays.
              try {
                const value = w.run();
                if (value instanceof Promise) throw new Error('a grouped command must be synchronous');
                outcomes.push({ ok: true, value });
              } catch (error) {
                outcomes.push({ ok: false, error });
              }
            }
          })
          .immediate(),
      );
    } catch (error) {
      for (const w of batch) w.settle({ ok: false, error });
      return;
    }
    batch.forEach((w, i) => w.settle(outcomes[i]!));
  }

  return {
    /** Runs `fn` (synchronous, its own transaction) in the next group; settles after the group's commit. */
    run<T>(fn: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        if (waiting.length === 0) setImmediate(flush);
        waiting.push({
          run: fn,
          settle: (o) => (o.ok ? resolve(o.value as T) : reject(o.error)),
        });
      });
    },
  };
}
export type CommitGroup = ReturnType<typeof createCommitGroup>;
