import type pg from 'pg';
import { z } from 'zod';
import type { Db, Tx } from '../db/pool';

/** The PostgreSQL channel every central process listens on. */
export const NUDGE_CHANNEL = 'ow_sync_nudge';

/**
 * What a notification says: the scope of a reference write (the same hall and leader filter as the
 * pull's), or a revoked device whose streams must close.
 */
export const nudgeMessageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ref'), hallId: z.string().nullable(), leaderId: z.string().nullable() }).strict(),
  z.object({ kind: z.literal('revoked'), deviceId: z.string() }).strict(),
]);
export type NudgeMessage = z.infer<typeof nudgeMessageSchema>;

/** The nudge channel's SQL. */
export const nudgeStore = {
  /**
   * Queued with the writing transaction: PostgreSQL delivers it to every listener only on commit (and
   * never on rollback), and folds identical ones of one transaction into one.
   */
  async notify(tx: Tx | Db, message: NudgeMessage): Promise<void> {
    await tx.query('SELECT pg_notify($1, $2)', [NUDGE_CHANNEL, JSON.stringify(message)]);
  },
  async listen(client: pg.Client): Promise<void> {
    await client.query(`LISTEN ${NUDGE_CHANNEL}`);
  },
};
