import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dashboard } from '@shared/api';
import type { Analysis, AnalysisRow } from '@shared/console/analysis';
import { analysisFiguresOf } from '@shared/console/analysis-figures';
import type { RatingFigures } from '@shared/console/feedback';
import type { ConsoleError } from '@shared/console/session';
import { CN_CALENDARS } from '@shared/intake/cn-calendar';
import { workingDaysLeft } from '@shared/console/deadline';
import { INSIGHT_INTAKE_PATH } from '@shared/sync/insight-queries';
import { mutationDefs } from '@shared/sync/mutations';
import { DEMO_DEPARTMENTS } from '../../electron/core/intake/demo-catalog';
import { consoleSession } from '../fixtures/central-identity';
import { consoleClient, testClock, type ConsoleClient } from '../fixtures/central-console';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { residentId, startIntakeCore, type IntakeCore } from '../fixtures/intake-core';

const MIN = 60_000;
/** 10:00 on Monday 2 March 2026 in Shanghai: the hubs' day of service. */
const DAY = '2026-03-02';
/** 10:00 the next day: past the 03:00 reset, so DAY is in the hub's history and archived to central. */
const NEXT_DAY = '2026-03-03T02:00:00.000Z';
/** A case completed by its department on Wednesday 4 March. */
const COMPLETED_AT = '2026-03-04T02:00:00.000Z';
/** Months later, when the open cases are past their promise: the hall's and central's today. */
const LATER = '2026-06-01T02:00:00.000Z';
const RANGE = { from: '2026-03-01', to: '2026-03-03' };

const { clock, set: setCentralNow } = testClock('2026-03-02T02:00:00.000Z');

/**
 * One applicant at w1: a ticket that waits `waitMinutes` before its call, an intake (accepted, or a
 * 一次性告知 with the materials missing), the service, and the citizen's rating when `level` is given.
 */
async function visit(
  t: IntakeCore,
  o: { seq: string; matterCode: string; waitMinutes: number; level?: number; notice?: boolean },
) {
  const applicant = await t.call('applicant.register', {
    mutationId: t.m(),
    applicant: {
      kind: 'person',
      name: `申请人${o.seq}`,
      idType: 'resident_id',
      idNumber: residentId(`11010519800101${o.seq}`),
      phone: '13800138000',
    },
  });
  const { ticket } = await t.call(
    'queue.ticket.issue',
    { mutationId: t.m(), queueId: 'general', applicantType: 'person' },
    t.kiosk,
  );
  t.advance(o.waitMinutes * MIN);
  await t.call('queue.callTicket', { mutationId: t.m(), counterId: 'w1', ticketId: ticket.id });
  const c = await t.call('case.intake', {
    mutationId: t.m(),
    counterId: 'w1',
    ticketId: ticket.id,
    applicantId: applicant.id,
    matterCode: o.matterCode,
    materials: await t.tick(o.matterCode, o.notice ? 'missing' : 'received'),
    outcome: o.notice ? 'notice' : 'accept',
  });
  await t.call('queue.start', { mutationId: t.m(), counterId: 'w1', ticketId: ticket.id });
  t.advance(5 * MIN);
  await t.call('queue.finish', { mutationId: t.m(), counterId: 'w1', ticketId: ticket.id });
  if (o.level === undefined) return { case: c, ratingId: null };
  await t.call('rating.request', { mutationId: t.m(), counterId: 'w1', ticketId: ticket.id, caseIds: [c.id] });
  const rating = await t.rate(o.level, { reasons: o.level <= 2 ? ['attitude'] : [] });
  return { case: c, ratingId: rating.id };
}

/** A phone complaint, optionally answered and called back the same day. */
async function complaint(t: IntakeCore, revisited: boolean) {
  const f = await t.call('feedback.create', {
    mutationId: t.m(),
    kind: 'complaint',
    channel: 'phone',
    category: 'efficiency',
    content: '等候时间过长',
    contactPhone: '13900139000',
  });
  if (!revisited) return f;
  const planned = await t.call('feedback.returnVisit.schedule', {
    mutationId: t.m(),
    feedbackId: f.id,
    scheduledFor: DAY,
    method: 'phone',
  });
  await t.call('feedback.update', { mutationId: t.m(), feedbackId: f.id, action: 'resolve', resolution: '已整改' });
  await t.call('feedback.returnVisit.record', {
    mutationId: t.m(),
    returnVisitId: planned.returnVisits[0]!.id,
    outcome: 'satisfied',
    note: '已回访',
  });
  return f;
}

/** Moves the hub past the reset and rolls its day over (a settings write runs the reset), then syncs. */
async function closeDay(t: IntakeCore) {
  t.setNow(NEXT_DAY);
  await t.asAdmin('queue.settings.update', await t.asAdmin('queue.settings.get', {}));
  await sync(t);
}

