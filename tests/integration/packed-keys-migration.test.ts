import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE_NAME } from '../../electron/core/config/paths';
import { deviceMigrations } from '../../electron/core/db/migrations';
import { createOutboxStore } from '../../electron/core/store/outbox-store';
import { startIntakeCore } from '../fixtures/intake-core';
import { undoCommandMethodCodes, undoPackedKeys, undoPackedTicketHistory } from '../fixtures/migration-undo';
import { COMMAND_LOG_ROWS, OUTBOX_ROWS } from '../fixtures/outbox-rows';
import { tempDir } from '../fixtures/temp-dir';

const START = '2026-03-02T02:00:00.000Z';
const NEXT_MORNING = '2026-03-03T01:00:00.000Z';

interface TextRow {
  write_order: number;
  replica_id: string;
  seq: number;
  mutation_id: string;
  entity_id: string | null;
  device_time: string;
  status: string;
  result: string | null;
  acked_at: string | null;
}

const CASE_NAMES = 'cases.id, matter_name_zh, matter_name_en, department_name_zh';

interface LogRow {
  mutation_id: string;
  method: string;
  result: string;
  at: string;
}

/** A row written by a device before packed keys, with an id and a time the packing must leave as they are. */
const ODD_ROW = {
  mutation_id: 'ABCDEF01-2345-4678-9ABC-DEF012345678',
  entity_id: 'queue-day:2026-03-02:9',
  device_time: '2026-03-03T09:00:00+08:00',
};

