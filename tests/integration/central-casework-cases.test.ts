import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseBulkResult, CaseConflict, CaseDetail, CaseQueuePage } from '@shared/console/cases';
import type { ConsoleError } from '@shared/console/session';
import { mutationDefs } from '@shared/sync/mutations';
import type { IntakeMutationArgs } from '@shared/sync/mutations/intake';
import { DEMO_DEPARTMENTS, DEMO_MATTERS } from '../../electron/core/intake/demo-catalog';
import { consoleSession, consoleSignIn, staffSession, TEST_PASSWORD } from '../fixtures/central-identity';
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
const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

/** Monday 2 March 2026, 10:00 in Shanghai: the console's today. */
const { clock, set: setNow } = testClock('2026-03-02T02:00:00.000Z');
const ACCEPTED = '2026-03-02T02:00:00.000Z';

/**
 * A case as a counter reports it: accepted and dispatched to its department, with its applicant and visit
 * pushed before it (as the outbox orders them).
 */
async function counterCase(
  device: HallDevice,
  o: { caseNumber: string; name: string; kind?: 'person' | 'organisation'; matterCode?: string; promisedDate: string },
) {
  const [caseId, applicantId, visitId] = [uuid(), uuid(), uuid()];
  const matterCode = o.matterCode ?? 'PSB-001';
  const matter = DEMO_MATTERS.find((m) => m.code === matterCode)!;
  const args: IntakeMutationArgs<'case.create@1'> = {
    caseId,
    caseNumber: o.caseNumber,
    state: 'dispatched',
    applicantId,
    matterCode,
    departmentId: matter.departmentId,
    visitId,
    ticketId: null,
    ticketNumber: 'A001',
    counterId: 'w1',
    counterNumber: 1,
    clerkName: '李窗口',
    feeFen: matter.feeFen,
    materials: matter.materials.map((m) => ({
      materialId: m.id,
      requirement: m.requirement,
      status: m.requirement === 'tolerant' ? 'tolerated' : 'received',
    })),
    createdAt: ACCEPTED,
    acceptedAt: ACCEPTED,
    promisedDate: o.promisedDate,
    toleranceDueDate: '2026-03-06',
    queryCode: 'AB12CD34EF',
    rejectReason: null,
    events: [
      { action: 'accept', fromState: 'draft', toState: 'accepted', at: ACCEPTED },
      { action: 'dispatch', fromState: 'accepted', toState: 'dispatched', at: ACCEPTED },
    ],
  };
  const out = await device.push(
    mutation('applicant.upsert@1', {
      applicantId,
      kind: o.kind ?? 'person',
      name: o.name,
      idType: o.kind === 'organisation' ? 'uscc' : 'resident_id',
      idHash: sha256(o.name),
      idMasked: '110105********1234',
      phone: '13800138000',
      segment: o.kind === 'organisation' ? 'enterprise' : 'citizen',
      orgType: o.kind === 'organisation' ? 'enterprise' : null,
      contactName: null,
      at: ACCEPTED,
    }),
    mutation('visit.record@1', {
      visitId,
      counterId: 'w1',
      counterNumber: 1,
      clerkName: '李窗口',
      ticketId: null,
      ticketNumber: 'A001',
      hallDay: '2026-03-02',
      applicantId,
      startedAt: ACCEPTED,
    }),
    mutation('case.create@1', args, caseId),
  );
  expect(out.map((x) => x.status)).toEqual(['applied', 'applied', 'applied']);
  return caseId;
}