async function sync(t: IntakeCore) {
  expect(await t.core.sync.runOnce()).toBe('ok');
  expect(t.peek.prepare(`SELECT count(*) FROM outbox WHERE status <> 'applied'`).pluck().get()).toBe(0);
}

const ask = (who: ConsoleClient, query: Record<string, string>) =>
  who<Analysis & ConsoleError>('GET', `/analysis?${new URLSearchParams(query)}`);
const hallRow = (a: Analysis, hallId: string) => a.halls.find((h) => h.id === hallId)!;
const figuresOf = ({ id: _id, code: _code, name: _name, ...figures }: AnalysisRow) => figures;

/**
 * The console's cross-hall analysis against the hall dashboard: a real hall hub serves, accepts cases,
 * is rated and takes complaints, archives its day and syncs to a central on PostgreSQL; the console's
 * figures of that hall are the dashboard's for the same range, and its 好差评 figures the rating page's.
 */
describe('cross-hall analysis at the console', () => {
  let central: TestCentral;
  let hallA: { id: string }, hallB: { id: string };
  let hubA: IntakeCore, hubB: IntakeCore;
  let office: ConsoleClient;
  /** hubA's dashboard may be cut off from central's intake figures, to compute them from its own records. */
  let intakeOffline = false;
  const hubAFetch: typeof fetch = (input, init) =>
    intakeOffline && String(input).includes(INSIGHT_INTAKE_PATH)
      ? Promise.reject(new Error('offline'))
      : fetch(input, init);
  let completedCase: { id: string; promisedDate: string };

  beforeAll(async () => {
    central = await startCentral({ mutations: [...mutationDefs], casework: { clock, escalation: false } });
    hallA = await central.admin.createHall('ANLA');
    hallB = await central.admin.createHall('ANLB');
    for (const d of DEMO_DEPARTMENTS) await central.admin.putRef('catalog.department', d.id, { hallId: null, data: d });
    hubA = await startIntakeCore(undefined, { hallCode: 'ANLA', syncFetch: hubAFetch });
    hubB = await startIntakeCore(undefined, { hallCode: 'ANLB' });
    await hubA.core.sync.enroll(central.url, await central.admin.code(hallA.id, 'hub'));
    await hubB.core.sync.enroll(central.url, await central.admin.code(hallB.id, 'hub'));
    // Central's catalog names the matters as the hubs do (the dashboard's lists carry the names).
    for (const code of ['PSB-001', 'HSA-001']) {
      const matter = (await hubA.asAdmin('catalog.matters', { query: code })).find((m) => m.code === code)!;
      await central.admin.putRef('catalog.matter', code, { hallId: null, data: matter });
    }

    // Hall A: four visits with waits of 3, 8, 1 and 12 minutes; two PSB-001 cases rated 5 and 1, an HSA-001
    // case rated 4, a 一次性告知 for PSB-001 not rated; a ticket never called; two complaints, one
    // answered and called back.
    const first = await visit(hubA, { seq: '001', matterCode: 'PSB-001', waitMinutes: 3, level: 5 });
    await visit(hubA, { seq: '002', matterCode: 'PSB-001', waitMinutes: 8, level: 1 });
    await visit(hubA, { seq: '003', matterCode: 'HSA-001', waitMinutes: 1, level: 4 });
    await visit(hubA, { seq: '004', matterCode: 'PSB-001', waitMinutes: 12, notice: true });
    await hubA.call(
      'queue.ticket.issue',
      { mutationId: hubA.m(), queueId: 'general', applicantType: 'person' },
      hubA.kiosk,
    );
    await complaint(hubA, true);
    await complaint(hubA, false);
    // The 差评's rectification: resolved and closed by the hall's administrator (a supervisor's work).
    const [rectification] = (await hubA.asAdmin('feedback.list', { status: 'open' })).filter((f) => f.ratingId);
    await hubA.asAdmin('feedback.update', {
      mutationId: hubA.m(),
      feedbackId: rectification!.id,
      action: 'resolve',
      resolution: '已约谈窗口人员',
    });
    await hubA.asAdmin('feedback.update', { mutationId: hubA.m(), feedbackId: rectification!.id, action: 'close' });
    // Hall B: a visit rated 2 whose appeal the hall upholds (out of the ratings that count, dealt with as a
    // 差评), and one rated 1 whose 差评 is left open.
    const appealed = await visit(hubB, { seq: '005', matterCode: 'HSA-001', waitMinutes: 30, level: 2 });
    const appeal = await hubB.call('rating.appeal.file', {
      mutationId: hubB.m(),
      ratingId: appealed.ratingId!,
      reason: '系统故障导致等候',
    });
    await hubB.asAdmin('rating.appeal.decide', {
      mutationId: hubB.m(),
      appealId: appeal.id,
      decision: 'upheld',
      reason: '叫号系统当日故障',
    });
    await visit(hubB, { seq: '006', matterCode: 'PSB-001', waitMinutes: 2, level: 1 });

    await closeDay(hubA);
    await closeDay(hubB);
    // The department completes hall A's first case two days after its acceptance.
    const firstId = first.case.id;
    completedCase = {
      id: firstId,
      promisedDate: hubA.peek.prepare('SELECT promised_date FROM cases WHERE id = ?').pluck().get(firstId) as string,
    };
    await central.admin.putRef('case.status', firstId, {
      hallId: hallA.id,
      data: { caseId: firstId, status: 'completed', at: COMPLETED_AT },
    });
    await sync(hubA);
    // Months later: the cases still open are past their promise, at the hall and at central alike.
    hubA.setNow(LATER);
    hubB.setNow(LATER);
    setCentralNow(LATER);

    office = consoleClient(
      central.url,
      (await consoleSession(central.url, central.adminSession.token, { login: 'office', roles: ['leader_office'] }))
        .token,
    );
  }, 120_000);
  afterAll(async () => {
    hubA?.stop();
    hubB?.stop();
    await central?.stop();
  });

  it('a hall’s figures are its dashboard’s for the same data and range, and its rating figures’', async () => {
    const halls = [
      {
        hub: hubA,
        hall: hallA,
        promise: () => workingDaysLeft('2026-03-04', completedCase.promisedDate, CN_CALENDARS),
      },
      { hub: hubB, hall: hallB, promise: () => null },
    ];
    for (const { hub, hall, promise } of halls) {
      for (const range of [RANGE, { from: DAY, to: DAY }]) {
        const dashboard = await hub.asAdmin('insight.dashboard', range);
        // The tickets from the hub's own history, the cases, feedback and ratings of the hall from central.
        expect(dashboard.sources).toEqual({ tickets: 'hub', intake: 'central' });
        const rating = await office<RatingFigures>(
          'GET',
          `/ratings/figures?${new URLSearchParams({ ...range, hallId: hall.id })}`,
        );
        expect(rating.status).toBe(200);
        const answer = await ask(office, range);
        expect(answer.status).toBe(200);

        const days = promise();
        const expected = analysisFiguresOf({
          intake: dashboard,
          overdue: dashboard.cases.overdue.length,
          tickets: dashboard.tickets,
          promise: { timed: days === null ? 0 : 1, daysAgainstPromise: days },
          rules: rating.json,
        });
        expect(figuresOf(hallRow(answer.json, hall.id))).toEqual(expected);
      }
    }

    // hubA holds every record of its hall: what it counts alone is what central counts.
    const intakePart = (d: Dashboard) => ({ cases: d.cases, feedback: d.feedback, ratings: d.ratings });
    const fromCentral = await hubA.asAdmin('insight.dashboard', RANGE);
    intakeOffline = true;
    const own = await hubA.asAdmin('insight.dashboard', RANGE);
    intakeOffline = false;
    expect(own.sources.intake).toBe('local');
    expect(intakePart(own)).toEqual(intakePart(fromCentral));

    // And the figures are not trivial: each part holds something, as seeded.
    const a = hallRow((await ask(office, RANGE)).json, hallA.id);
    expect(a.cases).toEqual({
      accepted: 3,
      completed: 1,
      overdue: 2,
      timed: 1,
      daysAgainstPromise: expect.any(Number),
    });
    expect(a.cases.daysAgainstPromise).toBeGreaterThan(0);
    expect(a.tickets).toEqual({ issued: 5, served: 4, waited: 4, avgWaitSeconds: 6 * 60, p90WaitSeconds: 12 * 60 });
    expect(a.ratings).toEqual({
      total: 3,
      satisfied: 2,
      satisfactionRate: 2 / 3,
      bad: 1,
      rectified: 1,
      rectificationRate: 1,
    });
    expect(a.feedback).toEqual({ complaints: 2, revisitDue: 2, revisited: 1, returnVisitRate: 0.5 });
    // Hall B: the upheld appeal's rating is out of those that count, and a 差评 dealt with.
    const b = hallRow((await ask(office, RANGE)).json, hallB.id);
    expect(b.ratings).toEqual({
      total: 1,
      satisfied: 0,
      satisfactionRate: 0,
      bad: 2,
      rectified: 1,
      rectificationRate: 0.5,
    });
    expect(b.cases).toEqual({ accepted: 2, completed: 0, overdue: 2, timed: 0, daysAgainstPromise: null });
  });

  it('departments: their cases, their ratings by the visits of their cases, over the halls asked for', async () => {
    const all = (await ask(office, RANGE)).json;
    const dept = (a: Analysis, id: string) => a.departments.find((d) => d.id === id)!;
    // PSB-001 in both halls: hall A's two rated visits and hall B's open 差评.
    expect(dept(all, 'psb')).toMatchObject({
      name: '公安局',
      code: null,
      tickets: null,
      cases: { accepted: 3, completed: 1, overdue: 2, timed: 1 },
      ratings: { total: 3, satisfied: 1, bad: 2, rectified: 1 },
    });
    // HSA-001 in both halls: hall A's 4 and hall B's 2 with its upheld appeal.
    expect(dept(all, 'hsa')).toMatchObject({
      cases: { accepted: 2, completed: 0, overdue: 2 },
      ratings: { total: 1, satisfied: 1, bad: 1, rectified: 1, rectificationRate: 1 },
    });
    // Every case has its department: the departments' cases add up to the halls'.
    const sum = (rows: AnalysisRow[]) => rows.reduce((n, r) => n + r.cases.accepted, 0);
    expect(sum(all.departments)).toBe(sum(all.halls));
    // A department of the catalog without a case in the range is listed with zeros.
    expect(dept(all, 'tax')).toMatchObject({ cases: { accepted: 0, daysAgainstPromise: null } });

    const onlyA = (await ask(office, { ...RANGE, hallIds: hallA.id })).json;
    expect(onlyA.halls.map((h) => h.id)).toEqual([hallA.id]);
    expect(dept(onlyA, 'hsa')).toMatchObject({ cases: { accepted: 1 }, ratings: { total: 1, bad: 0 } });
  });

  it('a hall’s people see their halls only; another hall asked for is refused', async () => {
    const person = async (login: string, roles: string[], hallIds: string[] = [], departmentIds: string[] = []) =>
      consoleClient(
        central.url,
        (await consoleSession(central.url, central.adminSession.token, { login, roles, hallIds, departmentIds })).token,
      );
    const leaderA = await person('leader-a', ['leader'], [hallA.id]);
    const mine = await ask(leaderA, RANGE);
    expect(mine.status).toBe(200);
    expect(mine.json.halls.map((h) => h.id)).toEqual([hallA.id]);
    // Its departments are counted over hall A alone: hall B's HSA-001 case is not in them.
    expect(mine.json.departments.find((d) => d.id === 'hsa')!.cases.accepted).toBe(1);
    expect((await ask(leaderA, { ...RANGE, hallIds: hallA.id })).status).toBe(200);
    for (const hallIds of [hallB.id, `${hallA.id},${hallB.id}`]) {
      const refused = await ask(leaderA, { ...RANGE, hallIds });
      expect(refused.status).toBe(403);
      expect(refused.json.code).toBe('FORBIDDEN');
    }

    const supervisorB = await person('supervisor-b', ['supervisor'], [hallB.id]);
    expect((await ask(supervisorB, RANGE)).json.halls.map((h) => h.id)).toEqual([hallB.id]);
    const adminA = await person('hall-admin-a', ['hall_admin'], [hallA.id]);
    expect((await ask(adminA, RANGE)).json.halls.map((h) => h.id)).toEqual([hallA.id]);
    // A department handler works cases; the analysis is not theirs.
    const handler = await person('handler', ['department_handler'], [], ['psb']);
    expect(await ask(handler, RANGE)).toMatchObject({ status: 403, json: { code: 'FORBIDDEN' } });
    // Without a session: nothing.
    const res = await fetch(`${central.url}/api/console/v1/analysis?${new URLSearchParams(RANGE)}`);
    expect(res.status).toBe(401);
  });

  it('a bad query is refused with the field it is about', async () => {
    const bad = async (query: Record<string, string>) => {
      const r = await ask(office, query);
      expect(r.status).toBe(400);
      expect(r.json.code).toBe('INVALID_INPUT');
      return Object.keys(r.json.fields!);
    };
    expect(await bad({ from: '2026-03-05', to: '2026-03-04' })).toEqual(['from']);
    expect(await bad({ from: '2025-02-28', to: '2026-03-01' })).toEqual(['to']);
    expect(await bad({ from: '2026-02-30', to: '2026-03-01' })).toEqual(['from']);
    expect(await bad({ from: '2026-03-01' })).toEqual(['to']);
    expect(await bad({ ...RANGE, hallIds: 'not-a-hall' })).toEqual(['hallIds.0']);
    expect(await bad({ ...RANGE, hall: hallA.id })).toEqual(['']);
    // 366 days, both ends counted, is the longest range: a leap year.
    const year = await ask(office, { from: '2028-01-01', to: '2028-12-31' });
    expect(year.status).toBe(200);
    expect(year.json.halls).toHaveLength(2);
  });
});
