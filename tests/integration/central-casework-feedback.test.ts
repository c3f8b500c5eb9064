import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedbackDetail, FeedbackQueuePage, RatingFigures, Reminders } from '@shared/console/feedback';
import type { ConsoleError } from '@shared/console/session';
import { mutationDefs } from '@shared/sync/mutations';
import type { IntakeMutationArgs } from '@shared/sync/mutations/intake';
import { DEMO_DEPARTMENTS } from '../../electron/core/intake/demo-catalog';
import { escalationPass } from '../../central/src/casework/escalation';
import { consoleSession } from '../fixtures/central-identity';
import {
  consoleClient,
  hallDevice,
  mutation,
  testClock,
  type ConsoleClient,
  type HallDevice,
} from '../fixtures/central-console';
import { startCentral, type TestCentral } from '../fixtures/central-server';

const uuid = () => crypto.randomUUID();
const { clock, set: setNow } = testClock('2026-03-02T02:00:00.000Z');
const AT = '2026-03-02T02:00:00.000Z';

type FeedbackArgs = IntakeMutationArgs<'feedback.create@1'>;
const feedbackArgs = (o: Partial<FeedbackArgs> & Pick<FeedbackArgs, 'number' | 'dueDate'>): FeedbackArgs => ({
  feedbackId: uuid(),
  kind: 'complaint',
  channel: 'counter',
  category: 'other',
  status: 'open',
  content: '内容',
  applicantId: null,
  contactName: null,
  contactPhone: null,
  caseId: null,
  departmentId: null,
  ratingId: null,
  assignee: null,
  createdAt: AT,
  ...o,
});

