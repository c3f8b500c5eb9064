import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SYNC_SCHEMA_HEADER } from '@shared/sync/wire';
import { SYNC_SCHEMA_VERSION } from '@shared/sync/version';
import { mutationDefs } from '@shared/sync/mutations';
import { CRYPTO_PROFILES } from '@shared/crypto/profile';
import { canonicalJson } from '@shared/leader/audit-chain';
import { auditHash } from '../../electron/core/leader/audit-chain';
import { openSyncDevice, type SyncDevice } from '../fixtures/central-device';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { testNote } from '../fixtures/central-mutations';
import { bundle, callerOf, startLeaderCore } from '../fixtures/leader-core';
import { tempDir } from '../fixtures/temp-dir';

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
const GENESIS = '0'.repeat(64);

interface StaffRow {
  seq: number;
  at: string;
  action: string;
  actor_staff_id: string | null;
  actor_login: string | null;
  origin: string;
  target: string | null;
  outcome: string;
  detail: string;
}

/**
 * What someone holding only device.sqlite can do: get around the append-only triggers, change a row and
 * recompute every hash after it with the chain's published formula (SHA-256 over the previous hash and
 * the row's canonical JSON).
 */
function rewriteStaffAudit(file: string, fromSeq: number, change: (r: StaffRow) => void) {
  const db = new Sqlite(file);
  db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
  const rows = db.prepare<[], StaffRow & { hash: string }>('SELECT * FROM audit_log ORDER BY seq').all();
  const set = db.prepare('UPDATE audit_log SET detail = ?, outcome = ?, prev_hash = ?, hash = ? WHERE seq = ?');
  let prev = GENESIS;
  for (const r of rows) {
    if (r.seq >= fromSeq) {
      if (r.seq === fromSeq) change(r);
      const fields = {
        at: r.at,
        action: r.action,
        actorStaffId: r.actor_staff_id,
        actorLogin: r.actor_login,
        origin: r.origin,
        target: r.target,
        outcome: r.outcome,
        detail: JSON.parse(r.detail) as unknown,
      };
      r.hash = sha256(prev + canonicalJson({ seq: r.seq, ...fields }));
      set.run(r.detail, r.outcome, prev, r.hash, r.seq);
    }
    prev = r.hash;
  }
  db.close();
}

/** Cuts the last `count` rows off the staff audit log, around its triggers. */
function truncateStaffAudit(file: string, count: number) {
  const db = new Sqlite(file);
  db.exec('DROP TRIGGER IF EXISTS audit_log_no_delete');
  db.prepare('DELETE FROM audit_log WHERE seq > (SELECT max(seq) FROM audit_log) - ?').run(count);
  db.close();
}

