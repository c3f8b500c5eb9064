import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { Applicant, Case } from '@shared/api';
import { DATABASE_FILE_NAME } from '../../electron/core/config/paths';
import { deviceMigrations } from '../../electron/core/db/migrations';
import { decodeArgs } from '../../electron/core/store/outbox-args';
import { createOutboxStore } from '../../electron/core/store/outbox-store';
import { packId, type PackedId } from '../../electron/core/store/packed-keys';
import { creditCode, startIntakeCore } from '../fixtures/intake-core';
import {
  undoCommandMethodCodes,
  undoPackedKeys,
  undoPackedTicketHistory,
  undoQueueDayCounts,
} from '../fixtures/migration-undo';
import { OUTBOX_ROWS as OUTBOX_TEXT } from '../fixtures/outbox-rows';
import { tempDir } from '../fixtures/temp-dir';

const START = '2026-03-02T02:00:00.000Z';

interface OutboxRow {
  write_order: number;
  replica_id: string;
  seq: number;
  mutation_id: string;
  name: string;
  args: unknown;
  status: string;
  result: string | null;
  acked_at: string | null;
}
const OUTBOX_ROWS = `SELECT write_order, replica_id, seq, mutation_id, name, args, status, result, acked_at
                     FROM (${OUTBOX_TEXT}) ORDER BY write_order`;

/**
 * Puts a device database back the way migration 23 left it: the outbox as migrations 3 and 8 made it
 * (args as JSON text, the write order a column of its own, every row in its indexes), a case's materials
 * in a rowid table (written in reverse order) and the command log holding the intake commands' whole answers.
 */
function asOfMigration23(file: string, answers: Record<string, unknown>) {
  const db = new Database(file);
  db.pragma('foreign_keys = OFF');
  undoCommandMethodCodes(db);
  undoPackedTicketHistory(db);
  undoPackedKeys(db);
  const rows = db.prepare<[], OutboxRow & { args: Buffer }>('SELECT * FROM outbox').all();
  db.transaction(() => {
    db.exec(`
      DROP TABLE outbox;
      CREATE TABLE outbox (
        replica_id     TEXT NOT NULL,
        seq            INTEGER NOT NULL,
        mutation_id    TEXT NOT NULL UNIQUE,
        name           TEXT NOT NULL,
        version        INTEGER NOT NULL,
        args           TEXT NOT NULL,
        entity_id      TEXT,
        schema_version INTEGER NOT NULL,
        device_time    TEXT NOT NULL,
        status         TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'applied', 'rejected')),
        result         TEXT,
        acked_at       TEXT,
        write_order    INTEGER NOT NULL UNIQUE,
        PRIMARY KEY (replica_id, seq)
      ) STRICT;
      CREATE INDEX outbox_pending ON outbox (status, replica_id, seq);
      CREATE INDEX outbox_write_order ON outbox (status, write_order);
      ALTER TABLE outbox ADD COLUMN actor_staff_id TEXT;

      CREATE TABLE case_materials_old (
        case_id     TEXT NOT NULL REFERENCES cases (id),
        material_id TEXT NOT NULL,
        position    INTEGER NOT NULL,
        name_zh     TEXT NOT NULL,
        name_en     TEXT NOT NULL,
        requirement TEXT NOT NULL CHECK (requirement IN ('required', 'optional', 'tolerant')),
        form        TEXT NOT NULL,
        copies      INTEGER NOT NULL,
        note        TEXT NOT NULL,
        status      TEXT NOT NULL CHECK (status IN ('received', 'missing', 'tolerated')),
        CHECK (status <> 'tolerated' OR requirement = 'tolerant'),
        PRIMARY KEY (case_id, material_id)
      ) STRICT;
      INSERT INTO case_materials_old
        SELECT m.case_id, m.material_id, m.position, w.name_zh, w.name_en, m.requirement, w.form, w.copies, w.note,
          m.status
        FROM case_materials m JOIN material_wordings w ON w.id = m.wording_id ORDER BY m.case_id, m.position DESC;
      DROP TABLE case_materials;
      DROP TABLE material_wordings;
      ALTER TABLE case_materials_old RENAME TO case_materials;
    `);
    const put = db.prepare(`
      INSERT INTO outbox (replica_id, seq, mutation_id, name, version, args, entity_id, schema_version, device_time,
        status, result, acked_at, write_order, actor_staff_id)
      VALUES (@replica_id, @seq, @mutation_id, @name, @version, @args, @entity_id, @schema_version, @device_time,
        @status, @result, @acked_at, @write_order, @actor_staff_id)`);
    for (const r of rows) put.run({ ...r, args: JSON.stringify(decodeArgs(r.args)) });
    // Acknowledged rows, as a device that synced has them (write order 1, the first sign-in's audit row, stays pending).
    db.prepare(
      `UPDATE outbox SET status = 'applied', result = '{"ok":true}', acked_at = '${START}' WHERE write_order > 1`,
    ).run();
    casesWithTheirWording(db);
    undoQueueDayCounts(db);
    const answer = db.prepare('UPDATE command_log SET result = ? WHERE mutation_id = ?');
    for (const [mutationId, a] of Object.entries(answers)) answer.run(JSON.stringify(a), mutationId);
    db.pragma('user_version = 23');
  })();
  db.close();
}

