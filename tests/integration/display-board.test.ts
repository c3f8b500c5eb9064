import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_DISPLAY_SETTINGS, TICKET_REPRINT_LIMIT, type DisplaySettings } from '@shared/api';
import type { Caller } from '../../electron/core/api/caller';
import { startIntakeCore, type IntakeCore } from '../fixtures/intake-core';

/**
 * What the hall screens and the kiosk get from the core for the walkthrough's defects: the state of every
 * called ticket (a lapsed call must leave the large panel), the windows with their current tickets, the
 * screens' settings, a queue's hours in words, and the kiosk's reprints counted and capped in the core.
 */
let h: IntakeCore;
const display: Caller = { role: 'display', transport: 'ipc', origin: 'display-1' };
const kiosk: Caller = { role: 'kiosk', transport: 'ipc', origin: 'kiosk-1' };

beforeEach(async () => {
  h = await startIntakeCore();
  await h.signInCounter('w1');
  await h.signInAdmin();
});
afterEach(() => h.stop());

const board = () => h.call('queue.display.board', { limit: 8 }, display);

describe('the hall screen board', () => {
  it('gives each called ticket its state: a 过号 or transferred call is no longer current', async () => {
    const lapsed = await h.calledTicket();
    await h.call('queue.recall', { mutationId: h.m(), counterId: 'w1', ticketId: lapsed.id });
    h.advance(61_000);
    await h.call('queue.noShow', { mutationId: h.m(), counterId: 'w1', ticketId: lapsed.id });
    const moved = await h.calledTicket();
    await h.call('queue.transfer', { mutationId: h.m(), counterId: 'w1', ticketId: moved.id, toQueueId: 'social' });

    const b = await board();
    expect(b.tickets.find((r) => r.ticketId === lapsed.id)).toMatchObject({ state: 'no_show', noShow: true });
    expect(b.tickets.find((r) => r.ticketId === moved.id)).toMatchObject({ state: 'transferred', noShow: false });
    // The latest call event is still the moved ticket's: the page decides what is current from the states.
    expect(b.calls[0]!.ticketId).toBe(moved.id);
  });

  it('lists every signed-in window with the ticket it has called or serves', async () => {
    expect((await board()).counters).toEqual([
      { counterNumber: 1, status: 'open', ticketNumber: null, ticketState: null, callId: null },
    ]);
    const t = await h.calledTicket();
    const called = (await board()).counters[0]!;
    expect(called).toMatchObject({ counterNumber: 1, ticketNumber: t.number, ticketState: 'called' });
    expect(called.callId).toBe((await board()).calls[0]!.callId);
    await h.call('queue.start', { mutationId: h.m(), counterId: 'w1', ticketId: t.id });
    expect((await board()).counters[0]).toMatchObject({ ticketNumber: t.number, ticketState: 'serving' });
    await h.call('queue.finish', { mutationId: h.m(), counterId: 'w1', ticketId: t.id });
    expect((await board()).counters[0]).toMatchObject({ ticketNumber: null, ticketState: null, callId: null });
  });

  it('carries the screens’ settings, which the hall administrator sets and every screen hears of', async () => {
    expect((await board()).settings).toEqual(DEFAULT_DISPLAY_SETTINGS);
    const next: DisplaySettings = {
      layout: 'grid',
      voice: 'system',
      voiceName: 'Microsoft Huihui - Chinese (Simplified, PRC)',
      speechRate: 0.8,
    };
    const before = h.events.length;
    expect(await h.asAdmin('queue.display.settings.update', next)).toEqual(next);
    expect(h.events.slice(before).map((e) => e.name)).toContain('queue.changed');
    expect((await board()).settings).toEqual(next);
    expect(await h.call('queue.display.settings', {}, display)).toEqual(next);
    expect(await h.asAdmin('queue.display.settings', {})).toEqual(next);
  });

  it('refuses settings outside their range, and anyone but the hall administrator', async () => {
    const bad = await h.refusal(
      'queue.display.settings.update',
      { ...DEFAULT_DISPLAY_SETTINGS, speechRate: 3 },
      h.admin,
    );
    expect(bad.code).toBe('INVALID_INPUT');
    expect((await h.refusal('queue.display.settings.update', DEFAULT_DISPLAY_SETTINGS, display)).code).toBe(
      'FORBIDDEN',
    );
    expect((await h.refusal('queue.display.settings', {}, kiosk)).code).toBe('FORBIDDEN');
    expect((await board()).settings).toEqual(DEFAULT_DISPLAY_SETTINGS);
  });
});

describe('the kiosk', () => {
  it('is told whether a closed queue opens later today or is over for today', async () => {
    const hours = async () =>
      Object.fromEntries((await h.call('queue.kiosk.queues', {}, kiosk)).map((q) => [q.id, [q.hours, q.openNow]]));
    expect((await hours()).general).toEqual(['open', true]);
    const general = (await h.asAdmin('queue.admin.queues', {})).find((q) => q.id === 'general')!;
    // It is 10:00 in the hall.
    await h.asAdmin('queue.admin.queues.upsert', { ...general, opensAt: '13:30', closesAt: '17:30' });
    expect((await hours()).general).toEqual(['not_yet', false]);
    await h.asAdmin('queue.admin.queues.upsert', { ...general, opensAt: '08:30', closesAt: '09:45' });
    expect((await hours()).general).toEqual(['over', false]);
  });

  it('prints a ticket again at most TICKET_REPRINT_LIMIT times, counted in the core', async () => {
    const issued = await h.call(
      'queue.ticket.issue',
      { mutationId: h.m(), queueId: 'general', applicantType: 'person', priority: 'none' },
      kiosk,
    );
    const ticketId = issued.ticket.id;
    const first = { mutationId: h.m(), ticketId };
    expect(await h.call('queue.ticket.reprint', first, kiosk)).toEqual({ ticketId, reprints: 1, reprintsLeft: 1 });
    // A retried request (a lost answer) counts once.
    expect(await h.call('queue.ticket.reprint', first, kiosk)).toEqual({ ticketId, reprints: 1, reprintsLeft: 1 });
    const changes = h.events.filter((e) => e.name === 'queue.changed').length;
    expect(await h.call('queue.ticket.reprint', { mutationId: h.m(), ticketId }, kiosk)).toEqual({
      ticketId,
      reprints: TICKET_REPRINT_LIMIT,
      reprintsLeft: 0,
    });
    // A reprint changes nothing any page shows.
    expect(h.events.filter((e) => e.name === 'queue.changed').length).toBe(changes);
    const refused = await h.refusal('queue.ticket.reprint', { mutationId: h.m(), ticketId }, kiosk);
    expect(refused).toMatchObject({ code: 'CONFLICT', reason: 'REPRINT_LIMIT' });
    expect(h.count("ticket_events WHERE action = 'reprint'")).toBe(TICKET_REPRINT_LIMIT);
    // Only the kiosk asks: a clerk reprints at the counter without a cap.
    expect((await h.refusal('queue.ticket.reprint', { mutationId: h.m(), ticketId })).code).toBe('FORBIDDEN');
  });
});
