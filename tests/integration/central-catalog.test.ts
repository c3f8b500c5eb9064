import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matter } from '@shared/api';
import type { CalendarStatus, CalendarView } from '@shared/console/calendar';
import type { DepartmentRow, MatterPage, MatterRow } from '@shared/console/catalog';
import type { ConsoleError } from '@shared/console/session';
import { mutationDefs } from '@shared/sync/mutations';
import { consoleSession } from '../fixtures/central-identity';
import { consoleClient, testClock, type ConsoleClient } from '../fixtures/central-console';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { startIntakeCore, type IntakeCore } from '../fixtures/intake-core';

/** Monday 2 November 2026 in Shanghai: next year's calendar is due from 1 November. */
const { clock, set: setNow } = testClock('2026-11-02T02:00:00.000Z');

const matter = (code: string, o: Partial<Matter> = {}): Matter => ({
  code,
  nameZh: '排污许可证核发',
  nameEn: 'Discharge permit',
  departmentId: 'eco',
  applicantTypes: ['person', 'organisation'],
  materials: [
    {
      id: 'application',
      nameZh: '排污许可证申请表',
      nameEn: 'Application form',
      requirement: 'required',
      form: 'original',
      copies: 2,
      note: '',
    },
    {
      id: 'eia',
      nameZh: '环评批复',
      nameEn: 'EIA approval',
      requirement: 'tolerant',
      form: 'copy',
      copies: 1,
      note: '可后补',
    },
  ],
  feeFen: 0,
  legalDays: 20,
  promisedDays: 10,
  active: true,
  keywords: ['排污证'],
  legalBasis: '《排污许可管理条例》',
  acceptanceText: '申请材料齐全，决定受理。',
  rejectionText: '可于六十日内申请行政复议。',
  ...o,
});

/**
 * The console's matter catalog and working-day calendar on PostgreSQL, with a real counter of hall A
 * enrolled: what an administrator writes at the console is what the counter offers and counts with.
 */
