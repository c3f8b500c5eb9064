import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Caller } from '../../electron/core/api/caller';
import { createLocalSessionAuthenticator, type Authenticator } from '../../electron/core/server/authenticator';
import { startApiServer, type ApiServer } from '../../electron/core/server/api-server';
import { startIntakeCore, type IntakeCore } from '../fixtures/intake-core';
import { queuedSocket, type SocketMsg } from '../fixtures/socket-client';

/**
 * The browser host's transport: a rating request's token reaches the screen paired with its counter
 * over the WebSocket, and no other session (another counter's screen, an unpaired one, kiosk, display).
 */
let t: IntakeCore;
let server: ApiServer;
let auth: Authenticator;

beforeEach(async () => {
  t = await startIntakeCore();
  // As the browser host wires it: a paired screen's token is its bearer, answered from the core.
  auth = createLocalSessionAuthenticator(['kiosk', 'display'], {
    devices: (token) => {
      const device = t.core.ratingScreens.screenBinding(token);
      return device && { role: 'rate', id: device.id, device };
    },
  });
  server = await startApiServer({
    dispatch: t.core.dispatch,
    bus: t.core.bus,
    auth,
    host: '127.0.0.1',
    port: 0,
    loopbackOnly: true,
  });
});
afterEach(async () => {
  await server.close();
  t.stop();
});

async function httpCall(method: string, input: unknown, token: string) {
  const res = await fetch(`${server.url}/api/v1/call/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(input),
  });
  return (await res.json()) as { ok: boolean; value?: Record<string, unknown>; error?: { code: string } };
}

/** A rating page pairs over HTTP with its unpaired session and gets its screen token. */
async function pairedScreen(counterId: string, clerk: Caller) {
  const { code } = await t.call('rating.pairing.code', { counterId }, clerk);
  const page = auth.openSession!('rate').token;
  const res = await httpCall('rating.pair', { code }, page);
  expect(res.ok).toBe(true);
  return res.value!.token as string;
}

async function hello(token: string) {
  const c = queuedSocket(server.url);
  await c.opened;
  c.send({ type: 'hello', token });
  expect((await c.next()).type).toBe('welcome');
  return c;
}

describe('rating tokens over the WebSocket', () => {
  it('go only to the screen paired with the counter', async () => {
    const clerk3: Caller = { role: 'counter', transport: 'ipc', origin: 'counter-window-3' };
    await t.call('queue.counter.signIn', { counterId: 'w3', login: 'clerk02', pin: '123456' }, clerk3);
    const w1Token = await pairedScreen('w1', t.clerk);
    const w3Token = await pairedScreen('w3', clerk3);

    const w1 = await hello(w1Token);
    const w3 = await hello(w3Token);
    const unpaired = await hello(auth.openSession!('rate').token);
    const kiosk = await hello(auth.openSession!('kiosk').token);
    const display = await hello(auth.openSession!('display').token);

    // The paired screen knows its counter; an unpaired one may do nothing but pair.
    expect((await httpCall('rating.screen', {}, w1Token)).value).toMatchObject({ paired: true, counterId: 'w1' });
    expect(await httpCall('rating.pending', {}, auth.openSession!('rate').token)).toMatchObject({
      ok: false,
      error: { code: 'SIGN_IN_REQUIRED' },
    });

    const ticket = await t.calledTicket();
    await t.call('queue.start', { mutationId: t.m(), counterId: 'w1', ticketId: ticket.id });
    await t.call('queue.finish', { mutationId: t.m(), counterId: 'w1', ticketId: ticket.id });
    const request = await t.call('rating.request', {
      mutationId: t.m(),
      counterId: 'w1',
      ticketId: ticket.id,
      caseIds: [],
    });

    let event = await w1.next();
    while (event.name !== 'rating.requested') event = await w1.next();
    const payload = event.payload as { visitId: string; counterId: string; token: string };
    expect(payload).toMatchObject({ visitId: request.visitId, counterId: 'w1' });
    expect(payload.token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // Every other socket: a call made after the request is answered before any rating event would come.
    for (const c of [w3, unpaired, kiosk, display]) {
      c.send({ type: 'call', id: 7, method: 'system.info', input: {} });
      const seen: SocketMsg[] = [];
      let m = await c.next();
      while (m.type !== 'result') {
        seen.push(m);
        m = await c.next();
      }
      expect(seen.filter((s) => s.name?.startsWith('rating.'))).toEqual([]);
    }

    // The token works from the paired screen, over HTTP, once.
    const rated = await httpCall('rating.submit', { mutationId: t.m(), token: payload.token, level: 5 }, w1Token);
    expect(rated).toMatchObject({ ok: true, value: { level: 5, counterId: 'w1' } });
    expect(
      await httpCall('rating.submit', { mutationId: t.m(), token: payload.token, level: 5 }, w1Token),
    ).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    for (const c of [w1, w3, unpaired, kiosk, display]) c.close();
  });

  it('a screen unpaired by a newer pairing is no longer answered', async () => {
    const old = await pairedScreen('w1', t.clerk);
    await pairedScreen('w1', t.clerk);
    expect(await httpCall('rating.pending', {}, old)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });
});
