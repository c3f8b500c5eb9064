import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { contract, type Role } from '@shared/api';
import { totp, base32Decode } from '../../electron/core/leader/totp';
import { startTestServer } from '../fixtures/test-server';
import { LEADER, callerOf, startLeaderCore } from '../fixtures/leader-core';

const LEADER_METHODS = Object.keys(contract).filter((m) => m.startsWith('leader.'));
const ADMIN_ONLY = ['leader.admin.enrol', 'leader.admin.import', 'leader.admin.storage'];
const OUTSIDERS: Role[] = ['counter', 'kiosk', 'display'];

describe('leader methods refuse every other role', () => {
  it('lists the pane methods (the checks below cover each one)', () => {
    expect(LEADER_METHODS.length).toBeGreaterThanOrEqual(13);
  });

  it('on the dispatcher: counter, kiosk and display get FORBIDDEN for every leader method, whatever the input', async () => {
    const t = await startLeaderCore();
    try {
      for (const role of OUTSIDERS) {
        for (const method of LEADER_METHODS) {
          const r = await t.call(callerOf(role), method, {});
          expect(r, `${role} ${method}`).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
        }
      }
      // The administrator manages accounts and imports, but never reads the pane.
      for (const method of LEADER_METHODS.filter((m) => !ADMIN_ONLY.includes(m) && m !== 'leader.audit.verify')) {
        expect(await t.call(callerOf('admin'), method, {}), method).toMatchObject({ error: { code: 'FORBIDDEN' } });
      }
      for (const method of ADMIN_ONLY) {
        expect(await t.call(callerOf('leader'), method, {}), method).toMatchObject({ error: { code: 'FORBIDDEN' } });
      }
    } finally {
      t.stop();
    }
  });
});

describe('leader methods over HTTP and WebSocket', () => {
  let s: Awaited<ReturnType<typeof startTestServer>>;
  let secret: Buffer;
  beforeAll(async () => {
    s = await startTestServer();
    const e = await s.call('leader.admin.enrol', LEADER, s.admin);
    secret = base32Decode((e.body.value as { totpSecret: string }).totpSecret);
  });
  afterAll(() => s.stop());

  it('HTTP: counter, kiosk and display tokens get 403 FORBIDDEN for every leader method', async () => {
    for (const role of OUTSIDERS) {
      const token = s.tokenFor(role);
      for (const method of LEADER_METHODS) {
        const r = await s.call(method, {}, token);
        expect([r.status, r.body.error?.code], `${role} ${method}`).toEqual([403, 'FORBIDDEN']);
      }
    }
  });

  it('WebSocket: counter, kiosk and display sessions get FORBIDDEN for every leader method', async () => {
    for (const role of OUTSIDERS) {
      const ws = new WebSocket(`${s.url.replace('http', 'ws')}/api/v1/ws`);
      const inbox: { type: string; id?: number; result?: { ok: boolean; error?: { code: string } } }[] = [];
      await new Promise<void>((resolve) => ws.on('open', () => resolve()));
      const done = new Promise<void>((resolve) =>
        ws.on('message', (d) => {
          inbox.push(JSON.parse(String(d)));
          if (inbox.filter((m) => m.type === 'result').length === LEADER_METHODS.length) resolve();
        }),
      );
      ws.send(JSON.stringify({ type: 'hello', token: s.tokenFor(role) }));
      LEADER_METHODS.forEach((method, id) => ws.send(JSON.stringify({ type: 'call', id, method, input: {} })));
      await done;
      ws.close();
      const results = inbox.filter((m) => m.type === 'result');
      for (const r of results) {
        expect(r.result, `${role} ${LEADER_METHODS[r.id!]}`).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      }
    }
  });

  it('a leader page without an unlocked session is refused SIGN_IN_REQUIRED by the dispatcher (no leader person); unlocking one page does not unlock another', async () => {
    const pageA = s.tokenFor('leader');
    const pageB = s.tokenFor('leader');
    const locked = await s.call('leader.briefing.list', {}, pageA);
    expect([locked.status, locked.body.error]).toMatchObject([
      401,
      { code: 'SIGN_IN_REQUIRED', details: { reason: 'SIGN_IN_REQUIRED' } },
    ]);
    const login = await s.call(
      'leader.session.login',
      { login: LEADER.login, password: LEADER.password, code: totp(secret, Date.now()) },
      pageA,
    );
    expect(login.body).toMatchObject({ ok: true, value: { state: 'unlocked' } });
    expect((await s.call('leader.briefing.list', {}, pageA)).body).toEqual({ ok: true, value: [] });
    expect((await s.call('leader.briefing.list', {}, pageB)).body.error).toMatchObject({ code: 'SIGN_IN_REQUIRED' });
  });
});
