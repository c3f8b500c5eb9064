import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChainLink } from '@shared/audit/keyed-chain';
import type { CryptoProfileName } from '@shared/crypto/profile';
import { canonicalJson } from '@shared/leader/audit-chain';
import { createAuditKeyring, createKeyedChain } from '../../electron/core/audit/keyed-chain';
import { createAttachments } from '../../electron/core/attachments/create-attachments';
import { ATTACHMENTS_FOLDER } from '../../electron/core/attachments/attachments-folder';
import { mac } from '../../electron/core/crypto/profile';
import { openDatabase } from '../../electron/core/db/open';
import { deviceMigrations } from '../../electron/core/db/migrations';
import { createFileSecretStore } from '../../electron/core/sync/secret-store';
import { bundle, callerOf, IDS, LEADER, startLeaderCore } from '../fixtures/leader-core';
import { jpeg } from '../fixtures/pages';
import { tempDir } from '../fixtures/temp-dir';

/**
 * A device switched from the default profile to `sm` (and back): what it sealed and hashed before still
 * opens and verifies, and what it writes from then on uses the SM algorithms.
 */
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

const sealedFiles = (dir: string) =>
  fs
    .readdirSync(path.join(dir, ATTACHMENTS_FOLDER), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => fs.readFileSync(path.join(e.parentPath, e.name)));

describe('attachment pages across a profile switch', () => {
  it('pages sealed with AES-256-GCM still open under sm, new ones are SM4-GCM, and both open after switching back', async () => {
    const tmp = tempDir('ow-profile-att-');
    cleanups.push(tmp.remove);
    const open = async (profile: CryptoProfileName) => {
      const { db } = await openDatabase({
        file: path.join(tmp.dir, 'device.sqlite'),
        migrations: deviceMigrations,
        now: () => new Date(),
      });
      const att = createAttachments({
        db,
        dataDir: tmp.dir,
        secrets: createFileSecretStore(path.join(tmp.dir, 'secrets')),
        crypto: profile,
        retentionDays: 30,
        connection: () => undefined,
        now: () => new Date(),
      });
      return { service: att.service, close: () => db.close() };
    };
    const draftId = crypto.randomUUID();
    const before = jpeg(20_000, 1);
    const after = jpeg(20_000, 2);

    const a = await open('default');
    const old = a.service.add({ draftId, materialId: 'm', content: before });
    a.close();
    expect(sealedFiles(tmp.dir).map((f) => f[0])).toEqual([1]);

    const b = await open('sm');
    expect(b.service.read(old.id).content.equals(before)).toBe(true);
    const fresh = b.service.add({ draftId, materialId: 'm', content: after });
    b.close();
    expect(
      sealedFiles(tmp.dir)
        .map((f) => f[0])
        .sort(),
    ).toEqual([1, 2]);

    const c = await open('default');
    expect(c.service.read(old.id).content.equals(before)).toBe(true);
    expect(c.service.read(fresh.id).content.equals(after)).toBe(true);
    c.close();
  });
});

describe('a keyed audit chain across profile switches', () => {
  function chainRows() {
    const rows: ChainLink[] = [];
    return {
      rows,
      source: {
        head: () => rows.at(-1) && { seq: rows.at(-1)!.seq, hash: rows.at(-1)!.hash },
        hashAt: (seq: number) => rows[seq - 1]?.hash,
        links: () => rows,
        busy: () => false,
      },
    };
  }

  it('keeps each row under the MAC that keyed it, as the record off the database says', async () => {
    const tmp = tempDir('ow-profile-chain-');
    cleanups.push(tmp.remove);
    const secrets = createFileSecretStore(tmp.dir);
    const { rows, source } = chainRows();
    const append = (chain: ReturnType<typeof createKeyedChain>, n: number) => {
      for (let i = 0; i < n; i++) {
        const seq = rows.length + 1;
        const prevHash = rows.at(-1)?.hash ?? '0'.repeat(64);
        const payload = canonicalJson({ seq, event: `e${seq}` });
        rows.push({ seq, prevHash, payload, hash: chain.hash(prevHash, payload) });
      }
    };
    const settle = () => new Promise<void>((resolve) => queueMicrotask(resolve));

    append(createKeyedChain(createAuditKeyring(secrets, 'default'), 'staff', source), 3);
    const sm = createKeyedChain(createAuditKeyring(secrets, 'sm'), 'staff', source);
    append(sm, 3);
    sm.appended();
    await settle();
    const back = createKeyedChain(createAuditKeyring(secrets, 'default'), 'staff', source);
    append(back, 2);

    const record = JSON.parse(secrets.get('audit-head-staff')!) as { macs: unknown };
    expect(record.macs).toEqual([
      { from: 4, mac: 'hmac-sm3' },
      { from: 7, mac: 'hmac-sha256' },
    ]);
    expect(back.verify()).toMatchObject({ ok: true, entries: 8 });

    // Row 5 as HMAC-SM3 computed by OpenSSL (an implementation independent of the app's).
    const master = Buffer.from(secrets.get('audit-key')!, 'base64');
    if (crypto.getHashes().includes('sm3')) {
      const chainKey = crypto.createHmac('sm3', master).update('onewindow-audit/staff').digest();
      const r5 = rows[4]!;
      expect(
        crypto
          .createHmac('sm3', chainKey)
          .update(r5.prevHash + r5.payload)
          .digest('hex'),
      ).toBe(r5.hash);
    }

    // Whoever holds the key but rewrites an SM row with the other MAC still breaks the chain.
    const chainKey = mac('hmac-sha256', master, 'onewindow-audit/staff');
    const r5 = rows[4]!;
    r5.payload = canonicalJson({ seq: 5, event: 'forged' });
    r5.hash = mac('hmac-sha256', chainKey, r5.prevHash + r5.payload).toString('hex');
    rows[5]!.prevHash = r5.hash;
    expect(createKeyedChain(createAuditKeyring(secrets, 'default'), 'staff', source).verify()).toMatchObject({
      ok: false,
      firstBrokenSeq: 5,
    });
  });
});

