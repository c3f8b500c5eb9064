import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '@shared/api';
import { deviceMigrations } from '../../electron/core/db/migrations';
import { commandMethodCodes } from '../../electron/core/db/migrations/028-command-method-codes';
import { openDatabase } from '../../electron/core/db/open';
import { idTextSql, timeTextSql } from '../../electron/core/store/packed-keys';
import { undoCommandMethodCodes } from '../fixtures/migration-undo';
import { COMMAND_LOG_ROWS } from '../fixtures/outbox-rows';
import { startQueueCore } from '../fixtures/queue-core';
import { tempDir } from '../fixtures/temp-dir';

/**
 * The command log names each row's method by a number (device migration 28): every row keeps its method,
 * a retry is answered from the log, and a mutation id reused by another command is still refused.
 */
type Q = Awaited<ReturnType<typeof startQueueCore>>;
let q: Q | undefined;
afterEach(() => q?.stop());

interface LogRow {
  mutation_id: string;
  method: string;
  result: string;
  at: string;
}

describe('the command log’s method codes', () => {
  it('are given by migration 28 to a log a device already has, each row as it was; retries still find them', async () => {
    const tmp = tempDir('ow-migrate-command-methods-');
    try {
      q = await startQueueCore(undefined, { dataDir: tmp.dir });
      q.signIn('w1');
      const clerk = q.clerk('w1');
      const issue = {
        mutationId: q.m(),
        queueId: 'general',
        applicantType: 'person' as const,
        priority: 'none' as const,
      };
      const issued = q.queue.issue(issue, q.kiosk);
      const call = { mutationId: q.m(), counterId: 'w1' };
      const called = q.queue.callNext(call, clerk);
      q.queue.start({ mutationId: q.m(), counterId: 'w1', ticketId: issued.ticket.id }, clerk);
      undoCommandMethodCodes(q.db);
      // A row of a client whose id is no UUID.
      q.db.prepare("INSERT INTO command_log VALUES ('old-client-7', 'queue.finish', '{}', 0)").run();
      const before = q.db
        .prepare<[], LogRow>(
          `SELECT ${idTextSql('mutation_id')} AS mutation_id, method, result, ${timeTextSql('at')} AS at
           FROM command_log ORDER BY at, method`,
        )
        .all();
      expect(new Set(before.map((r) => r.method)).size).toBeGreaterThan(3);
      q.db.pragma(`user_version = ${deviceMigrations.indexOf(commandMethodCodes)}`);
      q.stop();
      q = undefined;

      const { db } = await openDatabase({ file: path.join(tmp.dir, 'device.sqlite'), migrations: deviceMigrations });
      try {
        const after = db.prepare<[], LogRow>(`SELECT * FROM (${COMMAND_LOG_ROWS}) ORDER BY at, method`).all();
        expect(after).toEqual(before);
        expect(db.prepare('SELECT DISTINCT typeof(method) FROM command_log').pluck().all()).toEqual(['integer']);
        expect(db.prepare('SELECT count(*) FROM command_methods').pluck().get()).toBe(
          new Set(before.map((r) => r.method)).size,
        );
        expect(db.pragma('foreign_key_check')).toEqual([]);
      } finally {
        db.close();
      }

      q = await startQueueCore(undefined, { dataDir: tmp.dir });
      // Retries answered from the log, not taken again; the same id for another command refused.
      expect(q.queue.issue(issue, q.kiosk).ticket.id).toBe(issued.ticket.id);
      expect(q.queue.callNext(call, q.clerk('w1')).current!.id).toBe(called.current!.id);
      expect(() => q!.queue.issue({ ...issue, mutationId: call.mutationId }, q!.kiosk)).toThrow(AppError);
      expect(q.db.prepare('SELECT count(*) FROM tickets').pluck().get()).toBe(1);
      // A method logged for the first time gets its number once.
      const methods = q.db.prepare('SELECT count(*) FROM command_methods').pluck().get() as number;
      q.issue();
      q.issue();
      expect(q.db.prepare('SELECT count(*) FROM command_methods').pluck().get()).toBe(methods);
      q.queue.cancel({ mutationId: q.m(), counterId: 'w1', ticketId: q.issue().id }, q.clerk('w1'));
      expect(q.db.prepare('SELECT count(*) FROM command_methods').pluck().get()).toBe(methods + 1);
    } finally {
      tmp.remove();
    }
  });
});
