import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startIntakeCore, type IntakeCore } from '../fixtures/intake-core';
import { decodeArgs } from '../../electron/core/store/outbox-args';

let t: IntakeCore;
beforeEach(async () => {
  t = await startIntakeCore();
});
afterEach(() => t.stop());

const outbox = () =>
  (
    t.peek.prepare("SELECT name, args FROM outbox WHERE name <> 'audit.record' ORDER BY seq").all() as {
      name: string;
      args: Buffer;
    }[]
  ).map((r) => ({
    name: r.name,
    args: decodeArgs(r.args) as Record<string, unknown>,
  }));

const complaint = (fields: Record<string, unknown> = {}) =>
  t.call('feedback.create', {
    mutationId: t.m(),
    kind: 'complaint',
    channel: 'phone',
    category: 'attitude',
    content: '窗口人员态度冷淡',
    contactName: '赵六',
    contactPhone: '13900139000',
    ...fields,
  } as never);

/** An accepted case at w1 for a called ticket. */
async function servedCase() {
  return t.intake({ matterCode: 'HSA-001' });
}

describe('feedback (投诉/建议/咨询)', () => {
  it('logs an item with its number, due date by kind, outbox row and event', async () => {
    const f = await complaint();
    expect(f).toMatchObject({
      number: 'FK-HALL01-20260302-C01-0001',
      kind: 'complaint',
      channel: 'phone',
      status: 'open',
      dueDate: '2026-03-09',
      overdue: false,
      returnVisits: [],
      ratingId: null,
    });
    const enquiry = await complaint({ kind: 'enquiry', category: 'process', content: '公积金提取需要什么材料？' });
    expect(enquiry.dueDate).toBe('2026-03-03');
    const suggestion = await complaint({
      kind: 'suggestion',
      category: 'environment',
      content: '增加母婴室',
      assignee: '陈主任',
    });
    expect(suggestion).toMatchObject({ dueDate: '2026-03-16', status: 'assigned', assignee: '陈主任' });
    expect(outbox().map((o) => o.name)).toEqual(['feedback.create', 'feedback.create', 'feedback.create']);
    expect(outbox()[0]?.args).toMatchObject({ feedbackId: f.id, number: f.number, content: '窗口人员态度冷淡' });
    expect(t.events.filter((e) => e.name === 'feedback.changed')).toHaveLength(3);
  });

  it('links a case and takes its department', async () => {
    const c = await servedCase();
    const f = await complaint({ caseId: c.id, applicantId: c.applicantId, channel: 'counter' });
    expect(f).toMatchObject({ caseId: c.id, departmentId: 'hsa', applicantId: c.applicantId });
  });

  it('links only a case of the applicant it names (not the company’s case to a citizen)', async () => {
    const c = await servedCase();
    const other = await t.person('11010519800101003', '张秀英');
    const res = await t.refusal('feedback.create', {
      mutationId: t.m(),
      kind: 'complaint',
      channel: 'counter',
      category: 'attitude',
      content: '内容',
      applicantId: other.id,
      caseId: c.id,
    });
    expect(res).toMatchObject({ code: 'CONFLICT', reason: 'CASE_NOT_APPLICANTS' });
    expect(t.count('feedback')).toBe(0);
  });

  it('refuses bad input and unknown links, storing nothing', async () => {
    const cases: [Record<string, unknown>, string, string?][] = [
      [{ content: '' }, 'INVALID_INPUT'],
      [{ content: '   ' }, 'INVALID_INPUT'],
      [{ content: '长'.repeat(2001) }, 'INVALID_INPUT'],
      [{ channel: 'rating' }, 'INVALID_INPUT'],
      [{ category: 'weather' }, 'INVALID_INPUT'],
      [{ contactPhone: 'none' }, 'INVALID_INPUT'],
      [{ applicantId: crypto.randomUUID() }, 'NOT_FOUND', 'UNKNOWN_APPLICANT'],
      [{ caseId: crypto.randomUUID() }, 'NOT_FOUND', 'UNKNOWN_CASE'],
      [{ departmentId: 'nowhere' }, 'NOT_FOUND', 'UNKNOWN_DEPARTMENT'],
      [{ dueDate: '2026-03-01' }, 'INVALID_INPUT', 'DUE_DATE_IN_PAST'],
    ];
    for (const [fields, code, reason] of cases) {
      const res = await t.refusal('feedback.create', {
        mutationId: t.m(),
        kind: 'complaint',
        channel: 'phone',
        category: 'attitude',
        content: '内容',
        ...fields,
      });
      expect(res.code, JSON.stringify(fields)).toBe(code);
      if (reason) expect(res.reason).toBe(reason);
    }
    expect(t.count('feedback')).toBe(0);
    expect(t.count('number_day_seq')).toBe(0);
    expect(t.outboxCount()).toBe(0);
  });

  it('is idempotent and keeps markup as text', async () => {
    const mutationId = t.m();
    const input = {
      mutationId,
      kind: 'suggestion' as const,
      channel: 'web' as const,
      category: 'system' as const,
      content: '<img src=x onerror=alert(1)> 系统太慢',
    };
    const a = await t.call('feedback.create', input);
    const b = await t.call('feedback.create', input);
    expect(b).toEqual(a);
    expect(a.content).toBe('<img src=x onerror=alert(1)> 系统太慢');
    expect(t.count('feedback')).toBe(1);
    expect(t.outboxCount()).toBe(1);
  });

  it('goes open → assigned → resolved → closed, refusing moves out of order', async () => {
    const f = await complaint();
    const update = (input: Record<string, unknown>) =>
      t.call('feedback.update', { mutationId: t.m(), feedbackId: f.id, ...input } as never);
    expect((await t.refusal('feedback.update', { mutationId: t.m(), feedbackId: f.id, action: 'close' })).reason).toBe(
      'ILLEGAL_TRANSITION',
    );
    expect(await update({ action: 'assign', assignee: '陈主任' })).toMatchObject({
      status: 'assigned',
      assignee: '陈主任',
    });
    expect(
      (await t.refusal('feedback.update', { mutationId: t.m(), feedbackId: f.id, action: 'resolve', resolution: '' }))
        .reason,
    ).toBe('RESOLUTION_REQUIRED');
    expect(await update({ action: 'resolve', resolution: '已约谈窗口人员并整改' })).toMatchObject({
      status: 'resolved',
      resolution: '已约谈窗口人员并整改',
    });
    expect(
      (await t.refusal('feedback.update', { mutationId: t.m(), feedbackId: f.id, action: 'reopen', reason: '' }))
        .reason,
    ).toBe('REOPEN_REASON_REQUIRED');
    expect((await update({ action: 'close' })).status).toBe('closed');
    expect((await update({ action: 'reopen', reason: '群众再次来电' })).status).toBe('open');
    expect(
      outbox()
        .filter((o) => o.name === 'feedback.update')
        .map((o) => [o.args.action, o.args.status]),
    ).toEqual([
      ['assign', 'assigned'],
      ['resolve', 'resolved'],
      ['close', 'closed'],
      ['reopen', 'open'],
    ]);
    const events = t.peek
      .prepare('SELECT action, to_status, note FROM feedback_events WHERE feedback_id = ? ORDER BY id')
      .all(f.id);
    expect(events).toHaveLength(5);
    expect(events[4]).toEqual({ action: 'reopen', to_status: 'open', note: '群众再次来电' });
    expect(
      (await t.refusal('feedback.update', { mutationId: t.m(), feedbackId: crypto.randomUUID(), action: 'close' }))
        .reason,
    ).toBe('UNKNOWN_FEEDBACK');
  });

  it('schedules and records return visits; a dissatisfied one reopens the item', async () => {
    const f = await complaint();
    await t.call('feedback.update', { mutationId: t.m(), feedbackId: f.id, action: 'resolve', resolution: '已整改' });
    expect(
      (
        await t.refusal('feedback.returnVisit.schedule', {
          mutationId: t.m(),
          feedbackId: f.id,
          scheduledFor: '2026-03-01',
          method: 'phone',
        })
      ).reason,
    ).toBe('DATE_IN_PAST');
    const scheduled = await t.call('feedback.returnVisit.schedule', {
      mutationId: t.m(),
      feedbackId: f.id,
      scheduledFor: '2026-03-04',
      method: 'phone',
    });
    const rv = scheduled.returnVisits[0]!;
    expect(rv).toMatchObject({
      scheduledFor: '2026-03-04',
      method: 'phone',
      outcome: null,
      doneAt: null,
      overdue: false,
    });
    const after = await t.call('feedback.returnVisit.record', {
      mutationId: t.m(),
      returnVisitId: rv.id,
      outcome: 'dissatisfied',
      note: '问题仍未解决',
    });
    expect(after.status).toBe('open');
    expect(after.returnVisits[0]).toMatchObject({
      outcome: 'dissatisfied',
      note: '问题仍未解决',
      doneAt: '2026-03-02T02:00:00.000Z',
    });
    expect(
      (
        await t.refusal('feedback.returnVisit.record', {
          mutationId: t.m(),
          returnVisitId: rv.id,
          outcome: 'satisfied',
          note: '',
        })
      ).reason,
    ).toBe('ALREADY_RECORDED');
    expect(outbox().map((o) => o.name)).toEqual([
      'feedback.create',
      'feedback.update',
      'feedback.returnVisit.schedule',
      'feedback.returnVisit.record',
      'feedback.update',
    ]);
    await t.call('feedback.update', { mutationId: t.m(), feedbackId: f.id, action: 'resolve', resolution: '再次整改' });
    await t.call('feedback.update', { mutationId: t.m(), feedbackId: f.id, action: 'close' });
    expect(
      (
        await t.refusal('feedback.returnVisit.schedule', {
          mutationId: t.m(),
          feedbackId: f.id,
          scheduledFor: '2026-03-05',
          method: 'sms',
        })
      ).reason,
    ).toBe('FEEDBACK_CLOSED');
  });

  it('refuses to record a return visit before the item has its answer (办复)', async () => {
    const f = await complaint();
    const scheduled = await t.call('feedback.returnVisit.schedule', {
      mutationId: t.m(),
      feedbackId: f.id,
      scheduledFor: '2026-03-04',
      method: 'phone',
    });
    const record = () =>
      t.refusal('feedback.returnVisit.record', {
        mutationId: t.m(),
        returnVisitId: scheduled.returnVisits[0]!.id,
        outcome: 'satisfied',
        note: '满意',
      });
    expect(await record()).toMatchObject({ code: 'CONFLICT', reason: 'NOT_RESOLVED' });
    await t.call('feedback.update', { mutationId: t.m(), feedbackId: f.id, action: 'assign', assignee: '赵刚' });
    expect(await record()).toMatchObject({ code: 'CONFLICT', reason: 'NOT_RESOLVED' });
    expect(t.peek.prepare('SELECT done_at FROM return_visits').get()).toEqual({ done_at: null });
    expect(outbox().map((o) => o.name)).not.toContain('feedback.returnVisit.record');

    await t.call('feedback.update', { mutationId: t.m(), feedbackId: f.id, action: 'resolve', resolution: '已整改' });
    const done = await t.call('feedback.returnVisit.record', {
      mutationId: t.m(),
      returnVisitId: scheduled.returnVisits[0]!.id,
      outcome: 'satisfied',
      note: '满意',
    });
    expect(done.returnVisits[0]?.outcome).toBe('satisfied');
  });

  it('lists overdue items: past due while open, or a return visit not done in time; never closed ones', async () => {
    const late = await complaint(); // due 2026-03-09
    const resolved = await complaint({ content: '材料退回两次' });
    await t.call('feedback.update', {
      mutationId: t.m(),
      feedbackId: resolved.id,
      action: 'resolve',
      resolution: '已解释',
    });
    const withVisit = await t.call('feedback.returnVisit.schedule', {
      mutationId: t.m(),
      feedbackId: resolved.id,
      scheduledFor: '2026-03-05',
      method: 'phone',
    });
    const closed = await complaint({ content: '已处理的投诉' });
    await t.call('feedback.update', {
      mutationId: t.m(),
      feedbackId: closed.id,
      action: 'resolve',
      resolution: '已处理',
    });
    await t.call('feedback.update', { mutationId: t.m(), feedbackId: closed.id, action: 'close' });

    t.setNow('2026-03-06T02:00:00.000Z');
    const overdue = await t.call('feedback.list', { overdueOnly: true });
    expect(overdue.map((f) => f.id)).toEqual([resolved.id]);
    expect(overdue[0]?.returnVisits[0]?.overdue).toBe(true);

    t.setNow('2026-03-10T02:00:00.000Z');
    expect((await t.call('feedback.list', { overdueOnly: true })).map((f) => f.id).sort()).toEqual(
      [late.id, resolved.id].sort(),
    );
    await t.call('feedback.returnVisit.record', {
      mutationId: t.m(),
      returnVisitId: withVisit.returnVisits[0]!.id,
      outcome: 'satisfied',
      note: '满意',
    });
    const now = await t.call('feedback.list', { overdueOnly: true });
    expect(now.map((f) => f.id)).toEqual([late.id]);
    expect((await t.call('feedback.list', {})).find((f) => f.id === closed.id)?.overdue).toBe(false);
    expect((await t.call('feedback.list', { status: 'closed' })).map((f) => f.id)).toEqual([closed.id]);
  });
});