describe('casework at central: supervision of feedback and 差评', () => {
  let central: TestCentral;
  let hallA: { id: string }, hallB: { id: string };
  let device: HallDevice;
  let supervisor: ConsoleClient, ratedSupervisor: ConsoleClient, handler: ConsoleClient, taxHandler: ConsoleClient;
  let office: ConsoleClient;
  let supervisorName: string;
  let complaint: FeedbackArgs, rectification: FeedbackArgs, suggestion: FeedbackArgs;
  let applicantId: string;

  beforeAll(async () => {
    central = await startCentral({ mutations: [...mutationDefs], casework: { clock, escalation: false } });
    hallA = await central.admin.createHall('FBA');
    hallB = await central.admin.createHall('FBB');
    for (const d of DEMO_DEPARTMENTS) await central.admin.putRef('catalog.department', d.id, { hallId: null, data: d });
    device = await hallDevice(central, hallA.id);
    const token = central.adminSession.token;
    const s1 = await consoleSession(central.url, token, {
      login: 'sup1',
      name: '督查甲',
      roles: ['supervisor'],
      hallIds: [hallA.id],
    });
    supervisorName = s1.name;
    supervisor = consoleClient(central.url, s1.token);
    // A supervisor who also served at a counter: the clerk a 差评 rates, by name.
    ratedSupervisor = consoleClient(
      central.url,
      (
        await consoleSession(central.url, token, {
          login: 'zhou',
          name: '周窗口',
          roles: ['clerk', 'supervisor'],
          hallIds: [hallA.id],
        })
      ).token,
    );
    handler = consoleClient(
      central.url,
      (
        await consoleSession(central.url, token, {
          login: 'hrss1',
          name: '人社经办',
          roles: ['department_handler'],
          departmentIds: ['hrss'],
        })
      ).token,
    );
    taxHandler = consoleClient(
      central.url,
      (
        await consoleSession(central.url, token, {
          login: 'tax9',
          roles: ['department_handler'],
          departmentIds: ['tax'],
        })
      ).token,
    );
    office = consoleClient(
      central.url,
      (await consoleSession(central.url, token, { login: 'office9', roles: ['leader_office'] })).token,
    );

    applicantId = uuid();
    const visitId = uuid();
    const ratingId = uuid();
    complaint = feedbackArgs({
      number: 'FBA-FK-20260302-0001',
      channel: 'phone',
      category: 'efficiency',
      content: '社保转移办理太慢\n第二行',
      contactName: '陈先生',
      contactPhone: '13912345678',
      dueDate: '2026-03-03',
    });
    rectification = feedbackArgs({
      number: 'FBA-FK-20260302-0002',
      channel: 'rating',
      category: 'attitude',
      content: '差评整改',
      applicantId,
      ratingId,
      dueDate: '2026-03-09',
    });
    suggestion = feedbackArgs({
      number: 'FBA-FK-20260302-0003',
      kind: 'suggestion',
      content: '增加自助填表机',
      dueDate: '2026-03-20',
    });
    const out = await device.push(
      mutation('applicant.upsert@1', {
        applicantId,
        kind: 'person',
        name: '刘一',
        idType: 'resident_id',
        idHash: crypto.createHash('sha256').update('刘一').digest('hex'),
        idMasked: '110105********1234',
        phone: '13700000000',
        segment: 'citizen',
        orgType: null,
        contactName: null,
        at: AT,
      }),
      mutation('visit.record@1', {
        visitId,
        counterId: 'w1',
        counterNumber: 1,
        clerkName: '周窗口',
        ticketId: null,
        ticketNumber: 'A001',
        hallDay: '2026-03-02',
        applicantId,
        startedAt: AT,
      }),
      mutation('rating.submit@1', { ratingId, visitId, level: 1, reasons: ['attitude'], comment: '态度差', at: AT }),
      mutation('feedback.create@1', complaint),
      mutation('feedback.create@1', rectification),
      mutation('feedback.create@1', suggestion),
    );
    expect(out.map((o) => o.status)).toEqual(Array(6).fill('applied'));
  });
  afterAll(async () => {
    await central.stop();
  });

  const act = (who: ConsoleClient, f: { feedbackId: string }, version: number, body: object) =>
    who<FeedbackDetail>('POST', `/feedback/${f.feedbackId}/actions`, { version, act: body });
  const statusRows = async () =>
    new Map((await device.pull(['feedback.status'])).map((r) => [r.id, r.data as Record<string, unknown>]));

  it('keeps what the hall filed, the contact masked; tells the hall central’s side with its escalation', async () => {
    const { rows } = await central.pool.query(
      `SELECT channel, content, contact_masked, phone_masked, department_id, version FROM feedback WHERE feedback_id = $1`,
      [complaint.feedbackId],
    );
    expect(rows[0]).toEqual({
      channel: 'phone',
      content: '社保转移办理太慢\n第二行',
      contact_masked: '陈**',
      phone_masked: '139****5678',
      department_id: null,
      version: 1,
    });
    const sent = await statusRows();
    // Due tomorrow, Tuesday: within a working day.
    expect(sent.get(complaint.feedbackId)).toMatchObject({
      status: 'open',
      escalation: 'due_soon',
      dueDate: '2026-03-03',
    });
    expect(sent.get(suggestion.feedbackId)).toMatchObject({ escalation: 'none' });

    const q = await supervisor<FeedbackQueuePage>('GET', '/feedback');
    expect(q.json).toMatchObject({ total: 3, dueSoon: 1, overdue: 0 });
    expect(q.json.items[0]).toMatchObject({
      number: complaint.number,
      summary: '社保转移办理太慢',
      daysLeft: 1,
      dueLevel: 'due_soon',
      channel: 'phone',
      hallName: '大厅 FBA',
    });
    const rated = await supervisor<FeedbackQueuePage>('GET', '/feedback?ratingOnly=true');
    expect(rated.json.items.map((i) => [i.number, i.ratingLevel])).toEqual([[rectification.number, 1]]);
    expect((await supervisor<FeedbackQueuePage>('GET', '/feedback?q=FBA-FK-20260302-000')).json.total).toBe(3);
    expect((await supervisor<FeedbackQueuePage>('GET', `/feedback?q=${encodeURIComponent('自助')}`)).json.total).toBe(
      1,
    );
    // A department sees nothing until something is assigned to it.
    expect((await handler<FeedbackQueuePage>('GET', '/feedback')).json.total).toBe(0);
    expect(await handler('GET', `/feedback/${complaint.feedbackId}`)).toMatchObject({ status: 403 });
  });

  it('assign → answer → return visit → close, each by its own person, each told to the hall', async () => {
    expect(
      await act(handler, complaint, 1, { action: 'assign', departmentId: 'hrss', dueDate: '2026-03-06', note: '' }),
    ).toMatchObject({ status: 403 });
    const bad = await act(supervisor, complaint, 1, {
      action: 'assign',
      departmentId: 'nope',
      dueDate: '2026-03-01',
      note: '',
    });
    expect(bad).toMatchObject({
      status: 400,
      json: {
        code: 'INVALID_INPUT',
        fields: { 'act.departmentId': expect.any(String), 'act.dueDate': 'must not be in the past' },
      },
    });
    const malformed = await supervisor<ConsoleError>('POST', `/feedback/${complaint.feedbackId}/actions`, {
      version: 1,
      act: { action: 'assign', departmentId: 'hrss', dueDate: '6 March', note: '' },
    });
    expect(malformed).toMatchObject({ status: 400, json: { fields: { 'act.dueDate': expect.any(String) } } });

    const assigned = await act(supervisor, complaint, 1, {
      action: 'assign',
      departmentId: 'hrss',
      dueDate: '2026-03-06',
      note: '请人社局答复',
    });
    expect(assigned).toMatchObject({
      status: 200,
      json: {
        status: 'assigned',
        version: 2,
        departmentId: 'hrss',
        departmentName: '人力资源和社会保障局',
        dueDate: '2026-03-06',
        dueLevel: 'ok',
      },
    });
    expect((await statusRows()).get(complaint.feedbackId)).toMatchObject({
      status: 'assigned',
      departmentId: 'hrss',
      dueDate: '2026-03-06',
      escalation: 'none',
    });

    expect((await handler<FeedbackQueuePage>('GET', '/feedback')).json.items.map((i) => i.feedbackId)).toEqual([
      complaint.feedbackId,
    ]);
    expect(await act(taxHandler, complaint, 2, { action: 'answer', answer: '不归我们' })).toMatchObject({
      status: 403,
    });
    expect(await act(handler, complaint, 2, { action: 'answer', answer: ' ' })).toMatchObject({
      status: 400,
      json: { fields: { 'act.answer': 'write the answer' } },
    });
    const answered = await act(handler, complaint, 2, { action: 'answer', answer: '已加快办理，三日内办结' });
    expect(answered.json).toMatchObject({
      status: 'resolved',
      version: 3,
      answer: '已加快办理，三日内办结',
      answeredBy: '人社经办',
    });
    expect((await statusRows()).get(complaint.feedbackId)).toMatchObject({
      status: 'resolved',
      answer: '已加快办理，三日内办结',
      answeredAt: expect.any(String),
      escalation: 'none',
    });

    expect(await act(supervisor, complaint, 3, { action: 'close', note: '' })).toMatchObject({
      status: 409,
      json: { code: 'FEEDBACK_STATE_CONFLICT', current: { version: 3 } },
    });
    const visited = await act(supervisor, complaint, 3, {
      action: 'return_visit',
      method: 'phone',
      outcome: 'satisfied',
      note: '申请人满意',
    });
    expect(visited.json).toMatchObject({
      status: 'resolved',
      version: 4,
      returnVisits: [
        {
          method: 'phone',
          outcome: 'satisfied',
          note: '申请人满意',
          byName: supervisorName,
          doneAt: expect.any(String),
        },
      ],
    });
    const closed = await act(supervisor, complaint, 4, { action: 'close', note: '办结' });
    expect(closed.json).toMatchObject({ status: 'closed', version: 5 });
    expect(closed.json.history.map((h) => [h.action, h.toStatus, h.actorName])).toEqual([
      ['create', 'open', null],
      ['assign', 'assigned', supervisorName],
      ['answer', 'resolved', '人社经办'],
      ['return_visit', 'resolved', supervisorName],
      ['close', 'closed', supervisorName],
    ]);
    expect((await statusRows()).get(complaint.feedbackId)).toMatchObject({ status: 'closed' });

    // A stale version is a conflict with the item as it is now; the hall's late step on it is refused.
    expect(await act(supervisor, complaint, 4, { action: 'reopen', note: '申请人来电' })).toMatchObject({
      status: 409,
      json: { code: 'FEEDBACK_VERSION_CONFLICT', current: { status: 'closed', version: 5 } },
    });
    const [late] = await device.push(
      mutation('feedback.update@1', {
        feedbackId: complaint.feedbackId,
        action: 'resolve',
        status: 'resolved',
        assignee: null,
        resolution: '窗口已处理',
        note: null,
        at: '2026-03-03T02:00:00.000Z',
      }),
    );
    expect(late).toMatchObject({ status: 'rejected', result: { reason: 'FEEDBACK_STATE_CONFLICT' } });
    const audit = await central.pool.query(
      `SELECT action FROM admin_audit WHERE entity = $1 AND outcome = 'ok' ORDER BY id`,
      [`feedback:${complaint.feedbackId}`],
    );
    expect(audit.rows.map((r) => r.action)).toEqual([
      'feedback_assign',
      'feedback_answer',
      'feedback_return_visit',
      'feedback_close',
    ]);
  });

  it('a 差评’s return visit is never made by the clerk it rates', async () => {
    const detail = await supervisor<FeedbackDetail>('GET', `/feedback/${rectification.feedbackId}`);
    expect(detail.json).toMatchObject({
      channel: 'rating',
      ratingLevel: 1,
      rating: { level: 1, reasons: ['attitude'], comment: '态度差', appeal: null },
    });
    expect(
      await act(ratedSupervisor, rectification, 1, {
        action: 'assign',
        departmentId: 'hrss',
        dueDate: '2026-03-09',
        note: '',
      }),
    ).toMatchObject({ status: 200 });
    expect(await act(handler, rectification, 2, { action: 'answer', answer: '已约谈窗口人员并整改' })).toMatchObject({
      status: 200,
    });
    const refused = await act(ratedSupervisor, rectification, 3, {
      action: 'return_visit',
      method: 'phone',
      outcome: 'satisfied',
      note: '',
    });
    expect(refused).toMatchObject({ status: 403, json: { code: 'RATED_CLERK' } });
    // A dissatisfied applicant reopens it; the department answers again; then the return visit satisfies.
    expect(
      (
        await act(supervisor, rectification, 3, {
          action: 'return_visit',
          method: 'phone',
          outcome: 'dissatisfied',
          note: '仍不满意',
        })
      ).json,
    ).toMatchObject({
      status: 'open',
      version: 4,
    });
    expect(await act(handler, rectification, 4, { action: 'answer', answer: '再次整改' })).toMatchObject({
      status: 200,
    });
    expect(
      await act(supervisor, rectification, 5, {
        action: 'return_visit',
        method: 'visit',
        outcome: 'basically_satisfied',
        note: '',
      }),
    ).toMatchObject({ status: 200 });
    expect((await act(supervisor, rectification, 6, { action: 'close', note: '' })).json).toMatchObject({
      status: 'closed',
    });
  });

  it('escalation: a pass tells the hall of items now due soon or overdue, once, one process at a time', async () => {
    await statusRows();
    setNow('2026-03-19T02:00:00.000Z');
    expect(await escalationPass(central.pool, clock)).toEqual({ written: 1 });
    expect([...(await statusRows())]).toEqual([
      [suggestion.feedbackId, expect.objectContaining({ escalation: 'due_soon' })],
    ]);
    expect(await escalationPass(central.pool, clock)).toEqual({ written: 0 });

    setNow('2026-03-23T02:00:00.000Z');
    // Another process holding the pass: this one skips the round.
    const other = await central.pool.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT pg_advisory_xact_lock(7304217)');
      expect(await escalationPass(central.pool, clock)).toBe('busy');
      await other.query('ROLLBACK');
    } finally {
      other.release();
    }
    expect(await escalationPass(central.pool, clock)).toEqual({ written: 1 });
    expect((await statusRows()).get(suggestion.feedbackId)).toMatchObject({ escalation: 'overdue', status: 'open' });
    expect(await escalationPass(central.pool, clock)).toEqual({ written: 0 });

    expect((await supervisor<Reminders>('GET', '/reminders')).json).toMatchObject({
      feedbackOverdue: 1,
      feedbackDueSoon: 0,
    });
    const overdue = await office<FeedbackQueuePage>('GET', '/feedback?due=overdue');
    expect(overdue.json.items.map((i) => [i.feedbackId, i.dueLevel, i.daysLeft])).toEqual([
      [suggestion.feedbackId, 'overdue', -1],
    ]);
    setNow(AT);
  });

  it('the 好差评 figures: 整改率, 回访率, 实名差评回访率 and appeals', async () => {
    const visitId = uuid();
    const goodVisit = uuid();
    const ratingId = uuid();
    const appealId = uuid();
    const out = await device.push(
      mutation('visit.record@1', {
        visitId,
        counterId: 'w2',
        counterNumber: 2,
        clerkName: '吴窗口',
        ticketId: null,
        ticketNumber: 'A009',
        hallDay: '2026-03-02',
        applicantId: null,
        startedAt: AT,
      }),
      mutation('visit.record@1', {
        visitId: goodVisit,
        counterId: 'w2',
        counterNumber: 2,
        clerkName: '吴窗口',
        ticketId: null,
        ticketNumber: 'A010',
        hallDay: '2026-03-02',
        applicantId: null,
        startedAt: AT,
      }),
      mutation('rating.submit@1', { ratingId, visitId, level: 2, reasons: ['long_wait'], comment: '', at: AT }),
      mutation('rating.submit@1', { ratingId: uuid(), visitId: goodVisit, level: 5, reasons: [], comment: '', at: AT }),
      mutation(
        'feedback.create@1',
        feedbackArgs({ number: 'FBA-FK-20260302-0004', channel: 'rating', ratingId, dueDate: '2026-03-09' }),
      ),
      mutation('rating.appeal.file@1', { appealId, ratingId, reason: '系统故障导致等待', filedBy: 'wu', at: AT }),
      mutation('rating.appeal.decide@1', {
        appealId,
        ratingId,
        decision: 'upheld',
        reason: '属实',
        decidedBy: 'sup1',
        at: AT,
      }),
    );
    expect(out.map((o) => o.status)).toEqual(Array(7).fill('applied'));

    const figures = await supervisor<RatingFigures>(
      'GET',
      `/ratings/figures?hallId=${hallA.id}&from=2026-03-01&to=2026-03-31`,
    );
    expect(figures).toMatchObject({ status: 200 });
    expect(figures.json).toEqual({
      // The upheld one stays on record, out of the ratings counted…
      ratings: 2,
      // …and counts as dealt with among the 差评.
      bad: 2,
      rectified: 2,
      rectificationRate: 1,
      revisitDue: 2,
      revisited: 2,
      returnVisitRate: 1,
      namedBad: 1,
      namedBadRevisited: 1,
      namedReturnVisitRate: 1,
      appealsFiled: 1,
      appealsUpheld: 1,
    });
    const upheld = (await supervisor<FeedbackQueuePage>('GET', '/feedback?q=FBA-FK-20260302-0004')).json.items[0]!;
    const detail = await supervisor<FeedbackDetail>('GET', `/feedback/${upheld.feedbackId}`);
    expect(detail.json.rating?.appeal).toEqual({
      status: 'upheld',
      reason: '系统故障导致等待',
      decisionReason: '属实',
    });
    expect(detail.json.history.map((h) => h.action)).toEqual(['create', 'appeal_filed', 'appeal_upheld']);

    expect((await office<RatingFigures>('GET', '/ratings/figures?from=2026-03-01&to=2026-03-31')).json.bad).toBe(2);
    expect(await supervisor('GET', `/ratings/figures?hallId=${hallB.id}&from=2026-03-01&to=2026-03-31`)).toMatchObject({
      status: 403,
    });
    expect(await handler('GET', '/ratings/figures?from=2026-03-01&to=2026-03-31')).toMatchObject({ status: 403 });
    expect(await supervisor('GET', '/ratings/figures?from=2026-03-31&to=2026-03-01')).toMatchObject({
      status: 400,
      json: { fields: { from: 'from must not be after to' } },
    });
  });

  it('the 好差评 figures count each hall’s days in its own zone', async () => {
    // New York's 1 March runs from 05:00 UTC on 1 March to 05:00 UTC on 2 March: a rating at 03:00 UTC on
    // 2 March is of its 1 March (in Shanghai, already 11:00 on the 2nd).
    const ny = await central.admin.createHall('FBNY', 'America/New_York');
    const nyDevice = await hallDevice(central, ny.id);
    const visitId = uuid();
    const lateEvening = '2026-03-02T03:00:00.000Z';
    const out = await nyDevice.push(
      mutation('visit.record@1', {
        visitId,
        counterId: 'w1',
        counterNumber: 1,
        clerkName: '纽约窗口',
        ticketId: null,
        ticketNumber: 'A001',
        hallDay: '2026-03-01',
        applicantId: null,
        startedAt: lateEvening,
      }),
      mutation('rating.submit@1', { ratingId: uuid(), visitId, level: 1, reasons: [], comment: '', at: lateEvening }),
    );
    expect(out.map((o) => o.status)).toEqual(['applied', 'applied']);
    const figures = (query: string) => office<RatingFigures>('GET', `/ratings/figures?${query}`);
    expect((await figures(`hallId=${ny.id}&from=2026-03-01&to=2026-03-01`)).json).toMatchObject({ ratings: 1, bad: 1 });
    expect((await figures(`hallId=${ny.id}&from=2026-03-02&to=2026-03-02`)).json).toMatchObject({ ratings: 0, bad: 0 });
    // Every hall at once: each counted in its own zone (hall A's ratings are of its 2 March, none of the 1st).
    expect((await figures('from=2026-03-01&to=2026-03-01')).json).toMatchObject({ ratings: 1, bad: 1 });
  });

  it('a central starting up runs the pass: the hall hears of what fell overdue while it was down', async () => {
    const rectification4 = (await supervisor<FeedbackQueuePage>('GET', '/feedback?q=FBA-FK-20260302-0004')).json
      .items[0]!;
    const sent = async () =>
      (
        await central.pool.query(
          `SELECT data->>'escalation' AS e FROM ref_rows WHERE kind = 'feedback.status' AND id = $1`,
          [rectification4.feedbackId],
        )
      ).rows[0]?.e;
    expect(await sent()).toBe('none');
    const later = testClock('2026-03-10T02:00:00.000Z');
    await central.restart({ mutations: [...mutationDefs], casework: { clock: later.clock } });
    await expect.poll(sent).toBe('overdue');
  });
});
