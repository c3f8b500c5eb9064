import net from 'node:net';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutationDefs } from '@shared/sync/mutations';
import { createOutboxStore } from '../../electron/core/store/outbox-store';
import { residentId, startIntakeCore, type IntakeCore } from '../fixtures/intake-core';
import { startCentral, type TestCentral } from '../fixtures/central-server';

const ID_NUMBER = residentId('11010519800101001');
const key = { idType: 'resident_id' as const, idNumber: ID_NUMBER };

/**
 * Two counters in two halls with the real intake, enrolled with a real central on PostgreSQL: what one
 * hall accepts, the other sees; what central decides (case progress, catalog, holidays) reaches the hall.
 */
describe('sync of the intake: two halls and central', () => {
  let central: TestCentral;
  let hallA: { id: string }, hallB: { id: string };
  let a: IntakeCore, b: IntakeCore;
  let caseId: string, caseNumber: string;

  beforeAll(async () => {
    central = await startCentral({ mutations: [...mutationDefs] });
    hallA = await central.admin.createHall('SYNCA');
    hallB = await central.admin.createHall('SYNCB');
    a = await startIntakeCore(undefined, { hallCode: 'SYNCA' });
    b = await startIntakeCore(undefined, { hallCode: 'SYNCB' });
    await a.core.sync.enroll(central.url, await central.admin.code(hallA.id, 'counter'));
    await b.core.sync.enroll(central.url, await central.admin.code(hallB.id, 'counter'));
  });
  afterAll(async () => {
    a.stop();
    b.stop();
    await central.stop();
  });

  // The intake's rows; the audit log's (sign-ins) go out too, and are counted in the identity tests.
  const outbox = (t: IntakeCore) =>
    t.peek
      .prepare("SELECT name, status, result FROM outbox WHERE name <> 'audit.record' ORDER BY write_order")
      .all() as {
      name: string;
      status: string;
      result: string | null;
    }[];
  const caseState = (t: IntakeCore, id: string) =>
    (t.peek.prepare('SELECT state FROM cases WHERE id = ?').get(id) as { state: string }).state;

  it('hall A registers an applicant and accepts a case; after a sync central holds both', async () => {
    const ticket = await a.calledTicket();
    const applicant = await a.call('applicant.register', {
      mutationId: a.m(),
      applicant: { kind: 'person', name: '王五', idType: 'resident_id', idNumber: ID_NUMBER, phone: '13800138000' },
    });
    const c = await a.call('case.intake', {
      mutationId: a.m(),
      counterId: 'w1',
      ticketId: ticket.id,
      applicantId: applicant.id,
      matterCode: 'PSB-001',
      materials: await a.tick('PSB-001'),
      outcome: 'accept',
    });
    caseId = c.id;
    caseNumber = c.caseNumber;
    expect(await a.core.sync.runOnce()).toBe('ok');
    expect(outbox(a).map((o) => [o.name, o.status])).toEqual([
      ['applicant.upsert', 'applied'],
      ['visit.record', 'applied'],
      ['case.create', 'applied'],
    ]);
    const { rows } = await central.pool.query('SELECT status, case_number FROM case_status WHERE case_id = $1', [
      caseId,
    ]);
    expect(rows).toEqual([{ status: 'dispatched', case_number: caseNumber }]);
  });

  it('hall B looks the applicant up by ID: A’s case from all halls, and a local record to serve them', async () => {
    const profile = await b.call('applicant.lookup', key);
    expect(profile?.scope).toBe('all_halls');
    expect(profile?.applicant).toMatchObject({
      name: '王五',
      idMasked: a.peek.prepare('SELECT id_masked FROM applicants').pluck().get(),
    });
    expect(profile?.history.cases).toEqual([]);
    expect(profile?.history.elsewhere).toEqual(
      expect.arrayContaining([
        {
          kind: 'case',
          hallCode: 'SYNCA',
          hallName: '大厅 SYNCA',
          at: expect.any(String),
          caseNumber,
          matterName: '居住证申领',
          state: 'dispatched',
          level: null,
        },
        expect.objectContaining({ kind: 'visit', hallCode: 'SYNCA' }),
      ]),
    );
    // B keeps the applicant (central links its record to the same profile on the next push).
    expect(b.count('applicants')).toBe(1);
    expect(await b.core.sync.runOnce()).toBe('ok');
    const linked = await central.pool.query('SELECT count(DISTINCT profile_id)::int AS n FROM applicant_ids');
    expect(linked.rows[0].n).toBe(1);
    // Hall A's own records are not repeated as "elsewhere" on A.
    const own = await a.call('applicant.lookup', key);
    expect(own?.scope).toBe('all_halls');
    expect(own?.history.cases.map((x) => x.id)).toEqual([caseId]);
    expect(own?.history.elsewhere.filter((e) => e.kind === 'case')).toEqual([]);
  });

  it('a case status put at central reaches hall A: missed steps walked, one case.changed only after commit', async () => {
    const seen: { state: string }[] = [];
    const unsubscribe = a.core.bus.subscribe((name, payload) => {
      // A second connection sees only committed data: the event must not come before the page commits.
      if (name === 'case.changed' && (payload as { caseId: string }).caseId === caseId) {
        seen.push({ state: caseState(a, caseId) });
      }
    });
    try {
      const put = (status: string, at: string) =>
        central.admin.putRef('case.status', caseId, { hallId: hallA.id, data: { caseId, status, at } });
      await put('in_progress', '2026-03-03T02:00:00.000Z');
      await put('completed', '2026-03-04T02:00:00.000Z');
      expect(await a.core.sync.runOnce()).toBe('ok');
      expect(caseState(a, caseId)).toBe('completed');
      expect(seen).toEqual([{ state: 'completed' }]);
      const { events } = await a.call('case.get', { caseId });
      expect(events.slice(-2).map((e) => [e.fromState, e.toState, e.actor])).toEqual([
        ['dispatched', 'in_progress', 'central'],
        ['in_progress', 'completed', 'central'],
      ]);

      // The same status again changes nothing and says nothing; a status the case cannot reach is a
      // conflict: skipped with a warning, and the rows after it still arrive.
      const warnings = a.warnings.length;
      await put('completed', '2026-03-04T03:00:00.000Z');
      expect(await a.core.sync.runOnce()).toBe('ok');
      expect(a.warnings).toHaveLength(warnings);
      await put('dispatched', '2026-03-05T02:00:00.000Z');
      await central.admin.putRef('holiday', '2026-03-10', {
        hallId: hallA.id,
        data: { date: '2026-03-10', workday: false, name: '测试' },
      });
      expect(await a.core.sync.runOnce()).toBe('ok');
      expect(caseState(a, caseId)).toBe('completed');
      expect(a.warnings.slice(warnings)).toEqual([
        expect.objectContaining({ kind: 'case.status', id: caseId, reason: 'CASE_STATUS_CONFLICT' }),
      ]);
      expect(seen).toHaveLength(1);
      expect((await a.call('calendar.get', { year: 2026 }, a.admin)).holidays).toContain('2026-03-10');
      // B is another hall: it never hears of A's case status.
      expect(await b.core.sync.runOnce()).toBe('ok');
      expect(b.count('cases')).toBe(0);
    } finally {
      unsubscribe();
    }
  });

  it('a catalog matter and holidays put at central reach the device and its working-day arithmetic', async () => {
    const days = async () => (await a.call('calendar.addWorkingDays', { from: '2026-03-02', days: 3 }, a.admin)).date;
    expect(await days()).toBe('2026-03-05');
    await central.admin.putRef('catalog.department', 'tax', {
      hallId: null,
      data: { id: 'tax', nameZh: '税务局', nameEn: 'Tax bureau', phone: '' },
    });
    await central.admin.putRef('catalog.matter', 'TAX-900', {
      hallId: hallA.id,
      data: {
        code: 'TAX-900',
        nameZh: '发票申领',
        nameEn: 'Invoice application',
        departmentId: 'tax',
        applicantTypes: ['person'],
        materials: [
          {
            id: 'id-card',
            nameZh: '身份证',
            nameEn: 'ID card',
            requirement: 'required',
            form: 'original',
            copies: 1,
            note: '',
          },
        ],
        feeFen: 0,
        legalDays: 10,
        promisedDays: 5,
        active: true,
      },
    });
    await central.admin.putRef('holiday', '2026-03-03', {
      hallId: null,
      data: { date: '2026-03-03', workday: false, name: '测试假日' },
    });
    expect(await a.core.sync.runOnce()).toBe('ok');
    expect((await a.call('catalog.matters', { query: 'TAX-900' }, a.admin)).map((x) => x.nameZh)).toEqual(['发票申领']);
    expect(await days()).toBe('2026-03-06');

    // A make-up working day on Saturday, then the holiday withdrawn.
    await central.admin.putRef('holiday', '2026-03-07', {
      hallId: null,
      data: { date: '2026-03-07', workday: true, name: '调休' },
    });
    await central.admin.request('POST', '/admin/v1/ref/holiday/2026-03-03/delete', { hallId: null });
    expect(await a.core.sync.runOnce()).toBe('ok');
    expect(await days()).toBe('2026-03-05');
    expect(await a.call('calendar.addWorkingDays', { from: '2026-03-05', days: 2 }, a.admin)).toEqual({
      date: '2026-03-07',
      yearsWithoutCalendar: [],
    });
    // A matter withdrawn at central is no longer offered; its cases keep it.
    await central.admin.request('POST', '/admin/v1/ref/catalog.matter/TAX-900/delete', { hallId: hallA.id });
    expect(await a.core.sync.runOnce()).toBe('ok');
    expect(await a.call('catalog.matters', { query: 'TAX-900' }, a.admin)).toEqual([]);
  });

  it('a matter pulled pages before its department (edited after it) waits for it; central refuses an unknown one', async () => {
    const matter = (code: string, departmentId: string) => ({
      hallId: hallB.id,
      data: {
        code,
        nameZh: '排污许可',
        nameEn: 'Discharge permit',
        departmentId,
        applicantTypes: ['organisation'],
        materials: [
          {
            id: 'licence',
            nameZh: '营业执照',
            nameEn: 'Licence',
            requirement: 'required',
            form: 'copy',
            copies: 1,
            note: '',
          },
        ],
        feeFen: 0,
        legalDays: 20,
        promisedDays: 10,
        active: true,
      },
    });
    const dept = (nameZh: string) => ({ hallId: null, data: { id: 'eco', nameZh, nameEn: 'Ecology', phone: '' } });
    expect(await central.admin.request('PUT', '/admin/v1/ref/catalog.matter/ECO-1', matter('ECO-1', 'eco'))).toEqual({
      status: 409,
      json: { error: 'UNKNOWN_DEPARTMENT' },
    });
    await central.admin.putRef('catalog.department', 'eco', dept('生态环境局'));
    await central.admin.putRef('catalog.matter', 'ECO-1', matter('ECO-1', 'eco'));
    // Edited after the matter: a full download now meets the matter first, one row a page.
    await central.admin.putRef('catalog.department', 'eco', dept('市生态环境局'));

    const matterVersion = (
      await central.pool.query(`SELECT version FROM ref_rows WHERE kind = 'catalog.matter' AND id = 'ECO-1'`)
    ).rows[0].version as number;
    // The network fails on the page after the matter's: the saved cursor must not have passed the matter.
    let failNext = false;
    let failed = false;
    const flakyFetch: typeof fetch = async (input, init) => {
      if (failNext && !failed && String(input).includes('/sync/v1/pull')) {
        failed = true;
        throw new TypeError('fetch failed');
      }
      const res = await fetch(input, init);
      if (String(input).includes('/sync/v1/pull') && (await res.clone().text()).includes('"ECO-1"')) failNext = true;
      return res;
    };
    const c = await startIntakeCore(undefined, {
      hallCode: 'SYNCB',
      syncTiming: { pullPage: 1 },
      syncFetch: flakyFetch,
    });
    const savedVersion = () =>
      Number((c.peek.prepare('SELECT cursor FROM sync_state').pluck().get() as string).split('.')[1] ?? 0);
    try {
      await c.core.sync.enroll(central.url, await central.admin.code(hallB.id, 'counter'));
      expect(await c.core.sync.runOnce()).toBe('failed');
      expect(savedVersion()).toBeLessThan(matterVersion);
      expect(await c.core.sync.runOnce()).toBe('ok');
      expect(savedVersion()).toBeGreaterThan(matterVersion);
      expect((await c.call('catalog.matters', { query: 'ECO-1' }, c.admin)).map((x) => x.departmentId)).toEqual([
        'eco',
      ]);
      expect(c.warnings).toEqual([]);
    } finally {
      c.stop();
    }
  });

  it('central’s rejection of a bad mutation does not hold back the writes after it', async () => {
    const side = new Sqlite(a.dbFile);
    side.pragma('busy_timeout = 5000');
    side
      .transaction(() =>
        createOutboxStore(side).append(
          { name: 'case.create', version: 1, args: { caseId: 'not a case' }, entityId: null },
          new Date(),
        ),
      )
      .immediate();
    side.close();
    await a.call('applicant.register', {
      mutationId: a.m(),
      applicant: { kind: 'person', name: '王五', idType: 'resident_id', idNumber: ID_NUMBER, phone: '13900139000' },
    });
    expect(await a.core.sync.runOnce()).toBe('ok');
    expect(
      outbox(a)
        .slice(-2)
        .map((o) => [o.name, o.status, JSON.parse(o.result ?? 'null')?.reason]),
    ).toEqual([
      ['case.create', 'rejected', 'INVALID_ARGS'],
      ['applicant.upsert', 'applied', undefined],
    ]);
    expect(a.core.sync.status()).toMatchObject({ pendingCount: 0, lastError: null });
    // Hall B sees the newest phone.
    expect((await b.call('applicant.lookup', key))?.history.elsewhere).toBeDefined();
    const { rows } = await central.pool.query('SELECT phone FROM applicant_profiles');
    expect(rows).toEqual([{ phone: '13900139000' }]);
  });

  it('answers with local records within the timeout when central does not answer, and when not enrolled', async () => {
    const silent = net.createServer(() => undefined); // accepts, never answers
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as net.AddressInfo).port;
    const c = await startIntakeCore(undefined, { hallCode: 'SYNCC' });
    try {
      await c.person('11010519800101001', '王五');
      expect((await c.call('applicant.lookup', key))?.scope).toBe('local');
      await c.core.sync.enroll(central.url, await central.admin.code(hallB.id, 'counter'));
      c.peek.prepare(`UPDATE sync_state SET central_url = ?`).run(`http://127.0.0.1:${port}`);
      const started = Date.now();
      const profile = await c.call('applicant.lookup', key);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(profile).toMatchObject({ scope: 'local', history: { elsewhere: [] } });
    } finally {
      c.stop();
      silent.close();
    }
  });
});
