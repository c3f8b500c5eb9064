import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Caller } from '../../electron/core/api/caller';
import { createIntakeInsightStore } from '../../electron/core/store/insight-store';
import { startIntakeCore, type IntakeCore } from '../fixtures/intake-core';

/**
 * Ratings only the citizen gives: a rating screen paired with the counter by a code the clerk shows, a
 * one-time token per served ticket that only that screen gets, once, before it expires; 差评 followed up by
 * a supervisor who is not the rated clerk; the rated clerk's appeal.
 */
let t: IntakeCore;
const screen1: Caller = { role: 'rate', transport: 'ipc', origin: 'window-rate-101' };
const screen2: Caller = { role: 'rate', transport: 'ipc', origin: 'window-rate-102' };
const display: Caller = { role: 'display', transport: 'ipc', origin: 'display-1' };
const supervisor: Caller = { role: 'counter', transport: 'ipc', origin: 'counter-window-2' };

beforeEach(async () => {
  t = await startIntakeCore();
});
afterEach(() => t.stop());

/** The clerk shows a code at `counterId`, the screen pairs with it. */
async function pair(screen: Caller, counterId = 'w1', clerk: Caller = t.clerk) {
  const { code } = await t.call('rating.pairing.code', { counterId }, clerk);
  return t.call('rating.pair', { code }, screen);
}

/** A ticket issued at the kiosk, called, started and finished at `counterId` by `clerk`. */
async function servedTicket(counterId = 'w1', clerk: Caller = t.clerk) {
  const { ticket } = await t.call(
    'queue.ticket.issue',
    { mutationId: t.m(), queueId: 'general', applicantType: 'person' },
    t.kiosk,
  );
  await t.call('queue.callTicket', { mutationId: t.m(), counterId, ticketId: ticket.id }, clerk);
  await t.call('queue.start', { mutationId: t.m(), counterId, ticketId: ticket.id }, clerk);
  await t.call('queue.finish', { mutationId: t.m(), counterId, ticketId: ticket.id }, clerk);
  return ticket;
}

/** A finished ticket's rating request; the token as the paired screen got it in the event. */
async function requested(counterId = 'w1', clerk: Caller = t.clerk) {
  const ticket = await servedTicket(counterId, clerk);
  const request = await t.call(
    'rating.request',
    { mutationId: t.m(), counterId, ticketId: ticket.id, caseIds: [] },
    clerk,
  );
  const event = t.events.filter((e) => e.name === 'rating.requested').at(-1)!.payload as {
    token: string;
    visitId: string;
  };
  expect(event.visitId).toBe(request.visitId);
  return { ticket, request, token: event.token };
}

const outboxNames = () =>
  (t.peek.prepare('SELECT name FROM outbox ORDER BY seq').all() as { name: string }[]).map((r) => r.name);

describe('pairing a rating screen', () => {
  it('pairs by the code the signed-in clerk shows at their counter, once, and audits it', async () => {
    expect(await t.refusal('rating.pending', {}, screen1)).toMatchObject({
      code: 'SIGN_IN_REQUIRED',
      reason: 'NOT_PAIRED',
    });

    const { code, expiresAt } = await t.call('rating.pairing.code', { counterId: 'w1' });
    expect(code).toMatch(/^\d{8}$/);
    expect(Date.parse(expiresAt) - Date.parse('2026-03-02T02:00:00.000Z')).toBe(5 * 60_000);
    const paired = await t.call('rating.pair', { code }, screen1);
    expect(paired).toMatchObject({ counterId: 'w1', counterNumber: 1 });
    expect(await t.call('rating.screen', {}, screen1)).toMatchObject({ paired: true, counterId: 'w1' });
    expect(await t.call('rating.pending', {}, screen1)).toBeNull();

    // One use.
    expect(await t.refusal('rating.pair', { code }, screen2)).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'PAIRING_CODE_INVALID',
    });
    // Only the token's hash is kept; the pairing is in the audit log.
    const row = t.peek.prepare('SELECT token_hash, counter_id, paired_by FROM rating_screens').get() as Record<
      string,
      string
    >;
    expect(row).toMatchObject({ counter_id: 'w1', paired_by: 'clerk01' });
    expect(row.token_hash).not.toBe(paired.token);
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    const audit = t.peek
      .prepare(`SELECT actor_staff_id, target FROM audit_log WHERE action = 'rating_screen_paired'`)
      .all();
    expect(audit).toEqual([{ actor_staff_id: 'clerk01', target: 'w1' }]);
  });

  it('refuses a code for a counter the clerk is not signed in at, and an expired code', async () => {
    expect(await t.refusal('rating.pairing.code', { counterId: 'w2' })).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'NOT_AT_THIS_COUNTER',
    });
    expect(await t.refusal('rating.pairing.code', { counterId: 'w1' }, t.kiosk)).toMatchObject({ code: 'FORBIDDEN' });
    const { code } = await t.call('rating.pairing.code', { counterId: 'w1' });
    t.advance(5 * 60_000 + 1);
    expect(await t.refusal('rating.pair', { code }, screen1)).toMatchObject({ reason: 'PAIRING_CODE_INVALID' });
  });

  it('a new screen paired with the counter unpairs the previous one', async () => {
    const first = await pair(screen1);
    await pair(screen2);
    expect(await t.refusal('rating.pending', {}, screen1)).toMatchObject({
      code: 'SIGN_IN_REQUIRED',
      reason: 'NOT_PAIRED',
    });
    expect(await t.call('rating.screen', { token: first.token }, screen1)).toMatchObject({ paired: false });
    expect(await t.call('rating.pending', {}, screen2)).toBeNull();
  });

  it('a window that presents its token (after a reload) is bound to its screen again', async () => {
    const { token } = await pair(screen1);
    const reloaded: Caller = { role: 'rate', transport: 'ipc', origin: 'window-rate-103' };
    expect(await t.call('rating.screen', {}, reloaded)).toMatchObject({ paired: false });
    expect(await t.call('rating.screen', { token }, reloaded)).toMatchObject({ paired: true, counterId: 'w1' });
    expect(await t.call('rating.pending', {}, reloaded)).toBeNull();
  });
});