describe.each(CRYPTO_PROFILES)('keyed audit on the device (%s profile)', (profile) => {
  let t: Awaited<ReturnType<typeof startLeaderCore>>;
  const admin = callerOf('admin');
  const leader = callerOf('leader', 'window-leader-1');
  const deviceFile = () => path.join(t.dataDir, 'device.sqlite');
  const leaderFile = () => path.join(t.dataDir, 'leader.sqlite');

  beforeEach(async () => {
    t = await startLeaderCore(180, { crypto: profile });
    await t.enrol();
    await t.value(admin, 'leader.admin.import', bundle());
    await t.login(leader);
  });
  afterEach(() => t.stop());

  const staffVerify = () =>
    t.value<{ ok: boolean; rows: number; brokenAtSeq: number | null; reason: string | null }>(
      admin,
      'audit.verify',
      {},
    );

  it('staff audit: rows rewritten with their plain hashes recomputed fail verify', async () => {
    expect(await staffVerify()).toMatchObject({ ok: true, brokenAtSeq: null });
    await t.restart(() =>
      rewriteStaffAudit(deviceFile(), 1, (r) => {
        r.outcome = 'refused';
      }),
    );
    expect(await staffVerify()).toMatchObject({ ok: false, brokenAtSeq: 1, reason: expect.stringMatching(/changed/) });
  });

  it('staff audit: rows cut off the end fail verify', async () => {
    const intact = await staffVerify();
    expect(intact.ok).toBe(true);
    await t.restart(() => truncateStaffAudit(deviceFile(), 1));
    // The restart signed the administrator in again: a new row follows the cut, and the cut still shows.
    expect(await staffVerify()).toMatchObject({ ok: false, reason: expect.stringMatching(/rewritten|missing/) });
  });

  it('leader audit: rows rewritten with their plain hashes recomputed fail verify', () => {
    expect(t.core.leader.verifyAudit()).toMatchObject({ ok: true });
    const db = new Sqlite(leaderFile());
    const rows = db
      .prepare<[], { seq: number; at: string; leader_id: string | null; origin: string; event: string }>(
        'SELECT * FROM leader_audit ORDER BY seq',
      )
      .all() as unknown as {
      seq: number;
      at: string;
      leader_id: string | null;
      origin: string;
      event: string;
      target_id: string | null;
      detail: string;
    }[];
    let prev = GENESIS;
    for (const r of rows) {
      const fields = {
        seq: r.seq,
        at: r.at,
        leaderId: r.leader_id,
        origin: r.origin,
        event: r.seq === 2 ? 'login.failure' : r.event,
        targetId: r.target_id,
        detail: JSON.parse(r.detail) as Record<string, string>,
      };
      const hash = auditHash(prev, fields);
      db.prepare('UPDATE leader_audit SET event = ?, prev_hash = ?, hash = ? WHERE seq = ?').run(
        fields.event,
        prev,
        hash,
        r.seq,
      );
      prev = hash;
    }
    db.close();
    expect(t.core.leader.verifyAudit()).toMatchObject({ ok: false, firstBrokenSeq: expect.any(Number) });
  });

  it('leader audit: rows cut off the end fail verify', async () => {
    const intact = t.core.leader.verifyAudit();
    expect(intact.ok).toBe(true);
    const db = new Sqlite(leaderFile());
    db.prepare('DELETE FROM leader_audit WHERE seq > ?').run(intact.entries - 2);
    db.close();
    expect(t.core.leader.verifyAudit()).toMatchObject({
      ok: false,
      firstBrokenSeq: intact.entries - 1,
      reason: expect.stringMatching(/missing/),
    });
  });

  it('rows written before the device had an audit key are reported as unkeyed; the rows after them are keyed', async () => {
    // A data folder from before keyed audit: plain hashes and no audit secrets.
    await t.restart(() => {
      rewriteStaffAudit(deviceFile(), 1, () => undefined);
      for (const f of fs.readdirSync(path.join(t.dataDir, 'secrets'))) {
        if (f.startsWith('audit-')) fs.rmSync(path.join(t.dataDir, 'secrets', f));
      }
    });
    const v = await t.value<{ ok: boolean; rows: number; keyedFromSeq: number; unkeyedRows: number }>(
      admin,
      'audit.verify',
      {},
    );
    expect(v.ok).toBe(true);
    expect(v.unkeyedRows).toBeGreaterThan(0);
    expect(v.keyedFromSeq).toBe(v.unkeyedRows + 1);
    // The sign-in after the restart is keyed: rewriting it the old way is caught.
    expect(v.rows).toBeGreaterThan(v.unkeyedRows);
    await t.restart(() => rewriteStaffAudit(deviceFile(), v.keyedFromSeq, () => undefined));
    expect(await staffVerify()).toMatchObject({ ok: false, brokenAtSeq: v.keyedFromSeq });
  });
});

