import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '@shared/api';
import { DEFAULT_APPEAL_ROUTE_ZH } from '@shared/intake/case-outcome';
import { QUERY_CODE_PATTERN } from '@shared/intake/query-code';
import { localDate } from '@shared/queue/hall-day';
import { mutationDefs } from '@shared/sync/mutations';
import { REF_KINDS, type RefKind } from '@shared/sync/reference';
import { REF_KIND_ACCESS } from '@shared/sync/zones';
import { startIntakeCore, type IntakeCore } from '../fixtures/intake-core';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { decodeArgs } from '../../electron/core/store/outbox-args';

/**
 * The hall device's side of casework, against a real central on PostgreSQL: the query code from
 * acceptance to the receipt and case.create, the department's steps and their details arriving by pull,
 * the 补正 received at the counter, central's side of a complaint, and the dashboard's reminders.
 */
/** Central's address as the public reaches it: its tracking page is what receipts print by default. */
const PUBLIC_URL = 'https://zwfw.example.gov.cn';
/** Monday 10:00 in the hall. */
const START = '2026-03-02T02:00:00.000Z';

describe('casework on the hall device', () => {
  let central: TestCentral;
  let hall: { id: string };
  let t: IntakeCore;
  let nowMs = Date.parse(START);
  /** Moves the device's clock and central's together. */
  const setNow = (iso: string) => {
    nowMs = Date.parse(iso);
    t.setNow(iso);
  };

  beforeAll(async () => {
    // Central's casework clock is the device's: deadlines and the instants of its rows agree with the hall's.
    central = await startCentral({
      mutations: [...mutationDefs],
      publicUrl: PUBLIC_URL,
      casework: {
        clock: { now: () => new Date(nowMs), today: () => localDate(new Date(nowMs), 'Asia/Shanghai') },
        escalation: false,
      },
    });
    hall = await central.admin.createHall('CASEW');
    t = await startIntakeCore(START, { hallCode: 'CASEW' });
    await t.core.sync.enroll(central.url, await central.admin.code(hall.id, 'counter'));
  });
  afterAll(async () => {
    t.stop();
    await central.stop();
  });

  let applicants = 0;
  /** A case accepted at w1 for a new applicant: PSB-001, every material received, promised 2026-03-11. */
  async function accepted(): Promise<Case> {
    applicants += 1;
    const applicant = await t.person(`11010519800101${String(applicants).padStart(3, '0')}`, `申请人${applicants}`);
    return t.intake({ applicantId: applicant.id });
  }
  const putStatus = (caseId: string, data: Record<string, unknown>) =>
    central.admin.putRef('case.status', caseId, { hallId: hall.id, data: { caseId, note: null, ...data } });
  const pull = async () => expect(await t.core.sync.runOnce()).toBe('ok');
  const get = (caseId: string) => t.call('case.get', { caseId });
  const outboxArgs = (name: string) =>
    (t.peek.prepare('SELECT args FROM outbox WHERE name = ? ORDER BY write_order').all(name) as { args: Buffer }[]).map(
      (r) => decodeArgs(r.args) as Record<string, unknown>,
    );

  it('draws a query code at acceptance, sends it in case.create and prints it on the receipt with its link', async () => {
    const c = await accepted();
    expect(c.queryCode).toMatch(QUERY_CODE_PATTERN);
    const sent = outboxArgs('case.create').find((a) => a.caseId === c.id)!;
    expect(sent.queryCode).toBe(c.queryCode);
    // Enrolled, with no tracking URL in the hall profile: central's public tracking page, as central told it.
    const doc = await t.call('case.document', { caseId: c.id });
    expect(doc).toMatchObject({
      kind: 'receipt',
      queryCode: c.queryCode,
      trackingUrl: `${PUBLIC_URL}/track`,
      qrText: `${PUBLIC_URL}/track/${c.caseNumber}?code=${c.queryCode}`,
    });
    // The hall's own page, when it names one, comes first.
    const profile = await t.call('hall.profile.get', {}, t.admin);
    const { updatedAt: _u, ...editable } = profile;
    await t.asAdmin('hall.profile.update', { ...editable, trackingUrl: 'https://hall.example.cn/cx' });
    expect((await t.call('case.document', { caseId: c.id })).qrText).toBe(
      `https://hall.example.cn/cx/${c.caseNumber}?code=${c.queryCode}`,
    );
    await t.asAdmin('hall.profile.update', { ...editable, trackingUrl: '' });
    // Every case has its own code.
    const other = await accepted();
    expect(other.queryCode).not.toBe(c.queryCode);
    await pull();
    expect(t.peek.prepare("SELECT status FROM outbox WHERE name = 'case.create'").all()).toEqual([
      { status: 'applied' },
      { status: 'applied' },
    ]);
  });

  it('walks dispatched → under_review → in_progress → 补正 → in_progress → completed, keeping what came with each', async () => {
    const c = await accepted();
    expect(c.promisedDate).toBe('2026-03-11');
    const steps: [Record<string, unknown>, Partial<Case>][] = [
      [
        { status: 'under_review', at: '2026-03-02T06:00:00.000Z' },
        { state: 'under_review', overdue: false },
      ],
      [{ status: 'in_progress', at: '2026-03-03T02:00:00.000Z', note: '材料齐全' }, { state: 'in_progress' }],
      [
        {
          status: 'supplement_requested',
          at: '2026-03-04T02:00:00.000Z',
          note: '请补充材料',
          missing: [
            { materialId: 'residence-proof', name: '居住证明', note: '须为近三个月内' },
            { materialId: null, name: '社保缴纳证明', note: '' },
          ],
        },
        {
          state: 'supplement_requested',
          centralNote: '请补充材料',
          missing: [
            { materialId: 'residence-proof', name: '居住证明', note: '须为近三个月内' },
            { materialId: null, name: '社保缴纳证明', note: '' },
          ],
        },
      ],
      [
        { status: 'in_progress', at: '2026-03-06T02:00:00.000Z', promisedDate: '2026-03-13' },
        { state: 'in_progress', promisedDate: '2026-03-13', centralNote: null },
      ],
      [
        {
          status: 'completed',
          at: '2026-03-09T02:00:00.000Z',
          note: '不予许可',
          decision: { outcome: 'denied', reason: '居住证明与实际不符', appealRoute: DEFAULT_APPEAL_ROUTE_ZH },
          pickup: { method: 'post', carrier: 'EMS', trackingNumber: 'EA123456789CN' },
        },
        {
          state: 'completed',
          promisedDate: '2026-03-13',
          decision: { outcome: 'denied', reason: '居住证明与实际不符', appealRoute: DEFAULT_APPEAL_ROUTE_ZH },
          pickup: { method: 'post', carrier: 'EMS', trackingNumber: 'EA123456789CN' },
        },
      ],
    ];
    for (const [row, expected] of steps) {
      await putStatus(c.id, row);
      await pull();
      expect((await get(c.id)).case, JSON.stringify(row)).toMatchObject(expected);
    }
    const { events } = await get(c.id);
    expect(events.map((e) => [e.fromState, e.toState, e.actor, e.note])).toEqual([
      ['draft', 'accepted', 'counter-window-1', null],
      ['accepted', 'dispatched', 'counter-window-1', '公安局'],
      ['dispatched', 'under_review', 'central', null],
      ['under_review', 'in_progress', 'central', '材料齐全'],
      ['in_progress', 'supplement_requested', 'central', '请补充材料'],
      ['supplement_requested', 'in_progress', 'central', null],
      ['in_progress', 'completed', 'central', '不予许可'],
    ]);
    // The receipt is the document again once the 补正 is over.
    expect((await t.call('case.document', { caseId: c.id })).kind).toBe('receipt');
    expect(t.warnings).toEqual([]);
  });

  it('walks the steps a device missed in one pull, and announces the case once', async () => {
    const c = await accepted();
    const announced = () => t.events.filter((e) => e.name === 'case.changed').length;
    const before = announced();
    await putStatus(c.id, { status: 'completed', at: '2026-03-05T02:00:00.000Z', decision: null, pickup: null });
    await pull();
    expect((await get(c.id)).events.slice(2).map((e) => [e.fromState, e.toState])).toEqual([
      ['dispatched', 'in_progress'],
      ['in_progress', 'completed'],
    ]);
    expect(announced() - before).toBe(1);
    // The same status again (a re-download) is no news.
    await putStatus(c.id, { status: 'completed', at: '2026-03-05T02:00:00.000Z', decision: null, pickup: null });
    await pull();
    expect(announced() - before).toBe(1);
  });

  it('prints the 补正告知书 of a case waiting for 补正; the clerk records what came, with central told in the same transaction', async () => {
    const c = await accepted();
    await putStatus(c.id, {
      status: 'supplement_requested',
      at: '2026-03-03T02:00:00.000Z',
      note: '缺少两项',
      missing: [
        { materialId: 'photo', name: '近期免冠照片', note: '' },
        { materialId: null, name: '社保缴纳证明', note: '近六个月' },
        { materialId: 'residence-proof', name: '居住证明', note: '' },
      ],
    });
    await pull();
    const notice = await t.call('case.document', { caseId: c.id });
    expect(notice).toMatchObject({
      kind: 'supplement',
      caseNumber: c.caseNumber,
      queryCode: c.queryCode,
      centralNote: '缺少两项',
      // Issued when the department asked; no promised date while the clock is stopped.
      issuedAt: '2026-03-03T02:00:00.000Z',
      promisedDate: null,
      received: [],
      missing: [
        // A catalog material: its form and copies from the catalog, its note when the department gave none.
        { name: '近期免冠照片', form: 'original', copies: 2, note: '白底，2 寸' },
        { name: '社保缴纳证明', form: '', copies: null, note: '近六个月' },
        { name: '居住证明', form: 'copy', copies: 1, note: '房产证或租赁合同' },
      ],
    });

    // A refusal writes nothing: an item the notice never asked for.
    expect(
      await t.refusal('case.supplement.receive', { mutationId: t.m(), caseId: c.id, received: [3], note: '' }),
    ).toMatchObject({ code: 'INVALID_INPUT', reason: 'UNKNOWN_SUPPLEMENT_ITEM' });

    // The outbox refuses the row (a disk error, say): the resume is rolled back with it.
    const writer = new Sqlite(t.dbFile);
    writer.exec(`CREATE TRIGGER refuse_receive BEFORE INSERT ON outbox WHEN NEW.name = 'case.supplement.receive'
                 BEGIN SELECT RAISE(ABORT, 'disk says no'); END`);
    const mutationId = t.m();
    const input = { mutationId, caseId: c.id, received: [1, 0], note: '照片已当场拍摄' };
    expect((await t.refusal('case.supplement.receive', input)).code).toBe('INTERNAL');
    expect((await get(c.id)).case.state).toBe('supplement_requested');
    expect(outboxArgs('case.supplement.receive')).toEqual([]);
    writer.exec('DROP TRIGGER refuse_receive');
    writer.close();

    const resumed = await t.call('case.supplement.receive', input);
    expect(resumed.state).toBe('in_progress');
    expect(outboxArgs('case.supplement.receive')).toEqual([
      {
        caseId: c.id,
        materialIds: ['photo'],
        note: '已收：社保缴纳证明；照片已当场拍摄',
        receivedBy: 'clerk01',
        at: '2026-03-02T02:00:00.000Z',
      },
    ]);
    expect((await get(c.id)).events.at(-1)).toMatchObject({
      fromState: 'supplement_requested',
      toState: 'in_progress',
      actor: 'counter-window-1',
      note: '补正材料已收：近期免冠照片、社保缴纳证明；照片已当场拍摄',
    });
    // A retry gets the first answer, and no second row.
    expect(await t.call('case.supplement.receive', input)).toEqual(resumed);
    expect(outboxArgs('case.supplement.receive')).toHaveLength(1);
    // Not waiting any more: nothing to receive.
    expect(
      await t.refusal('case.supplement.receive', { mutationId: t.m(), caseId: c.id, received: [0], note: '' }),
    ).toMatchObject({ code: 'CONFLICT', reason: 'NOT_AWAITING_SUPPLEMENT' });
  });

  it('skips a status the case cannot reach with a warning; the rows after it still arrive', async () => {
    const c = await accepted();
    await putStatus(c.id, { status: 'returned', at: '2026-03-03T02:00:00.000Z' });
    await pull();
    const warnings = t.warnings.length;
    await putStatus(c.id, { status: 'in_progress', at: '2026-03-04T02:00:00.000Z' });
    await central.admin.putRef('holiday', '2026-04-07', {
      hallId: hall.id,
      data: { date: '2026-04-07', workday: false, name: '测试' },
    });
    await pull();
    expect((await get(c.id)).case.state).toBe('returned');
    expect(t.warnings.slice(warnings)).toEqual([
      expect.objectContaining({ kind: 'case.status', id: c.id, reason: 'CASE_STATUS_CONFLICT' }),
    ]);
    expect((await t.call('calendar.get', { year: 2026 }, t.admin)).holidays).toContain('2026-04-07');
  });

  it('takes central’s side of a complaint: department, deadline, answer, escalation; older rows are skipped', async () => {
    const f = await t.call('feedback.create', {
      mutationId: t.m(),
      kind: 'complaint',
      channel: 'counter',
      category: 'efficiency',
      content: '办理太慢',
      contactName: '赵六',
      contactPhone: '13800138001',
    });
    expect(f.status).toBe('open');
    const warnings = t.warnings.length;
    // Central has it once pushed, and tells the hall its side at once: still open, nothing due.
    await pull();
    expect(t.warnings).toHaveLength(warnings);
    expect(await t.call('feedback.list', { limit: 50 })).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: f.id, status: 'open' })]),
    );
    const put = (data: Record<string, unknown>) =>
      central.admin.putRef('feedback.status', f.id, {
        hallId: hall.id,
        data: { feedbackId: f.id, answer: null, answeredAt: null, ...data },
      });
    const item = async () => (await t.call('feedback.list', { limit: 50 })).find((x) => x.id === f.id)!;

    await put({
      status: 'assigned',
      departmentId: 'psb',
      dueDate: '2026-03-03',
      escalation: 'due_soon',
      at: '2026-03-02T03:00:00.000Z',
    });
    await pull();
    expect(await item()).toMatchObject({
      status: 'assigned',
      departmentId: 'psb',
      assignee: '公安局',
      dueDate: '2026-03-03',
    });
    expect(t.peek.prepare('SELECT escalation FROM feedback WHERE id = ?').get(f.id)).toEqual({
      escalation: 'due_soon',
    });

    await put({
      status: 'resolved',
      departmentId: 'psb',
      dueDate: '2026-03-03',
      answer: '已督促窗口加快办理',
      answeredAt: '2026-03-03T01:00:00.000Z',
      escalation: 'none',
      at: '2026-03-03T01:00:00.000Z',
    });
    await pull();
    expect(await item()).toMatchObject({ status: 'resolved', resolution: '已督促窗口加快办理' });

    // A row older than the one applied: skipped with a warning, the item stays as it is.
    await put({
      status: 'assigned',
      departmentId: 'psb',
      dueDate: '2026-03-03',
      escalation: 'overdue',
      at: '2026-03-02T05:00:00.000Z',
    });
    await pull();
    expect(await item()).toMatchObject({ status: 'resolved', resolution: '已督促窗口加快办理' });
    expect(t.warnings.slice(warnings)).toEqual([
      expect.objectContaining({ kind: 'feedback.status', id: f.id, reason: 'STALE_FEEDBACK_STATUS' }),
    ]);
    // An item this device never filed is another device's: nothing happens, nothing to warn about.
    const unknown = '00000000-0000-4000-8000-000000000001';
    await central.admin.putRef('feedback.status', unknown, {
      hallId: hall.id,
      data: {
        feedbackId: unknown,
        status: 'assigned',
        departmentId: 'psb',
        dueDate: '2026-03-03',
        answer: null,
        answeredAt: null,
        escalation: 'none',
        at: '2026-03-03T02:00:00.000Z',
      },
    });
    await pull();
    expect(t.warnings).toHaveLength(warnings + 1);
  });

  it('reminds the hall dashboard of complaints due within a working day or overdue, and of cases in 补正', async () => {
    // Friday: the next working day is Monday.
    setNow('2026-03-06T02:00:00.000Z');
    const complaint = (dueDate: string) =>
      t.call('feedback.create', {
        mutationId: t.m(),
        kind: 'complaint',
        channel: 'phone',
        category: 'attitude',
        content: '态度不好',
        dueDate,
      });
    const monday = await complaint('2026-03-09');
    const tuesday = await complaint('2026-03-10');
    const escalated = await complaint('2026-03-10');
    const moved = await complaint('2026-03-10');
    // Pushed: central tells the hall its side of each (its rows come before the department's below).
    await pull();
    const status = (id: string, dueDate: string, escalation: string) =>
      central.admin.putRef('feedback.status', id, {
        hallId: hall.id,
        data: {
          feedbackId: id,
          status: 'assigned',
          departmentId: 'psb',
          dueDate,
          answer: null,
          answeredAt: null,
          escalation,
          at: '2026-03-06T03:00:00.000Z',
        },
      });
    await status(escalated.id, '2026-03-10', 'overdue');
    await status(moved.id, '2026-03-05', 'none');
    const waiting = await accepted();
    await putStatus(waiting.id, {
      status: 'supplement_requested',
      at: '2026-03-06T02:00:00.000Z',
      missing: [{ materialId: null, name: '社保缴纳证明', note: '' }],
    });
    await pull();

    const { reminders } = await t.asAdmin('insight.dashboard', {});
    expect(reminders.feedback.map((r) => [r.number, r.level])).toEqual([
      [moved.number, 'overdue'],
      [monday.number, 'due_soon'],
      [escalated.number, 'overdue'],
    ]);
    expect(reminders.feedback.map((r) => r.feedbackId)).not.toContain(tuesday.id);
    expect(reminders.supplement).toEqual([
      {
        caseNumber: waiting.caseNumber,
        matterNameZh: '居住证申领',
        matterNameEn: 'Residence permit application',
        missing: ['社保缴纳证明'],
        since: expect.any(String),
      },
    ]);
  });

  it('asks central for every reference kind a counter may have: each has its applier', async () => {
    await pull();
    const { cursor_kinds } = t.peek.prepare('SELECT cursor_kinds FROM sync_state').get() as { cursor_kinds: string };
    const counterKinds = Object.keys(REF_KINDS).filter((k) => REF_KIND_ACCESS[k as RefKind].roles.includes('counter'));
    expect(counterKinds).toContain('staff');
    expect(cursor_kinds.split(',').sort()).toEqual(counterKinds.sort());
  });
});

describe('casework on a device enrolled with a central that knows no public address', () => {
  it('prints the case number alone in the QR: there is no tracking page to send anyone to', async () => {
    const central = await startCentral({ mutations: [...mutationDefs] });
    const t = await startIntakeCore(undefined, { hallCode: 'NOPUB' });
    try {
      const hall = await central.admin.createHall('NOPUB');
      await t.core.sync.enroll(central.url, await central.admin.code(hall.id, 'counter'));
      const c = await t.intake();
      expect(await t.call('case.document', { caseId: c.id })).toMatchObject({
        trackingUrl: '',
        queryCode: c.queryCode,
        qrText: c.caseNumber,
      });
    } finally {
      t.stop();
      await central.stop();
    }
  });
});