describe('migration 26 on a device database of migration 25', () => {
  const tmp = tempDir('ow-migrate-outbox-keys-');
  afterAll(() => tmp.remove());

  it('keeps every outbox row and command log row as written; the push, the resend check, the prune and a retry find them', async () => {
    const t = await startIntakeCore(START);
    await t.intake();
    const retried = {
      mutationId: t.m(),
      counterId: 'w1',
      ticketId: (await t.calledTicket()).id,
      applicantId: (await t.person('11010519491231003', '李四')).id,
      matterCode: 'PSB-001',
      materials: await t.tick('PSB-001'),
      outcome: 'accept' as const,
    };
    const answer = await t.call('case.intake', retried);
    // The next morning's reset archives the day (an entity id that is no UUID), and the clerk signs in again.
    t.setNow(NEXT_MORNING);
    await t.signInCounter('w1');
    await t.intake({ matterCode: 'HRSS-001' });
    const outbox = createOutboxStore(t.peek);
    const first = outbox.nextBatch(6);
    outbox.acknowledge(
      first.map((e, i) => ({
        replicaId: e.replicaId,
        seq: e.seq,
        mutationId: e.mutationId,
        status: i === 2 ? ('rejected' as const) : ('applied' as const),
        result: i === 2 ? { reason: 'INVALID_ARGS' } : { ok: true },
      })),
      new Date(NEXT_MORNING),
    );
    const file = path.join(tmp.dir, DATABASE_FILE_NAME);
    await t.peek.backup(file);
    t.stop();

    const old = new Database(file);
    undoCommandMethodCodes(old);
    undoPackedTicketHistory(old);
    undoPackedKeys(old);
    // A command log row of a client whose id is no UUID, from before times were written whole.
    old.prepare("INSERT INTO command_log VALUES ('old-client-7', 'queue.start', '{}', '2026-03-02')").run();
    const logBefore = old.prepare<[], LogRow>(`SELECT * FROM command_log ORDER BY at, method`).all();
    const last = old.prepare<[], TextRow>('SELECT * FROM outbox ORDER BY write_order DESC LIMIT 1').get()!;
    old
      .prepare(
        `INSERT INTO outbox (write_order, replica_id, seq, mutation_id, name, version, args, entity_id, schema_version,
           device_time, actor_staff_id)
         SELECT write_order + 1, replica_id, seq + 1, @mutation_id, name, version, args, @entity_id, schema_version,
           @device_time, actor_staff_id
         FROM outbox WHERE write_order = @write_order`,
      )
      .run({ ...ODD_ROW, write_order: last.write_order });
    // An older device kept central's answer to an applied row too.
    old.prepare(`UPDATE outbox SET result = '{"profileId":"p-1"}' WHERE status = 'applied'`).run();
    old.pragma('user_version = 25');
    const before = old.prepare<[], TextRow>('SELECT * FROM outbox ORDER BY write_order').all();
    const casesBefore = old.prepare(`SELECT ${CASE_NAMES} FROM cases ORDER BY cases.id`).all();
    old.close();
    expect(before.filter((r) => r.status === 'pending').length).toBeGreaterThan(3);
    expect(before.filter((r) => r.acked_at !== null).map((r) => r.acked_at)).toEqual(Array(6).fill(NEXT_MORNING));
    expect(before.some((r) => r.entity_id?.startsWith('queue-day:'))).toBe(true);

    const again = await startIntakeCore(NEXT_MORNING, { dataDir: tmp.dir });
    try {
      expect(again.peek.pragma('user_version', { simple: true })).toBe(deviceMigrations.length);
      expect(again.peek.pragma('foreign_key_check')).toEqual([]);
      const after = again.peek
        .prepare<[], TextRow>(`SELECT * FROM (${OUTBOX_ROWS}) ORDER BY write_order`)
        .all()
        .slice(0, before.length);
      // Every row as it was, but an applied row without central's answer; a rejected one keeps why.
      expect(after).toEqual(before.map((r) => (r.status === 'applied' ? { ...r, result: null } : r)));
      expect(after.filter((r) => r.status === 'rejected').map((r) => JSON.parse(r.result!))).toEqual([
        { reason: 'INVALID_ARGS' },
      ]);
      const casesAfter = again.peek
        .prepare(`SELECT ${CASE_NAMES} FROM cases JOIN case_names n ON n.id = names_id ORDER BY cases.id`)
        .all();
      expect(casesAfter).toEqual(casesBefore);
      expect(new Set(casesBefore.map((c) => JSON.stringify({ ...(c as object), id: null }))).size).toBe(2);
      expect(again.count('case_names')).toBe(2);
      const logAfter = again.peek.prepare<[], LogRow>(`SELECT * FROM (${COMMAND_LOG_ROWS}) ORDER BY at, method`).all();
      expect(logAfter).toEqual(
        logBefore.map((r) => ({ ...r, at: r.at === '2026-03-02' ? '2026-03-02T00:00:00.000Z' : r.at })),
      );
      expect(logAfter.filter((r) => r.method === 'case.intake')).toHaveLength(3);
      // A retry after the migration is answered from the log, not taken again.
      expect(await again.call('case.intake', retried)).toStrictEqual(answer);
      expect(again.count('cases')).toBe(3);
      // Packed where the text comes back the same, kept as text where it would not.
      const kinds = again.peek
        .prepare<[], { m: string; d: string }>(
          'SELECT typeof(mutation_id) AS m, typeof(device_time) AS d FROM outbox ORDER BY write_order',
        )
        .all()
        .slice(0, before.length);
      expect(kinds.slice(0, -1).every((k) => k.m === 'blob' && k.d === 'integer')).toBe(true);
      expect(kinds.at(-1)).toEqual({ m: 'text', d: 'text' });

      const store = createOutboxStore(again.peek);
      const pending = before.filter((r) => r.status === 'pending');
      expect(store.nextBatch(100).map((e) => [e.replicaId, e.seq, e.mutationId, e.entityId, e.deviceTime])).toEqual(
        pending.map((r) => [r.replica_id, r.seq, r.mutation_id, r.entity_id, r.device_time]),
      );
      const acked = before.filter((r) => r.status !== 'pending');
      expect(store.latestAck()).toEqual({ replicaId: acked.at(-1)!.replica_id, seq: acked.at(-1)!.seq });
      expect(store.ackedThrough()).toEqual([{ replicaId: acked.at(-1)!.replica_id, seq: acked.at(-1)!.seq }]);
      expect(store.forEntity(before[1]!.entity_id!).map((e) => e.mutationId)).toContain(before[1]!.mutation_id);
      // Acknowledged a day ago: all but the newest acknowledged row go once the day has passed, none before.
      expect(store.pruneAcknowledged(new Date(NEXT_MORNING))).toBe(0);
      expect(store.pruneAcknowledged(new Date(Date.parse(NEXT_MORNING) + 1))).toBe(acked.length - 1);

      const indexes = again.peek
        .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox'")
        .all()
        .map((i) => i.name)
        .sort();
      expect(indexes).toEqual(['outbox_pending', 'sqlite_autoindex_outbox_1']);
    } finally {
      again.stop();
    }
  });
});
