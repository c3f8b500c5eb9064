import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CASE_ACTIONS, nextCaseState, type CaseAction } from '@shared/intake/case-states';
import { residentId, startIntakeCore, type IntakeCore } from '../fixtures/intake-core';
import { decodeArgs } from '../../electron/core/store/outbox-args';

let t: IntakeCore;
beforeEach(async () => {
  t = await startIntakeCore();
});
afterEach(() => t.stop());

const outboxNames = () =>
  (t.peek.prepare("SELECT name FROM outbox WHERE name <> 'audit.record' ORDER BY seq").all() as { name: string }[]).map(
    (r) => r.name,
  );
const outboxArgs = (name: string) =>
  (t.peek.prepare('SELECT args FROM outbox WHERE name = ? ORDER BY seq').all(name) as { args: Buffer }[]).map(
    (r) => decodeArgs(r.args) as Record<string, unknown>,
  );

describe('intake at the counter', () => {
  it('accepts a case for the called ticket: number, promise, dispatch, visit, outbox', async () => {
    const ticket = await t.calledTicket();
    const applicant = await t.person();
    const c = await t.call('case.intake', {
      mutationId: t.m(),
      counterId: 'w1',
      ticketId: ticket.id,
      applicantId: applicant.id,
      matterCode: 'PSB-001',
      materials: await t.tick('PSB-001'),
      outcome: 'accept',
    });
    expect(c.caseNumber).toBe('HALL01-20260302-C01-0001');
    expect(c.state).toBe('dispatched');
    expect(c.ticketNumber).toBe(ticket.number);
    expect(c.counterNumber).toBe(1);
    expect(c.clerkName).toBe('王丽');
    expect(c.applicantIdMasked).toBe('110105********002X');
    // 7 working days after Monday 2 March 2026.
    expect(c.promisedDate).toBe('2026-03-11');
    expect(c.toleranceDueDate).toBeNull();
    expect(c.departmentNameZh).toBe('公安局');
    expect(c.overdue).toBe(false);
    const { events } = await t.call('case.get', { caseId: c.id });
    expect(events.map((e) => [e.fromState, e.toState, e.actor])).toEqual([
      ['draft', 'accepted', 'counter-window-1'],
      ['accepted', 'dispatched', 'counter-window-1'],
    ]);
    expect(outboxNames()).toEqual(['applicant.upsert', 'visit.record', 'case.create']);
    const [sent] = outboxArgs('case.create');
    expect(sent).toMatchObject({
      caseId: c.id,
      caseNumber: c.caseNumber,
      state: 'dispatched',
      applicantId: applicant.id,
      matterCode: 'PSB-001',
      departmentId: 'psb',
      ticketNumber: ticket.number,
      promisedDate: '2026-03-11',
      events: [
        { action: 'accept', fromState: 'draft', toState: 'accepted' },
        { action: 'dispatch', fromState: 'accepted', toState: 'dispatched' },
      ],
    });
    expect(t.events.filter((e) => e.name === 'case.changed')).toEqual([
      { name: 'case.changed', payload: { caseId: c.id } },
    ]);
  });

  it('numbers cases per hall day and starts again the next day', async () => {
    expect((await t.intake()).caseNumber).toBe('HALL01-20260302-C01-0001');
    expect((await t.intake({ outcome: 'reject', rejectReason: '不属于本大厅受理范围' })).caseNumber).toBe(
      'HALL01-20260302-C01-0002',
    );
    t.setNow('2026-03-03T01:00:00.000Z');
    await t.signInCounter('w1');
    expect((await t.intake()).caseNumber).toBe('HALL01-20260303-C01-0001');
  });

  it('counts the promise from the hall day, not the calendar date, before the daily reset', async () => {
    // 01:00 on 3 March in Shanghai: the hall is still on 2 March until the 03:00 reset.
    t.setNow('2026-03-02T17:00:00.000Z');
    const c = await t.call('case.intake', {
      mutationId: t.m(),
      counterId: 'w1',
      ticketId: null,
      applicantId: (await t.person()).id,
      matterCode: 'PSB-001',
      materials: await t.tick('PSB-001'),
      outcome: 'accept',
    });
    expect(c.caseNumber).toBe('HALL01-20260302-C01-0001');
    const fromHallDay = await t.call('calendar.addWorkingDays', { from: '2026-03-02', days: 7 });
    expect(c.promisedDate).toBe(fromHallDay.date);
  });

  it('accepts with 容缺: the promise runs, the tolerated items are due in 5 working days by default', async () => {
    // Friday 13 Feb 2026, just before the Spring Festival break (a hall started that day: its day never
    // goes back when a clock is set back).
    t.stop();
    t = await startIntakeCore('2026-02-13T02:00:00.000Z');
    const c = await t.intake({ materials: await t.tick('PSB-001', 'received', { 'work-proof': 'tolerated' }) });
    expect(c.state).toBe('dispatched');
    // 14 Feb (Sat, make-up), 24, 25, 26, 27 Feb.
    expect(c.toleranceDueDate).toBe('2026-02-27');
    // 7 working days: 14, 24, 25, 26, 27, 28 Feb (Sat, make-up), 2 Mar.
    expect(c.promisedDate).toBe('2026-03-02');
    expect(c.materials.find((m) => m.materialId === 'work-proof')?.status).toBe('tolerated');
    const { events } = await t.call('case.get', { caseId: c.id });
    expect(events[0]?.note).toBe('容缺受理');

    const explicit = await t.intake({
      materials: await t.tick('PSB-001', 'received', { 'work-proof': 'tolerated' }),
      toleranceDueDate: '2026-02-28',
    });
    expect(explicit.toleranceDueDate).toBe('2026-02-28');
  });

  it('refuses an acceptance whose dates run into a year without a holiday calendar, until the calendar comes', async () => {
    // Thursday 30 September 2027: nobody has sent the 2027 calendar (National Day is not in it).
    t.setNow('2027-09-30T02:00:00.000Z');
    await t.signInCounter('w1');
    expect(await t.call('calendar.addWorkingDays', { from: '2027-09-30', days: 5 })).toEqual({
      date: '2027-10-07',
      yearsWithoutCalendar: [2027],
    });
    expect(await t.call('calendar.addWorkingDays', { from: '2026-09-18', days: 9 })).toEqual({
      date: '2026-10-08',
      yearsWithoutCalendar: [],
    });
    const accept = {
      mutationId: t.m(),
      counterId: 'w1',
      ticketId: (await t.calledTicket()).id,
      applicantId: (await t.person()).id,
      matterCode: 'HRSS-003',
      materials: await t.tick('HRSS-003'),
      outcome: 'accept',
    };
    const before = { outbox: t.outboxCount(), visits: t.count('visits') };
    const refused = await t.refusal('case.intake', accept);
    expect(refused).toMatchObject({ code: 'CONFLICT', reason: 'CALENDAR_MISSING' });
    expect(refused.error.details).toEqual({ reason: 'CALENDAR_MISSING', years: [2027] });
    // The clerk cannot vouch for the dates: the old confirmation is no input any more.
    expect(
      await t.refusal('case.intake', { ...accept, mutationId: t.m(), confirmedYearsWithoutCalendar: [2027] }),
    ).toMatchObject({ code: 'INVALID_INPUT' });
    // A default 容缺 date is counted too.
    const tolerated = await t.tick('HRSS-003', 'received', { 'bank-card': 'tolerated' });
    expect(await t.refusal('case.intake', { ...accept, mutationId: t.m(), materials: tolerated })).toMatchObject({
      code: 'CONFLICT',
      reason: 'CALENDAR_MISSING',
    });
    expect([t.count('cases'), t.count('visits'), t.outboxCount()]).toEqual([0, before.visits, before.outbox]);
    // A notice counts nothing.
    expect(
      (await t.intake({ matterCode: 'HRSS-003', outcome: 'notice', materials: await t.tick('HRSS-003', 'missing') }))
        .state,
    ).toBe('notice_issued');

    // A year whose days were all taken out again has no calendar either.
    await t.signInAdmin();
    await t.call('calendar.admin.put', { year: 2027, holidays: [], workdays: [] }, t.admin);
    expect(await t.refusal('case.intake', { ...accept, mutationId: t.m() })).toMatchObject({
      reason: 'CALENDAR_MISSING',
    });
    // With the calendar, National Day counts.
    const national = ['2027-10-01', '2027-10-04', '2027-10-05', '2027-10-06', '2027-10-07'];
    await t.call('calendar.admin.put', { year: 2027, holidays: national, workdays: [] }, t.admin);
    const c = await t.intake({ matterCode: 'HRSS-003' });
    expect(c).toMatchObject({ state: 'dispatched', promisedDate: '2027-10-14' });
    const { events } = await t.call('case.get', { caseId: c.id });
    expect(events[0]).toMatchObject({ toState: 'accepted', note: null });
    expect((await t.call('case.document', { caseId: c.id })).promisedDate).toBe('2027-10-14');
  });

  it('issues the 一次性告知 notice listing every missing required and 容缺 material', async () => {
    const c = await t.intake({
      outcome: 'notice',
      materials: await t.tick('PSB-001', 'missing', { 'id-card': 'received' }),
    });
    expect(c.state).toBe('notice_issued');
    expect(c.promisedDate).toBeNull();
    const doc = await t.call('case.document', { caseId: c.id });
    expect(doc.kind).toBe('notice');
    expect(doc.missing.map((m) => m.name)).toEqual(['居住证明', '就业或就读证明', '近期免冠照片']);
    expect(doc.missing[2]).toEqual({ name: '近期免冠照片', form: 'original', copies: 2, note: '白底，2 寸' });
    expect(doc.received).toEqual([{ name: '申请人居民身份证', form: 'original_and_copy', copies: 1, pages: 0 }]);
  });

  it('rejects with the reason and records it', async () => {
    const c = await t.intake({ outcome: 'reject', rejectReason: '申请事项不属于本部门职权范围' });
    expect(c.state).toBe('rejected');
    expect(c.rejectReason).toBe('申请事项不属于本部门职权范围');
    const doc = await t.call('case.document', { caseId: c.id });
    expect(doc).toMatchObject({ kind: 'rejection', rejectReason: '申请事项不属于本部门职权范围', missing: [] });
  });

  it('accepts an organisation for an organisation matter, without a ticket', async () => {
    const org = await t.organisation();
    const c = await t.call('case.intake', {
      mutationId: t.m(),
      counterId: 'w1',
      ticketId: null,
      applicantId: org.id,
      matterCode: 'TAX-002',
      materials: await t.tick('TAX-002'),
      outcome: 'accept',
    });
    expect(c).toMatchObject({ state: 'dispatched', ticketNumber: null, promisedDate: '2026-03-02' });
    // The receipt prints the organisation's credit code in full: it is public, unlike a person's ID.
    expect(c.applicantIdMasked).toBe(org.idMasked);
    expect((await t.call('case.document', { caseId: c.id })).applicantIdMasked).toBe('91350100M000100Y43');
  });
});

