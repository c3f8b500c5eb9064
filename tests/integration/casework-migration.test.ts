import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OPEN_CASE_STATES } from '@shared/intake/case-states';
import { DATABASE_FILE_NAME } from '../../electron/core/config/paths';
import { deviceMigrations } from '../../electron/core/db/migrations';
import { openDatabase } from '../../electron/core/db/open';
import { tempDir } from '../fixtures/temp-dir';

/**
 * Migration 10 rebuilds `cases` (the parent of case_materials, case_events, case_documents and feedback),
 * `case_events` and `case_documents` with foreign keys ON, inside the one migration transaction. Built
 * here on a schema-9 database holding rows in every one of those tables.
 */
const V9 = deviceMigrations.slice(0, 9);
const CASE_TABLES = ['cases', 'case_materials', 'case_events', 'case_documents', 'feedback', 'feedback_events'];
const OLD_STATES = ['accepted', 'dispatched', 'in_progress', 'completed', 'returned', 'notice_issued', 'rejected'];

let tmp: ReturnType<typeof tempDir>;
let file: string;
const opened: Database[] = [];
beforeEach(() => {
  tmp = tempDir('ow-migrate-casework-');
  file = path.join(tmp.dir, DATABASE_FILE_NAME);
});
afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
  tmp.remove();
});

/**
 * The schema these rows are checked against: migration 24 keeps a case's materials by their key alone
 * (WITHOUT ROWID) and their wording once (retry-resend-migration.test.ts checks that step).
 */
const BEFORE_24 = deviceMigrations.slice(0, 23);

async function open(migrations = deviceMigrations) {
  const r = await openDatabase({ file, migrations });
  opened.push(r.db);
  return r;
}

/** Rows as a schema-9 device wrote them: one case per old state, each with materials, events and documents. */
function fillV9(db: Database) {
  db.exec(`
    INSERT INTO departments VALUES ('dep1', '不动产登记中心', 'Real estate', '0591-1');
    INSERT INTO matters VALUES ('RE-001', '转移登记', 'Transfer', 'dep1', '["person"]', 8000, 30, 5, 1);
    INSERT INTO applicants (id, kind, name, id_type, id_hash, id_masked, phone, segment, created_at, updated_at)
      VALUES ('a1', 'person', '张三', 'resident_id', 'h1', '110105********002X', '13800138000', 'citizen',
              '2026-03-02T02:00:00Z', '2026-03-02T02:00:00Z');
    INSERT INTO visits (id, counter_id, counter_number, clerk_name, ticket_id, ticket_number, hall_day, applicant_id,
                        started_at, rating_status)
      VALUES ('v1', 'w1', 1, '王丽', 't1', 'A001', '2026-03-02', 'a1', '2026-03-02T02:00:00Z', 'rated');
    INSERT INTO ratings VALUES ('r1', 'v1', 1, '["attitude"]', '', '2026-03-02T02:30:00Z');
  `);
  const insertCase = db.prepare(`
    INSERT INTO cases (id, case_number, state, applicant_id, applicant_name, applicant_id_masked, matter_code,
      matter_name_zh, matter_name_en, department_id, department_name_zh, visit_id, ticket_id, ticket_number,
      counter_id, counter_number, clerk_name, fee_fen, created_at, accepted_at, promised_date, tolerance_due_date,
      reject_reason, updated_at)
    VALUES (@id, @number, @state, 'a1', '张三', '110105********002X', 'RE-001', '转移登记', 'Transfer', 'dep1',
      '不动产登记中心', 'v1', 't1', 'A001', 'w1', 1, '王丽', 8000, '2026-03-02T02:00:00Z', @acceptedAt, @promised,
      @tolerance, @reason, '2026-03-02T03:00:00Z')`);
  const material = db.prepare(`
    INSERT INTO case_materials VALUES (?, ?, ?, '申请书', 'Form', ?, 'original', 1, '', ?)`);
  const event = db.prepare(`
    INSERT INTO case_events (case_id, action, from_state, to_state, at, actor, note)
    VALUES (?, ?, ?, ?, '2026-03-02T02:00:00Z', 'window-counter-1', ?)`);
  const doc = db.prepare(`
    INSERT INTO case_documents VALUES (?, ?, ?, ?, 'abc', 100, '2026-03-02T02:05:00Z')`);
  OLD_STATES.forEach((state, i) => {
    const id = `c${i}`;
    const open = !['notice_issued', 'rejected'].includes(state);
    insertCase.run({
      id,
      number: `HALL01-20260302-C01-000${i}`,
      state,
      acceptedAt: open ? '2026-03-02T02:00:00Z' : null,
      promised: open ? '2026-03-09' : null,
      tolerance: i === 0 ? '2026-03-06' : null,
      reason: state === 'rejected' ? '不属于本部门' : null,
    });
    material.run(id, 'form', 0, 'required', 'received');
    material.run(id, 'marriage', 1, 'tolerant', i === 0 ? 'tolerated' : 'missing');
    event.run(id, 'accept', 'draft', open ? 'accepted' : state, null);
    if (open) event.run(id, 'dispatch', 'accepted', 'dispatched', '不动产登记中心');
    if (['in_progress', 'completed'].includes(state)) event.run(id, 'start', 'dispatched', 'in_progress', null);
    if (state !== 'dispatched' && open) event.run(id, state, 'in_progress', state, null);
    const kind = state === 'notice_issued' ? 'notice' : state === 'rejected' ? 'rejection' : 'receipt';
    doc.run(id, kind, 'a4', `archive/2026/HALL01-20260302-C01-000${i}-${kind}-a4.pdf`);
    doc.run(id, kind, '80mm', `archive/2026/HALL01-20260302-C01-000${i}-${kind}-80mm.pdf`);
  });
  db.exec(`
    INSERT INTO feedback (id, number, kind, channel, category, status, content, applicant_id, case_id, department_id,
                          rating_id, assignee, due_date, created_at, updated_at)
      VALUES ('f1', 'FK-HALL01-20260302-C01-0001', 'complaint', 'counter', 'efficiency', 'assigned', '太慢', 'a1',
              'c2', 'dep1', NULL, '李主任', '2026-03-09', '2026-03-02T02:10:00Z', '2026-03-02T02:10:00Z'),
             ('f2', 'FK-HALL01-20260302-C01-0002', 'complaint', 'rating', 'attitude', 'open', '差评 1/5', 'a1',
              'c0', 'dep1', 'r1', NULL, '2026-03-09', '2026-03-02T02:30:00Z', '2026-03-02T02:30:00Z');
    INSERT INTO feedback_events (feedback_id, action, from_status, to_status, at, actor)
      VALUES ('f1', 'create', NULL, 'assigned', '2026-03-02T02:10:00Z', 'window-counter-1');
    INSERT INTO return_visits (id, feedback_id, scheduled_for, method, created_at)
      VALUES ('rv1', 'f2', '2026-03-09', 'phone', '2026-03-02T02:30:00Z');
  `);
}

