import crypto from 'node:crypto';
import { expect, type APIRequestContext } from '@playwright/test';
import type { Counter, CounterView, QueueKpi } from '@shared/api';
import { adminToken, openSession } from './helpers';

/** The demo clerks' PIN (electron/core/queue/demo-hall.ts). */
export const PIN = '123456';

interface Envelope<T> {
  ok: boolean;
  value?: T;
  error?: { code: string; message: string };
}

/** Calls a contract method with a session token and expects it to succeed. */
export async function callAs<T>(request: APIRequestContext, token: string, method: string, input: unknown): Promise<T> {
  const res = await request.post(`/api/v1/call/${method}`, {
    data: input as Record<string, unknown>,
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await res.json()) as Envelope<T>;
  expect(body.ok, `${method}: ${JSON.stringify(body.error)}`).toBe(true);
  return body.value!;
}

/** Finishes what a counter holds, cancels what waits for it, and signs it out (taking the counter over). */
async function emptyCounter(request: APIRequestContext, counterId: string): Promise<void> {
  const token = await openSession(request, 'counter');
  const view = await callAs<CounterView>(request, token, 'queue.counter.signIn', {
    counterId,
    login: 'clerk02',
    pin: PIN,
  });
  const cmd = (method: string, ticketId: string) =>
    callAs<CounterView>(request, token, method, { mutationId: crypto.randomUUID(), counterId, ticketId });
  if (view.current?.state === 'called') await cmd('queue.start', view.current.id);
  if (view.current?.state === 'called' || view.current?.state === 'serving') await cmd('queue.finish', view.current.id);
  // A view lists the head of the line: cancel until the last answer lists nobody.
  for (let w = view.waiting; w.length > 0;) {
    let last = view;
    for (const t of w) last = await cmd('queue.cancel', t.id);
    w = last.waiting;
  }
  await callAs(request, token, 'queue.counter.signOut', { mutationId: crypto.randomUUID(), counterId });
}

/**
 * Set-up, not a step under test: empties the hall the browser host shares with every spec file. Every
 * counter in use finishes its ticket and signs out, and every waiting ticket is cancelled. w12 serves all
 * queues; only tickets sent to one counter need a visit to every counter.
 */
export async function emptyHall(request: APIRequestContext): Promise<void> {
  const admin = await adminToken(request);
  const waiting = async () =>
    (await callAs<QueueKpi[]>(request, admin, 'queue.kpis', {})).reduce((n, k) => n + k.waiting, 0);
  const counters = await callAs<Counter[]>(request, admin, 'queue.counters', {});
  for (const c of counters)
    if (c.id !== 'w12' && (c.status !== 'closed' || c.currentTicketId)) await emptyCounter(request, c.id);
  await emptyCounter(request, 'w12');
  if ((await waiting()) > 0) for (const c of counters) await emptyCounter(request, c.id);
  expect(await waiting(), 'tickets left waiting after the reset').toBe(0);
}
