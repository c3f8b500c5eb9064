import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Caller } from '../../electron/core/api/caller';
import { histogram } from '@shared/insight/ticket-stats';
import { startIntakeCore, type IntakeCore } from '../fixtures/intake-core';

const MIN = 60_000;
const leader: Caller = { role: 'leader', transport: 'ipc', origin: 'leader-1' };

let t: IntakeCore;
beforeEach(async () => {
  // Monday 2026-03-02 10:00 in Shanghai; clerk01 (王丽) is signed in at w1.
  t = await startIntakeCore();
  const settings = await t.call('queue.settings.get', {}, t.admin);
  await t.call('queue.settings.update', { ...settings, noShowAfterCalls: 1, noShowGraceSeconds: 0 }, t.admin);
});
afterEach(() => t.stop());

const issue = async () =>
  (await t.call('queue.ticket.issue', { mutationId: t.m(), queueId: 'general', applicantType: 'person' }, t.kiosk))
    .ticket;
const at = (action: 'queue.callTicket' | 'queue.start' | 'queue.finish' | 'queue.noShow', ticketId: string) =>
  t.call(action, { mutationId: t.m(), counterId: 'w1', ticketId });

/**
 * Ticket A: issued 10:00, called 10:05 (wait 300 s), served 10:06–10:16 (600 s) with an accepted case
 * rated 1 (a rectification opens). Ticket B: issued 10:16, called 10:20 (wait 240 s), no-show at once.
 * Ticket C: issued 10:20, called 10:50 (wait 1800 s), served 10:50–11:10 (1200 s), rated 5.
 */
async function seedDay() {
  const applicant = await t.person();
  const a = await issue();
  t.advance(5 * MIN);
  await at('queue.callTicket', a.id);
  t.advance(1 * MIN);
  await at('queue.start', a.id);
  const caseA = await t.call('case.intake', {
    mutationId: t.m(),
    counterId: 'w1',
    ticketId: a.id,
    applicantId: applicant.id,
    matterCode: 'HSA-001',
    materials: await t.tick('HSA-001'),
    outcome: 'accept',
  });
  t.advance(10 * MIN);
  await at('queue.finish', a.id);
  await t.call('rating.request', {
    mutationId: t.m(),
    counterId: 'w1',
    ticketId: a.id,
    caseIds: [caseA.id],
  });
  await t.rate(1, { reasons: ['attitude'] });

  const b = await issue();
  t.advance(4 * MIN);
  await at('queue.callTicket', b.id);
  await at('queue.noShow', b.id);

  const c = await issue();
  t.advance(30 * MIN);
  await at('queue.callTicket', c.id);
  await at('queue.start', c.id);
  t.advance(20 * MIN);
  await at('queue.finish', c.id);
  await t.call('rating.request', { mutationId: t.m(), counterId: 'w1', ticketId: c.id, caseIds: [] });
  await t.rate(5);

  const complaint = await t.call('feedback.create', {
    mutationId: t.m(),
    kind: 'complaint',
    channel: 'phone',
    category: 'efficiency',
    content: '等候时间过长',
    contactPhone: '13900139000',
  });
  await t.call('feedback.create', {
    mutationId: t.m(),
    kind: 'enquiry',
    channel: 'counter',
    category: 'process',
    content: '公积金提取需要什么材料？',
  });
  await t.call('feedback.returnVisit.schedule', {
    mutationId: t.m(),
    feedbackId: complaint.id,
    scheduledFor: '2026-03-02',
    method: 'phone',
  });
  return { caseA };
}