describe('refusals store nothing', () => {
  async function expectRefused(fields: Record<string, unknown>, code: string, reason?: string) {
    const ticket = await t.calledTicket();
    const applicant = await t.person();
    const before = { outbox: t.outboxCount(), visits: t.count('visits') };
    const res = await t.refusal('case.intake', {
      mutationId: t.m(),
      counterId: 'w1',
      ticketId: ticket.id,
      applicantId: applicant.id,
      matterCode: 'PSB-001',
      materials: 'materials' in fields ? undefined : await t.tick('PSB-001'),
      outcome: 'accept',
      ...fields,
    });
    expect(res.code).toBe(code);
    if (reason) expect(res.reason).toBe(reason);
    expect(t.count('cases')).toBe(0);
    expect(t.count('case_events')).toBe(0);
    expect(t.count('visits')).toBe(before.visits);
    expect(t.outboxCount()).toBe(before.outbox);
    return res;
  }

  it('an unknown, inactive or wrong-kind matter', async () => {
    await expectRefused({ matterCode: 'NOPE-001' }, 'NOT_FOUND', 'UNKNOWN_MATTER');
    await expectRefused(
      { matterCode: 'TAX-002', materials: await t.tick('TAX-002') },
      'CONFLICT',
      'MATTER_NOT_FOR_APPLICANT',
    );
    const matter = (await t.call('catalog.matters', { query: 'PSB-001' }))[0]!;
    const materials = await t.tick('PSB-001');
    await t.call('catalog.admin.matters.upsert', { ...matter, active: false }, t.admin);
    expect(await t.call('catalog.matters', { query: 'PSB-001' })).toEqual([]);
    await expectRefused({ materials }, 'CONFLICT', 'MATTER_INACTIVE');
  });

  it('an unknown applicant', async () => {
    await expectRefused({ applicantId: '00000000-0000-4000-8000-000000000000' }, 'NOT_FOUND', 'UNKNOWN_APPLICANT');
  });

  it('materials not given exactly once each', async () => {
    const all = await t.tick('PSB-001');
    await expectRefused({ materials: all.slice(1) }, 'INVALID_INPUT', 'MATERIALS_MISMATCH');
    await expectRefused({ materials: [...all, all[0]] }, 'INVALID_INPUT', 'MATERIALS_MISMATCH');
    await expectRefused(
      { materials: [...all, { materialId: 'forged', status: 'received' }] },
      'INVALID_INPUT',
      'MATERIALS_MISMATCH',
    );
  });

  it('a tolerated material that is not 容缺, and acceptance with a required or 容缺 material missing', async () => {
    const res = await expectRefused(
      { materials: await t.tick('PSB-001', 'received', { 'id-card': 'tolerated' }) },
      'INVALID_INPUT',
      'MATERIAL_NOT_TOLERANT',
    );
    expect(res.error.details).toMatchObject({ materialIds: ['id-card'] });
    await expectRefused(
      { materials: await t.tick('PSB-001', 'received', { photo: 'missing' }) },
      'CONFLICT',
      'REQUIRED_MATERIAL_MISSING',
    );
    await expectRefused(
      { materials: await t.tick('PSB-001', 'received', { 'work-proof': 'missing' }) },
      'CONFLICT',
      'REQUIRED_MATERIAL_MISSING',
    );
  });

  it('a notice with nothing missing (an optional one missing does not count)', async () => {
    await expectRefused({ outcome: 'notice' }, 'CONFLICT', 'NOTHING_MISSING');
    await expectRefused(
      {
        outcome: 'notice',
        matterCode: 'PSB-003',
        materials: await t.tick('PSB-003', 'received', { 'photo-receipt': 'missing' }),
      },
      'CONFLICT',
      'NOTHING_MISSING',
    );
  });

  it('a rejection without a reason, an oversize reason, a 容缺 due date not after today', async () => {
    await expectRefused({ outcome: 'reject' }, 'INVALID_INPUT', 'REJECT_REASON_REQUIRED');
    await expectRefused({ outcome: 'reject', rejectReason: '   ' }, 'INVALID_INPUT', 'REJECT_REASON_REQUIRED');
    await expectRefused({ outcome: 'reject', rejectReason: '理'.repeat(501) }, 'INVALID_INPUT');
    await expectRefused(
      { materials: await t.tick('PSB-001', 'received', { 'work-proof': 'tolerated' }), toleranceDueDate: '2026-03-02' },
      'INVALID_INPUT',
      'TOLERANCE_DUE_NOT_FUTURE',
    );
  });

  it('a ticket of another counter, and a counter the caller is not signed in at', async () => {
    const other = await t.call(
      'queue.ticket.issue',
      { mutationId: t.m(), queueId: 'general', applicantType: 'person' },
      t.kiosk,
    );
    await expectRefused({ ticketId: other.ticket.id }, 'CONFLICT', 'TICKET_NOT_AT_COUNTER');
    await expectRefused({ counterId: 'w2' }, 'FORBIDDEN', 'NOT_SIGNED_IN');
  });
});

