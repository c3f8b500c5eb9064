import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutationDefs } from '@shared/sync/mutations';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { filesUnder, leaks } from '../fixtures/disk-leaks';
import { IDS, LEADER, PDF_BYTES, bundle, callerOf, putBundleAtCentral, startLeaderCore } from '../fixtures/leader-core';

const COMMENT = '批示 PLAINTEXT-COMMENT-3307';
/** What must never be readable on disk: titles, notes, names, places, bodies, file bytes, the name, the comment. */
const SECRETS = [
  'PLAINTEXT-MEETING-4821',
  'PLAINTEXT-NOTES-9913',
  'PLAINTEXT-BRIEFING-5532',
  'PLAINTEXT-BODY-6610',
  'SECRET-PDF-BODY-7731',
  '三楼第一会议室',
  '李明',
  '会议纪要.png',
  LEADER.name,
  LEADER.password,
  COMMENT,
];

describe('leader.sqlite on disk', () => {
  let t: Awaited<ReturnType<typeof startLeaderCore>>;
  beforeAll(async () => {
    t = await startLeaderCore();
    await t.enrol();
    await t.value(callerOf('admin'), 'leader.admin.import', bundle());
    const leader = callerOf('leader');
    await t.login(leader);
    await t.value(leader, 'leader.briefing.open', { id: IDS.briefing });
    await t.value(leader, 'leader.file.view', { id: IDS.pdf });
    await t.value(leader, 'leader.action', {
      mutationId: crypto.randomUUID(),
      targetId: IDS.briefing,
      action: 'comment',
      comment: COMMENT,
    });
  });
  afterAll(() => t.stop());

  it('can see plaintext where there is some: the clear login column, the PDF bytes of the bundle', () => {
    expect(PDF_BYTES.includes(Buffer.from('SECRET-PDF-BODY-7731'))).toBe(true);
    const leaderFiles = filesUnder(t.dataDir).filter((f) => path.basename(f).startsWith('leader.sqlite'));
    expect(leaderFiles.some((f) => leaks(f, [LEADER.login]).length > 0)).toBe(true);
  });

  it('has no known plaintext in the database, its WAL and shared memory while open', () => {
    const leaderFiles = filesUnder(t.dataDir).filter((f) => path.basename(f).startsWith('leader.sqlite'));
    expect(leaderFiles.map((f) => path.basename(f)).sort()).toEqual([
      'leader.sqlite',
      'leader.sqlite-shm',
      'leader.sqlite-wal',
    ]);
    expect(fs.statSync(leaderFiles.find((f) => f.endsWith('-wal'))!).size).toBeGreaterThan(0);
    for (const f of leaderFiles) expect(leaks(f, SECRETS), f).toEqual([]);
  });

  it('has none anywhere in the data folder except the 批示 text queued for central in the device outbox', () => {
    for (const f of filesUnder(t.dataDir)) {
      const allowed = path.basename(f).startsWith('device.sqlite') ? SECRETS.filter((s) => s !== COMMENT) : SECRETS;
      expect(leaks(f, allowed), f).toEqual([]);
    }
  });

  it('has none after a checkpoint and restart either', async () => {
    await t.restart();
    for (const f of filesUnder(t.dataDir).filter((p) => path.basename(p).startsWith('leader'))) {
      expect(leaks(f, SECRETS), f).toEqual([]);
    }
  });
});

describe('the data folder of a leader device that pulled its content from central', () => {
  let central: TestCentral;
  let t: Awaited<ReturnType<typeof startLeaderCore>>;
  beforeAll(async () => {
    central = await startCentral({ mutations: [...mutationDefs] });
    const hallId = (await central.admin.createHall('PLAINHALL')).id;
    const leaderId = await central.admin.leader(hallId);
    await putBundleAtCentral(central.admin, { hallId, leaderId });
    t = await startLeaderCore();
    await t.value(callerOf('admin'), 'sync.enroll', {
      centralUrl: central.url,
      code: await central.admin.code(hallId, 'leader', leaderId),
    });
    await t.enrol();
    expect(await t.core.sync.runOnce()).toBe('ok');
    const leader = callerOf('leader');
    await t.login(leader);
    expect(await t.value(leader, 'leader.file.list', {})).toHaveLength(2);
    await t.value(leader, 'leader.file.view', { id: IDS.pdf });
    await t.value(leader, 'leader.action', {
      mutationId: crypto.randomUUID(),
      targetId: IDS.briefing,
      action: 'comment',
      comment: COMMENT,
    });
    // Pushed: the outbox row is acknowledged, and its clear 批示 is central's alone to keep now.
    expect(await t.core.sync.runOnce()).toBe('ok');
  });
  afterAll(async () => {
    t.stop();
    await central.stop();
  });

  it('has no plaintext in any file, the device database and its WAL included: not even the pushed 批示', () => {
    const files = filesUnder(t.dataDir);
    expect(files.map((f) => path.basename(f))).toEqual(expect.arrayContaining(['device.sqlite', 'device.sqlite-wal']));
    for (const f of files) expect(leaks(f, SECRETS), f).toEqual([]);
  });

  it('has none after a checkpoint and restart either', async () => {
    await t.restart();
    await t.core.sync.stop();
    for (const f of filesUnder(t.dataDir)) expect(leaks(f, SECRETS), f).toEqual([]);
  });
});
