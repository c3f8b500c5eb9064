import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEADER_FILE_MAX_BYTES } from '@shared/api/methods/leader';
import type {
  OfficeBriefing,
  OfficeFile,
  OfficeLeader,
  OfficeSchedule,
  ScheduleConflict,
} from '@shared/console/office';
import type { ConsoleError } from '@shared/console/session';
import { mutationDefs } from '@shared/sync/mutations';
import { leaderIdOf } from '../../central/src/office/leader-id';
import { OFFICE_FILE_BODY_LIMIT } from '../../central/src/office/office-routes';
import { consoleClient, type ConsoleClient } from '../fixtures/central-console';
import { consoleSession } from '../fixtures/central-identity';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { PDF_BYTES, PNG_BYTES, callerOf, startLeaderCore } from '../fixtures/leader-core';

const admin = callerOf('admin');
const pane = callerOf('leader');
/** The leader core's clock stands on Monday 11 May 2026, 09:00 in Shanghai. */
const week = { from: '2026-05-10T16:00:00.000Z', to: '2026-05-17T16:00:00.000Z' };
const at = (day: number, time: string) => `2026-05-${String(day).padStart(2, '0')}T${time}:00+08:00`;
const meeting = (title: string, start: string, end: string) => ({
  title,
  kind: 'meeting' as const,
  start,
  end,
  location: '三楼第一会议室',
  attendees: ['李明', '王芳'],
  notes: '请准备材料',
});
const b64 = (bytes: Buffer) => bytes.toString('base64');
/** A PDF of exactly `size` bytes. */
const pdfOf = (size: number) => Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(size - 9, 0x20)]);

interface PaneSchedule {
  id: string;
  title: string;
  start: string;
  end: string;
}

/**
 * The leader's office at the console against a real central on PostgreSQL and a real leader core enrolled
 * for the leader: what the office writes reaches the pane after a pull, and what the leader does with it
 * comes back to the office's answer.
 */