describe('idempotency and atomicity', () => {
  it('the same mutation id twice gives one case and one outbox row', async () => {
    const ticket = await t.calledTicket();
    const applicant = await t.person();
    const input = {
      mutationId: t.m(),
      counterId: 'w1',
      ticketId: ticket.id,
      applicantId: applicant.id,
      matterCode: 'PSB-001',
      materials: await t.tick('PSB-001'),
      outcome: 'accept' as const,
    };
    const [a, b] = await Promise.all([t.call('case.intake', input), t.call('case.intake', input)]);
    const c = await t.call('case.intake', input);
    expect(b.id).toBe(a.id);
    expect(c.id).toBe(a.id);
    expect(t.count('cases')).toBe(1);
    expect(outboxNames().filter((n) => n === 'case.create')).toHaveLength(1);
    expect(t.events.filter((e) => e.name === 'case.changed')).toHaveLength(1);
    const reused = await t.refusal('applicant.register', {
      mutationId: input.mutationId,
      applicant: { kind: 'person', name: '王五', idType: 'passport', idNumber: 'E12345678', phone: '13800138000' },
    });
    expect(reused).toMatchObject({ code: 'CONFLICT', reason: 'MUTATION_ID_REUSED' });
  });

  it('a failure after some writes leaves nothing: no case, no visit, no outbox row, no number used', async () => {
    t.peek.exec(`CREATE TRIGGER fail_case_outbox BEFORE INSERT ON outbox WHEN NEW.name = 'case.create'
                 BEGIN SELECT RAISE(ABORT, 'disk said no'); END`);
    const ticket = await t.calledTicket();
    const applicant = await t.person();
    const before = t.outboxCount();
    const res = await t.raw(t.clerk, 'case.intake', {
      mutationId: t.m(),
      counterId: 'w1',
      ticketId: ticket.id,
      applicantId: applicant.id,
      matterCode: 'PSB-001',
      materials: await t.tick('PSB-001'),
      outcome: 'accept',
    });
    expect(res).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    for (const table of ['cases', 'case_materials', 'case_events', 'visits', 'number_day_seq']) {
      expect(t.count(table), table).toBe(0);
    }
    expect(t.outboxCount()).toBe(before);
    expect(t.events.filter((e) => e.name === 'case.changed')).toEqual([]);
    t.peek.exec('DROP TRIGGER fail_case_outbox');
    const c = await t.call('case.intake', {
      mutationId: t.m(),
      counterId: 'w1',
      ticketId: ticket.id,
      applicantId: applicant.id,
      matterCode: 'PSB-001',
      materials: await t.tick('PSB-001'),
      outcome: 'accept',
    });
    expect(c.caseNumber).toBe('HALL01-20260302-C01-0001');
  });
});

