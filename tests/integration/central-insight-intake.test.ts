import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dashboard } from '@shared/api';
import { INSIGHT_INTAKE_PATH } from '@shared/sync/insight-queries';
import { mutationDefs } from '@shared/sync/mutations';
import { CENTRAL_INSIGHT_TIMEOUT_MS } from '../../electron/core/app/create-core';
import { createFileSecretStore } from '../../electron/core/sync/secret-store';
import { CENTRAL_TOKEN_SECRET } from '../../electron/core/sync/sync-engine';
import { residentId, startIntakeCore, type IntakeCore } from '../fixtures/intake-core';
import { startCentral, type TestCentral } from '../fixtures/central-server';

const LATER = '2026-06-01T02:00:00.000Z';

/** The intake part of a dashboard: what central answers for a hall, or the device computes alone. */
const intakePart = (d: Dashboard) => ({ cases: d.cases, feedback: d.feedback, ratings: d.ratings });
const tokenOf = (t: IntakeCore) => createFileSecretStore(path.join(t.dataDir, 'secrets')).get(CENTRAL_TOKEN_SECRET)!;

/**
 * One served applicant at counter w1: a case accepted for `matterCode` (promised some working days
 * ahead), the ticket finished and rated `level` (1–2 open a rectification).
 */
async function serve(t: IntakeCore, seq: string, matterCode: string, level: number) {
  const applicant = await t.call('applicant.register', {
    mutationId: t.m(),
    applicant: {
      kind: 'person',
      name: `申请人${seq}`,
      idType: 'resident_id',
      idNumber: residentId(`11010519800101${seq}`),
      phone: '13800138000',
    },
  });
  const ticket = await t.calledTicket();
  const c = await t.call('case.intake', {
    mutationId: t.m(),
    counterId: 'w1',
    ticketId: ticket.id,
    applicantId: applicant.id,
    matterCode,
    materials: await t.tick(matterCode),
    outcome: 'accept',
  });
  await t.call('queue.start', { mutationId: t.m(), counterId: 'w1', ticketId: ticket.id });
  await t.call('queue.finish', { mutationId: t.m(), counterId: 'w1', ticketId: ticket.id });
  await t.call('rating.request', {
    mutationId: t.m(),
    counterId: 'w1',
    ticketId: ticket.id,
    caseIds: [c.id],
  });
  await t.rate(level, { reasons: level <= 2 ? ['attitude'] : [] });
  return c;
}

/** A phone complaint with a return visit planned for `plannedFor` (today by default), optionally answered and done today. */
async function complaint(t: IntakeCore, done: boolean, plannedFor = '2026-03-02') {
  const f = await t.call('feedback.create', {
    mutationId: t.m(),
    kind: 'complaint',
    channel: 'phone',
    category: 'efficiency',
    content: '等候时间过长',
    contactPhone: '13900139000',
  });
  const scheduled = await t.call('feedback.returnVisit.schedule', {
    mutationId: t.m(),
    feedbackId: f.id,
    scheduledFor: plannedFor,
    method: 'phone',
  });
  if (done) {
    await t.call('feedback.update', { mutationId: t.m(), feedbackId: f.id, action: 'resolve', resolution: '已整改' });
    await t.call('feedback.returnVisit.record', {
      mutationId: t.m(),
      returnVisitId: scheduled.returnVisits[0]!.id,
      outcome: 'satisfied',
      note: '已回访',
    });
  }
  return f;
}

/**
 * Hall A: two counters that serve and an admin PC that holds nothing; hall B: a hub that serves
 * counters itself. All push to a real central on PostgreSQL; the dashboard reads the hall's figures there.
 */