describe('one-time rating tokens', () => {
  it('needs a ticket served at the counter', async () => {
    await pair(screen1);
    expect(
      await t.refusal('rating.request', { mutationId: t.m(), counterId: 'w1', ticketId: null, caseIds: [] }),
    ).toMatchObject({
      code: 'INVALID_INPUT',
    });
    const waiting = await t.call(
      'queue.ticket.issue',
      { mutationId: t.m(), queueId: 'general', applicantType: 'person' },
      t.kiosk,
    );
    expect(
      await t.refusal('rating.request', {
        mutationId: t.m(),
        counterId: 'w1',
        ticketId: waiting.ticket.id,
        caseIds: [],
      }),
    ).toMatchObject({ code: 'CONFLICT', reason: 'TICKET_NOT_AT_COUNTER' });
    // Called but never served: nothing to rate yet.
    await t.call('queue.callTicket', { mutationId: t.m(), counterId: 'w1', ticketId: waiting.ticket.id });
    expect(
      await t.refusal('rating.request', {
        mutationId: t.m(),
        counterId: 'w1',
        ticketId: waiting.ticket.id,
        caseIds: [],
      }),
    ).toMatchObject({ code: 'CONFLICT', reason: 'TICKET_NOT_SERVED_HERE' });
    expect(t.count('rating_tokens')).toBe(0);
  });

  it('the token goes to the paired screen only, rates once, and only there', async () => {
    await pair(screen1);
    const { request, token } = await requested();
    expect(request).not.toHaveProperty('token');
    expect(Date.parse(request.expiresAt) - Date.parse(request.requestedAt)).toBe(10 * 60_000);
    // The screen that reloads gets the same token from rating.pending; the hash alone is on disk.
    expect(await t.call('rating.pending', {}, screen1)).toMatchObject({ visitId: request.visitId, token });
    const stored = t.peek.prepare('SELECT token_hash FROM rating_tokens').all() as { token_hash: string }[];
    expect(stored.map((r) => r.token_hash)).not.toContain(token);

    // Another counter's screen cannot use it.
    const clerk2: Caller = { role: 'counter', transport: 'ipc', origin: 'counter-window-3' };
    await t.call('queue.counter.signIn', { counterId: 'w3', login: 'clerk02', pin: '123456' }, clerk2);
    await pair(screen2, 'w3', clerk2);
    expect(await t.refusal('rating.submit', { mutationId: t.m(), token, level: 5 }, screen2)).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'RATING_TOKEN_INVALID',
    });
    expect(await t.call('rating.pending', {}, screen2)).toBeNull();

    const rating = await t.call('rating.submit', { mutationId: t.m(), token, level: 5 }, screen1);
    expect(rating).toMatchObject({ level: 5, counterId: 'w1', clerkStaffId: 'clerk01', counted: true, appeal: null });
    expect(await t.refusal('rating.submit', { mutationId: t.m(), token, level: 4 }, screen1)).toMatchObject({
      code: 'CONFLICT',
      reason: 'RATING_TOKEN_USED',
    });
    expect(
      await t.refusal('rating.submit', { mutationId: t.m(), token: 'x'.repeat(43), level: 4 }, screen1),
    ).toMatchObject({
      reason: 'RATING_TOKEN_INVALID',
    });
    expect(await t.call('rating.pending', {}, screen1)).toBeNull();
  });

  it('a screen paired after the request never receives its token', async () => {
    await pair(screen1);
    await requested();
    // A new tablet (or another clerk's) paired while the earlier citizen's prompt is still open.
    await pair(screen2);
    expect(await t.call('rating.pending', {}, screen2)).toBeNull();
  });

  it('a token that expires makes the visit "not rated", never a default grade', async () => {
    await pair(screen1);
    const { ticket, request, token } = await requested();
    t.advance(10 * 60_000 + 1);
    expect(await t.refusal('rating.submit', { mutationId: t.m(), token, level: 5 }, screen1)).toMatchObject({
      code: 'CONFLICT',
      reason: 'RATING_TOKEN_EXPIRED',
    });
    expect(t.count('ratings')).toBe(0);
    const visit = t.peek.prepare('SELECT rating_status, not_rated_at FROM visits WHERE id = ?').get(request.visitId);
    expect(visit).toMatchObject({ rating_status: 'none', not_rated_at: expect.any(String) });
    expect(outboxNames().filter((n) => n === 'rating.notRated')).toHaveLength(1);
    expect(await t.call('rating.pending', {}, screen1)).toBeNull();
    // Not asked again: its time to rate is over.
    expect(
      await t.refusal('rating.request', { mutationId: t.m(), counterId: 'w1', ticketId: ticket.id, caseIds: [] }),
    ).toMatchObject({ code: 'CONFLICT', reason: 'RATING_CLOSED' });
  });

  it('a new request of the counter leaves the earlier unrated visit "not rated" and its token dead', async () => {
    await pair(screen1);
    const first = await requested();
    const second = await requested();
    expect(
      await t.refusal('rating.submit', { mutationId: t.m(), token: first.token, level: 5 }, screen1),
    ).toMatchObject({
      reason: 'RATING_TOKEN_EXPIRED',
    });
    expect(t.peek.prepare('SELECT not_rated_at FROM visits WHERE id = ?').get(first.request.visitId)).toMatchObject({
      not_rated_at: expect.any(String),
    });
    await t.call('rating.submit', { mutationId: t.m(), token: second.token, level: 4 }, screen1);
  });

  it('kiosks, counters and displays cannot submit ratings', async () => {
    await pair(screen1);
    const { token } = await requested();
    for (const caller of [t.kiosk, t.clerk, display, t.admin]) {
      expect(await t.refusal('rating.submit', { mutationId: t.m(), token, level: 5 }, caller)).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'WRONG_ROLE',
      });
      expect(await t.refusal('rating.pending', {}, caller)).toMatchObject({ code: 'FORBIDDEN' });
    }
    expect(t.count('ratings')).toBe(0);
  });
});

