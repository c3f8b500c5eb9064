import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditAlarmList, ConsoleAuditAlarm } from '@shared/console/audit-alarms';
import { consoleClient, type ConsoleClient } from '../fixtures/central-console';
import { consoleSession } from '../fixtures/central-identity';
import { auditedDevice, staffHead } from '../fixtures/audit-alarm-device';
import { startCentral, type TestCentral } from '../fixtures/central-server';

/**
 * The console's audit alarms: central's administrators see what the push-time anchoring found, unacknowledged
 * first, and acknowledge each with a note; the acknowledgement is kept once (the second of two is refused
 * with the first) and goes into central's admin audit. Nobody else sees or closes them.
 */
describe('audit alarms at the console', () => {
  let central: TestCentral;
  let admin: ConsoleClient, otherAdmin: ConsoleClient, handler: ConsoleClient, hallAdmin: ConsoleClient;
  let hallId: string;
  let deviceId: string;
  const list = async (c: ConsoleClient = admin) => (await c<AuditAlarmList>('GET', '/audit-alarms')).json;
  const ack = (id: string, note: unknown, c: ConsoleClient = admin) =>
    c<ConsoleAuditAlarm & { code?: string; fields?: Record<string, string>; alarm?: ConsoleAuditAlarm }>(
      'POST',
      `/audit-alarms/${id}/ack`,
      { note },
    );

  beforeAll(async () => {
    central = await startCentral();
    hallId = (await central.admin.createHall('AUDA')).id;
    const token = central.adminSession.token;
    const session = (p: Parameters<typeof consoleSession>[2]) =>
      consoleSession(central.url, token, p).then((s) => consoleClient(central.url, s.token));
    admin = await session({ login: 'ca.one', name: '管理员甲', roles: ['central_admin'] });
    otherAdmin = await session({ login: 'ca.two', name: '管理员乙', roles: ['central_admin'] });
    hallAdmin = await session({ login: 'ha.auda', roles: ['hall_admin'], hallIds: [hallId] });
    await central.admin.putRef('catalog.department', 'psb', {
      hallId: null,
      data: { id: 'psb', nameZh: '公安局', nameEn: 'psb', phone: '' },
    });
    handler = await session({ login: 'dh.psb', roles: ['department_handler'], departmentIds: ['psb'] });

    // A chain anchored at row 3, then the same row 3 with another content: rewritten on the device.
    const device = await auditedDevice(central, hallId, '一号窗口');
    deviceId = device.deviceId;
    expect(await device.push(staffHead(3, 'row 3'))).toEqual([]);
    expect(await device.push(staffHead(3, 'row 3 changed'))).toEqual([
      expect.objectContaining({ chain: 'staff', kind: 'REWRITTEN' }),
    ]);
    // Then cut short: a second, newer alarm.
    expect(await device.push(staffHead(1, 'row 1'))).toEqual([expect.objectContaining({ kind: 'TRUNCATED' })]);
  }, 60_000);
  afterAll(async () => central?.stop());

  it('lists the alarms with hall, device, chain and finding, newest first, all unacknowledged', async () => {
    const l = await list();
    expect(l.unacknowledged).toBe(2);
    expect(l.items.map((a) => a.kind)).toEqual(['TRUNCATED', 'REWRITTEN']);
    expect(l.items[1]).toMatchObject({
      hallId,
      hallName: expect.any(String),
      deviceId,
      deviceName: '一号窗口',
      deviceRole: 'counter',
      chain: 'staff',
      headSeq: 3,
      anchoredSeq: 3,
      reason: expect.stringMatching(/row 3/),
      ack: null,
    });
    expect((await admin<{ unacknowledged: number }>('GET', '/audit-alarms/count')).json).toEqual({
      unacknowledged: 2,
    });
  });

  it('refuses everyone but central administrators: a department handler and a hall administrator get 403', async () => {
    const [id] = (await list()).items.map((a) => a.id);
    for (const c of [handler, hallAdmin]) {
      expect((await c('GET', '/audit-alarms')).status).toBe(403);
      expect((await c('GET', '/audit-alarms/count')).status).toBe(403);
      const r = await ack(id!, '已核实', c);
      expect(r.status).toBe(403);
      expect(r.json.code).toBe('FORBIDDEN');
    }
    expect((await list()).unacknowledged).toBe(2);
  });

  it('refuses a bad note with a typed 400 naming the field, and writes nothing', async () => {
    const [id] = (await list()).items.map((a) => a.id);
    for (const note of ['', '   ', 'x', 'a'.repeat(501), 'bell\u0007', 42, null]) {
      const r = await ack(id!, note);
      expect(r.status, JSON.stringify(note)).toBe(400);
      expect(r.json.code).toBe('INVALID_INPUT');
      expect(Object.keys(r.json.fields ?? {})).toEqual(['note']);
    }
    const extra = await admin<{ code: string }>('POST', `/audit-alarms/${id}/ack`, { note: '已核实', by: 'x' });
    expect(extra.status).toBe(400);
    expect((await admin<{ code: string }>('POST', '/audit-alarms/abc/ack', { note: '已核实' })).status).toBe(400);
    expect((await admin<{ code: string }>('POST', '/audit-alarms/999999/ack', { note: '已核实' })).json.code).toBe(
      'NOT_FOUND',
    );
    const { rows } = await central.pool.query('SELECT count(*)::int AS n FROM audit_alarm_acks');
    expect(rows[0]).toEqual({ n: 0 });
  });

  it('acknowledges once: who, when and the note are kept and audited; a second acknowledgement is a conflict', async () => {
    const target = (await list()).items.find((a) => a.kind === 'REWRITTEN')!;
    // Two administrators at once: exactly one wins, the other is told who did.
    const [a, b] = await Promise.all([
      ack(target.id, '  设备重装后日志被覆盖，已与大厅核实  '),
      ack(target.id, '另一位管理员的说明', otherAdmin),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const [won, lost] = a.status === 200 ? [a, b] : [b, a];
    expect(lost.json.code).toBe('AUDIT_ALARM_ALREADY_ACKNOWLEDGED');
    expect(lost.json.alarm?.ack).toEqual(won.json.ack);
    expect(won.json.ack).toMatchObject({ login: expect.stringMatching(/^ca\./), at: expect.any(String) });

    // And once more, later: still a conflict, nothing changes.
    const again = await ack(target.id, '再次确认');
    expect(again.status).toBe(409);
    expect(again.json.alarm?.ack).toEqual(won.json.ack);

    const l = await list();
    expect(l.unacknowledged).toBe(1);
    expect(l.items.map((x) => [x.kind, x.ack === null])).toEqual([
      ['TRUNCATED', true],
      ['REWRITTEN', false],
    ]);
    const audit = await central.pool.query(
      `SELECT login, action, entity, hall_id AS "hallId", after FROM admin_audit WHERE action = 'audit_alarm_ack'`,
    );
    expect(audit.rows).toEqual([
      {
        login: won.json.ack!.login,
        action: 'audit_alarm_ack',
        entity: `audit_alarm:${target.id}`,
        hallId,
        after: { note: won.json.ack!.note },
      },
    ]);
    // The acknowledgement is evidence too.
    await expect(central.pool.query('DELETE FROM audit_alarm_acks')).rejects.toThrow(/append-only/);
  });

  it('puts an alarm acknowledged earlier behind a newer unacknowledged one', async () => {
    const truncated = (await list()).items.find((a) => a.kind === 'TRUNCATED')!;
    expect((await ack(truncated.id, '已核实：误操作恢复备份')).status).toBe(200);
    const device = await auditedDevice(central, hallId, '二号窗口');
    await device.push(staffHead(5, 'r5'));
    await device.push(staffHead(5, 'r5', 2));
    const l = await list();
    expect(l.unacknowledged).toBe(1);
    expect(l.items[0]).toMatchObject({ kind: 'REKEYED', deviceName: '二号窗口', ack: null });
  });
});