describe('keyed audit anchored at central', () => {
  let central: TestCentral;
  let hallId: string;
  const dirs: { dir: string; remove(): void }[] = [];
  const devices: SyncDevice[] = [];

  beforeAll(async () => {
    central = await startCentral({ mutations: [...mutationDefs, testNote] });
    hallId = (await central.admin.createHall('KAUD1')).id;
  });
  afterAll(async () => {
    for (const d of devices) await d.close();
    await central.stop();
    for (const d of dirs) d.remove();
  });

  async function device(name: string) {
    const dir = tempDir(`ow-sec-keyed-audit-${name}-`);
    dirs.push(dir);
    const d = await openSyncDevice({ dataDir: dir.dir, name });
    devices.push(d);
    await d.engine.enroll(central.url, await central.admin.code(hallId, 'counter'));
    return { d, file: path.join(dir.dir, 'device.sqlite') };
  }
  const record = (d: SyncDevice, n: number) => {
    for (let i = 0; i < n; i++) {
      d.audit.record({
        action: 'sign_in',
        actorStaffId: null,
        actorLogin: 'clerk.one',
        origin: 'test',
        target: null,
        outcome: 'ok',
        detail: { i },
      });
    }
  };
  const alarmsOf = async (deviceId: string) =>
    (
      await central.admin.request<{ deviceId: string; chain: string; kind: string; headSeq: number }[]>(
        'GET',
        '/admin/v1/audit-alarms',
      )
    ).json.filter((a) => a.deviceId === deviceId);
  const notesAt = async (deviceId: string) =>
    (
      await central.pool.query(`SELECT status FROM mutations WHERE device_id = $1 AND name = 'test.note'`, [deviceId])
    ).rows.map((r: { status: string }) => r.status);

  it('a chain cut short on the device is flagged at central, and the push still applies', async () => {
    const { d, file } = await device('cut');
    record(d, 4);
    expect(await d.engine.runOnce()).toBe('ok');
    const deviceId = d.engine.status().deviceId!;
    expect(await alarmsOf(deviceId)).toEqual([]);

    truncateStaffAudit(file, 2);
    expect(d.audit.verify()).toMatchObject({ ok: false, reason: expect.stringMatching(/missing/) });
    d.write(1);
    expect(await d.engine.runOnce()).toBe('ok');
    expect(await alarmsOf(deviceId)).toEqual([
      expect.objectContaining({ chain: 'staff', kind: 'TRUNCATED', headSeq: 2 }),
    ]);
    expect(await notesAt(deviceId)).toEqual(['applied']);
  });

  it('rows rewritten on the device after they were pushed are flagged at central', async () => {
    const { d, file } = await device('rewrite');
    record(d, 3);
    expect(await d.engine.runOnce()).toBe('ok');
    const deviceId = d.engine.status().deviceId!;
    rewriteStaffAudit(file, 2, (r) => {
      r.detail = JSON.stringify({ i: 99 });
    });
    record(d, 1);
    expect(await d.engine.runOnce()).toBe('ok');
    expect(await alarmsOf(deviceId)).toEqual([
      expect.objectContaining({ chain: 'staff', kind: 'REWRITTEN', headSeq: 4 }),
    ]);
    expect(d.audit.verify()).toMatchObject({ ok: false, brokenAtSeq: 2 });
  });

  it('a forged head pushed to central is flagged, and the mutations pushed with it still apply', async () => {
    const { d } = await device('forged');
    record(d, 2);
    expect(await d.engine.runOnce()).toBe('ok');
    const deviceId = d.engine.status().deviceId!;
    const push = async (head: { seq: number; hash: string }) => {
      const res = await fetch(`${central.url}/sync/v1/push`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${d.token()}`,
          [SYNC_SCHEMA_HEADER]: String(SYNC_SCHEMA_VERSION),
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          mutations: [
            {
              replicaId: crypto.randomUUID(),
              seq: 1,
              mutationId: crypto.randomUUID(),
              name: 'test.note',
              version: 1,
              args: { device: 'forged', n: head.seq, text: 'with a forged head' },
              entityId: null,
              schemaVersion: SYNC_SCHEMA_VERSION,
              deviceTime: new Date().toISOString(),
            },
          ],
          auditHeads: [{ chain: 'staff', keyedFrom: 1, ...head }],
        }),
      });
      expect(res.status).toBe(200);
      return (await res.json()) as { outcomes: { status: string }[]; auditAlarms: { kind: string }[] };
    };

    // A head at a row central holds, with another hash.
    const atHeld = await push({ seq: 2, hash: 'f'.repeat(64) });
    expect(atHeld.outcomes.map((o) => o.status)).toEqual(['applied']);
    expect(atHeld.auditAlarms).toEqual([expect.objectContaining({ chain: 'staff', kind: 'REWRITTEN' })]);

    // A head beyond what central holds: flagged as soon as the device's own next head contradicts it.
    expect((await push({ seq: 500, hash: 'e'.repeat(64) })).auditAlarms).toEqual([]);
    record(d, 1);
    expect(await d.engine.runOnce()).toBe('ok');
    expect((await alarmsOf(deviceId)).map((a) => a.kind).sort()).toEqual(['REWRITTEN', 'TRUNCATED']);
    expect(await notesAt(deviceId)).toEqual(['applied', 'applied']);
  });
});

describe('keyed leader audit anchored at central', () => {
  let central: TestCentral;
  let t: Awaited<ReturnType<typeof startLeaderCore>>;
  const admin = callerOf('admin');
  const pane = callerOf('leader');
  let leaderId: string;

  beforeAll(async () => {
    central = await startCentral({ mutations: [...mutationDefs] });
    const hallId = (await central.admin.createHall('KAUD2')).id;
    leaderId = await central.admin.leader(hallId);
    t = await startLeaderCore();
    await t.value(admin, 'sync.enroll', {
      centralUrl: central.url,
      code: await central.admin.code(hallId, 'leader', leaderId),
    });
    await t.enrol();
    // The rounds are the test's own: a background round already in flight would answer the test's runOnce()
    // with a push made before the rows it means to send (seen under load: no alarm yet).
    await t.core.sync.stop();
  }, 60_000);
  afterAll(async () => {
    t.stop();
    await central.stop();
  });

  it('rows cut off the leader chain on the device are flagged at central, which still verifies its own copy', async () => {
    for (let i = 0; i < 3; i++) {
      t.nextStep();
      expect(await t.login(pane)).toMatchObject({ ok: true });
      await t.value(pane, 'leader.session.lock', {});
    }
    expect(await t.core.sync.runOnce()).toBe('ok');
    const deviceId = t.core.sync.status().deviceId!;
    const verify = `/admin/v1/devices/${deviceId}/leader-audit/verify`;
    expect((await central.admin.request('GET', verify)).json).toMatchObject({ ok: true, keyedFromSeq: 1 });
    const entries = t.core.leader.verifyAudit().entries;

    const db = new Sqlite(path.join(t.dataDir, 'leader.sqlite'));
    db.prepare('DELETE FROM leader_audit WHERE seq > ?').run(entries - 3);
    db.close();
    expect(t.core.leader.verifyAudit()).toMatchObject({ ok: false, reason: expect.stringMatching(/missing/) });

    // The two rows the pane writes next (lock, sign-in) go out with a head behind the anchored one.
    t.nextStep();
    await t.value(pane, 'leader.session.lock', {});
    expect(await t.login(pane)).toMatchObject({ ok: true });
    expect(await t.core.sync.runOnce()).toBe('ok');
    const alarms = (
      await central.admin.request<{ deviceId: string; chain: string; kind: string }[]>('GET', '/admin/v1/audit-alarms')
    ).json.filter((a) => a.deviceId === deviceId && a.chain === 'leader');
    expect(alarms.map((a) => a.kind)).toContain('TRUNCATED');
    // Central's own copy is intact: the keyed rows check by their content hash.
    expect((await central.admin.request('GET', verify)).json).toMatchObject({ ok: true });
  });
});
