import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '@shared/api';
import { LEADER_IMPORT_MAX_BYTES } from '@shared/api/methods/leader';
import { deviceMigrations } from '../../electron/core/db/migrations';
import { pdfBundle, transportLeader } from '../fixtures/leader-import';
import { startTestServer } from '../fixtures/test-server';

const goodProfile = { name: '朝阳区政务服务中心', address: '北京市朝阳区', enquiryPhone: '010-12345', trackingUrl: '' };

describe('contract over HTTP', () => {
  let s: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  it('refuses a call without a token, or with an unknown one', async () => {
    for (const token of [undefined, 'forged-token']) {
      const r = await s.call('system.info', {}, token);
      expect(r.status).toBe(401);
      expect(r.body.error?.code).toBe('UNAUTHENTICATED');
      // The one refusal after which a page opens a new session (renderer/src/api/http-transport.ts).
      expect(r.body.error?.details).toEqual({ reason: 'UNKNOWN_SESSION' });
    }
  });

  it('answers system.info with the caller role and transport', async () => {
    const r = await s.call('system.info', {}, s.tokenFor('display'));
    expect(r.status).toBe(200);
    expect(r.body.value).toMatchObject({
      role: 'display',
      transport: 'http',
      hall: { code: 'TEST01' },
      schemaVersion: deviceMigrations.length,
      timeZone: 'Asia/Shanghai',
    });
  });

  it("tells every role the hall's time zone as the queue settings have it", async () => {
    const settings = (await s.call('queue.settings.get', {}, s.admin)).body.value as Record<string, unknown>;
    const update = (timeZone: string) => s.call('queue.settings.update', { ...settings, timeZone }, s.admin);
    expect((await update('Asia/Urumqi')).status).toBe(200);
    try {
      for (const role of ['kiosk', 'counter', 'display'] as const) {
        expect((await s.call('system.info', {}, s.tokenFor(role))).body.value).toMatchObject({
          timeZone: 'Asia/Urumqi',
        });
      }
    } finally {
      await update(String(settings.timeZone));
    }
  });

  it('refuses a role calling a method it may not call, and writes nothing', async () => {
    const r = await s.call('hall.profile.update', goodProfile, s.tokenFor('kiosk'));
    expect(r.status).toBe(403);
    expect(r.body.error?.code).toBe('FORBIDDEN');
    const after = await s.call('hall.profile.get', {}, s.tokenFor('kiosk'));
    expect(after.body.value).toMatchObject({ name: '测试大厅', updatedAt: null });
  });

  it('refuses bad input with a typed error naming the fields', async () => {
    const r = await s.call('hall.profile.update', { ...goodProfile, enquiryPhone: 'abc', name: ' ' }, s.admin);
    expect(r.status).toBe(400);
    expect(r.body.error?.code).toBe('INVALID_INPUT');
    expect(JSON.stringify(r.body)).toContain('enquiryPhone');
  });

  it('refuses malformed JSON and an unknown method with typed errors', async () => {
    const bad = await s.call('system.info', '{"unterminated', s.admin, true);
    expect([bad.status, bad.body.error?.code]).toEqual([400, 'INVALID_INPUT']);
    const unknown = await s.call('system.reboot', {}, s.admin);
    expect([unknown.status, unknown.body.error?.code]).toEqual([404, 'UNKNOWN_METHOD']);
  });

  it('refuses a body over the size limit', async () => {
    const r = await s.call('hall.profile.update', { ...goodProfile, address: 'x'.repeat(MAX_BODY_BYTES) }, s.admin);
    expect([r.status, r.body.error?.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
  });

  it('holds a file import to its own limit, not the ordinary one, and refuses it beyond that', async () => {
    const admin = s.admin;
    expect((await s.call('leader.admin.enrol', transportLeader('transport.http'), admin)).status).toBe(200);
    const big = pdfBundle('transport.http', 3 * 1024 * 1024);
    const r = await s.call('leader.admin.import', big, admin);
    expect([r.status, r.body.value]).toEqual([200, { schedules: 0, briefings: 0, files: 1, removed: 0 }]);

    const tooBig = await s.call(
      'leader.admin.import',
      pdfBundle('transport.http', (LEADER_IMPORT_MAX_BYTES / 4) * 3),
      admin,
    );
    expect([tooBig.status, tooBig.body.error]).toMatchObject([
      413,
      { code: 'PAYLOAD_TOO_LARGE', message: `request body exceeds ${LEADER_IMPORT_MAX_BYTES} bytes` },
    ]);
    // The same body to a method without a limit of its own is refused at the ordinary one.
    const elsewhere = await s.call('hall.profile.update', big, admin);
    expect([elsewhere.status, elsewhere.body.error]).toMatchObject([
      413,
      { code: 'PAYLOAD_TOO_LARGE', message: `request body exceeds ${MAX_BODY_BYTES} bytes` },
    ]);
  });

  it('stores an administrator update, trimmed, and serves it to every role', async () => {
    const r = await s.call('hall.profile.update', { ...goodProfile, name: '  新名称  ' }, s.admin);
    expect(r.status).toBe(200);
    const seen = await s.call('hall.profile.get', {}, s.tokenFor('counter'));
    expect(seen.body.value).toMatchObject({ name: '新名称', address: '北京市朝阳区' });
    const info = await s.call('system.info', {}, s.tokenFor('kiosk'));
    expect(info.body.value).toMatchObject({ hall: { name: '新名称' } });
  });

  it('refuses a request naming a non-loopback host (DNS rebinding)', async () => {
    // fetch() may not set Host, so this goes through node:http.
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${s.url}/api/v1/call/system.info`, {
        method: 'POST',
        headers: {
          host: 'attacker.example',
          'content-type': 'application/json',
          authorization: `Bearer ${s.admin}`,
        },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(403);
  });

  it('opens sessions only for known roles', async () => {
    const res = await fetch(`${s.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'root' }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('INVALID_INPUT');
  });

  it('sends the security headers with every answer', async () => {
    const res = await fetch(`${s.url}/api/v1/call/system.info`, { method: 'POST', body: '{}' });
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