describe('a leader device switched from the default profile to sm', () => {
  it('still opens what it sealed before, keys new audit rows with HMAC-SM3 and seals new content and key wraps with SM4-GCM', async () => {
    const t = await startLeaderCore(180, { crypto: 'default' });
    cleanups.push(() => t.stop());
    const admin = callerOf('admin');
    const leader = callerOf('leader', 'window-leader-1');
    await t.enrol();
    await t.value(admin, 'leader.admin.import', bundle());
    expect((await t.login(leader)).ok).toBe(true);
    const wrapAlg = () => {
      const db = new Sqlite(path.join(t.dataDir, 'leader.sqlite'), { readonly: true });
      const row = db.prepare('SELECT seal_private_by_password AS w FROM leader_account').get() as { w: Buffer };
      db.close();
      return row.w[0];
    };
    expect(wrapAlg()).toBe(1);

    const boxVersions = () => {
      const db = new Sqlite(path.join(t.dataDir, 'leader.sqlite'), { readonly: true });
      const rows = db.prepare('SELECT body FROM leader_record WHERE id = ?').all(IDS.briefing) as { body: Buffer }[];
      db.close();
      return rows.map((r) => r.body[0]);
    };
    expect(boxVersions()).toEqual([2]);

    await t.restart(undefined, { crypto: 'sm' });
    t.nextStep();
    expect((await t.login(leader)).ok).toBe(true);
    // Sealed before the switch (HKDF-SHA-256, AES-256-GCM), opened after it.
    const before = await t.value<{ title: string }>(leader, 'leader.briefing.open', { id: IDS.briefing });
    expect(before.title).toContain('PLAINTEXT-BRIEFING-5532');
    // Imported again after it: sealed with HKDF-SM3 and SM4-GCM, and it opens.
    await t.value(admin, 'leader.admin.import', bundle());
    expect(boxVersions()).toEqual([3]);
    const after = await t.value<{ title: string }>(leader, 'leader.briefing.open', { id: IDS.briefing });
    expect(after.title).toBe(before.title);
    expect(t.core.leader.verifyAudit()).toMatchObject({ ok: true });
    expect(await t.value(admin, 'audit.verify', {})).toMatchObject({ ok: true });

    const secrets = createFileSecretStore(path.join(t.dataDir, 'secrets'));
    const staff = JSON.parse(secrets.get('audit-head-staff')!) as { macs: { from: number; mac: string }[] };
    expect(staff.macs).toHaveLength(1);
    expect(staff.macs[0]!.mac).toBe('hmac-sm3');
    const from = staff.macs[0]!.from;
    expect(from).toBeGreaterThan(1);
    // The first SM row, recomputed from the rows in device.sqlite and the key in the secret store.
    const db = new Sqlite(path.join(t.dataDir, 'device.sqlite'), { readonly: true });
    const r = db.prepare('SELECT * FROM audit_log WHERE seq = ?').get(from) as Record<string, string> & {
      seq: number;
    };
    db.close();
    const payload = canonicalJson({
      seq: r.seq,
      at: r.at,
      action: r.action,
      actorStaffId: r.actor_staff_id,
      actorLogin: r.actor_login,
      origin: r.origin,
      target: r.target,
      outcome: r.outcome,
      detail: JSON.parse(r.detail!) as unknown,
    });
    const master = Buffer.from(secrets.get('audit-key')!, 'base64');
    const chainKey = mac('hmac-sm3', master, 'onewindow-audit/staff');
    expect(mac('hmac-sm3', chainKey, r.prev_hash! + payload).toString('hex')).toBe(r.hash);

    t.nextStep();
    const changed = await t.call(leader, 'leader.password.change', {
      currentPassword: LEADER.password,
      newPassword: 'a new password 国密 2026',
      code: t.code(),
    });
    expect(changed.ok).toBe(true);
    expect(wrapAlg()).toBe(2);
    await t.restart();
    t.nextStep();
    expect((await t.login(leader, 'a new password 国密 2026')).ok).toBe(true);
    expect(t.core.leader.verifyAudit()).toMatchObject({ ok: true });
  });
});