describe('applicants', () => {
  it('are found by their ID through a keyed hash; the clear number is stored nowhere and sent nowhere', async () => {
    const id = residentId('11010519491231002');
    const a = await t.person();
    const profile = await t.call('applicant.lookup', { idType: 'resident_id', idNumber: id.toLowerCase() });
    expect(profile?.applicant).toMatchObject({
      id: a.id,
      name: '张三',
      idMasked: '110105********002X',
      segment: 'citizen',
    });
    expect(profile?.scope).toBe('local');
    expect(await t.call('applicant.lookup', { idType: 'passport', idNumber: '11010519491231002X' })).toBeNull();
    const row = t.peek.prepare('SELECT * FROM applicants').get() as Record<string, unknown>;
    expect(JSON.stringify(row)).not.toContain(id);
    expect(row.id_hash).toMatch(/^[0-9a-f]{64}$/);
    const raw = fs.readFileSync(t.dbFile);
    expect(raw.includes(Buffer.from(id))).toBe(false);
    const [sent] = outboxArgs('applicant.upsert');
    expect(sent).toMatchObject({ applicantId: a.id, idHash: row.id_hash, idMasked: '110105********002X' });
    expect(JSON.stringify(sent)).not.toContain(id);
  });

  it('registering the same ID again updates the one record', async () => {
    const a = await t.person();
    const b = await t.person('11010519491231002', '张三丰');
    expect(b.id).toBe(a.id);
    expect(b.name).toBe('张三丰');
    expect(t.count('applicants')).toBe(1);
    expect(outboxNames()).toEqual(['applicant.upsert', 'applicant.upsert']);
  });

  it('a retried registration writes once', async () => {
    const input = {
      mutationId: t.m(),
      applicant: {
        kind: 'person' as const,
        name: '孙八',
        idType: 'passport' as const,
        idNumber: 'e12345678',
        phone: '13800138000',
      },
    };
    const a = await t.call('applicant.register', input);
    expect(await t.call('applicant.register', input)).toEqual(a);
    expect(a.idMasked).toBe('E1*****78');
    expect(t.count('applicants')).toBe(1);
    expect(outboxNames()).toEqual(['applicant.upsert']);
  });

  it('organisations get their segment from their type, and their public credit code shows in full', async () => {
    const o = await t.organisation();
    expect(o).toMatchObject({
      kind: 'organisation',
      segment: 'enterprise',
      idMasked: '91350100M000100Y43',
      contactName: '李四',
    });
    expect(outboxArgs('applicant.upsert')[0]).toMatchObject({ idType: 'uscc', idMasked: '91350100M000100Y43' });
    const profile = await t.call('applicant.lookup', { idType: 'uscc', idNumber: '91350100M000100Y43' });
    expect(profile?.applicant.idMasked).toBe('91350100M000100Y43');
  });

  it('refuses invalid numbers, missing and oversize fields, and stores nothing', async () => {
    const person = { kind: 'person', name: '张三', idType: 'resident_id', phone: '13800138000' };
    for (const applicant of [
      { ...person, idNumber: '110105194912310021' },
      { ...person, idNumber: residentId('11010520300101002') },
      { ...person, name: '', idNumber: residentId('11010519491231002') },
      { ...person, name: '张'.repeat(51), idNumber: residentId('11010519491231002') },
      { ...person, phone: 'call me', idNumber: residentId('11010519491231002') },
      {
        kind: 'organisation',
        name: '某公司',
        idType: 'uscc',
        idNumber: '91350100M000100Y44',
        orgType: 'enterprise',
        contactName: '李四',
        phone: '13800138000',
      },
      { ...person, idNumber: residentId('11010519491231002'), extra: 1 },
    ]) {
      const res = await t.refusal('applicant.register', { mutationId: t.m(), applicant });
      expect(res.code).toBe('INVALID_INPUT');
    }
    expect(t.count('applicants')).toBe(0);
    expect(t.outboxCount()).toBe(0);
  });

  it('keeps HTML in a name as text, everywhere it goes', async () => {
    const name = '<script>alert("x")</script><b>李</b>&amp;';
    const a = await t.person('11010519491231002', name);
    expect(a.name).toBe(name);
    const ticket = await t.calledTicket();
    const c = await t.call('case.intake', {
      mutationId: t.m(),
      counterId: 'w1',
      ticketId: ticket.id,
      applicantId: a.id,
      matterCode: 'PSB-001',
      materials: await t.tick('PSB-001'),
      outcome: 'accept',
    });
    expect(c.applicantName).toBe(name);
    expect((await t.call('case.document', { caseId: c.id })).applicantName).toBe(name);
    expect((await t.call('case.list', {}))[0]?.applicantName).toBe(name);
  });

  it('shows the profile with visits, cases, complaints and ratings', async () => {
    const c = await t.intake();
    await t.call('queue.start', { mutationId: t.m(), counterId: 'w1', ticketId: c.ticketId! });
    await t.call('queue.finish', { mutationId: t.m(), counterId: 'w1', ticketId: c.ticketId! });
    await t.call('rating.request', { mutationId: t.m(), counterId: 'w1', ticketId: c.ticketId!, caseIds: [c.id] });
    await t.rate(4);
    await t.call('feedback.create', {
      mutationId: t.m(),
      kind: 'complaint',
      channel: 'phone',
      category: 'efficiency',
      content: '等候时间太长',
      applicantId: c.applicantId,
      caseId: c.id,
    });
    const p = await t.call('applicant.profile', { applicantId: c.applicantId });
    expect(p.history.visits).toEqual([
      { ticketNumber: c.ticketNumber, hallDay: '2026-03-02', counterNumber: 1, at: expect.any(String) },
    ]);
    expect(p.history.cases.map((x) => x.caseNumber)).toEqual([c.caseNumber]);
    expect(p.history.feedback).toMatchObject([{ kind: 'complaint', status: 'open', summary: '等候时间太长' }]);
    expect(p.history.ratings).toMatchObject([{ level: 4, counterNumber: 1 }]);
  });
});

