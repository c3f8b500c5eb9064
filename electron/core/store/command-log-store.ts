import type { Database } from 'better-sqlite3';

/**
 * The command log (migration 2's `command_log`, shared with the queue): the first answer to each
 * mutation id, so a retried command is answered again instead of acting twice.
 */
export function createCommandLogStore(db: Database) {
  const get = db.prepare<[string], { method: string; result: string }>(
    'SELECT method, result FROM command_log WHERE mutation_id = ?',
  );
  const put = db.prepare('INSERT INTO command_log (mutation_id, method, result, at) VALUES (?, ?, ?, ?)');
  return {
    /** Runs `fn` in one BEGIN IMMEDIATE transaction: all of it is written, or none. */
    transaction<T>(fn: () => T): T {
      return db.transaction(fn).immediate();
    },
    get: (mutationId: string) => get.get(mutationId),
    put: (mutationId: string, method: string, result: unknown, at: string) =>
      put.run(mutationId, method, JSON.stringify(result), at),
  };
}
export type CommandLogStore = ReturnType<typeof createCommandLogStore>;