describe('console: the matter catalog and the working-day calendar', () => {
  let central: TestCentral;
  let hallA: { id: string }, hallB: { id: string };
  let admin: ConsoleClient, hallAdminA: ConsoleClient, hallAdminB: ConsoleClient, supervisorA: ConsoleClient;
  let counter: IntakeCore;

  beforeAll(async () => {
    central = await startCentral({ mutations: [...mutationDefs], casework: { clock, escalation: false } });
    hallA = await central.admin.createHall('CATA');
    hallB = await central.admin.createHall('CATB');
    const token = central.adminSession.token;
    const session = async (login: string, roles: string[], hallIds: string[] = []) =>
      consoleClient(central.url, (await consoleSession(central.url, token, { login, roles, hallIds })).token);
    admin = await session('cadmin', ['central_admin']);
    hallAdminA = await session('hadmin-a', ['hall_admin'], [hallA.id]);
    hallAdminB = await session('hadmin-b', ['hall_admin'], [hallB.id]);
    supervisorA = await session('sup-a', ['supervisor'], [hallA.id]);
    // Monday 28 December 2026, 10:00 in Shanghai: a promise of a few working days runs into 2027.
    counter = await startIntakeCore('2026-12-28T02:00:00.000Z', { hallCode: 'CATA' });
    await counter.core.sync.enroll(central.url, await central.admin.code(hallA.id, 'counter'));
  });
  afterAll(async () => {
    counter?.stop();
    await central?.stop();
  });

  const offered = async (code: string) =>
    (await counter.call('catalog.matters', { query: code }, counter.admin)).find((m) => m.code === code);
  const refRows = async (kind: string, id: string) =>
    (
      await central.pool.query<{ hall_id: string | null; deleted: boolean }>(
        'SELECT hall_id, deleted FROM ref_rows WHERE kind = $1 AND id = $2 ORDER BY version',
        [kind, id],
      )
    ).rows;

  it('refuses the console’s catalog to anyone but central and hall administrators, and each to their rows', async () => {
    const forbidden = { status: 403, json: expect.objectContaining({ code: 'FORBIDDEN' }) };
    expect(await supervisorA('GET', '/catalog/departments')).toEqual(forbidden);
    expect(await supervisorA('GET', '/catalog/calendar?year=2027')).toEqual(forbidden);
    expect(
      await supervisorA('POST', '/catalog/calendar/days', {
        hallId: hallA.id,
        day: { date: '2027-01-01', name: '元旦', workday: false },
      }),
    ).toEqual(forbidden);
    // A hall administrator writes their own hall's rows only, never every hall's.
    const dept = { id: 'eco', nameZh: '生态环境局', nameEn: 'Ecology', phone: '' };
    expect(
      await hallAdminA('POST', '/catalog/departments', { hallId: null, expectVersion: null, department: dept }),
    ).toEqual(forbidden);
    expect(
      await hallAdminB('POST', '/catalog/departments', { hallId: hallA.id, expectVersion: null, department: dept }),
    ).toEqual(forbidden);
    expect(await hallAdminB('GET', `/catalog/matters?scope=${hallA.id}`)).toEqual(forbidden);
    expect(await hallAdminB('GET', `/catalog/calendar?year=2027&scope=${hallA.id}`)).toEqual(forbidden);
    expect(
      await hallAdminB('POST', '/catalog/calendar/import', {
        hallId: hallA.id,
        year: 2027,
        days: [{ date: '2027-01-01', name: '元旦', workday: false }],
      }),
    ).toEqual(forbidden);
    expect(await refRows('catalog.department', 'eco')).toEqual([]);
    expect(await refRows('holiday', '2027-01-01')).toEqual([]);
    // Without a session: no console at all.
    expect((await consoleClient(central.url, 'nope')('GET', '/catalog/departments')).status).toBe(401);
  });

  it('validates every form on the server too, field by field', async () => {
    const bad = await admin<ConsoleError>('POST', '/catalog/matters', {
      hallId: null,
      expectVersion: null,
      matter: matter('eco-1', {
        promisedDays: 30,
        materials: [matter('X').materials[0]!, matter('X').materials[0]!],
      }),
    });
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe('INVALID_INPUT');
    // Every field at once, each with its message, for the form to show beside it.
    expect(Object.keys(bad.json.fields ?? {})).toEqual(['matter.code', 'matter.promisedDays', 'matter.materials.1.id']);
    const twice = await admin<ConsoleError>('POST', '/catalog/matters', {
      hallId: null,
      expectVersion: null,
      matter: matter('ECO-001', { materials: [matter('X').materials[0]!, matter('X').materials[0]!] }),
    });
    expect(twice.json.fields).toEqual({ 'matter.materials.1.id': 'each material needs its own id' });
    const weekday = await admin<ConsoleError>('POST', '/catalog/calendar/days', {
      hallId: null,
      day: { date: '2027-02-10', name: '春节调休', workday: true },
    });
    expect(weekday.json.fields).toEqual({ 'day.workday': 'a make-up working day is a Saturday or a Sunday' });
  });

  it('refuses a matter whose department its halls do not have, beside the department field', async () => {
    const refused = await admin<ConsoleError>('POST', '/catalog/matters', {
      hallId: null,
      expectVersion: null,
      matter: matter('ECO-001'),
    });
    expect(refused).toEqual({
      status: 400,
      json: expect.objectContaining({
        code: 'UNKNOWN_DEPARTMENT',
        fields: { 'matter.departmentId': 'no department "eco" for the halls of this matter' },
      }),
    });
    // Hall B's own department is not every hall's.
    const dept = { id: 'eco', nameZh: '生态环境局', nameEn: 'Ecology', phone: '12369' };
    const own = await hallAdminB<DepartmentRow>('POST', '/catalog/departments', {
      hallId: hallB.id,
      expectVersion: null,
      department: dept,
    });
    expect(own).toEqual({
      status: 200,
      json: { hallId: hallB.id, version: expect.any(Number), department: dept, matterCount: 0 },
    });
    expect(
      (await admin('POST', '/catalog/matters', { hallId: null, expectVersion: null, matter: matter('ECO-001') }))
        .status,
    ).toBe(400);
    expect(
      (await admin('POST', '/catalog/matters', { hallId: hallA.id, expectVersion: null, matter: matter('ECO-001') }))
        .status,
    ).toBe(400);
    expect(await refRows('catalog.matter', 'ECO-001')).toEqual([]);
    // A hall administrator sees every hall's rows and their own, not another hall's.
    expect((await hallAdminA<DepartmentRow[]>('GET', '/catalog/departments')).json).toEqual([]);
    expect((await hallAdminB<DepartmentRow[]>('GET', '/catalog/departments')).json.map((d) => d.hallId)).toEqual([
      hallB.id,
    ]);
  });

  it('a matter written at the console is offered at the counter after its pull, with its wording on the documents', async () => {
    const dept = { id: 'eco', nameZh: '生态环境局', nameEn: 'Ecology', phone: '12369' };
    const d = await admin<DepartmentRow>('POST', '/catalog/departments', {
      hallId: null,
      expectVersion: null,
      department: dept,
    });
    expect(d.status).toBe(200);
    const created = await admin<MatterRow>('POST', '/catalog/matters', {
      hallId: null,
      expectVersion: null,
      matter: matter('ECO-001'),
    });
    expect(created).toEqual({
      status: 200,
      json: { hallId: null, code: 'ECO-001', version: expect.any(Number), matter: matter('ECO-001') },
    });
    expect((await admin<DepartmentRow[]>('GET', '/catalog/departments?scope=global')).json).toEqual([
      { hallId: null, version: d.json.version, department: dept, matterCount: 1 },
    ]);
    expect(await counter.core.sync.runOnce()).toBe('ok');
    expect(await offered('ECO-001')).toEqual(matter('ECO-001'));

    // Edited as of the version the administrator opened: the counter offers the new one.
    const edited = matter('ECO-001', {
      nameZh: '排污许可证核发（重新申请）',
      promisedDays: 5,
      acceptanceText: '经审查，申请材料齐全、符合法定形式，决定予以受理。',
      rejectionText: '不属于本机关职权范围。如不服，可于六十日内申请行政复议，或者六个月内提起行政诉讼。',
    });
    const stale = created.json.version;
    const saved = await admin<MatterRow>('POST', '/catalog/matters', {
      hallId: null,
      expectVersion: stale,
      matter: edited,
    });
    expect(saved.json).toMatchObject({ matter: edited });
    // Someone else's edit on the old version, or a new matter of a code taken, changes nothing.
    expect(
      await admin<ConsoleError>('POST', '/catalog/matters', {
        hallId: null,
        expectVersion: stale,
        matter: matter('ECO-001'),
      }),
    ).toEqual({ status: 409, json: expect.objectContaining({ code: 'CATALOG_VERSION_CONFLICT' }) });
    expect(
      await admin<ConsoleError>('POST', '/catalog/matters', {
        hallId: null,
        expectVersion: null,
        matter: matter('ECO-001'),
      }),
    ).toEqual({
      status: 409,
      json: expect.objectContaining({
        code: 'CATALOG_ID_TAKEN',
        fields: { 'matter.code': '"ECO-001" is taken in this scope' },
      }),
    });
    expect(await counter.core.sync.runOnce()).toBe('ok');
    expect(await offered('ECO-001')).toEqual(edited);

    // The counter's 不予受理 notice prints the matter's wording and legal basis.
    const applicant = await counter.person();
    const rejected = await counter.intake({
      matterCode: 'ECO-001',
      applicantId: applicant.id,
      outcome: 'reject',
      rejectReason: '申请事项不属于本机关职权范围',
    });
    expect(await counter.call('case.document', { caseId: rejected.id })).toMatchObject({
      kind: 'rejection',
      rejectReason: '申请事项不属于本机关职权范围',
      decisionText: edited.rejectionText,
      legalBasis: '《排污许可管理条例》',
    });

    // Found by code, name or another name; the hall administrator of A sees it (every hall's row).
    for (const q of ['ECO', '重新申请', '排污证']) {
      expect((await hallAdminA<MatterPage>('GET', `/catalog/matters?q=${encodeURIComponent(q)}`)).json.total, q).toBe(
        1,
      );
    }
    // The department is named by a live matter: it stays.
    expect(
      await admin<ConsoleError>('POST', '/catalog/departments/eco/withdraw', {
        hallId: null,
        expectVersion: d.json.version,
      }),
    ).toEqual({ status: 409, json: expect.objectContaining({ code: 'DEPARTMENT_IN_USE' }) });

    // Withdrawn: a tombstone; the counter no longer offers it, its case keeps it.
    const withdrawn = await admin<MatterRow>('POST', '/catalog/matters/ECO-001/withdraw', {
      hallId: null,
      expectVersion: saved.json.version,
    });
    expect(withdrawn.json).toMatchObject({ code: 'ECO-001', matter: null });
    expect((await admin<MatterPage>('GET', '/catalog/matters?withdrawn=true')).json.items.map((m) => m.code)).toEqual([
      'ECO-001',
    ]);
    expect((await admin<MatterPage>('GET', '/catalog/matters')).json.total).toBe(0);
    expect(await counter.core.sync.runOnce()).toBe('ok');
    expect(await offered('ECO-001')).toBeUndefined();
    expect((await counter.call('case.get', { caseId: rejected.id })).case.matterCode).toBe('ECO-001');
  });

  it('the counter refuses a promise into a year without a calendar; a year entered at the console moves it', async () => {
    // Before the calendar: counted Monday to Friday it would be Wednesday 6 January 2027; no such promise.
    expect(await counter.call('calendar.addWorkingDays', { from: '2026-12-28', days: 7 })).toEqual({
      date: '2027-01-06',
      yearsWithoutCalendar: [2027],
    });
    const applicant = await counter.person('11010519800101001', '钱多多');
    const accept = {
      mutationId: counter.m(),
      counterId: 'w1',
      ticketId: (await counter.calledTicket()).id,
      applicantId: applicant.id,
      matterCode: 'PSB-001',
      materials: await counter.tick('PSB-001'),
      outcome: 'accept' as const,
    };
    expect(await counter.refusal('case.intake', accept)).toMatchObject({
      code: 'CONFLICT',
      reason: 'CALENDAR_MISSING',
    });
    expect(counter.count('cases')).toBe(1);

    // From 1 November the console names the halls whose devices lack next year's calendar.
    expect((await hallAdminA<CalendarStatus>('GET', '/catalog/calendar/status')).json).toEqual({
      today: '2026-11-02',
      dueYear: 2027,
      missing: [{ hallId: hallA.id, code: 'CATA', name: '大厅 CATA' }],
    });
    expect((await admin<CalendarStatus>('GET', '/catalog/calendar/status')).json.missing.map((h) => h.code)).toEqual([
      'CATA',
      'CATB',
    ]);
    const empty = await admin<CalendarView>('GET', '/catalog/calendar?year=2027');
    expect(empty.json).toEqual({ year: 2027, hallId: null, days: [], hasCalendar: false });

    // The year pasted and imported, 元旦 given twice: one row of it, the later line's.
    const imported = await admin<CalendarView>('POST', '/catalog/calendar/import', {
      hallId: null,
      year: 2027,
      days: [
        { date: '2027-01-01', name: '元旦假期', workday: false },
        { date: '2027-02-06', name: '春节调休上班', workday: true },
        { date: '2027-01-01', name: '元旦', workday: false },
      ],
    });
    expect(imported.json.days).toEqual([
      { date: '2027-01-01', name: '元旦', workday: false, source: 'all_halls' },
      { date: '2027-02-06', name: '春节调休上班', workday: true, source: 'all_halls' },
    ]);
    // The same day entered again on its own: still one row.
    await admin('POST', '/catalog/calendar/days', {
      hallId: null,
      day: { date: '2027-01-01', name: '元旦', workday: false },
    });
    expect(await refRows('holiday', '2027-01-01')).toEqual([{ hall_id: null, deleted: false }]);
    expect((await hallAdminA<CalendarStatus>('GET', '/catalog/calendar/status')).json.missing).toEqual([]);

    expect(await counter.core.sync.runOnce()).toBe('ok');
    expect((await counter.call('calendar.get', { year: 2027 })).holidays).toEqual(['2027-01-01']);
    const c = await counter.call('case.intake', { ...accept, mutationId: counter.m() });
    // 元旦 is a holiday now: the promise moves from the 6th to Thursday 7 January.
    expect(c).toMatchObject({ state: 'dispatched', promisedDate: '2027-01-07' });
  });

  it('a hall administrator takes a day out for their own hall only; a replacing import makes the list the year', async () => {
    const removed = await hallAdminA<CalendarView>('POST', '/catalog/calendar/days/remove', {
      hallId: hallA.id,
      date: '2027-02-06',
    });
    expect(removed.json).toMatchObject({ hallId: hallA.id, days: [{ date: '2027-01-01', source: 'all_halls' }] });
    expect(
      (await hallAdminB<CalendarView>('GET', `/catalog/calendar?year=2027&scope=${hallB.id}`)).json.days,
    ).toHaveLength(2);
    expect(
      await hallAdminA<ConsoleError>('POST', '/catalog/calendar/days/remove', { hallId: hallA.id, date: '2027-03-01' }),
    ).toEqual({ status: 404, json: expect.objectContaining({ code: 'NOT_FOUND' }) });
    expect(await counter.core.sync.runOnce()).toBe('ok');
    expect((await counter.call('calendar.get', { year: 2027 })).workdays).toEqual([]);

    // 2026 holds the built-in schedule the devices were born with; replaced, only the list stays.
    const before = await admin<CalendarView>('GET', '/catalog/calendar?year=2026');
    expect(before.json.days.every((d) => d.source === 'builtin')).toBe(true);
    const replaced = await admin<CalendarView>('POST', '/catalog/calendar/import', {
      hallId: null,
      year: 2026,
      replace: true,
      days: [{ date: '2026-10-01', name: '国庆节', workday: false }],
    });
    expect(replaced.json.days).toEqual([{ date: '2026-10-01', name: '国庆节', workday: false, source: 'all_halls' }]);
    expect(await counter.core.sync.runOnce()).toBe('ok');
    expect(await counter.call('calendar.get', { year: 2026 })).toEqual({
      year: 2026,
      holidays: ['2026-10-01'],
      workdays: [],
    });
  });

  it('says nothing of next year’s calendar before 1 November', async () => {
    setNow('2027-10-31T02:00:00.000Z');
    expect((await admin<CalendarStatus>('GET', '/catalog/calendar/status')).json).toEqual({
      today: '2027-10-31',
      dueYear: null,
      missing: [],
    });
    setNow('2027-11-01T02:00:00.000Z');
    expect((await admin<CalendarStatus>('GET', '/catalog/calendar/status')).json).toMatchObject({
      dueYear: 2028,
      missing: [{ code: 'CATA' }, { code: 'CATB' }],
    });
  });
});