describe('the leader’s office at the console', () => {
  let central: TestCentral;
  let hallId: string;
  let leaderStaffId: string;
  let leaderId: string;
  let office: ConsoleClient, centralAdmin: ConsoleClient, supervisor: ConsoleClient, leaderHimself: ConsoleClient;
  let officeStaffId: string;
  let t: Awaited<ReturnType<typeof startLeaderCore>>;
  const path = (p: string) => `/office/leaders/${leaderStaffId}${p}`;
  const sync = async () => expect(await t.core.sync.runOnce()).toBe('ok');
  const paneSchedule = () => t.value<PaneSchedule[]>(pane, 'leader.schedule.list', week);

  beforeAll(async () => {
    central = await startCentral({ mutations: [...mutationDefs], casework: { escalation: false } });
    hallId = (await central.admin.createHall('OFFICE1')).id;
    const token = central.adminSession.token;
    const leader = await consoleSession(central.url, token, {
      login: 'wang.juzhang',
      name: '王局长',
      roles: ['leader'],
      hallIds: [hallId],
    });
    leaderStaffId = leader.staffId;
    leaderHimself = consoleClient(central.url, leader.token);
    const o = await consoleSession(central.url, token, {
      login: 'office1',
      name: '办公室秘书',
      roles: ['leader_office'],
    });
    officeStaffId = o.staffId;
    office = consoleClient(central.url, o.token);
    centralAdmin = consoleClient(central.url, token);
    supervisor = consoleClient(
      central.url,
      (await consoleSession(central.url, token, { login: 'sup1', roles: ['supervisor'], hallIds: [hallId] })).token,
    );

    // The leader's PC: enrolled with central for this leader (the id the office names), with the leader's account.
    leaderId = leaderIdOf(leaderStaffId);
    t = await startLeaderCore();
    await t.value(admin, 'sync.enroll', {
      centralUrl: central.url,
      code: await central.admin.code(hallId, 'leader', leaderId),
    });
    expect((await t.enrol()).leaderId).toBe(leaderId);
    await sync();
    expect(await t.login()).toMatchObject({ ok: true });
  }, 120_000);
  afterAll(async () => {
    t?.stop();
    await central?.stop();
  });

  it('lists the leaders with the id their devices are enrolled for, their halls and devices', async () => {
    for (const client of [office, centralAdmin]) {
      const leaders = await client<OfficeLeader[]>('GET', '/office/leaders');
      expect(leaders.status).toBe(200);
      expect(leaders.json).toEqual([
        expect.objectContaining({
          staffId: leaderStaffId,
          leaderId,
          name: '王局长',
          enabled: true,
          halls: [expect.objectContaining({ id: hallId, code: 'OFFICE1' })],
          devices: 1,
          timeZone: 'Asia/Shanghai',
        }),
      ]);
    }
  });

  it('sends a schedule to the pane; a move and a cancellation reach it; overlaps warn unless overridden', async () => {
    const first = await office<OfficeSchedule>(
      'POST',
      path('/schedules'),
      meeting('常务会议 OFFICE-MEETING-3310', at(11, '09:00'), at(11, '10:30')),
    );
    expect(first.status, JSON.stringify(first.json)).toBe(201);
    expect(first.json).toMatchObject({ version: 1, cancelled: false, createdBy: '办公室秘书', conflictsWith: [] });
    await sync();
    const seen = (await paneSchedule()).find((s) => s.id === first.json.id);
    expect(seen).toMatchObject({ title: '常务会议 OFFICE-MEETING-3310', location: '三楼第一会议室' });
    expect(Date.parse(seen!.start)).toBe(Date.parse(at(11, '09:00')));

    // An overlapping visit: a warning naming the meeting, saved only when the person says so.
    const visit = { ...meeting('调研政务服务中心', at(11, '10:00'), at(11, '11:00')), kind: 'visit' as const };
    const warned = await office<ScheduleConflict>('POST', path('/schedules'), visit);
    expect(warned.status).toBe(409);
    expect(warned.json).toMatchObject({
      code: 'SCHEDULE_CONFLICT',
      conflicts: [{ id: first.json.id, title: '常务会议 OFFICE-MEETING-3310' }],
    });
    const second = await office<OfficeSchedule>('POST', path('/schedules'), { ...visit, allowConflict: true });
    expect(second.status).toBe(201);
    expect(second.json.conflictsWith).toEqual([first.json.id]);
    const listed = await office<OfficeSchedule[]>('GET', `${path('/schedules')}?from=${week.from}&to=${week.to}`);
    expect(listed.json.map((s) => [s.id, s.conflictsWith])).toEqual([
      [first.json.id, [second.json.id]],
      [second.json.id, [first.json.id]],
    ]);

    // Moved to the afternoon: no more conflict, and the pane shows the new time.
    const moved = await office<OfficeSchedule>('POST', path(`/schedules/${first.json.id}`), {
      ...meeting('常务会议 OFFICE-MEETING-3310', at(11, '14:00'), at(11, '15:30')),
      version: 1,
    });
    expect(moved.status, JSON.stringify(moved.json)).toBe(200);
    expect(moved.json).toMatchObject({ version: 2, conflictsWith: [] });
    await sync();
    const afterMove = (await paneSchedule()).find((s) => s.id === first.json.id)!;
    expect(Date.parse(afterMove.start)).toBe(Date.parse(at(11, '14:00')));

    // A change from a stale page is refused; the cancellation from the current one reaches the pane.
    const stale = await office<ConsoleError>('POST', path(`/schedules/${first.json.id}/cancel`), { version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.json.code).toBe('ITEM_CHANGED');
    const cancelled = await office<OfficeSchedule>('POST', path(`/schedules/${first.json.id}/cancel`), { version: 2 });
    expect(cancelled.json).toMatchObject({ cancelled: true, version: 3 });
    await sync();
    expect((await paneSchedule()).map((s) => s.id)).toEqual([second.json.id]);
    const again = await office<ConsoleError>('POST', path(`/schedules/${first.json.id}`), {
      ...meeting('常务会议', at(12, '09:00'), at(12, '10:00')),
      version: 3,
    });
    expect(again.json.code).toBe('ITEM_CANCELLED');
    // The office still sees what it cancelled.
    const later = await office<OfficeSchedule[]>('GET', `${path('/schedules')}?from=${week.from}&to=${week.to}`);
    expect(later.json.find((s) => s.id === first.json.id)).toMatchObject({ cancelled: true, updatedBy: '办公室秘书' });

    // Every row written is in the admin audit, as the office's person, without the content.
    const { rows } = await central.pool.query<{ staff_id: string; after: unknown }>(
      `SELECT staff_id, after FROM admin_audit WHERE entity = $1 ORDER BY id`,
      [`ref:leader.schedule:${first.json.id}`],
    );
    expect(rows).toEqual([
      { staff_id: officeStaffId, after: { deleted: false } },
      { staff_id: officeStaffId, after: { deleted: false } },
      { staff_id: officeStaffId, after: { deleted: true } },
    ]);
  });

  it('sends a briefing and a file; the leader’s read, 批示 and approval come back beside them', async () => {
    const briefing = await office<OfficeBriefing>('POST', path('/briefings'), {
      kind: 'briefing',
      title: '一季度营商环境简报',
      priority: 'important',
      body: '一、总体情况\n新设市场主体同比增长。\n\n二、下一步工作',
    });
    expect(briefing.status, JSON.stringify(briefing.json)).toBe(201);
    const file = await centralAdmin<OfficeFile>('POST', path('/files'), {
      name: '专项督查通报.pdf',
      mime: 'application/pdf',
      classification: 'top_secret',
      dataBase64: b64(PDF_BYTES),
    });
    expect(file.status, JSON.stringify(file.json)).toBe(201);
    expect(file.json).toMatchObject({ size: PDF_BYTES.length, classification: 'top_secret', mime: 'application/pdf' });
    await sync();

    const opened = await t.value<{ body: string; read: boolean }>(pane, 'leader.briefing.open', {
      id: briefing.json.id,
    });
    expect(opened).toMatchObject({ body: '一、总体情况\n新设市场主体同比增长。\n\n二、下一步工作', read: false });
    const viewed = await t.value<{ dataBase64: string; classification: string }>(pane, 'leader.file.view', {
      id: file.json.id,
    });
    expect(Buffer.from(viewed.dataBase64, 'base64')).toEqual(PDF_BYTES);
    expect(viewed.classification).toBe('top_secret');

    const act = (targetId: string, action: string, comment?: string) =>
      t.value(pane, 'leader.action', { mutationId: crypto.randomUUID(), targetId, action, comment });
    await act(briefing.json.id, 'read');
    await act(file.json.id, 'read');
    await act(file.json.id, 'comment', '请抓紧落实整改');
    await act(file.json.id, 'approve');
    await sync();

    const briefings = await office<OfficeBriefing[]>('GET', path('/briefings'));
    expect(briefings.json.find((b) => b.id === briefing.json.id)!.response).toMatchObject({
      readAt: expect.any(String),
      approvedAt: null,
      comments: [],
    });
    const files = await office<OfficeFile[]>('GET', path('/files'));
    expect(files.json.find((f) => f.id === file.json.id)!.response).toMatchObject({
      readAt: expect.any(String),
      approvedAt: expect.any(String),
      comments: [{ comment: '请抓紧落实整改', at: expect.any(String) }],
    });

    // An edit reaches the pane in place (its read mark stays the leader's); a withdrawn file leaves it.
    const edited = await office<OfficeBriefing>('POST', path(`/briefings/${briefing.json.id}`), {
      kind: 'briefing',
      title: '一季度营商环境简报（修订）',
      priority: 'urgent',
      body: '修订后的正文',
      version: 1,
    });
    expect(edited.json).toMatchObject({ version: 2, publishedAt: briefing.json.publishedAt });
    const withdrawn = await office<OfficeFile>('POST', path(`/files/${file.json.id}/withdraw`), { version: 1 });
    expect(withdrawn.json.cancelled).toBe(true);
    await sync();
    const list = await t.value<{ id: string; title: string; read: boolean }[]>(pane, 'leader.briefing.list', {});
    expect(list.find((b) => b.id === briefing.json.id)).toMatchObject({
      title: '一季度营商环境简报（修订）',
      read: true,
    });
    expect((await t.value<{ id: string }[]>(pane, 'leader.file.list', {})).map((f) => f.id)).not.toContain(
      file.json.id,
    );
  });

  it('refuses every other role, even the leader, before reading an upload', async () => {
    for (const client of [supervisor, leaderHimself]) {
      expect((await client('GET', '/office/leaders')).status).toBe(403);
      const upload = await client<ConsoleError>('POST', path('/files'), {
        name: 'a.pdf',
        mime: 'application/pdf',
        classification: 'internal',
        dataBase64: b64(PDF_BYTES),
      });
      expect(upload.status).toBe(403);
      expect(upload.json.code).toBe('FORBIDDEN');
    }
    expect((await consoleClient(central.url, 'not-a-session')('GET', '/office/leaders')).status).toBe(401);
  });

  it('refuses bad fields with a message per field, and a leader that is not one', async () => {
    const bad = await office<ConsoleError>('POST', path('/schedules'), {
      ...meeting('', at(13, '10:00'), at(13, '09:00')),
      kind: 'party',
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.json.fields ?? {}).sort()).toEqual(['kind', 'title']);
    const backwards = await office<ConsoleError>(
      'POST',
      path('/schedules'),
      meeting('会', at(13, '10:00'), at(13, '09:00')),
    );
    expect(backwards.json.fields).toEqual({ end: 'must end after it starts' });
    const markup = await office<ConsoleError>('POST', path('/briefings'), {
      kind: 'report',
      title: '报告',
      priority: 'normal',
      body: '<b>重要</b>',
    });
    expect(markup.json.fields?.body).toMatch(/plain text/);
    const range = await office<ConsoleError>('GET', `${path('/schedules')}?from=${week.to}&to=${week.from}`);
    expect(range.json.fields).toEqual({ to: 'must be after from' });
    // Not a leader, nobody at all, not an item id.
    expect((await office('GET', `/office/leaders/${officeStaffId}/briefings`)).status).toBe(404);
    expect((await office('GET', '/office/leaders/s-nobody/files')).status).toBe(404);
    expect((await office('POST', path('/files/not-a-uuid/withdraw'), { version: 1 })).status).toBe(400);
    expect((await office('POST', path(`/files/${crypto.randomUUID()}/withdraw`), { version: 1 })).status).toBe(404);
  });

  it('judges a file by its bytes and its size: 20 MiB fits, a byte more or a bigger body does not', async () => {
    const upload = (name: string, mime: string, bytes: Buffer | string) =>
      office<ConsoleError & OfficeFile>('POST', path('/files'), {
        name,
        mime,
        classification: 'secret',
        dataBase64: typeof bytes === 'string' ? bytes : b64(bytes),
      });
    const png = await upload('会议纪要.pdf', 'application/pdf', PNG_BYTES);
    expect(png.status).toBe(400);
    expect(png.json.fields?.dataBase64).toMatch(/its content is image\/png/);
    const exe = await upload(
      '照片.jpg',
      'image/jpeg',
      Buffer.from('MZ\x90\x00\x03 This program cannot be run in DOS mode'),
    );
    expect(exe.status).toBe(400);
    expect(exe.json.fields?.dataBase64).toMatch(/not a PDF, PNG or JPEG/);

    const largest = await upload('最大.pdf', 'application/pdf', pdfOf(LEADER_FILE_MAX_BYTES));
    expect(largest.status).toBe(201);
    expect(largest.json.size).toBe(LEADER_FILE_MAX_BYTES);
    // A byte more still fits the body (base64 rounds up), and the schema refuses it with the reason.
    const byteMore = await upload('大一字节.pdf', 'application/pdf', pdfOf(LEADER_FILE_MAX_BYTES + 1));
    expect(byteMore.status).toBe(400);
    expect(byteMore.json.fields?.dataBase64).toMatch(/larger than 20 MiB/);
    const bigger = await upload('太大.pdf', 'application/pdf', `JVBERi0${'A'.repeat(OFFICE_FILE_BODY_LIMIT)}`);
    expect(bigger.status).toBe(413);
    expect(bigger.json).toMatchObject({
      code: 'FILE_TOO_LARGE',
      fields: { dataBase64: expect.stringMatching(/20 MiB/) },
    });
    // Nothing of the refused uploads was stored.
    const names = (await office<OfficeFile[]>('GET', path('/files'))).json.map((f) => f.name);
    expect(names).not.toContain('会议纪要.pdf');
    expect(names).not.toContain('大一字节.pdf');
    expect(names).toContain('最大.pdf');
  }, 120_000);
});
