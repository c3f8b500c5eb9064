import { expect, test } from '@playwright/test';
import { mutationDefs } from '@shared/sync/mutations';
import { auditedDevice, staffHead } from '../../../fixtures/audit-alarm-device';
import { consoleClient } from '../../../fixtures/central-console';
import { consoleSession } from '../../../fixtures/central-identity';
import { testNote } from '../../../fixtures/central-mutations';
import { startCentral, type TestCentral } from '../../../fixtures/central-server';
import { screenPath } from '../helpers';
import { byTest, CONSOLE_DIR, createPerson, expectAccessible, signIn } from './console-fixture';

/**
 * A central administrator at the console: a counter's push whose audit chain head contradicts the one it
 * pushed before (its rows rewritten) raises an alarm; the navigation counts it, the page lists it, and the
 * administrator acknowledges it with a note, after which the count drops.
 */
test.describe.configure({ timeout: 90_000 });

let central: TestCentral;

test.beforeAll(async () => {
  central = await startCentral({
    mutations: [...mutationDefs, testNote],
    consoleDir: CONSOLE_DIR,
    casework: { escalation: false },
  });
});
test.afterAll(async () => central?.stop());

test('the administrator sees an audit alarm raised by a push and acknowledges it', async ({ page }) => {
  const hall = await central.admin.createHall('AUDE');
  const device = await auditedDevice(central, hall.id, '三号窗口');
  expect(await device.push(staffHead(4, 'row 4'))).toEqual([]);
  expect(await device.push(staffHead(4, 'row 4, rewritten'))).toEqual([expect.objectContaining({ kind: 'REWRITTEN' })]);
  const admin = await createPerson(central, {
    login: 'ca.audit',
    name: '中心管理员',
    roles: ['central_admin'],
    hallIds: [],
  });

  await signIn(page, central, admin);
  await expect(byTest(page, 'nav-badge-audit-alarms')).toHaveText('1');
  await byTest(page, 'nav-audit-alarms').click();
  await expect(page.locator('h1')).toHaveText('审计告警');
  const table = byTest(page, 'audit-alarms-table');
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await expect(byTest(page, 'alarm-kind')).toHaveText('记录被改写');
  await expect(byTest(page, 'alarm-status')).toHaveText('未确认');
  await expect(table).toContainText('三号窗口');
  await expect(table).toContainText('窗口电脑');
  await expect(byTest(page, 'alarm-detail')).toContainText('第 4 条记录与中心此前收到的不一致');
  await page.screenshot({ path: screenPath('console-audit-alarms'), fullPage: true });

  // The note is required: an empty one is refused beside the field, nothing is sent.
  await byTest(page, 'alarm-acknowledge').click();
  await byTest(page, 'alarm-ack-submit').click();
  await expect(byTest(page, 'alarm-ack-dialog')).toContainText('请填写处理说明（2–500 字）');
  await expectAccessible(page, 'audit alarm acknowledgement with a field error');
  await page.screenshot({ path: screenPath('console-audit-alarm-ack') });
  await byTest(page, 'alarm-ack-note-input').fill('与大厅核实：设备被重装，已要求说明');
  await byTest(page, 'alarm-ack-submit').click();

  await expect(byTest(page, 'alarm-status')).toHaveText('已确认');
  await expect(byTest(page, 'alarm-ack-note')).toHaveText('与大厅核实：设备被重装，已要求说明');
  await expect(byTest(page, 'alarm-ack-by')).toContainText('中心管理员（ca.audit）');
  await expect(byTest(page, 'nav-badge-audit-alarms')).toHaveCount(0);
  await page.screenshot({ path: screenPath('console-audit-alarms-acknowledged'), fullPage: true });
  const { rows } = await central.pool.query(`SELECT login, note FROM audit_alarm_acks`);
  expect(rows).toEqual([{ login: 'ca.audit', note: '与大厅核实：设备被重装，已要求说明' }]);
});

test('a second administrator who acknowledges an alarm already acknowledged is told who did, and why', async ({
  page,
}) => {
  const hall = await central.admin.createHall('AUDF');
  const device = await auditedDevice(central, hall.id, '四号窗口');
  await device.push(staffHead(6, 'row 6'));
  expect(await device.push(staffHead(2, 'row 2'))).toEqual([expect.objectContaining({ kind: 'TRUNCATED' })]);
  const first = await consoleSession(central.url, central.adminSession.token, {
    login: 'ca.first',
    name: '管理员甲',
    roles: ['central_admin'],
  });
  const admin = await createPerson(central, {
    login: 'ca.second',
    name: '管理员乙',
    roles: ['central_admin'],
    hallIds: [],
  });

  await signIn(page, central, admin, '/console/audit-alarms');
  const row = byTest(page, 'audit-alarms-table').locator('tbody tr', { hasText: '四号窗口' });
  await expect(row).toContainText('链被截断');
  await row.locator('[data-test="alarm-acknowledge"]').click();
  await byTest(page, 'alarm-ack-note-input').fill('我也核实过了');

  // 管理员甲 acknowledges it while the dialog is open.
  const { id } = (
    await consoleClient(central.url, first.token)<{ items: { id: string; deviceName: string }[] }>(
      'GET',
      '/audit-alarms',
    )
  ).json.items.find((a) => a.deviceName === '四号窗口')!;
  const acked = await consoleClient(central.url, first.token)('POST', `/audit-alarms/${id}/ack`, {
    note: '大厅已恢复备份，记录在案',
  });
  expect(acked.status).toBe(200);

  await byTest(page, 'alarm-ack-submit').click();
  await expect(page.locator('.el-message--warning')).toContainText('管理员甲（ca.first）');
  await expect(page.locator('.el-message--warning')).toContainText('大厅已恢复备份，记录在案');
  await expect(byTest(page, 'alarm-ack-dialog')).toBeHidden();
  await expect(row.locator('[data-test="alarm-ack-note"]')).toHaveText('大厅已恢复备份，记录在案');
  await expect(row.locator('[data-test="alarm-status"]')).toHaveText('已确认');
  const { rows } = await central.pool.query(`SELECT login FROM audit_alarm_acks WHERE alarm_id = $1`, [id]);
  expect(rows).toEqual([{ login: 'ca.first' }]);
});
