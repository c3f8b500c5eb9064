import crypto from 'node:crypto';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centralCommentAad } from '@shared/leader/seal-format';
import type { LeaderActionSealedArgs } from '@shared/sync/mutations/leader';
import type { LeaderSealKey } from '../../central/src/sync/leader-seal';
import { deriveKek, newDataKey, seal, sealJson, wrapKey } from '../../electron/core/leader/crypto';
import { totp } from '../../electron/core/leader/totp';
import { createOutboxStore } from '../../electron/core/store/outbox-store';
import { IDS, PDF_BYTES, TEST_SCRYPT, bundle, callerOf, startLeaderCore } from '../fixtures/leader-core';

const pane = callerOf('leader');
const OLD = { id: crypto.randomUUID(), login: 'wang.fang', name: '王芳', password: 'old account 口令 123' };
const COMMENT = '请办理 LEGACY-COMMENT-8812';

/**
 * An account written before leader migration 3 (content under a data key, wrapped by the password and,
 * then, by the device): the migration dropped the device wrapping, so nothing opens it but the password.
 * The first sign-in converts it to its own key pair; content for it waits until then.
 */
describe('a leader account from before the key pair', () => {
  let t: Awaited<ReturnType<typeof startLeaderCore>>;
  let central: LeaderSealKey;
  const totpSecret = crypto.randomBytes(20);
  const actionId = crypto.randomUUID();

  beforeAll(async () => {
    t = await startLeaderCore();
    central = t.knowCentral();
    const dek = newDataKey();
    const salt = crypto.randomBytes(16);
    const kek = await deriveKek(OLD.password, salt, TEST_SCRYPT);
    const b = bundle().briefings[0]!;
    const at = new Date(t.clock.ms).toISOString();
    await t.restart(() => {
      const db = new Sqlite(path.join(t.dataDir, 'leader.sqlite'));
      db.prepare(
        `INSERT INTO leader_account (id, login, profile, kdf_salt, kdf_params, dek_by_password, dek_by_device,
           created_at, password_changed_at) VALUES (?, ?, ?, ?, ?, ?, X'', ?, ?)`,
      ).run(
        OLD.id,
        OLD.login,
        sealJson(dek, { name: OLD.name, totpSecret: totpSecret.toString('base64') }, `leader_account:${OLD.id}`),
        salt,
        JSON.stringify(TEST_SCRYPT),
        wrapKey(kek, dek, 'password'),
        at,
        at,
      );
      const { id: _id, ...body } = b;
      const record = db.prepare(
        `INSERT INTO leader_record (id, leader_id, kind, body, updated_at, source) VALUES (?, ?, ?, ?, ?, 'local')`,
      );
      record.run(b.id, OLD.id, 'briefing', sealJson(dek, body, `leader_record:${OLD.id}:briefing:${b.id}`), at);
      const meta = { name: '通知.pdf', mime: 'application/pdf', classification: 'internal', publishedAt: at, size: 1 };
      record.run(IDS.pdf, OLD.id, 'file', sealJson(dek, meta, `leader_record:${OLD.id}:file:${IDS.pdf}`), at);
      db.prepare('INSERT INTO leader_file_blob (record_id, data) VALUES (?, ?)').run(
        IDS.pdf,
        seal(dek, PDF_BYTES, `leader_file_blob:${OLD.id}:${IDS.pdf}`),
      );
      // A 批示 written before the upgrade and never forwarded.
      db.prepare(
        `INSERT INTO leader_action (id, leader_id, target_id, action, body, at) VALUES (?, ?, ?, 'comment', ?, ?)`,
      ).run(actionId, OLD.id, b.id, sealJson(dek, { comment: COMMENT }, `leader_action:${OLD.id}:${actionId}`), at);
      db.close();
    });
  });
  afterAll(() => t.stop());

  it('takes no content for the account until its leader signs in, and forwards nothing of it', () => {
    expect(() => t.core.leader.importLeaderContent(OLD.id, { briefings: [] })).toThrow(
      expect.objectContaining({ details: expect.objectContaining({ reason: 'leader_key_upgrade_pending' }) }),
    );
    const device = new Sqlite(path.join(t.dataDir, 'device.sqlite'), { readonly: true });
    expect(createOutboxStore(device).forEntity(actionId)).toEqual([]);
    device.close();
  });

  it('converts at the first sign-in: everything opens, the data key is gone, the 批示 goes out sealed', async () => {
    const r = await t.call(pane, 'leader.session.login', {
      login: OLD.login,
      password: OLD.password,
      code: totp(totpSecret, t.clock.ms),
    });
    expect(r).toMatchObject({ ok: true });
    const briefing = await t.value<{ title: string; actions: { comment: string | null }[] }>(
      pane,
      'leader.briefing.open',
      { id: IDS.briefing },
    );
    expect(briefing.title).toContain('PLAINTEXT-BRIEFING-5532');
    expect(briefing.actions.map((a) => a.comment)).toEqual([COMMENT]);
    const file = await t.value<{ dataBase64: string }>(pane, 'leader.file.view', { id: IDS.pdf });
    expect(Buffer.from(file.dataBase64, 'base64')).toEqual(PDF_BYTES);

    const db = new Sqlite(path.join(t.dataDir, 'leader.sqlite'), { readonly: true });
    const account = db.prepare('SELECT * FROM leader_account WHERE id = ?').get(OLD.id) as Record<string, Buffer>;
    db.close();
    expect(account.dek_by_password).toHaveLength(0);
    expect(account.seal_public).toHaveLength(32);

    const device = new Sqlite(path.join(t.dataDir, 'device.sqlite'), { readonly: true });
    const [sent] = createOutboxStore(device).forEntity(actionId) as { version: number; args: LeaderActionSealedArgs }[];
    device.close();
    expect(sent?.version).toBe(2);
    const opened = central.open(Buffer.from(sent!.args.sealedComment, 'base64'), centralCommentAad(OLD.id, actionId));
    expect(JSON.parse(opened.toString())).toEqual({ comment: COMMENT });
    expect(t.core.leader.verifyAudit()).toMatchObject({ ok: true });
  });

  it('takes content for the account once converted', () => {
    expect(t.core.leader.importLeaderContent(OLD.id, { briefings: [] })).toMatchObject({ briefings: 0 });
  });
});