describe('ratings (好差评)', () => {
  /** The case's ticket served to the end at w1, then the rating asked for (w1's screen paired first). */
  async function requestFor(c: { id: string; ticketId: string | null }) {
    await t.pairScreen();
    await t.call('queue.start', { mutationId: t.m(), counterId: 'w1', ticketId: c.ticketId! });
    await t.call('queue.finish', { mutationId: t.m(), counterId: 'w1', ticketId: c.ticketId! });
    return t.call('rating.request', { mutationId: t.m(), counterId: 'w1', ticketId: c.ticketId!, caseIds: [c.id] });
  }
  const tokenOf = async () => (await t.call('rating.pending', {}, t.rateScreen))!.token;
  const supervisor = { role: 'counter' as const, transport: 'ipc' as const, origin: 'counter-window-2' };

  it('asks the paired screen of the counter, once per visit; a good rating opens nothing', async () => {
    const c = await servedCase();
    const request = await requestFor(c);
    expect(request).toMatchObject({
      counterId: 'w1',
      counterNumber: 1,
      clerkName: '王丽',
      ticketNumber: c.ticketNumber,
      matterNamesZh: ['异地就医备案'],
    });
    const token = await tokenOf();
    expect(t.events.find((e) => e.name === 'rating.requested')?.payload).toEqual({ ...request, token });
    const rating = await t.rate(5);
    expect(rating).toMatchObject({ level: 5, reasons: [], comment: '', rectificationId: null });
    expect(t.events.find((e) => e.name === 'rating.submitted')?.payload).toEqual({
      visitId: request.visitId,
      counterId: 'w1',
      level: 5,
    });
    expect(await t.call('rating.pending', {}, t.rateScreen)).toBeNull();
    const again = await t.refusal(
      'rating.submit',
      { mutationId: t.m(), token, level: 1, reasons: ['attitude'] },
      t.rateScreen,
    );
    expect(again).toMatchObject({ code: 'CONFLICT', reason: 'RATING_TOKEN_USED' });
    expect(
      (await t.refusal('rating.request', { mutationId: t.m(), counterId: 'w1', ticketId: c.ticketId, caseIds: [] }))
        .reason,
    ).toBe('ALREADY_RATED');
    expect(t.count('ratings')).toBe(1);
    expect(t.count('feedback')).toBe(0);
    expect(outbox().filter((o) => o.name === 'rating.submit')).toEqual([
      {
        name: 'rating.submit',
        args: { ratingId: rating.id, visitId: request.visitId, level: 5, reasons: [], comment: '', at: rating.at },
      },
    ]);
  });

  it('a bad rating needs a reason and opens the rectification, for the supervisors, in the same transaction', async () => {
    await t.call('queue.counter.signIn', { counterId: 'w2', login: 'super01', pin: '123456' }, supervisor);
    const c = await servedCase();
    await requestFor(c);
    const noReason = await t.refusal(
      'rating.submit',
      { mutationId: t.m(), token: await tokenOf(), level: 2 },
      t.rateScreen,
    );
    expect(noReason.code).toBe('INVALID_INPUT');
    const rating = await t.rate(1, { reasons: ['long_wait', 'attitude'], comment: '等了一个小时' });
    expect(rating.rectificationId).not.toBeNull();
    // Not in the rated clerk's book; in the supervisor's.
    expect(await t.call('feedback.list', {})).toEqual([]);
    const [rectification] = await t.call('feedback.list', {}, supervisor);
    expect(rectification).toMatchObject({
      id: rating.rectificationId,
      kind: 'complaint',
      channel: 'rating',
      category: 'efficiency',
      status: 'open',
      ratingId: rating.id,
      ratedClerk: { staffId: 'clerk01', name: '王丽' },
      caseId: c.id,
      departmentId: 'hsa',
      applicantId: c.applicantId,
      dueDate: '2026-03-09',
    });
    // The rating screen promised a return visit: it is scheduled, due with the rectification.
    expect(rectification?.returnVisits).toEqual([
      expect.objectContaining({ scheduledFor: '2026-03-09', method: 'phone', doneAt: null }),
    ]);
    // The citizen's words are the item's text; level and reasons travel as codes for the pages to name,
    // never as raw codes inside the text.
    expect(rectification?.content).toBe('等了一个小时');
    expect(rectification?.rating).toEqual({ level: 1, reasons: ['long_wait', 'attitude'] });
    expect((await t.call('rating.list', {}))[0]).toEqual(rating);
    expect(
      outbox()
        .filter((o) => o.name !== 'audit.record')
        .slice(-3)
        .map((o) => o.name),
    ).toEqual(['rating.submit', 'feedback.create', 'feedback.returnVisit.schedule']);
  });

  it('a comment alone is a reason enough', async () => {
    const c = await servedCase();
    await requestFor(c);
    const rating = await t.rate(2, { comment: '指引不清楚' });
    expect(rating.rectificationId).not.toBeNull();
  });

  it('a new request replaces an unrated one; the replaced visit is not rated and can no longer be rated', async () => {
    const first = await servedCase();
    const firstRequest = await requestFor(first);
    const firstToken = await tokenOf();
    const second = await servedCase();
    const secondRequest = await requestFor(second);
    expect(secondRequest.visitId).not.toBe(firstRequest.visitId);
    expect((await t.call('rating.pending', {}, t.rateScreen))?.visitId).toBe(secondRequest.visitId);
    const late = await t.refusal('rating.submit', { mutationId: t.m(), token: firstToken, level: 5 }, t.rateScreen);
    expect(late).toMatchObject({ code: 'CONFLICT', reason: 'RATING_TOKEN_EXPIRED' });
    expect(t.peek.prepare(`SELECT count(*) AS n FROM visits WHERE rating_status = 'pending'`).get()).toEqual({ n: 1 });
  });

  it('a request needs a ticket served here; other counters’ tickets and unknown cases are refused', async () => {
    expect(
      (await t.refusal('rating.request', { mutationId: t.m(), counterId: 'w1', ticketId: null, caseIds: [] })).code,
    ).toBe('INVALID_INPUT');
    const other = await t.call(
      'queue.ticket.issue',
      { mutationId: t.m(), queueId: 'general', applicantType: 'person' },
      t.kiosk,
    );
    expect(
      (
        await t.refusal('rating.request', {
          mutationId: t.m(),
          counterId: 'w1',
          ticketId: other.ticket.id,
          caseIds: [],
        })
      ).reason,
    ).toBe('TICKET_NOT_AT_COUNTER');
    const c = await servedCase();
    await t.call('queue.start', { mutationId: t.m(), counterId: 'w1', ticketId: c.ticketId! });
    expect(
      (
        await t.refusal('rating.request', {
          mutationId: t.m(),
          counterId: 'w1',
          ticketId: c.ticketId,
          caseIds: [crypto.randomUUID()],
        })
      ).reason,
    ).toBe('UNKNOWN_CASE');
    await t.pairScreen();
    expect(
      (await t.refusal('rating.submit', { mutationId: t.m(), token: 'x'.repeat(43), level: 5 }, t.rateScreen)).reason,
    ).toBe('RATING_TOKEN_INVALID');
  });

  it('a retried submit answers the same rating; a failing rectification stores no rating', async () => {
    const c = await servedCase();
    const request = await requestFor(c);
    const token = await tokenOf();
    t.peek.exec(`CREATE TRIGGER fail_feedback BEFORE INSERT ON feedback BEGIN SELECT RAISE(ABORT, 'full'); END`);
    const failed = await t.raw(t.rateScreen, 'rating.submit', {
      mutationId: t.m(),
      token,
      level: 1,
      reasons: ['other'],
    });
    expect(failed).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(t.count('ratings')).toBe(0);
    expect((await t.call('rating.pending', {}, t.rateScreen))?.visitId).toBe(request.visitId);
    t.peek.exec('DROP TRIGGER fail_feedback');
    const input = { mutationId: t.m(), token, level: 3 };
    const a = await t.call('rating.submit', input, t.rateScreen);
    const b = await t.call('rating.submit', input, t.rateScreen);
    expect(b).toEqual(a);
    expect(t.count('ratings')).toBe(1);
  });
});
