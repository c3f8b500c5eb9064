import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CRYPTO_PROFILES } from '@shared/crypto/profile';
import { base32Decode } from '@shared/identity/otp';
import { mutationDefs } from '@shared/sync/mutations';
import { open as openSealed } from '../../electron/core/leader/crypto';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { filesUnder, leaks } from '../fixtures/disk-leaks';
import { IDS, bundle, callerOf, putBundleAtCentral, startLeaderCore } from '../fixtures/leader-core';

const COMMENT = '批示 STOLEN-DISK-COMMENT-4417';
const CONTENT = ['PLAINTEXT-BRIEFING-5532', 'PLAINTEXT-BODY-6610', 'SECRET-PDF-BODY-7731', 'PLAINTEXT-MEETING-4821'];

/**
 * The attack of the finding, as a script holding a copy of the data folder and knowing the formats would
 * run it: every 32-byte key file of the folder tried on every wrapped key of leader.sqlite (the device
 * wrapping), then every key found on every sealed body of the rows. Returns all text it could open.
 */
function stolenDiskAttack(dataDir: string): string[] {
  const databases = [
    path.join(dataDir, 'leader.sqlite'),
    ...backupsIn(dataDir)
      .filter((n) => n.startsWith('leader.'))
      .map((n) => path.join(dataDir, 'backups', n)),
  ];
  return databases.flatMap((file) => attackDatabase(dataDir, file));
}

function attackDatabase(dataDir: string, file: string): string[] {
  const keys = fs
    .readdirSync(dataDir)
    .filter((n) => n.endsWith('.key'))
    .map((n) => Buffer.from(fs.readFileSync(path.join(dataDir, n), 'utf8').trim(), 'base64'))
    .filter((k) => k.length === 32);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const tryOpen = (blob: Buffer | null, aads: string[], with_: Buffer[]): Buffer[] =>
    blob
      ? with_.flatMap((k) =>
          aads.flatMap((aad) => {
            try {
              return [openSealed(k, blob, aad)];
            } catch {
              return [];
            }
          }),
        )
      : [];
  const columns = (table: string) =>
    new Set((db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name));
  const found: string[] = [];
  const accountCols = columns('leader_account');
  for (const a of db.prepare('SELECT * FROM leader_account').all() as Record<string, unknown>[]) {
    const deks = accountCols.has('dek_by_device')
      ? tryOpen(a.dek_by_device as Buffer, ['onewindow-device-secret', 'dek:device'], keys)
      : [];
    const id = a.id as string;
    for (const p of tryOpen(a.profile as Buffer, [`leader_account:${id}`], deks)) found.push(p.toString('utf8'));
    const records = db.prepare('SELECT * FROM leader_record WHERE leader_id = ?').all(id) as Record<string, string>[];
    for (const r of records) {
      for (const p of tryOpen(r.body as unknown as Buffer, [`leader_record:${id}:${r.kind}:${r.id}`], deks)) {
        found.push(p.toString('utf8'));
      }
      const blob = db.prepare('SELECT data FROM leader_file_blob WHERE record_id = ?').get(r.id) as
        { data: Buffer } | undefined;
      for (const p of tryOpen(blob?.data ?? null, [`leader_file_blob:${id}:${r.id}`], deks)) {
        found.push(p.toString('latin1'), p.toString('utf8'));
      }
    }
    const actions = db.prepare('SELECT * FROM leader_action WHERE leader_id = ?').all(id) as Record<string, string>[];
    for (const x of actions) {
      for (const p of tryOpen(x.body as unknown as Buffer, [`leader_action:${id}:${x.id}`], deks)) {
        found.push(p.toString('utf8'));
      }
    }
  }
  db.close();
  return found;
}

const recovered = (texts: string[], needles: string[]) => needles.filter((n) => texts.some((t) => t.includes(n)));

/** Every file of the backups folder, a backup still being written (`.partial`) too. */
const backupFiles = (dataDir: string): string[] => {
  const dir = path.join(dataDir, 'backups');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
};
/**
 * The finished backups. A `.partial` is the destination of an online backup under way in this very process:
 * SQLite holds it locked between the steps, so opening it here waits on a lock only this process could free.
 */
const backupsIn = (dataDir: string): string[] => backupFiles(dataDir).filter((n) => n.endsWith('.sqlite'));