describe('insight.dashboard', () => {
  it('counts today from the live queue and the intake tables, exactly (the leader pane now only with its own session)', async () => {
    const { caseA } = await seedDay();
    t.advance(10 * MIN);
    // The admin page locked itself while the hall worked (300 s idle): the administrator signs in again.
    await t.signInAdmin();
    const d = await t.call('insight.dashboard', {}, t.admin);
    expect(d).toMatchObject({ from: '2026-03-02', to: '2026-03-02', timeZone: 'Asia/Shanghai', live: true });
    const tickets = d.tickets!;
    expect(tickets.totals).toEqual({ issued: 3, called: 3, served: 2, noShow: 1, noShowRate: 1 / 3 });
    expect(tickets.perHour.filter((h) => h.issued || h.called || h.served)).toEqual([
      { hour: 10, issued: 3, called: 3, served: 1 },
      { hour: 11, issued: 0, called: 0, served: 1 },
    ]);
    expect(tickets.wait).toEqual({
      count: 3,
      buckets: [1, 1, 0, 0, 0, 1, 0, 0],
      p50Seconds: 300,
      p90Seconds: 1800,
      avgSeconds: 780,
    });
    expect(tickets.service).toMatchObject({ count: 2, p50Seconds: 600, p90Seconds: 1200, avgSeconds: 900 });
    expect(tickets.byQueue.find((q) => q.queueId === 'general')).toMatchObject({ issued: 3, served: 2, noShow: 1 });
    expect(tickets.byCounter.find((c) => c.counterId === 'w1')).toMatchObject({
      served: 2,
      wait: { count: 3 },
      service: { count: 2, avgSeconds: 900 },
    });
    // Signed in at 10:00 and still at 11:20 = 4800 s; serving 1800 s of it.
    expect(tickets.clerks).toEqual([
      {
        clerkId: 'clerk01',
        name: '王丽',
        served: 2,
        avgServiceSeconds: 900,
        serviceSeconds: 1800,
        onDutySeconds: 4800,
        idleSeconds: 3000,
      },
    ]);

    expect(d.cases.total).toBe(1);
    expect(d.cases.byMatter).toEqual([
      { matterCode: 'HSA-001', nameZh: '异地就医备案', nameEn: expect.any(String), count: 1 },
    ]);
    expect(d.cases.byStatus.filter((s) => s.count > 0)).toEqual([{ state: caseA.state, count: 1 }]);
    expect(d.cases.overdue).toEqual([]);
    expect(d.feedback.byKind).toEqual([
      { kind: 'complaint', total: 1, byStatus: expect.arrayContaining([{ status: 'open', count: 1 }]) },
      { kind: 'suggestion', total: 0, byStatus: expect.arrayContaining([{ status: 'open', count: 0 }]) },
      { kind: 'enquiry', total: 1, byStatus: expect.arrayContaining([{ status: 'open', count: 1 }]) },
    ]);
    expect(d.feedback.returnVisits).toEqual({ scheduled: 1, done: 0, completionRate: 0 });
    expect(d.ratings).toEqual({
      total: 2,
      byLevel: [
        { level: 5, count: 1 },
        { level: 4, count: 0 },
        { level: 3, count: 0 },
        { level: 2, count: 0 },
        { level: 1, count: 1 },
      ],
      rectification: [
        { status: 'open', count: 1 },
        { status: 'assigned', count: 0 },
        { status: 'resolved', count: 0 },
        { status: 'closed', count: 0 },
      ],
      badTotal: 1,
    });
    // The leader pane needs its own unlocked session for them now (METHOD_STAFF: a leader person).
    expect(await t.refusal('insight.dashboard', {}, leader)).toMatchObject({
      code: 'SIGN_IN_REQUIRED',
      reason: 'SIGN_IN_REQUIRED',
    });

    // Signed out 11:20–11:50: that half hour is not on duty.
    await t.call('queue.counter.signOut', { mutationId: t.m(), counterId: 'w1' });
    t.advance(30 * MIN);
    await t.signInCounter('w1');
    t.advance(10 * MIN);
    await t.signInAdmin();
    const noon = await t.call('insight.dashboard', {}, t.admin);
    expect(noon.tickets!.clerks[0]).toMatchObject({ onDutySeconds: 5400, idleSeconds: 3600 });
  });

  it('reads archived days from history, counts overdue cases and return-visit completion over a range', async () => {
    const { caseA } = await seedDay();
    const [complaint] = await t.call('feedback.list', { kind: 'complaint' });
    const [visit] = complaint!.returnVisits;
    await t.call('feedback.update', {
      mutationId: t.m(),
      feedbackId: complaint!.id,
      action: 'resolve',
      resolution: '已调整窗口',
    });
    await t.call('feedback.returnVisit.record', {
      mutationId: t.m(),
      returnVisitId: visit!.id,
      outcome: 'satisfied',
      note: '已回访',
    });
    // Far past the promised date: the next day's reset archives the tickets; the case is overdue.
    t.setNow('2026-06-01T02:00:00.000Z');
    await t.signInAdmin();
    const later = await t.call('insight.dashboard', {}, t.admin);
    expect(later.tickets!.totals.issued).toBe(0);
    expect(later.cases.overdue).toEqual([
      {
        caseNumber: caseA.caseNumber,
        matterNameZh: '异地就医备案',
        matterNameEn: expect.any(String),
        state: caseA.state,
        promisedDate: caseA.promisedDate,
      },
    ]);
    const past = await t.call('insight.dashboard', { from: '2026-03-01', to: '2026-03-03' }, t.admin);
    expect(past.live).toBe(false);
    expect(past.tickets!.totals).toEqual({ issued: 3, called: 3, served: 2, noShow: 1, noShowRate: 1 / 3 });
    // Nobody signed out that day: on duty from the 10:00 sign-in to the last finished service at 11:10.
    expect(past.tickets!.clerks[0]).toMatchObject({ served: 2, onDutySeconds: 4200, idleSeconds: 2400 });
    expect(past.feedback.returnVisits).toEqual({ scheduled: 1, done: 1, completionRate: 1 });
    expect(past.ratings.total).toBe(2);
    // Days with nothing: zeros, not an error.
    const empty = await t.call('insight.dashboard', { from: '2026-02-01', to: '2026-02-02' }, t.admin);
    expect(empty.tickets!.totals).toEqual({ issued: 0, called: 0, served: 0, noShow: 0, noShowRate: null });
    expect(empty.ratings.total).toBe(0);
  });

  it('counts a return visit done on the day it was done and due on the day it was planned', async () => {
    const complaint = await t.call('feedback.create', {
      mutationId: t.m(),
      kind: 'complaint',
      channel: 'phone',
      category: 'attitude',
      content: '窗口人员态度生硬',
      contactPhone: '13900139000',
    });
    await t.call('feedback.update', {
      mutationId: t.m(),
      feedbackId: complaint.id,
      action: 'resolve',
      resolution: '已约谈',
    });
    // Planned for Thursday, done on Monday.
    const planned = await t.call('feedback.returnVisit.schedule', {
      mutationId: t.m(),
      feedbackId: complaint.id,
      scheduledFor: '2026-03-05',
      method: 'phone',
    });
    await t.call('feedback.returnVisit.record', {
      mutationId: t.m(),
      returnVisitId: planned.returnVisits[0]!.id,
      outcome: 'satisfied',
      note: '群众满意',
    });
    const day = async (date: string) =>
      (await t.call('insight.dashboard', { from: date, to: date }, t.admin)).feedback.returnVisits;
    expect(await day('2026-03-02')).toEqual({ scheduled: 0, done: 1, completionRate: null });
    expect(await day('2026-03-05')).toEqual({ scheduled: 1, done: 0, completionRate: 1 });
    const week = await t.call('insight.dashboard', { from: '2026-03-02', to: '2026-03-06' }, t.admin);
    expect(week.feedback.returnVisits).toEqual({ scheduled: 1, done: 1, completionRate: 1 });
  });

  it("takes today to be the queue's hall day: before the 03:00 reset, and after the PC clock went back", async () => {
    await seedDay();
    // 02:30 in Shanghai on 3 March: the calendar says the 3rd, the hall (reset at 03:00) is still on the 2nd.
    t.setNow('2026-03-02T18:30:00.000Z');
    await t.signInAdmin();
    const night = await t.call('insight.dashboard', {}, t.admin);
    expect([night.from, night.live]).toEqual(['2026-03-02', true]);
    expect(night.tickets!.totals.issued).toBe(3);
    // The PC clock set back a whole day: the hall day never goes back, nor does the dashboard's today.
    t.setNow('2026-03-01T02:00:00.000Z');
    const back = await t.call('insight.dashboard', {}, t.admin);
    expect([back.from, back.to]).toEqual(['2026-03-02', '2026-03-02']);
    expect(back.tickets!.totals.issued).toBe(3);
  });

  it('refuses reversed and over-long ranges and roles without the dashboard', async () => {
    expect((await t.refusal('insight.dashboard', { from: '2026-03-03', to: '2026-03-02' }, t.admin)).code).toBe(
      'INVALID_INPUT',
    );
    expect((await t.refusal('insight.dashboard', { from: '2026-01-01', to: '2026-03-02' }, t.admin)).code).toBe(
      'INVALID_INPUT',
    );
    expect((await t.refusal('insight.dashboard', {}, t.clerk)).code).toBe('FORBIDDEN');
    expect((await t.refusal('queue.insight.tickets', { from: '2026-03-02', to: '2026-03-02' }, t.kiosk)).code).toBe(
      'FORBIDDEN',
    );
  });
});

describe('histogram', () => {
  it('buckets by the edges and takes nearest-rank percentiles', () => {
    expect(histogram([])).toEqual({
      count: 0,
      buckets: [0, 0, 0, 0, 0, 0, 0, 0],
      p50Seconds: null,
      p90Seconds: null,
      avgSeconds: null,
    });
    expect(histogram([3600, 0, 299, 300, 4000])).toEqual({
      count: 5,
      buckets: [2, 1, 0, 0, 0, 0, 0, 2],
      p50Seconds: 300,
      p90Seconds: 4000,
      avgSeconds: 1640,
    });
  });
});
