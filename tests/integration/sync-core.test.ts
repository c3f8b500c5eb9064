import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceConfigSchema } from '@shared/config';
import { mutationDefs } from '@shared/sync/mutations';
import { createCore, type Core } from '../../electron/core/app/create-core';
import { createOutboxStore } from '../../electron/core/store/outbox-store';
import { testNote } from '../fixtures/central-mutations';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { DEMO_PIN, signInAdmin } from '../fixtures/staff';
import { tempDir } from '../fixtures/temp-dir';

const admin = { role: 'admin' as const, transport: 'ipc' as const, origin: 'test' };
const counter = { role: 'counter' as const, transport: 'ipc' as const, origin: 'test-counter' };
const sha = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

const applicantUpsert = (applicantId: string, idHash: string) => ({
  name: 'applicant.upsert',
  args: {
    applicantId,
    kind: 'person',
    name: '张三',
    idType: 'resident_id',
    idHash,
    idMasked: '110105********1234',
    phone: '13800000000',
    segment: 'citizen',
    orgType: null,
    contactName: null,
    at: new Date().toISOString(),
  },
});

async function openCore(dir: string, hallCode = 'CORE01') {
  const config = deviceConfigSchema.parse({
    hall: { code: hallCode, name: '测试' },
    deviceCode: 'C1',
    roles: ['counter'],
    // The demo hall's counters and people: a hall administrator must be signed in to enrol the device.
    demo: true,
  });
  const core = await createCore({ dataDir: dir, config, appVersion: 'test', sync: { autoStart: false } });
  await signInAdmin(core.dispatch, admin);
  const clerk = await core.dispatch(counter, 'queue.counter.signIn', {
    counterId: 'w1',
    login: 'clerk01',
    pin: DEMO_PIN,
  });
  if (!clerk.ok) throw new Error(`clerk sign-in: ${clerk.error.message}`);
  return core;
}

/** Appends mutations through a second connection, as a domain write of the core would. */
function writeNotes(dir: string, from: number, count: number, name = 'test.note') {
  const db = new Sqlite(path.join(dir, 'device.sqlite'));
  db.pragma('busy_timeout = 5000');
  const outbox = createOutboxStore(db);
  for (let n = from; n < from + count; n++) {
    db.transaction(() =>
      outbox.append({ name, version: 1, args: { device: 'core', n, text: `n${n}` }, entityId: null }, new Date()),
    ).immediate();
  }
  return db;
}

