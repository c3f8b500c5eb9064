import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heldTickets, startHubProcess } from '../fixtures/hub-process';
import { whenReached } from '../fixtures/crash-processes';

/**
 * kill -9 of the hub in the middle of a burst of issues. Clients retry each request with the same
 * mutation id until it is answered (as kiosks do). Every acknowledged ticket must survive the crash and
 * no mutation may produce two tickets.
 */
describe('hub killed mid-burst', () => {
  let hub: Awaited<ReturnType<typeof startHubProcess>>;
  beforeAll(async () => {
    hub = await startHubProcess({ kiosks: 4 });
  }, 120_000);
  afterAll(() => hub.stop());

  it('loses no acknowledged ticket and duplicates none', async () => {
    const acknowledged = new Map<string, { id: string; number: string }>();
    const ackedAtCrash: number[] = [];

    async function issueUntilAnswered(token: string, mutationId: string) {
      const t = await hub.issueRetrying(token, mutationId);
      acknowledged.set(mutationId, { id: t.id, number: t.number });
    }

    const burst = Promise.all(
      hub.tokens.kiosks.map(async (token) => {
        for (let i = 0; i < 150; i++) await issueUntilAnswered(token, hub.mutationId());
      }),
    );
    // Crash twice while the burst runs (after a quarter and after 60% of it), restarting after each.
    for (const share of [0.25, 0.6]) {
      await whenReached(() => acknowledged.size, 600 * share);
      ackedAtCrash.push(acknowledged.size);
      await hub.kill('SIGKILL');
      await new Promise((res) => setTimeout(res, 200));
      await hub.start();
    }
    await burst;
    // Both crashes hit the burst in flight, not before or after it.
    for (const n of ackedAtCrash) expect(n).toBeGreaterThan(0);
    for (const n of ackedAtCrash) expect(n).toBeLessThan(600);
    expect(acknowledged.size).toBe(600);

    // What the hub holds now: every waiting ticket of the queue, read by a counter.
    const signIn = await hub.call(hub.tokens.counter, 'queue.counter.signIn', {
      counterId: 'w1',
      login: 'clerk01',
      pin: '123456',
    });
    expect(signIn.ok).toBe(true);
    const held = await heldTickets(hub, hub.tokens.counter, acknowledged.values(), 'general');
    for (const t of acknowledged.values()) expect(held.states.get(t.id), `${t.number} lost`).toBe('waiting');
    expect(held.numbers.size).toBe(600);
    expect(held.waitingInQueue).toBe(600);
  }, 180_000);

  it('a counter calling across a hub restart gets an error while it is down and never a double call', async () => {
    const kiosk = hub.tokens.kiosks[0]!;
    const issued = await hub.call(kiosk, 'queue.ticket.issue', {
      mutationId: hub.mutationId(),
      queueId: 'fund',
      applicantType: 'person',
    });
    expect(issued.ok).toBe(true);
    await hub.call(hub.tokens.counter, 'queue.counter.signIn', { counterId: 'w2', login: 'clerk02', pin: '123456' });
    const callNext = { mutationId: hub.mutationId(), counterId: 'w2' };
    const first = await hub.call(hub.tokens.counter, 'queue.callNext', callNext);
    expect(first.ok, JSON.stringify(first)).toBe(true);
    await hub.kill('SIGKILL');
    await expect(hub.call(hub.tokens.counter, 'queue.callNext', callNext)).rejects.toThrow();
    await hub.start();
    const retried = await hub.call(hub.tokens.counter, 'queue.callNext', callNext);
    // The same call answered again: the counter's view as it is now (its server time is now's).
    const withoutTime = (r: typeof first) => ({ ...r, value: { ...(r.value as object), serverTime: null } });
    expect(withoutTime(retried)).toEqual(withoutTime(first));
    const board = await hub.call(hub.tokens.display, 'queue.display.board', { limit: 20 });
    const calls = (board.value as { calls: { ticketId: string }[] }).calls;
    const calledId = (first.value as { current: { id: string } }).current.id;
    expect(calls.filter((c) => c.ticketId === calledId)).toHaveLength(1);
  });
});
