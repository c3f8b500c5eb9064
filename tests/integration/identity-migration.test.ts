import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceConfigSchema } from '@shared/config';
import { staffLoginSchema } from '@shared/identity/staff';
import type { Caller } from '../../electron/core/api/caller';
import { createCore, type Core } from '../../electron/core/app/create-core';
import { DATABASE_FILE_NAME } from '../../electron/core/config/paths';
import { deviceMigrations } from '../../electron/core/db/migrations';
import { openDatabase } from '../../electron/core/db/open';
import { hashPin } from '../../electron/core/identity/credentials';
import { tempDir } from '../fixtures/temp-dir';

/**
 * A device database from before staff accounts (schema 7: a `clerks` table of id, name and PIN hash,
 * counters naming clerks) opened by this version: clerks become accounts with valid logins, a clerk
 * removed at central (the 'disabled' PIN hash) is a disabled account, counters still name them, and
 * the PINs they had still work when they are long enough.
 */
describe('migration 8 on an existing device database', () => {
  const tmp = tempDir('ow-migrate-staff-');
  const file = path.join(tmp.dir, DATABASE_FILE_NAME);
  let core: Core;
  let peek: Sqlite.Database;
  const window = (n: number): Caller => ({ role: 'counter', transport: 'ipc', origin: `window-counter-${n}` });
  // Ids as earlier versions let them be: any text, in the order they were created.
  const CLERKS = [
    { id: 'A', name: '甲', pin: '112233' },
    { id: 'Clerk 1', name: '乙', pin: '445566' },
    { id: 'clerk-1', name: '丙', pin: '778899' },
    { id: 'old4', name: '丁', pin: '1357' },
    { id: 'gone', name: '戊', pin: null },
    { id: 'CLERK-1', name: '己', pin: '246810' },
  ];

  beforeAll(async () => {
    const old = await openDatabase({ file, migrations: deviceMigrations.slice(0, 7) });
    expect(old.schemaVersion).toBe(7);
    const insert = old.db.prepare('INSERT INTO clerks (id, name, pin_hash) VALUES (?, ?, ?)');
    for (const c of CLERKS) insert.run(c.id, c.name, c.pin ? hashPin(c.pin) : 'disabled');
    old.db
      .prepare(
        `INSERT INTO counters (id, number, name, queue_ids, status, clerk_id, signed_in_origin)
         VALUES ('w1', 1, '窗口1', '["general"]', 'open', 'Clerk 1', 'window-counter-9'),
                ('w2', 2, '窗口2', '["general"]', 'closed', NULL, NULL)`,
      )
      .run();
    old.db.close();

    const config = deviceConfigSchema.parse({
      hall: { code: 'OLD01', name: '老大厅' },
      deviceCode: 'C1',
      roles: ['counter'],
    });
    core = await createCore({
      dataDir: tmp.dir,
      config,
      appVersion: 'test',
      now: () => new Date('2026-03-02T02:00:00.000Z'),
      sync: { autoStart: false },
    });
    peek = new Sqlite(file, { readonly: true });
  });
  afterAll(() => {
    peek?.close();
    core?.close();
    tmp.remove();
  });

  const staff = () =>
    peek.prepare('SELECT id, login, name, roles, enabled, source FROM staff ORDER BY rowid').all() as {
      id: string;
      login: string;
      name: string;
      roles: string;
      enabled: number;
      source: string;
    }[];

  it('turns every clerk into an account with a valid, unique login; the one removed at central is disabled', () => {
    expect(peek.pragma('user_version', { simple: true })).toBe(deviceMigrations.length);
    expect(peek.prepare("SELECT name FROM sqlite_master WHERE name = 'clerks'").all()).toEqual([]);
    expect(staff()).toEqual([
      { id: 'A', login: 'clerk-a', name: '甲', roles: '["clerk"]', enabled: 1, source: 'hall' },
      { id: 'Clerk_1', login: 'clerk_1', name: '乙', roles: '["clerk"]', enabled: 1, source: 'hall' },
      { id: 'clerk-1', login: 'clerk-1', name: '丙', roles: '["clerk"]', enabled: 1, source: 'hall' },
      { id: 'old4', login: 'old4', name: '丁', roles: '["clerk"]', enabled: 1, source: 'hall' },
      { id: 'gone', login: 'gone', name: '戊', roles: '["clerk"]', enabled: 0, source: 'hall' },
      { id: 'CLERK-1', login: 'clerk-1-2', name: '己', roles: '["clerk"]', enabled: 1, source: 'hall' },
    ]);
    for (const s of staff()) expect(staffLoginSchema.safeParse(s.login), s.login).toMatchObject({ success: true });
  });

  it('keeps the counters’ references to their clerks', () => {
    expect(peek.prepare("SELECT clerk_id FROM counters WHERE id = 'w1'").get()).toEqual({ clerk_id: 'Clerk_1' });
    expect(peek.pragma('foreign_key_check')).toEqual([]);
  });

  it('lets a clerk sign in with the PIN they had, by their new login', async () => {
    const r = await core.dispatch(window(1), 'queue.counter.signIn', {
      counterId: 'w2',
      login: 'clerk-a',
      pin: '112233',
    });
    expect(r).toMatchObject({
      ok: true,
      value: { counter: { id: 'w2', clerkId: 'A' }, person: { staffId: 'A', via: 'pin' } },
    });
  });

  it('gives a clerk whose old id the contract cannot carry the id central gives them, and lets them sign in', async () => {
    const r = await core.dispatch(window(2), 'queue.counter.signIn', {
      counterId: 'w1',
      login: 'clerk_1',
      pin: '445566',
    });
    expect(r).toMatchObject({ ok: true, value: { person: { staffId: 'Clerk_1', login: 'clerk_1', name: '乙' } } });
  });

  it('checks the PIN of a clerk with a legacy id like any other (the sign-in is recorded)', () => {
    const row = peek
      .prepare("SELECT action, actor_staff_id FROM audit_log WHERE actor_login = 'clerk_1' ORDER BY seq DESC LIMIT 1")
      .get();
    expect(row).toEqual({ action: 'sign_in', actor_staff_id: 'Clerk_1' });
  });

  it('refuses a right PIN shorter than six digits (PIN_RESET_REQUIRED) and the disabled account', async () => {
    expect(
      await core.dispatch(window(3), 'queue.counter.signIn', { counterId: 'w2', login: 'old4', pin: '1357' }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { reason: 'PIN_RESET_REQUIRED' } } });
    const gone = await core.dispatch(window(3), 'queue.counter.signIn', {
      counterId: 'w2',
      login: 'gone',
      pin: '000000',
    });
    expect(gone).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