describe('差评 and appeals', () => {
  beforeEach(async () => {
    await t.call('queue.counter.signIn', { counterId: 'w2', login: 'super01', pin: '123456' }, supervisor);
  });

  async function badRating(counterId = 'w1', clerk: Caller = t.clerk, screen = screen1) {
    await pair(screen, counterId, clerk);
    const { token } = await requested(counterId, clerk);
    return t.call('rating.submit', { mutationId: t.m(), token, level: 1, reasons: ['attitude'] }, screen);
  }

  it('goes to the supervisors: the rated clerk neither sees nor handles it', async () => {
    const rating = await badRating();
    expect(rating.rectificationId).not.toBeNull();
    expect((await t.call('feedback.list', {})).map((f) => f.id)).not.toContain(rating.rectificationId);
    expect(
      await t.refusal('feedback.update', { mutationId: t.m(), feedbackId: rating.rectificationId, action: 'close' }),
    ).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'SUPERVISOR_REQUIRED',
    });

    const item = (await t.call('feedback.list', {}, supervisor)).find((f) => f.id === rating.rectificationId)!;
    expect(item.channel).toBe('rating');
    const rv = item.returnVisits[0]!;
    expect(
      await t.refusal('feedback.returnVisit.record', {
        mutationId: t.m(),
        returnVisitId: rv.id,
        outcome: 'satisfied',
        note: '好',
      }),
    ).toMatchObject({ code: 'FORBIDDEN', reason: 'SUPERVISOR_REQUIRED' });
    await t.call(
      'feedback.update',
      { mutationId: t.m(), feedbackId: item.id, action: 'resolve', resolution: '已约谈整改' },
      supervisor,
    );
    const done = await t.call(
      'feedback.returnVisit.record',
      { mutationId: t.m(), returnVisitId: rv.id, outcome: 'satisfied', note: '群众满意' },
      supervisor,
    );
    expect(done.returnVisits[0]?.outcome).toBe('satisfied');
  });

  it('a supervisor rated at their own counter may not close it nor record its return visit', async () => {
    const rating = await badRating('w2', supervisor, screen2);
    expect(rating.clerkStaffId).toBe('super01');
    const item = (await t.call('feedback.list', {}, supervisor)).find((f) => f.id === rating.rectificationId)!;
    for (const action of [
      { action: 'resolve', resolution: '我没问题' },
      { action: 'close' },
      { action: 'assign', assignee: '赵刚' },
    ]) {
      expect(
        await t.refusal('feedback.update', { mutationId: t.m(), feedbackId: item.id, ...action }, supervisor),
      ).toMatchObject({ code: 'FORBIDDEN', reason: 'RATED_CLERK_MAY_NOT_CLOSE' });
    }
    const refused = await t.refusal(
      'feedback.returnVisit.record',
      { mutationId: t.m(), returnVisitId: item.returnVisits[0]!.id, outcome: 'satisfied', note: '满意' },
      supervisor,
    );
    expect(refused).toMatchObject({ code: 'FORBIDDEN', reason: 'RATED_CLERK_MAY_NOT_CLOSE' });
    expect(refused.error.message).toMatch(/rated clerk/);
    expect(t.peek.prepare('SELECT done_at FROM return_visits').get()).toEqual({ done_at: null });
  });

  it('an appeal upheld by a supervisor takes the rating out of the figures and keeps the record', async () => {
    const rating = await badRating();
    const figures = () =>
      createIntakeInsightStore(t.peek).ratingsByLevel('2026-03-01T00:00:00.000Z', '2026-03-03T00:00:00.000Z');
    expect(figures()).toEqual([{ level: 1, count: 1 }]);

    // Only the rated clerk appeals; a clerk sees their own ratings only.
    expect((await t.call('rating.list', {})).map((r) => r.id)).toEqual([rating.id]);
    expect(
      await t.refusal('rating.appeal.file', { mutationId: t.m(), ratingId: rating.id, reason: '不是我' }, supervisor),
    ).toMatchObject({ code: 'FORBIDDEN', reason: 'ONLY_RATED_CLERK_MAY_APPEAL' });
    const appeal = await t.call('rating.appeal.file', {
      mutationId: t.m(),
      ratingId: rating.id,
      reason: '群众因系统故障不满，非本人原因',
    });
    expect(appeal).toMatchObject({ status: 'filed', filedBy: 'clerk01' });
    // The clerk cannot decide it (not a supervisor).
    expect(
      await t.refusal('rating.appeal.decide', {
        mutationId: t.m(),
        appealId: appeal.id,
        decision: 'upheld',
        reason: '同意',
      }),
    ).toMatchObject({ code: 'FORBIDDEN', reason: 'STAFF_ROLE_REQUIRED' });

    const decided = await t.call(
      'rating.appeal.decide',
      { mutationId: t.m(), appealId: appeal.id, decision: 'upheld', reason: '系统日志证实当时故障' },
      supervisor,
    );
    expect(decided).toMatchObject({ status: 'upheld', decidedBy: 'super01', decisionReason: '系统日志证实当时故障' });
    expect(figures()).toEqual([]);
    const kept = (await t.call('rating.list', {}, supervisor)).find((r) => r.id === rating.id)!;
    expect(kept).toMatchObject({ level: 1, counted: false, appeal: { status: 'upheld' } });
    expect(outboxNames()).toEqual(expect.arrayContaining(['rating.appeal.file', 'rating.appeal.decide']));
    expect(
      await t.refusal(
        'rating.appeal.decide',
        { mutationId: t.m(), appealId: appeal.id, decision: 'rejected', reason: '再议' },
        supervisor,
      ),
    ).toMatchObject({ code: 'CONFLICT', reason: 'APPEAL_DECIDED' });
  });

  it('the rated supervisor may not decide their own appeal', async () => {
    const rating = await badRating('w2', supervisor, screen2);
    const appeal = await t.call(
      'rating.appeal.file',
      { mutationId: t.m(), ratingId: rating.id, reason: '申诉' },
      supervisor,
    );
    expect(
      await t.refusal(
        'rating.appeal.decide',
        { mutationId: t.m(), appealId: appeal.id, decision: 'upheld', reason: '成立' },
        supervisor,
      ),
    ).toMatchObject({ code: 'FORBIDDEN', reason: 'RATED_CLERK_MAY_NOT_DECIDE' });
  });
});

describe('not rated without anyone asking', () => {
  it('the sweep records an expired request as not rated even when no screen calls', async () => {
    await pair(screen1);
    const { request } = await requested();
    t.advance(10 * 60_000 + 1);
    // Any rating call sweeps (the core also sweeps on a timer); the clerk's list is one.
    await t.call('rating.list', {});
    expect(t.peek.prepare('SELECT not_rated_at FROM visits WHERE id = ?').get(request.visitId)).toMatchObject({
      not_rated_at: expect.any(String),
    });
    expect(t.count('ratings')).toBe(0);
  });
});