describe('sync through the core: contract methods, restore, applicant profile', () => {
  let central: TestCentral;
  let hallId: string;
  const dirs: { dir: string; remove(): void }[] = [];
  const cores: Core[] = [];
  const dir = () => {
    const t = tempDir('ow-sync-core-');
    dirs.push(t);
    return t.dir;
  };

  beforeAll(async () => {
    central = await startCentral({ mutations: [testNote, ...mutationDefs] });
    hallId = (await central.admin.createHall('CORE01')).id;
  });
  afterAll(async () => {
    for (const c of cores) c.close();
    await central.stop();
    for (const t of dirs) t.remove();
  });

  it('enrolls with a code over the contract, reports status, and refuses a bad code with a typed error', async () => {
    const d = dir();
    const core = await openCore(d);
    cores.push(core);
    const before = await core.dispatch(admin, 'sync.status', {});
    // Pending already: the audit log's rows of the two sign-ins (the administrator's and the clerk's).
    expect(before).toMatchObject({ ok: true, value: { enrolled: false, pendingCount: 2 } });
    const bad = await core.dispatch(admin, 'sync.enroll', { centralUrl: central.url, code: 'AAAA-BBBB-CCCC' });
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', details: { reason: 'ENROLLMENT_CODE_INVALID' } },
    });
    expect(await core.dispatch(counter, 'sync.status', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    const code = (await central.admin.code(hallId, 'counter')).toLowerCase();
    const enrolled = await core.dispatch(admin, 'sync.enroll', { centralUrl: central.url, code });
    expect(enrolled).toMatchObject({ ok: true, value: { enrolled: true, hallCode: 'CORE01', running: true } });
    // The token is in the secret store (an owner-only file here), never in the database.
    const secret = path.join(d, 'secrets', 'central-token.secret');
    expect(fs.statSync(secret).mode & 0o777).toBe(0o600);
    const dbText = fs.readFileSync(path.join(d, 'device.sqlite')).toString('latin1');
    expect(dbText).not.toContain(fs.readFileSync(secret, 'utf8'));
  });

  it('the background loop pushes a new local write within a couple of seconds, unprompted', async () => {
    const d = dir();
    const core = await openCore(d);
    cores.push(core);
    await core.dispatch(admin, 'sync.enroll', {
      centralUrl: central.url,
      code: await central.admin.code(hallId, 'counter'),
    });
    await new Promise((r) => setTimeout(r, 300)); // the first round ends; the loop now idles (15 s)
    writeNotes(d, 0, 1).close();
    const until = Date.now() + 3000;
    while (core.sync.status().pendingCount > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(core.sync.status()).toMatchObject({ pendingCount: 0, lastError: null, running: true });
  });

  it('a round asked for while another is in flight runs after it, so it sends what was written meanwhile', async () => {
    const d = dir();
    // The first round's pull is held until the test lets it go: that round has pushed all it will push.
    let pulls = 0;
    let firstPullSent!: () => void;
    const firstPull = new Promise<void>((resolve) => (firstPullSent = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const holdingFetch: typeof fetch = async (input, init) => {
      if (String(input instanceof Request ? input.url : input).includes('/sync/v1/pull?') && pulls++ === 0) {
        firstPullSent();
        await released;
      }
      return fetch(input, init);
    };
    const config = deviceConfigSchema.parse({
      hall: { code: 'CORE01', name: '测试' },
      deviceCode: 'C9',
      roles: ['counter'],
      demo: true,
    });
    const core = await createCore({
      dataDir: d,
      config,
      appVersion: 'test',
      sync: { autoStart: false, fetch: holdingFetch },
    });
    cores.push(core);
    await signInAdmin(core.dispatch, admin);
    const enrolled = await core.dispatch(admin, 'sync.enroll', {
      centralUrl: central.url,
      code: await central.admin.code(hallId, 'counter'),
    });
    expect(enrolled).toMatchObject({ ok: true });
    const first = core.sync.runOnce();
    await firstPull;
    writeNotes(d, 0, 1).close();
    const second = core.sync.runOnce();
    release();
    expect(await first).toBe('ok');
    expect(await second).toBe('ok');
    expect(core.sync.status().pendingCount).toBe(0);
  });

  it('gives a restored database a new replica, so nothing written after the restore is lost (its notes counted apart from audit rows)', async () => {
    const d = dir();
    const core1 = await openCore(d);
    await core1.dispatch(admin, 'sync.enroll', {
      centralUrl: central.url,
      code: await central.admin.code(hallId, 'counter'),
    });
    await core1.sync.stop();
    const side = writeNotes(d, 0, 10);
    expect((await core1.dispatch(admin, 'sync.now', {})).ok).toBe(true);
    const first = createOutboxStore(side).activeReplicaId();
    // A backup with 5 more, not yet pushed; then 5 more that reach central before the disaster.
    writeNotes(d, 10, 5).close();
    const backup = path.join(d, 'backup.sqlite');
    await side.backup(backup);
    writeNotes(d, 15, 5).close();
    expect(await core1.dispatch(admin, 'sync.now', {})).toMatchObject({ ok: true, value: { pendingCount: 0 } });
    side.close();
    core1.close();

    // Restore the backup over the live file, as an operator would.
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(path.join(d, `device.sqlite${suffix}`), { force: true });
    fs.copyFileSync(backup, path.join(d, 'device.sqlite'));
    const core2 = await openCore(d);
    cores.push(core2);
    await core2.sync.stop();
    const after = writeNotes(d, 100, 3);
    const second = createOutboxStore(after).activeReplicaId();
    after.close();
    expect(second).not.toBe(first);
    expect(await core2.dispatch(admin, 'sync.now', {})).toMatchObject({
      ok: true,
      value: { pendingCount: 0, replicaId: second },
    });

    const { rows } = await central.pool.query<{ n: number; status: string; replica_id: string }>(
      `SELECT (args->>'n')::int AS n, status, replica_id FROM mutations m JOIN devices d ON d.id = m.device_id
       WHERE d.id = (SELECT device_id FROM replicas WHERE replica_id = $1) AND m.name = 'test.note'
       ORDER BY received_order`,
      [second],
    );
    expect(rows.map((r) => r.n)).toEqual([...Array.from({ length: 20 }, (_, i) => i), 100, 101, 102]);
    expect(rows.every((r) => r.status === 'applied')).toBe(true);
  });

  it('merges an applicant across halls by verified ID and answers the lookup; offline says so', async () => {
    const hallB = (await central.admin.createHall('CORE02')).id;
    const dA = dir();
    const dB = dir();
    const coreA = await openCore(dA, 'CORE01');
    const coreB = await openCore(dB, 'CORE02');
    cores.push(coreA, coreB);
    await coreA.dispatch(admin, 'sync.enroll', {
      centralUrl: central.url,
      code: await central.admin.code(hallId, 'counter'),
    });
    await coreB.dispatch(admin, 'sync.enroll', {
      centralUrl: central.url,
      code: await central.admin.code(hallB, 'counter'),
    });
    const idHash = sha('110105199001011234');
    const push = (d: string, rows: { name: string; args: unknown }[]) => {
      const db = new Sqlite(path.join(d, 'device.sqlite'));
      const outbox = createOutboxStore(db);
      for (const r of rows) {
        db.transaction(() =>
          outbox.append({ name: r.name, version: 1, args: r.args, entityId: null }, new Date()),
        ).immediate();
      }
      db.close();
    };
    const [applicantA, applicantB, visitId] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    const at = new Date().toISOString();
    push(dA, [
      applicantUpsert(applicantA, idHash),
      {
        name: 'visit.record',
        args: {
          visitId,
          counterId: 'w1',
          counterNumber: 1,
          clerkName: '李四',
          ticketId: null,
          ticketNumber: 'A001',
          hallDay: at.slice(0, 10),
          applicantId: applicantA,
          startedAt: at,
        },
      },
    ]);
    push(dB, [applicantUpsert(applicantB, idHash)]);
    await coreA.dispatch(admin, 'sync.now', {});
    await coreB.dispatch(admin, 'sync.now', {});

    const found = await coreB.dispatch(counter, 'sync.applicant.lookup', { idHash });
    expect(found.ok).toBe(true);
    const value = (found as { value: { source: string; profile: { history: { hallId: string; what: string }[] } } })
      .value;
    expect(value.source).toBe('central');
    expect(value.profile.history.map((h) => [h.hallId, h.what])).toEqual([[hallId, 'visit']]);
    expect((await central.pool.query('SELECT count(*)::int AS n FROM applicant_profiles')).rows[0].n).toBe(1);
    expect(await coreB.dispatch(counter, 'sync.applicant.lookup', { idHash: sha('nobody') })).toEqual({
      ok: true,
      value: { source: 'central', profile: null },
    });

    await coreB.sync.stop();
    const db = new Sqlite(path.join(dB, 'device.sqlite'));
    db.prepare(`UPDATE sync_state SET central_url = 'http://127.0.0.1:9'`).run();
    db.close();
    expect(await coreB.dispatch(counter, 'sync.applicant.lookup', { idHash })).toEqual({
      ok: true,
      value: { source: 'offline', reason: 'NETWORK' },
    });
  });
});