const rowsOf = (db: Database, table: string) =>
  db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all() as Record<string, unknown>[];
const pick = (row: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.map((k) => [k, row[k]]));

describe('migration 13 on an enrolled device', () => {
  it('keeps a device enrolled before central told its tracking page on central’s /track', async () => {
    const old = await open(deviceMigrations.slice(0, 12));
    old.db
      .prepare(
        `UPDATE sync_state SET central_url = 'https://central.example.cn/', device_id = 'd1', hall_id = 'h1',
           hall_code = 'HALL01', role = 'counter' WHERE id = 1`,
      )
      .run();
    old.db.close();
    const { db } = await open();
    expect(db.prepare('SELECT tracking_url FROM sync_state').get()).toEqual({
      tracking_url: 'https://central.example.cn/track',
    });
  });

  it('leaves a device never enrolled without one', async () => {
    await (await open(deviceMigrations.slice(0, 12))).db.close();
    const { db } = await open();
    expect(db.prepare('SELECT tracking_url FROM sync_state').get()).toEqual({ tracking_url: null });
  });
});

describe('migration 10 on a populated schema-9 database', () => {
  it('keeps every row of the case tables and their children, with clean foreign keys', async () => {
    const old = await open(V9);
    fillV9(old.db);
    const before = Object.fromEntries(CASE_TABLES.map((t) => [t, rowsOf(old.db, t)]));
    const columnsBefore = Object.fromEntries(
      CASE_TABLES.map((t) => [t, (old.db.pragma(`table_info(${t})`) as { name: string }[]).map((c) => c.name)]),
    );
    old.db.close();

    const { db, schemaVersion } = await open(BEFORE_24);
    expect(schemaVersion).toBe(BEFORE_24.length);
    for (const table of CASE_TABLES) {
      const after = rowsOf(db, table);
      expect(
        after.map((r) => pick(r, columnsBefore[table]!)),
        table,
      ).toEqual(before[table]);
    }
    expect(
      rowsOf(db, 'cases').map((r) => pick(r, ['query_code', 'missing', 'decision', 'pickup', 'central_note'])),
    ).toEqual(
      OLD_STATES.map(() => ({ query_code: null, missing: '[]', decision: null, pickup: null, central_note: null })),
    );
    expect(rowsOf(db, 'feedback').map((r) => pick(r, ['escalation', 'central_at']))).toEqual([
      { escalation: 'none', central_at: null },
      { escalation: 'none', central_at: null },
    ]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    // Nothing of the copies is left behind, and the children still name `cases` itself.
    const schema = db.prepare('SELECT name, sql FROM sqlite_schema WHERE sql IS NOT NULL').all() as {
      name: string;
      sql: string;
    }[];
    expect(schema.filter((s) => /_v9/.test(s.name) || /_v9/.test(s.sql))).toEqual([]);
    for (const child of ['case_materials', 'case_events', 'case_documents', 'feedback']) {
      expect(db.pragma(`foreign_key_list(${child})`)).toEqual(
        expect.arrayContaining([expect.objectContaining({ table: 'cases', from: 'case_id', to: 'id' })]),
      );
    }
    expect(schema.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        'cases_applicant',
        'cases_created',
        'cases_open_promise',
        'cases_visit',
        'cases_supplement',
        'case_events_case',
      ]),
    );
  });

  it('takes the new states and document kind, and still refuses unknown ones and orphans', async () => {
    const old = await open(V9);
    fillV9(old.db);
    old.db.close();
    const { db } = await open(BEFORE_24);

    db.prepare("UPDATE cases SET state = 'supplement_requested', missing = ? WHERE id = 'c2'").run(
      JSON.stringify([{ materialId: 'marriage', name: '婚姻状况证明', note: '' }]),
    );
    db.prepare(
      `INSERT INTO case_events (case_id, action, from_state, to_state, at, actor)
       VALUES ('c2', 'request_supplement', 'in_progress', 'supplement_requested', '2026-03-03T02:00:00Z', 'central')`,
    ).run();
    db.prepare("INSERT INTO case_documents VALUES ('c2', 'supplement', 'a4', 'x.pdf', 'abc', 1, 'now')").run();
    db.prepare("UPDATE cases SET state = 'under_review' WHERE id = 'c1'").run();

    expect(() => db.prepare("UPDATE cases SET state = 'paused' WHERE id = 'c1'").run()).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE case_events SET to_state = 'paused' WHERE case_id = 'c1'").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO case_documents VALUES ('c1', 'memo', 'a4', 'x', 'a', 1, 'n')").run()).toThrow(
      /CHECK/,
    );
    // An open state still needs its promised date.
    expect(() => db.prepare("UPDATE cases SET promised_date = NULL WHERE id = 'c1'").run()).toThrow(/CHECK/);
    // The children's keys point at the rebuilt table.
    expect(() =>
      db
        .prepare("INSERT INTO case_materials VALUES ('nope', 'm', 0, 'x', 'x', 'required', 'copy', 1, '', 'received')")
        .run(),
    ).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("DELETE FROM cases WHERE id = 'c3'").run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("UPDATE feedback SET escalation = 'urgent' WHERE id = 'f1'").run()).toThrow(/CHECK/);
  });

  it('gives the open-promise index exactly the open states the code queries with', async () => {
    const { db } = await open();
    const sql = (db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'cases_open_promise'").get() as { sql: string })
      .sql;
    const states = [...sql.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]);
    expect(states).toEqual([...OPEN_CASE_STATES]);
    // And SQLite uses it for the overdue query of the case store.
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT id FROM cases WHERE state IN (${OPEN_CASE_STATES.map((s) => `'${s}'`).join(', ')})
           AND promised_date < '2026-03-09'`,
      )
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('cases_open_promise');
  });

  it('on a new database creates the same tables as on an upgraded one', async () => {
    const fresh = await open();
    const freshSchema = fresh.db
      .prepare("SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
      .all();
    fresh.db.close();
    tmp.remove();
    tmp = tempDir('ow-migrate-casework-');
    file = path.join(tmp.dir, DATABASE_FILE_NAME);
    const old = await open(V9);
    fillV9(old.db);
    old.db.close();
    const upgraded = await open();
    expect(
      upgraded.db
        .prepare("SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
        .all(),
    ).toEqual(freshSchema);
  });
});