describe('the hall dashboard’s intake figures from central', () => {
  let central: TestCentral;
  let centralStopped = false;
  let hallB: { id: string };
  let a1: IntakeCore, a2: IntakeCore, adminA: IntakeCore, hubB: IntakeCore;
  /**
   * What hubB's requests for the insight meet: central, a central that never answers (they end at their
   * timeout), or one that answers something else than intake statistics.
   */
  let insightAnswer: 'central' | 'hang' | 'garbage' = 'central';
  const faultyFetch: typeof fetch = (input, init) => {
    if (insightAnswer === 'central' || !String(input).includes(INSIGHT_INTAKE_PATH)) return fetch(input, init);
    if (insightAnswer === 'garbage') return Promise.resolve(Response.json({ cases: { total: 'many' } }));
    return new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
  };

  beforeAll(async () => {
    central = await startCentral({ mutations: [...mutationDefs] });
    const hallA = await central.admin.createHall('INSA');
    hallB = await central.admin.createHall('INSB');
    a1 = await startIntakeCore(undefined, { hallCode: 'INSA' });
    a2 = await startIntakeCore(undefined, { hallCode: 'INSA' });
    adminA = await startIntakeCore(undefined, { hallCode: 'INSA' });
    hubB = await startIntakeCore(undefined, { hallCode: 'INSB', syncFetch: faultyFetch });
    await a1.core.sync.enroll(central.url, await central.admin.code(hallA.id, 'counter'));
    await a2.core.sync.enroll(central.url, await central.admin.code(hallA.id, 'counter'));
    await adminA.core.sync.enroll(central.url, await central.admin.code(hallA.id, 'admin'));
    await hubB.core.sync.enroll(central.url, await central.admin.code(hallB.id, 'hub'));

    // Hall A: a1 one case rated 1 and a complaint whose return visit, planned for 4 March, is done today;
    // a2 two cases rated 4 and 5 and a complaint whose return visit, due today, is not done yet.
    await serve(a1, '001', 'HSA-001', 1);
    await complaint(a1, true, '2026-03-04');
    await serve(a2, '002', 'PSB-001', 4);
    await serve(a2, '003', 'PSB-001', 5);
    await complaint(a2, false);
    // Hall B: three cases, one rated 2; an enquiry; a complaint with its return visit done.
    await serve(hubB, '004', 'HSA-001', 2);
    await serve(hubB, '005', 'PSB-001', 5);
    await serve(hubB, '006', 'PSB-001', 3);
    await hubB.call('feedback.create', {
      mutationId: hubB.m(),
      kind: 'enquiry',
      channel: 'counter',
      category: 'process',
      content: '公积金提取需要什么材料？',
    });
    await complaint(hubB, true);
    // Half past midnight of 3 March in Shanghai, still 2 March in UTC: a suggestion of the hall's 3 March.
    a1.setNow('2026-03-02T16:30:00.000Z');
    await a1.call('feedback.create', {
      mutationId: a1.m(),
      kind: 'suggestion',
      channel: 'web',
      category: 'environment',
      content: '大厅可以多放几把椅子',
    });
    for (const t of [a1, a2, hubB]) {
      expect(await t.core.sync.runOnce()).toBe('ok');
      expect(t.peek.prepare(`SELECT count(*) FROM outbox WHERE status <> 'applied'`).pluck().get()).toBe(0);
    }
  }, 120_000);
  afterAll(async () => {
    for (const t of [a1, a2, adminA, hubB]) t?.stop();
    if (!centralStopped) await central?.stop();
  });

  it('an admin PC of hall A sees both counters’ cases, feedback and ratings, and nothing of hall B', async () => {
    const d = await adminA.asAdmin('insight.dashboard', {});
    expect(d.sources.intake).toBe('central');
    expect(d.cases.total).toBe(3);
    // Central has no catalog rows for these demo matters: a matter is named by its code.
    expect(d.cases.byMatter).toEqual([
      { matterCode: 'PSB-001', nameZh: 'PSB-001', nameEn: 'PSB-001', count: 2 },
      { matterCode: 'HSA-001', nameZh: 'HSA-001', nameEn: 'HSA-001', count: 1 },
    ]);
    expect(d.cases.byStatus.reduce((n, s) => n + s.count, 0)).toBe(3);
    expect(d.cases.overdue).toEqual([]);
    // The rating's rectification is not a complaint of the hall: two complaints, one per counter.
    expect(d.feedback.byKind.map((k) => [k.kind, k.total])).toEqual([
      ['complaint', 2],
      ['suggestion', 0],
      ['enquiry', 0],
    ]);
    // Due today by the planned day (a2's, not done); done today by the day it was done (a1's).
    expect(d.feedback.returnVisits).toEqual({ scheduled: 1, done: 1, completionRate: 0 });
    const planned = await adminA.asAdmin('insight.dashboard', { from: '2026-03-04', to: '2026-03-04' });
    expect(planned.feedback.returnVisits).toEqual({ scheduled: 1, done: 0, completionRate: 1 });
    expect(d.ratings).toEqual({
      total: 3,
      byLevel: [
        { level: 5, count: 1 },
        { level: 4, count: 1 },
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
    // Days begin at midnight in the hall's zone.
    const next = await adminA.asAdmin('insight.dashboard', { from: '2026-03-03', to: '2026-03-03' });
    expect(next.feedback.byKind.map((k) => k.total)).toEqual([0, 1, 0]);
    // a1's bad rating scheduled the return visit of its rectification, due with it five working days on.
    // A 差评's rectification is the supervisors' (the hall administrator here), never the rated clerk's list.
    expect((await a1.call('feedback.list', { status: 'open' })).filter((f) => f.ratingId)).toEqual([]);
    const [rectification] = await a1
      .asAdmin('feedback.list', { status: 'open' })
      .then((l) => l.filter((f) => f.ratingId));
    expect(rectification!.returnVisits).toEqual([
      expect.objectContaining({ scheduledFor: rectification!.dueDate, method: 'phone', doneAt: null }),
    ]);
    const due = await adminA.asAdmin('insight.dashboard', { from: '2026-03-09', to: '2026-03-09' });
    expect(rectification!.dueDate).toBe('2026-03-09');
    expect(due.feedback.returnVisits).toEqual({ scheduled: 1, done: 0, completionRate: 0 });
    // Its own tables hold nothing: what it showed is the hall's.
    expect(adminA.count('cases')).toBe(0);
    // Another day of the hall: nothing.
    const before = await adminA.asAdmin('insight.dashboard', { from: '2026-02-01', to: '2026-02-28' });
    expect(before.sources.intake).toBe('central');
    expect([before.cases.total, before.ratings.total, before.feedback.returnVisits.scheduled]).toEqual([0, 0, 0]);
  });

  it('a counter, which central does not answer, shows its own figures', async () => {
    const d = await a1.asAdmin('insight.dashboard', { from: '2026-03-02', to: '2026-03-02' });
    expect(d.sources.intake).toBe('local');
    expect([d.cases.total, d.ratings.total, d.feedback.byKind[0]!.total]).toEqual([1, 1, 1]);
  });

  it('for one device’s records alone, central’s figures are the device’s own, overdue list included', async () => {
    // The catalog at central names the matters as the device does; one case progresses at central.
    for (const department of await hubB.asAdmin('catalog.departments', {})) {
      await central.admin.putRef('catalog.department', department.id, { hallId: hallB.id, data: department });
    }
    const names = new Map<string, string>();
    for (const code of ['HSA-001', 'PSB-001']) {
      const matter = (await hubB.asAdmin('catalog.matters', { query: code })).find((m) => m.code === code)!;
      await central.admin.putRef('catalog.matter', code, { hallId: hallB.id, data: matter });
      names.set(code, matter.nameZh);
    }
    const caseId = hubB.peek.prepare(`SELECT id FROM cases WHERE matter_code = 'HSA-001'`).pluck().get() as string;
    await central.admin.putRef('case.status', caseId, {
      hallId: hallB.id,
      data: { caseId, status: 'completed', at: '2026-03-03T02:00:00.000Z' },
    });
    expect(await hubB.core.sync.runOnce()).toBe('ok');
    expect(hubB.peek.prepare('SELECT state FROM cases WHERE id = ?').pluck().get(caseId)).toBe('completed');

    // Months later the two other cases are overdue; the range covers the day they were accepted.
    hubB.setNow(LATER);
    const range = { from: '2026-02-20', to: '2026-03-05' };
    const fromCentral = await hubB.asAdmin('insight.dashboard', range);
    insightAnswer = 'hang';
    const started = Date.now();
    const local = await hubB.asAdmin('insight.dashboard', range);
    const waited = Date.now() - started;
    insightAnswer = 'garbage';
    const garbled = await hubB.asAdmin('insight.dashboard', range);
    insightAnswer = 'central';

    expect(fromCentral.sources.intake).toBe('central');
    expect(local.sources.intake).toBe('local');
    // Central did not answer: the device waited for its timeout, not longer.
    expect(waited).toBeGreaterThanOrEqual(CENTRAL_INSIGHT_TIMEOUT_MS - 50);
    expect(waited).toBeLessThan(CENTRAL_INSIGHT_TIMEOUT_MS + 1500);
    expect(intakePart(fromCentral)).toEqual(intakePart(local));
    expect(garbled.sources.intake).toBe('local');
    expect(intakePart(garbled)).toEqual(intakePart(local));
    // And the figures are not trivial: every part holds something.
    expect(local.cases.total).toBe(3);
    expect(local.cases.byMatter.map((m) => [m.matterCode, m.nameZh, m.count])).toEqual([
      ['PSB-001', names.get('PSB-001'), 2],
      ['HSA-001', names.get('HSA-001'), 1],
    ]);
    expect(local.cases.byStatus.find((s) => s.state === 'completed')!.count).toBe(1);
    expect(local.cases.overdue.map((c) => [c.matterNameZh, c.state])).toEqual([
      [names.get('PSB-001'), 'dispatched'],
      [names.get('PSB-001'), 'dispatched'],
    ]);
    expect(local.feedback.byKind.map((k) => k.total)).toEqual([1, 0, 1]);
    // The rating 2's rectification is in the device's feedback table but not among the hall's feedback.
    expect(hubB.count('feedback')).toBe(3);
    expect(local.feedback.returnVisits).toEqual({ scheduled: 1, done: 1, completionRate: 1 });
    expect(local.ratings).toMatchObject({ total: 3, badTotal: 1 });
    expect(local.ratings.rectification.find((r) => r.status === 'open')!.count).toBe(1);
  });

  it('central refuses devices without the dashboard and bad queries', async () => {
    const ask = async (token: string | undefined, query: Record<string, string>) => {
      const res = await fetch(`${central.url}${INSIGHT_INTAKE_PATH}?${new URLSearchParams(query)}`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      return { status: res.status, json: (await res.json()) as { error: string; issues?: { path: string }[] } };
    };
    const good = { from: '2026-03-01', to: '2026-03-02', today: '2026-03-02', tz: 'Asia/Shanghai' };
    const admin = tokenOf(adminA);

    expect((await ask(admin, good)).status).toBe(200);
    expect(await ask(tokenOf(a1), good)).toEqual({ status: 403, json: { error: 'FORBIDDEN' } });
    expect((await ask(undefined, good)).status).toBe(401);

    const bad = async (query: Record<string, string>) => {
      const r = await ask(admin, query);
      expect(r.status).toBe(400);
      expect(r.json.error).toBe('INVALID_INPUT');
      return [...new Set(r.json.issues!.map((i) => i.path))];
    };
    expect(await bad({ ...good, from: '2026-02-30' })).toEqual(['from']);
    expect(await bad({ ...good, to: 'tomorrow' })).toEqual(['to']);
    expect(await bad({ ...good, tz: 'Mars/Olympus_Mons' })).toEqual(['tz']);
    expect(await bad({ ...good, from: '2026-03-03' })).toEqual(['to']);
    expect(await bad({ ...good, from: '2026-01-01', to: '2026-02-01' })).toEqual(['to']);
    const { today: _t, ...withoutToday } = good;
    expect(await bad(withoutToday)).toEqual(['today']);
    expect(await bad({ ...good, hallId: hallB.id })).toEqual(['']);
    // 31 days is the longest range.
    expect((await ask(admin, { ...good, from: '2026-01-01', to: '2026-01-31' })).status).toBe(200);
  });

  it('with central stopped, the dashboard shows the device’s own figures at once', async () => {
    await central.stop();
    centralStopped = true;
    const started = Date.now();
    const own = await adminA.asAdmin('insight.dashboard', {});
    expect(Date.now() - started).toBeLessThan(CENTRAL_INSIGHT_TIMEOUT_MS);
    expect(own.sources.intake).toBe('local');
    expect([own.cases.total, own.ratings.total]).toEqual([0, 0]);
    const hub = await hubB.asAdmin('insight.dashboard', { from: '2026-02-20', to: '2026-03-05' });
    expect(hub.sources.intake).toBe('local');
    expect(hub.cases.total).toBe(3);
  });
});
