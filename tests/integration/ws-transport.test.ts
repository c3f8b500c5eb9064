import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, SOCKET_CLOSE } from '@shared/api';
import { LEADER_IMPORT_MAX_BYTES } from '@shared/api/methods/leader';
import { pdfBundle, transportLeader } from '../fixtures/leader-import';
import { startTestServer } from '../fixtures/test-server';
import { queuedSocket } from '../fixtures/socket-client';

describe('contract over WebSocket', () => {
  let s: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  /** A socket of a new session of `role`; the admin's is the session where the administrator signed in. */
  async function hello(role: Parameters<typeof s.tokenFor>[0]) {
    const c = queuedSocket(s.url);
    await c.opened;
    c.send({ type: 'hello', token: role === 'admin' ? s.admin : s.tokenFor(role) });
    expect(await c.next()).toEqual({ type: 'welcome', role });
    return c;
  }

  it('closes a socket that says hello with an unknown token', async () => {
    const c = queuedSocket(s.url);
    await c.opened;
    c.send({ type: 'hello', token: 'forged' });
    expect(await c.closed).toBe(SOCKET_CLOSE.unauthenticated);
  });

  it('refuses calls before hello', async () => {
    const c = queuedSocket(s.url);
    await c.opened;
    c.send({ type: 'call', id: 1, method: 'system.info', input: {} });
    expect((await c.next()).result?.error?.code).toBe('UNAUTHENTICATED');
    c.close();
  });

  it('answers calls with the ws transport and refuses a forbidden role and bad input', async () => {
    const c = await hello('kiosk');
    c.send({ type: 'call', id: 1, method: 'system.info', input: {} });
    expect(await c.next()).toMatchObject({ id: 1, result: { ok: true, value: { role: 'kiosk', transport: 'ws' } } });
    c.send({ type: 'call', id: 2, method: 'hall.profile.update', input: {} });
    expect(await c.next()).toMatchObject({ id: 2, result: { ok: false, error: { code: 'FORBIDDEN' } } });
    c.send({ type: 'call', id: 3, method: 'system.info', input: { unexpected: true } });
    expect(await c.next()).toMatchObject({ id: 3, result: { ok: false, error: { code: 'INVALID_INPUT' } } });
    c.close();
  });

  it('answers a malformed message with a typed error and stays open', async () => {
    const c = await hello('counter');
    c.send('not json at all');
    expect(await c.next()).toMatchObject({ type: 'error', error: { code: 'INVALID_INPUT' } });
    c.send({ type: 'call', id: 'x', method: 'system.info' });
    expect(await c.next()).toMatchObject({ type: 'error', error: { code: 'INVALID_INPUT' } });
    c.send({ type: 'call', id: 9, method: 'system.info', input: {} });
    expect(await c.next()).toMatchObject({ id: 9, result: { ok: true } });
    c.close();
  });

  it("holds each call to its own method's input limit, and a role to the largest it may use", async () => {
    const admin = await hello('admin');
    admin.send({ type: 'call', id: 1, method: 'leader.admin.enrol', input: transportLeader('transport.ws') });
    expect(await admin.next()).toMatchObject({ id: 1, result: { ok: true } });
    const big = pdfBundle('transport.ws', 3 * 1024 * 1024);
    admin.send({ type: 'call', id: 2, method: 'leader.admin.import', input: big });
    expect(await admin.next()).toMatchObject({ id: 2, result: { ok: true, value: { files: 1 } } });
    admin.send({ type: 'call', id: 3, method: 'hall.profile.update', input: big });
    expect(await admin.next()).toMatchObject({
      id: 3,
      result: { ok: false, error: { code: 'PAYLOAD_TOO_LARGE', message: `input exceeds ${MAX_BODY_BYTES} bytes` } },
    });
    admin.send({
      type: 'call',
      id: 4,
      method: 'leader.admin.import',
      input: pdfBundle('transport.ws', (LEADER_IMPORT_MAX_BYTES / 4) * 3),
    });
    // Beyond the largest input of all, the socket does not even read the frame: "message too big".
    expect(await admin.closed).toBe(1009);

    // A display may call nothing that big: its frames stay at the ordinary size, unparsed beyond it. (A
    // counter may: it uploads scanned pages.)
    const display = await hello('display');
    display.send({ type: 'call', id: 5, method: 'leader.admin.import', input: big });
    expect(await display.next()).toMatchObject({ type: 'error', error: { code: 'PAYLOAD_TOO_LARGE' } });
    display.send({ type: 'call', id: 6, method: 'system.info', input: {} });
    expect(await display.next()).toMatchObject({ id: 6, result: { ok: true } });
    display.close();
  });

  it('pushes hall.profile.changed to connected sessions when the administrator saves', async () => {
    const display = await hello('display');
    const profile = { name: '推送测试大厅', address: '', enquiryPhone: '', trackingUrl: '' };
    const saved = await s.call('hall.profile.update', profile, s.admin);
    expect(saved.status).toBe(200);
    expect(await display.next()).toMatchObject({
      type: 'event',
      name: 'hall.profile.changed',
      payload: { name: '推送测试大厅' },
    });
    display.close();
  });
});