describe.each(CRYPTO_PROFILES)('a stolen leader data folder (no password, no code, %s profile)', (profile) => {
  let t: Awaited<ReturnType<typeof startLeaderCore>>;
  let totpSecret = '';
  /** As the profile holds it: base64 of the secret's bytes. */
  let totpBase64 = '';
  beforeAll(async () => {
    t = await startLeaderCore(180, { crypto: profile });
    const e = await t.enrol();
    totpSecret = e.totpSecret;
    totpBase64 = Buffer.from(base32Decode(e.totpSecret)).toString('base64');
    await t.value(callerOf('admin'), 'leader.admin.import', bundle());
    const leader = callerOf('leader');
    await t.login(leader);
    await t.value(leader, 'leader.action', {
      mutationId: crypto.randomUUID(),
      targetId: IDS.briefing,
      action: 'comment',
      comment: COMMENT,
    });
    // The next day's start takes the daily backups of both databases, with all of the above in them.
    const before = new Set(backupsIn(t.dataDir));
    t.clock.ms += 24 * 60 * 60 * 1000;
    await t.restart();
    await vi.waitFor(
      () => {
        const made = backupsIn(t.dataDir).filter((n) => !before.has(n));
        expect(made.filter((n) => n.startsWith('device.daily.'))).not.toHaveLength(0);
        expect(made.filter((n) => n.startsWith('leader.daily.'))).not.toHaveLength(0);
        expect(backupFiles(t.dataDir).filter((n) => n.endsWith('.partial'))).toEqual([]);
      },
      { timeout: 20_000, interval: 50 },
    );
  });
  afterAll(() => t.stop());

  it('holds no known plaintext in any file: databases, WAL, backups, key files', () => {
    expect(backupsIn(t.dataDir).filter((n) => n.startsWith('device.daily.'))).not.toHaveLength(0);
    const needles = [...CONTENT, COMMENT, totpSecret, totpBase64];
    for (const f of filesUnder(t.dataDir)) expect(leaks(f, needles), f).toEqual([]);
  });

  it('gives nothing to the key files of the folder: no briefing, file, TOTP secret or 批示 opens', () => {
    const opened = stolenDiskAttack(t.dataDir);
    expect(recovered(opened, [...CONTENT, COMMENT, totpBase64])).toEqual([]);
  });

  it('still opens everything for the leader with password and code', async () => {
    const leader = callerOf('leader', 'after-theft');
    t.nextStep();
    const r = await t.login(leader);
    expect(r.ok).toBe(true);
    const b = await t.value<{ title: string; actions: { comment: string | null }[] }>(leader, 'leader.briefing.open', {
      id: IDS.briefing,
    });
    expect(b.title).toContain('PLAINTEXT-BRIEFING-5532');
    expect(b.actions.map((a) => a.comment)).toContain(COMMENT);
    const f = await t.value<{ dataBase64: string }>(leader, 'leader.file.view', { id: IDS.pdf });
    expect(Buffer.from(f.dataBase64, 'base64').toString()).toContain('SECRET-PDF-BODY-7731');
  });
});

describe('a 批示 on its way to central', () => {
  let central: TestCentral;
  let t: Awaited<ReturnType<typeof startLeaderCore>>;
  let leaderId: string;
  beforeAll(async () => {
    central = await startCentral({ mutations: [...mutationDefs] });
    const hallId = (await central.admin.createHall('SEALHALL')).id;
    leaderId = await central.admin.leader(hallId);
    await putBundleAtCentral(central.admin, { hallId, leaderId });
    t = await startLeaderCore();
    await t.value(callerOf('admin'), 'sync.enroll', {
      centralUrl: central.url,
      code: await central.admin.code(hallId, 'leader', leaderId),
    });
    await t.enrol();
    expect(await t.core.sync.runOnce()).toBe('ok');
    await t.core.sync.stop();
    const leader = callerOf('leader');
    await t.login(leader);
    await t.value(leader, 'leader.action', {
      mutationId: crypto.randomUUID(),
      targetId: IDS.briefing,
      action: 'comment',
      comment: COMMENT,
    });
  });
  afterAll(async () => {
    t.stop();
    await central.stop();
  });

  it('waits in the outbox sealed for central, never in clear', () => {
    expect(t.core.sync.status().pendingCount).toBeGreaterThan(0);
    for (const f of filesUnder(t.dataDir)) expect(leaks(f, [COMMENT, ...CONTENT]), f).toEqual([]);
  });

  it('is opened by central on push', async () => {
    expect(await t.core.sync.runOnce()).toBe('ok');
    const actions = await central.admin.request<{ action: string; comment: string | null }[]>(
      'GET',
      `/admin/v1/leaders/${leaderId}/actions`,
    );
    expect(actions.json).toEqual([expect.objectContaining({ action: 'comment', comment: COMMENT })]);
  });
});