describe('status from central and overdue', () => {
  it('applies legal status updates as events by central and refuses illegal ones', async () => {
    const c = await t.intake();
    t.events.length = 0;
    const started = t.core.intake.applyCaseStatus(c.id, 'start', '2026-03-03T01:00:00.000Z', '开始审查');
    expect(started.state).toBe('in_progress');
    expect(t.events).toEqual([{ name: 'case.changed', payload: { caseId: c.id } }]);
    expect(() => t.core.intake.applyCaseStatus(c.id, 'dispatch', '2026-03-03T02:00:00.000Z', null)).toThrow(
      /cannot dispatch/,
    );
    const done = t.core.intake.applyCaseStatus(c.id, 'complete', '2026-03-04T01:00:00.000Z', null);
    expect(done.state).toBe('completed');
    const { events } = await t.call('case.get', { caseId: c.id });
    expect(events.slice(2)).toEqual([
      {
        fromState: 'dispatched',
        toState: 'in_progress',
        actor: 'central',
        note: '开始审查',
        at: '2026-03-03T01:00:00.000Z',
      },
      { fromState: 'in_progress', toState: 'completed', actor: 'central', note: null, at: '2026-03-04T01:00:00.000Z' },
    ]);
    expect(() => t.core.intake.applyCaseStatus(c.id, 'return', '2026-03-04T02:00:00.000Z', null)).toThrow();
    // Status updates come from central: they are not sent back.
    expect(outboxNames().filter((n) => n.startsWith('case.'))).toEqual(['case.create']);
  });

  it('takes every action the state machine allows from each reachable state, and no other', async () => {
    const paths: Record<string, CaseAction[]> = {
      dispatched: [],
      in_progress: ['start'],
      completed: ['start', 'complete'],
      returned: ['return'],
    };
    const at = '2026-03-03T01:00:00.000Z';
    async function caseIn(state: string) {
      if (state === 'notice_issued') {
        return t.intake({
          outcome: 'notice',
          materials: await t.tick('PSB-001', 'received', { photo: 'missing' }),
        });
      }
      if (state === 'rejected') return t.intake({ outcome: 'reject', rejectReason: '不符合条件' });
      const c = await t.intake();
      for (const action of paths[state]!) t.core.intake.applyCaseStatus(c.id, action, at, null);
      return c;
    }
    for (const state of ['dispatched', 'in_progress', 'completed', 'returned', 'notice_issued', 'rejected'] as const) {
      for (const action of CASE_ACTIONS) {
        const c = await caseIn(state);
        const expected = nextCaseState(state, action);
        if (expected) {
          expect(t.core.intake.applyCaseStatus(c.id, action, at, null).state, `${state} ${action}`).toBe(expected);
        } else {
          expect(() => t.core.intake.applyCaseStatus(c.id, action, at, null), `${state} ${action}`).toThrow(
            expect.objectContaining({
              code: 'CONFLICT',
              details: expect.objectContaining({ reason: 'ILLEGAL_TRANSITION' }),
            }),
          );
          expect((await t.call('case.get', { caseId: c.id })).case.state).toBe(state);
        }
      }
    }
  });

  it('lists cases past their promised date while they still run', async () => {
    const late = await t.intake(); // promised 2026-03-11
    const finished = await t.intake();
    t.core.intake.applyCaseStatus(finished.id, 'start', '2026-03-03T01:00:00.000Z', null);
    t.core.intake.applyCaseStatus(finished.id, 'complete', '2026-03-03T02:00:00.000Z', null);
    await t.intake({ outcome: 'notice', materials: await t.tick('PSB-001', 'received', { photo: 'missing' }) });
    t.setNow('2026-03-11T09:00:00.000Z'); // 17:00 on the promised day: not late yet
    expect(await t.call('case.list', { overdueOnly: true })).toEqual([]);
    t.setNow('2026-03-12T01:00:00.000Z');
    const overdue = await t.call('case.list', { overdueOnly: true });
    expect(overdue.map((c) => c.id)).toEqual([late.id]);
    expect(overdue[0]?.overdue).toBe(true);
    const all = await t.call('case.list', {});
    expect(all).toHaveLength(3);
    expect(all.find((c) => c.id === finished.id)?.overdue).toBe(false);
    expect((await t.call('case.list', { state: 'notice_issued' })).length).toBe(1);
  });
});
