import type { Database } from 'better-sqlite3';
import { packId, type PackedId } from './packed-keys';

/**
 * The command log (migration 2's `command_log`, shared with the queue): the first answer to each
 * mutation id, so a retried command is answered again instead of acting twice. The id is kept packed and
 * the time as epoch ms (migration 26, packed-keys.ts), the method by its number in `command_methods`
 * (migration 28), named there by its first row.
 */
export function createCommandLogStore(db: Database) {
  const get = db.prepare<[PackedId], { method: string; result: string }>(
    'SELECT m.method, l.result FROM command_log l JOIN command_methods m ON m.id = l.method WHERE l.mutation_id = ?',
  );
  const nameMethod = db.prepare('INSERT INTO command_methods (method) VALUES (?) ON CONFLICT DO NOTHING');
  const put = db.prepare(`
    INSERT INTO command_log (mutation_id, method, result, at)
    VALUES (?, (SELECT id FROM command_methods WHERE method = ?), ?, ?)`);
  const prune = db.prepare('DELETE FROM command_log WHERE at < ?');
  return {
    /** Runs `fn` in one BEGIN IMMEDIATE transaction: all of it is written, or none. */
    transaction<T>(fn: () => T): T {
      return db.transaction(fn).immediate();
    },
    get: (mutationId: string) => get.get(packId(mutationId)),
    put(mutationId: string, method: string, result: unknown, at: string) {
      nameMethod.run(method);
      put.run(packId(mutationId), method, JSON.stringify(result), Date.parse(at));
    },
    /** Forgets the answers written before `at`; returns how many. */
    pruneBefore: (at: string) => prune.run(Date.parse(at)).changes,
  };
}
export type CommandLogStore = ReturnType<typeof createCommandLogStore>;