describe('casework at central: the department’s cases', () => {
  let central: TestCentral;
  let hallA: { id: string }, hallB: { id: string };
  let deviceA: HallDevice, deviceB: HallDevice;
  let c1: string, c2: string, c3: string, c4: string;
  let handler: ConsoleClient, handler2: ConsoleClient, taxHandler: ConsoleClient, supervisor: ConsoleClient;
  let office: ConsoleClient;
  let handlerName: string;

  beforeAll(async () => {
    central = await startCentral({ mutations: [...mutationDefs], casework: { clock, escalation: false } });
    hallA = await central.admin.createHall('CWA');
    hallB = await central.admin.createHall('CWB');
    for (const d of DEMO_DEPARTMENTS) await central.admin.putRef('catalog.department', d.id, { hallId: null, data: d });
    for (const m of DEMO_MATTERS.filter((x) => ['PSB-001', 'TAX-001'].includes(x.code))) {
      await central.admin.putRef('catalog.matter', m.code, { hallId: null, data: m });
    }
    // Hall A has a day off of its own on Wednesday 4 March; hall B works it.
    await central.admin.putRef('holiday', '2026-03-04', {
      hallId: hallA.id,
      data: { date: '2026-03-04', workday: false, name: '本地假日' },
    });
    deviceA = await hallDevice(central, hallA.id);
    deviceB = await hallDevice(central, hallB.id);
    c1 = await counterCase(deviceA, {
      caseNumber: 'CWA-20260302-C01-0001',
      name: '王小明',
      promisedDate: '2026-03-11',
    });
    c2 = await counterCase(deviceA, {
      caseNumber: 'CWA-20260302-C01-0002',
      name: '福州示范科技有限公司',
      kind: 'organisation',
      promisedDate: '2026-03-04',
    });
    c3 = await counterCase(deviceB, { caseNumber: 'CWB-20260227-C01-0001', name: '赵六', promisedDate: '2026-02-27' });
    c4 = await counterCase(deviceB, {
      caseNumber: 'CWB-20260302-C01-0002',
      name: '钱七',
      matterCode: 'TAX-001',
      promisedDate: '2026-03-20',
    });
    const token = central.adminSession.token;
    const h1 = await consoleSession(central.url, token, {
      login: 'psb1',
      name: '公安经办甲',
      roles: ['department_handler'],
      departmentIds: ['psb'],
    });
    handlerName = h1.name;
    handler = consoleClient(central.url, h1.token);
    handler2 = consoleClient(
      central.url,
      (
        await consoleSession(central.url, token, {
          login: 'psb2',
          roles: ['department_handler'],
          departmentIds: ['psb'],
        })
      ).token,
    );
    taxHandler = consoleClient(
      central.url,
      (
        await consoleSession(central.url, token, {
          login: 'tax1',
          roles: ['department_handler'],
          departmentIds: ['tax'],
        })
      ).token,
    );
    supervisor = consoleClient(
      central.url,
      (await consoleSession(central.url, token, { login: 'sup-a', roles: ['supervisor'], hallIds: [hallA.id] })).token,
    );
    office = consoleClient(
      central.url,
      (await consoleSession(central.url, token, { login: 'office', roles: ['leader_office'] })).token,
    );
  });
  afterAll(async () => {
    await central.stop();
  });

  const caseRow = async (caseId: string) =>
    (
      await central.pool.query(
        `SELECT status, version, accepted_at, fee_fen, counter_number, clerk_name, materials, tolerance_due_date::text,
                query_code_sha256, legal_date::text, promised_date::text, missing, paused_since::text,
                supplement_received_at, decision, pickup
           FROM case_status WHERE case_id = $1`,
        [caseId],
      )
    ).rows[0];
  const events = async (caseId: string) =>
    (
      await central.pool.query(
        'SELECT action, from_status, to_status, actor_kind, actor_name, note FROM case_events WHERE case_id = $1 ORDER BY id',
        [caseId],
      )
    ).rows;
  /** The `case.status` rows hall A's counter pulls now, by case id. */
  const pulledA = async () =>
    new Map((await deviceA.pull(['case.status'])).map((r) => [r.id, r.data as Record<string, unknown>]));

  it('keeps what the counter recorded: details, checklist with names, query code hash, legal date by the hall calendar', async () => {
    const row = await caseRow(c1);
    const psb001 = DEMO_MATTERS.find((m) => m.code === 'PSB-001')!;
    expect(row).toMatchObject({
      status: 'dispatched',
      version: 1,
      fee_fen: 0,
      counter_number: 1,
      clerk_name: '李窗口',
      query_code_sha256: sha256('AB12CD34EF'),
      // 15 working days after Monday 2 March, with hall A's Wednesday off: 24 March (hall B: 23 March).
      legal_date: '2026-03-24',
      promised_date: '2026-03-11',
    });
    expect(row.accepted_at.toISOString()).toBe(ACCEPTED);
    expect(row.tolerance_due_date).toBe('2026-03-06');
    expect(row.materials).toEqual(
      psb001.materials.map((m) => ({
        materialId: m.id,
        name: m.nameZh,
        requirement: m.requirement,
        status: m.requirement === 'tolerant' ? 'tolerated' : 'received',
      })),
    );
    expect((await caseRow(c3)).legal_date).toBe('2026-03-23');
    expect(await events(c1)).toEqual([
      {
        action: 'accept',
        from_status: 'draft',
        to_status: 'accepted',
        actor_kind: 'hall',
        actor_name: '李窗口',
        note: null,
      },
      {
        action: 'dispatch',
        from_status: 'accepted',
        to_status: 'dispatched',
        actor_kind: 'hall',
        actor_name: '李窗口',
        note: null,
      },
    ]);
  });

  it('signs in people of the console only; a department handler has departments of the catalog', async () => {
    const token = central.adminSession.token;
    const clerk = await staffSession(central.url, token, { login: 'clerk-a', roles: ['clerk'], hallIds: [hallA.id] });
    const refused = await consoleSignIn(central.url, 'clerk-a', TEST_PASSWORD, clerk.totpSecret, 1);
    expect(refused).toMatchObject({ status: 403, json: { code: 'FORBIDDEN' } });
    const create = (body: object) => central.admin.request<ConsoleError>('POST', '/admin/v1/staff', body);
    expect(await create({ login: 'nodept', name: '无部门', roles: ['department_handler'], hallIds: [] })).toMatchObject(
      {
        status: 400,
        json: { code: 'INVALID_INPUT', fields: { departmentIds: expect.any(String) } },
      },
    );
    expect(
      await create({
        login: 'ghost',
        name: '无此部门',
        roles: ['department_handler'],
        hallIds: [],
        departmentIds: ['nope'],
      }),
    ).toMatchObject({
      status: 400,
      json: { code: 'INVALID_INPUT', fields: { departmentIds: 'unknown department: nope' } },
    });
    expect(
      await create({ login: 'office2', name: '办公室', roles: ['leader_office'], hallIds: [], departmentIds: ['psb'] }),
    ).toMatchObject({ status: 400, json: { fields: { departmentIds: expect.any(String) } } });

    const me = await handler<{ person: { departmentIds: string[]; roles: string[] } }>('GET', '/session');
    expect(me).toMatchObject({
      status: 200,
      json: { person: { departmentIds: ['psb'], roles: ['department_handler'] } },
    });
    // The admin API shows and changes the departments too.
    const list = await central.admin.request<{ login: string; departmentIds: string[] }[]>('GET', '/admin/v1/staff');
    expect(list.json.find((s) => s.login === 'psb1')?.departmentIds).toEqual(['psb']);

    const leaving = await consoleSession(central.url, token, {
      login: 'leaving',
      roles: ['department_handler'],
      departmentIds: ['hrss'],
    });
    const patched = await central.admin.request<{ departmentIds: string[] }>(
      'PATCH',
      `/admin/v1/staff/${leaving.staffId}`,
      { departmentIds: ['hrss', 'tax'] },
    );
    expect(patched).toMatchObject({ status: 200, json: { departmentIds: ['hrss', 'tax'] } });
    const out = consoleClient(central.url, leaving.token);
    expect((await out('DELETE', '/session')).status).toBe(200);
    expect(await out('GET', '/session')).toMatchObject({ status: 401, json: { code: 'SESSION_ENDED' } });
  });

  it('lists the department’s cases of every hall with days left by each hall’s calendar', async () => {
    const q = await handler<CaseQueuePage>('GET', '/cases');
    expect(q.status).toBe(200);
    expect(q.json).toMatchObject({ total: 3, dueSoon: 1, overdue: 1 });
    expect(q.json.items.map((i) => [i.caseNumber, i.daysLeft, i.dueLevel, i.applicantMasked])).toEqual([
      // Friday 27 February, two working days ago (Saturday 28 February is a make-up working day).
      ['CWB-20260227-C01-0001', -2, 'overdue', '赵**'],
      // Tuesday, then hall A's Wednesday off: one working day left.
      ['CWA-20260302-C01-0002', 1, 'due_soon', '福州示范科技有限公司'],
      ['CWA-20260302-C01-0001', 6, 'ok', '王**'],
    ]);
    expect(q.json.items[2]).toMatchObject({
      matterName: '居住证申领',
      hallName: '大厅 CWA',
      legalDate: '2026-03-24',
      acceptedAt: ACCEPTED,
      version: 1,
      status: 'dispatched',
      supplementReceived: false,
    });

    const only = async (query: string) =>
      (await handler<CaseQueuePage>('GET', `/cases?${query}`)).json.items.map((i) => i.caseNumber);
    expect(await only('due=overdue')).toEqual(['CWB-20260227-C01-0001']);
    expect(await only('due=due_soon')).toEqual(['CWA-20260302-C01-0002']);
    expect(await only(`hallId=${hallA.id}`)).toHaveLength(2);
    expect(await only('q=CWA-20260302')).toEqual(['CWA-20260302-C01-0002', 'CWA-20260302-C01-0001']);
    expect(await only(`q=${encodeURIComponent('王小')}`)).toEqual(['CWA-20260302-C01-0001']);
    expect(await only('q=%25')).toEqual([]);
    expect(await only('status=completed')).toEqual([]);
    expect(await only('pageSize=1&page=2')).toEqual(['CWA-20260302-C01-0002']);

    // Another department sees its own; a hall's supervisor the hall's; the leader's office every case.
    expect((await taxHandler<CaseQueuePage>('GET', '/cases')).json.items.map((i) => i.caseId)).toEqual([c4]);
    expect((await supervisor<CaseQueuePage>('GET', '/cases')).json.items.map((i) => i.caseId).sort()).toEqual(
      [c1, c2].sort(),
    );
    expect((await office<CaseQueuePage>('GET', '/cases')).json.total).toBe(4);
  });

  it('answers bad input with 400 and the message of each field', async () => {
    const bad = await handler<ConsoleError>('GET', '/cases?due=late&pageSize=500&extra=1');
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ code: 'INVALID_INPUT', message: expect.any(String) });
    expect(Object.keys(bad.json.fields!).sort()).toEqual(['', 'due', 'pageSize']);
    expect((await handler('GET', '/cases/not-a-uuid')).json).toMatchObject({ fields: { caseId: expect.any(String) } });
    const denied = await handler<ConsoleError>('POST', `/cases/${c1}/actions`, {
      version: 1,
      act: {
        action: 'complete',
        note: '',
        decision: { outcome: 'denied', reason: '', appealRoute: '' },
        pickup: { method: 'post', trackingNumber: '', carrier: 'EMS' },
      },
    });
    expect(denied).toMatchObject({
      status: 400,
      json: {
        code: 'INVALID_INPUT',
        fields: {
          'act.decision.reason': 'a refusal must give its reason',
          'act.decision.appealRoute': 'a refusal must state the appeal route',
          'act.pickup.trackingNumber': 'a posted result needs its tracking number',
        },
      },
    });
    const returned = await handler<ConsoleError>('POST', `/cases/${c1}/actions`, {
      version: 1,
      act: { action: 'return', note: '  ' },
    });
    expect(returned.json.fields).toEqual({ 'act.note': 'say why the case goes back' });
    expect((await caseRow(c1)).version).toBe(1);
  });

  it('another department’s handler may neither open nor move a case; a supervisor only reads it', async () => {
    expect(await taxHandler('GET', `/cases/${c1}`)).toMatchObject({ status: 403, json: { code: 'FORBIDDEN' } });
    const act = { version: 1, act: { action: 'review', note: '' } };
    expect(await taxHandler('POST', `/cases/${c1}/actions`, act)).toMatchObject({ status: 403 });
    expect(await supervisor<CaseDetail>('GET', `/cases/${c1}`)).toMatchObject({
      status: 200,
      json: { caseId: c1, applicant: { name: '王小明', phone: '138****8000' } },
    });
    expect(await supervisor('POST', `/cases/${c1}/actions`, act)).toMatchObject({ status: 403 });
    expect(await handler('GET', `/cases/${uuid()}`)).toMatchObject({ status: 404, json: { code: 'NOT_FOUND' } });
    expect((await caseRow(c1)).version).toBe(1);
    const refusals = await central.pool.query(
      `SELECT count(*)::int AS n FROM admin_audit WHERE entity = $1 AND outcome = 'refused'`,
      [`case:${c1}`],
    );
    expect(refusals.rows[0].n).toBe(2);
  });

  it('works a case to 办结: each step in the history, the audit and a case.status row for the hall', async () => {
    await pulledA();
    const act = (version: number, body: object) =>
      handler<CaseDetail>('POST', `/cases/${c1}/actions`, { version, act: body });

    const reviewed = await act(1, { action: 'review', note: '材料齐全，开始审查' });
    expect(reviewed).toMatchObject({ status: 200, json: { status: 'under_review', version: 2 } });
    expect((await pulledA()).get(c1)).toMatchObject({
      caseId: c1,
      status: 'under_review',
      note: '材料齐全，开始审查',
      promisedDate: null,
      missing: [],
      decision: null,
      pickup: null,
    });
    // Phone in full for the department that works the case.
    expect(reviewed.json.applicant.phone).toBe('13800138000');

    expect(await act(2, { action: 'start', note: '' })).toMatchObject({ json: { status: 'in_progress', version: 3 } });
    expect((await pulledA()).get(c1)).toMatchObject({ status: 'in_progress', note: null });

    const missing = [{ materialId: 'work-proof', name: '就业或就读证明', note: '需加盖单位公章' }];
    const paused = await act(3, { action: 'request_supplement', note: '请补正', missing });
    expect(paused.json).toMatchObject({
      status: 'supplement_requested',
      version: 4,
      missing,
      daysLeft: null,
      dueLevel: 'ok',
    });
    expect((await pulledA()).get(c1)).toMatchObject({ status: 'supplement_requested', missing, note: '请补正' });
    expect(await caseRow(c1)).toMatchObject({ paused_since: '2026-03-02' });

    // Thursday the applicant brings it to the counter: two working days of hall A passed (Tuesday;
    // Wednesday was off; Thursday), so the promise and the legal date move on by two working days.
    const [received] = await deviceA.push(
      mutation('case.supplement.receive@1', {
        caseId: c1,
        materialIds: ['work-proof'],
        note: '已补交就业证明',
        receivedBy: '李窗口',
        at: '2026-03-05T03:00:00.000Z',
      }),
    );
    expect(received).toMatchObject({
      status: 'applied',
      result: { status: 'in_progress', promisedDate: '2026-03-13', pausedWorkingDays: 2 },
    });
    expect(await caseRow(c1)).toMatchObject({
      status: 'in_progress',
      version: 5,
      promised_date: '2026-03-13',
      legal_date: '2026-03-26',
      missing: [],
      paused_since: null,
    });
    expect((await pulledA()).get(c1)).toMatchObject({ status: 'in_progress', promisedDate: '2026-03-13', missing: [] });
    const queued = (await handler<CaseQueuePage>('GET', '/cases')).json.items.find((i) => i.caseId === c1)!;
    expect(queued).toMatchObject({ supplementReceived: true, promisedDate: '2026-03-13', version: 5 });

    const decision = { outcome: 'approved', reason: '', appealRoute: '' };
    const pickup = { method: 'post', trackingNumber: 'EMS1234567890', carrier: 'EMS' };
    const done = await act(5, { action: 'complete', note: '准予办理', decision, pickup });
    expect(done.json).toMatchObject({ status: 'completed', version: 6, decision, pickup, supplementReceived: false });
    expect((await pulledA()).get(c1)).toMatchObject({ status: 'completed', decision, pickup, note: '准予办理' });

    expect((await events(c1)).map((e) => [e.action, e.to_status, e.actor_kind, e.actor_name])).toEqual([
      ['accept', 'accepted', 'hall', '李窗口'],
      ['dispatch', 'dispatched', 'hall', '李窗口'],
      ['review', 'under_review', 'department', handlerName],
      ['start', 'in_progress', 'department', handlerName],
      ['request_supplement', 'supplement_requested', 'department', handlerName],
      ['resume', 'in_progress', 'hall', '李窗口'],
      ['complete', 'completed', 'department', handlerName],
    ]);
    const detail = await handler<CaseDetail>('GET', `/cases/${c1}`);
    expect(detail.json.history.map((h) => h.action)).toEqual([
      'accept',
      'dispatch',
      'review',
      'start',
      'request_supplement',
      'resume',
      'complete',
    ]);
    const audit = await central.pool.query(
      `SELECT action, hall_id FROM admin_audit WHERE entity = $1 AND outcome = 'ok' ORDER BY id`,
      [`case:${c1}`],
    );
    expect(audit.rows).toEqual(
      ['case_review', 'case_start', 'case_request_supplement', 'case_complete'].map((action) => ({
        action,
        hall_id: hallA.id,
      })),
    );
    // Hall B never hears of hall A's case.
    expect((await deviceB.pull(['case.status'])).map((r) => r.id)).not.toContain(c1);
  });

  it('two handlers on one case: the second gets 409 with the case as it is now, and nothing is lost', async () => {
    const body = (note: string) => ({ version: 1, act: { action: 'review', note } });
    const [a, b] = await Promise.all([
      handler<CaseDetail | CaseConflict>('POST', `/cases/${c2}/actions`, body('甲')),
      handler2<CaseDetail | CaseConflict>('POST', `/cases/${c2}/actions`, body('乙')),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const lost = (a.status === 409 ? a : b).json as CaseConflict;
    expect(lost).toMatchObject({
      code: 'CASE_VERSION_CONFLICT',
      current: { caseId: c2, status: 'under_review', version: 2 },
    });
    expect((await events(c2)).filter((e) => e.actor_kind === 'department')).toHaveLength(1);
    // The loser, looking again, may not complete a case under review: a state conflict.
    const wrong = await handler2<CaseConflict>('POST', `/cases/${c2}/actions`, {
      version: 2,
      act: {
        action: 'complete',
        note: '',
        decision: { outcome: 'approved', reason: '', appealRoute: '' },
        pickup: { method: 'counter', trackingNumber: '', carrier: '' },
      },
    });
    expect(wrong).toMatchObject({ status: 409, json: { code: 'CASE_STATE_CONFLICT', current: { version: 2 } } });
    expect((await caseRow(c2)).status).toBe('under_review');
  });

  it('bulk: each case on its own, with its result', async () => {
    const r = await handler<CaseBulkResult>('POST', '/cases/bulk', {
      items: [
        { caseId: c3, version: 1 },
        { caseId: c2, version: 1 },
        { caseId: c4, version: 1 },
        { caseId: uuid(), version: 1 },
      ],
      act: { action: 'start', note: '批量受理' },
    });
    expect(r).toMatchObject({ status: 200 });
    expect(r.json.results).toEqual([
      { caseId: c3, ok: true, version: 2 },
      { caseId: c2, ok: false, code: 'CASE_VERSION_CONFLICT', version: 2 },
      { caseId: c4, ok: false, code: 'FORBIDDEN' },
      { caseId: expect.any(String), ok: false, code: 'NOT_FOUND' },
    ]);
    expect((await caseRow(c3)).status).toBe('in_progress');
    expect(
      await supervisor('POST', '/cases/bulk', {
        items: [{ caseId: c1, version: 1 }],
        act: { action: 'start', note: '' },
      }),
    ).toMatchObject({ status: 403 });
    expect(await handler('POST', '/cases/bulk', { items: [], act: { action: 'start', note: '' } })).toMatchObject({
      status: 400,
      json: { fields: { items: expect.any(String) } },
    });
  });

  it('a late 补正 receipt from the hall never moves back a case the department moved on; the queue goes on', async () => {
    setNow('2026-03-03T02:00:00.000Z');
    const missing = [{ materialId: null, name: '户籍证明', note: '' }];
    expect(
      await handler('POST', `/cases/${c3}/actions`, {
        version: 2,
        act: { action: 'request_supplement', note: '', missing },
      }),
    ).toMatchObject({ status: 200 });
    expect(
      await handler('POST', `/cases/${c3}/actions`, { version: 3, act: { action: 'return', note: '逾期未补正' } }),
    ).toMatchObject({
      status: 200,
      json: { status: 'returned' },
    });
    const [late, next] = await deviceB.push(
      mutation('case.supplement.receive@1', {
        caseId: c3,
        materialIds: [],
        note: '',
        receivedBy: '孙窗口',
        at: '2026-03-04T02:00:00.000Z',
      }),
      mutation('visit.record@1', {
        visitId: uuid(),
        counterId: 'w1',
        counterNumber: 1,
        clerkName: '孙窗口',
        ticketId: null,
        ticketNumber: 'A002',
        hallDay: '2026-03-04',
        applicantId: null,
        startedAt: '2026-03-04T02:00:00.000Z',
      }),
    );
    expect(late).toMatchObject({
      status: 'rejected',
      result: { reason: 'CASE_STATE_CONFLICT', details: { status: 'returned' } },
    });
    expect(next?.status).toBe('applied');
    expect(await caseRow(c3)).toMatchObject({ status: 'returned', version: 4 });
    // Another hall's device cannot receive materials for it either.
    const [foreign] = await deviceA.push(
      mutation('case.supplement.receive@1', { caseId: c3, materialIds: [], note: '', receivedBy: 'x', at: ACCEPTED }),
    );
    expect(foreign).toMatchObject({ status: 'rejected', result: { reason: 'UNKNOWN_CASE' } });
    setNow('2026-03-02T02:00:00.000Z');
  });

  it('reminders and the directory follow the person', async () => {
    expect(await handler('GET', '/reminders')).toMatchObject({
      status: 200,
      json: { casesDueSoon: 1, casesOverdue: 0, feedbackDueSoon: 0, feedbackOverdue: 0 },
    });
    expect((await taxHandler('GET', '/directory')).json).toEqual({
      halls: [expect.objectContaining({ id: hallA.id }), expect.objectContaining({ id: hallB.id })],
      departments: [{ id: 'tax', nameZh: '税务局' }],
    });
    const sup = await supervisor<{ halls: { id: string }[]; departments: { id: string }[] }>('GET', '/directory');
    expect(sup.json.halls.map((h) => h.id)).toEqual([hallA.id]);
    expect(sup.json.departments.map((d) => d.id)).toEqual(DEMO_DEPARTMENTS.map((d) => d.id).sort());
  });
});