/** The cases table with each case's decision wording in its own column (migration 19's), not named. */
function casesWithTheirWording(db: Database.Database) {
  const ddl = db
    .prepare<[], string>(
      "SELECT sql FROM sqlite_master WHERE tbl_name = 'cases' AND sql IS NOT NULL ORDER BY type DESC",
    )
    .pluck()
    .all();
  const [table, ...indexes] = ddl;
  const withWording = table!
    .replace(/wording_id INTEGER REFERENCES case_wordings \(id\)/, 'wording TEXT')
    .replace(/^CREATE TABLE "?cases"?/, 'CREATE TABLE cases_23');
  expect(withWording).not.toBe(table);
  const columns = db
    .prepare<[], string>("SELECT name FROM pragma_table_info('cases') WHERE name <> 'wording_id'")
    .pluck()
    .all();
  db.exec(`
    ${withWording};
    INSERT INTO cases_23 (${columns.join(', ')}, wording)
      SELECT ${columns.map((c) => `c.${c}`).join(', ')}, w.wording
      FROM cases c LEFT JOIN case_wordings w ON w.id = c.wording_id;
    DROP TABLE cases;
    DROP TABLE case_wordings;
    ALTER TABLE cases_23 RENAME TO cases;
    ${indexes.join(';\n')};
  `);
}

describe('migration 24 on a device database of migration 23', () => {
  const tmp = tempDir('ow-migrate-retry-resend-');
  afterAll(() => tmp.remove());

  it('keeps every outbox row with its args, and a retry of an old command still gets its first answer', async () => {
    const t = await startIntakeCore(START);
    const org = {
      mutationId: t.m(),
      applicant: {
        kind: 'organisation' as const,
        name: '示范科技有限公司',
        idType: 'uscc' as const,
        idNumber: creditCode('91350100000000002'),
        orgType: 'enterprise' as const,
        contactName: '李四',
        phone: '13800138000',
      },
    };
    const registered: Applicant = await t.call('applicant.register', org);
    const ticket = await t.calledTicket();
    const input = {
      mutationId: t.m(),
      counterId: 'w1',
      ticketId: ticket.id,
      applicantId: registered.id,
      matterCode: 'SAMR-002',
      materials: await t.tick('SAMR-002'),
      outcome: 'accept' as const,
    };
    const accepted: Case = await t.call('case.intake', input);
    const sent = t.peek.prepare<[], OutboxRow & { args: Buffer }>(OUTBOX_ROWS).all();
    const file = path.join(tmp.dir, DATABASE_FILE_NAME);
    await t.peek.backup(file);
    t.stop();
    asOfMigration23(file, { [org.mutationId]: registered, [input.mutationId]: accepted });

    // The case moves on after the migration: the retry's answer is still the first one.
    const again = await startIntakeCore('2026-03-02T03:00:00.000Z', { dataDir: tmp.dir });
    try {
      expect(again.peek.pragma('user_version', { simple: true })).toBe(deviceMigrations.length);
      expect(again.peek.pragma('foreign_key_check')).toEqual([]);
      again.core.intake.applyCaseStatus(accepted.id, 'start', '2026-03-02T03:00:00.000Z', null);
      expect(await again.call('case.intake', input)).toStrictEqual(accepted);
      expect(await again.call('applicant.register', org)).toStrictEqual(registered);
      const kept = again.peek
        .prepare<[PackedId], { result: string }>('SELECT result FROM command_log WHERE mutation_id = ?')
        .get(packId(input.mutationId))!.result;
      expect(JSON.parse(kept)).toEqual({
        caseId: accepted.id,
        state: 'dispatched',
        updatedAt: accepted.updatedAt,
        promisedDate: accepted.promisedDate,
      });

      const migrated = again.peek
        .prepare<[], OutboxRow & { args: Buffer }>(OUTBOX_ROWS)
        .all()
        .filter((r) => r.write_order <= sent.length);
      expect(migrated.map((r) => ({ ...r, args: decodeArgs(r.args) }))).toEqual(
        sent.map((r) => ({
          ...r,
          args: decodeArgs(r.args),
          // Applied: central's answer to it is not kept (migration 26).
          ...(r.write_order > 1 && { status: 'applied', result: null, acked_at: START }),
        })),
      );
      // The push still finds the pending row, and the resend check the newest acknowledged one.
      const outbox = createOutboxStore(again.peek);
      expect(outbox.nextBatch(1)).toMatchObject([{ seq: sent[0]!.seq, mutationId: sent[0]!.mutation_id }]);
      expect(outbox.latestAck()).toEqual({ replicaId: sent.at(-1)!.replica_id, seq: sent.at(-1)!.seq });
      const indexes = again.peek
        .prepare<[], { name: string; sql: string | null }>(
          "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox' ORDER BY name",
        )
        .all();
      const materials = again.peek
        .prepare<[], { sql: string }>("SELECT sql FROM sqlite_master WHERE name = 'case_materials'")
        .get()!.sql;
      expect(materials).toMatch(/WITHOUT ROWID/);
      expect(indexes.filter((i) => i.sql !== null).every((i) => i.sql!.includes("WHERE status = 'pending'"))).toBe(
        true,
      );
    } finally {
      again.stop();
    }
  });
});
