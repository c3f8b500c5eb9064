import { expect, test, type Locator, type Page } from '@playwright/test';
import type { SyncStatus } from '@shared/api';
import type { TestCentral } from '../../../fixtures/central-server';
import { startOwnHost } from '../casework-host';
import { hallTodayAt, screenPath } from '../helpers';
import { HallApi } from '../intake-helpers';
import { byTest, createPerson, expectAccessible, signIn, startConsoleCentral, type Person } from './console-fixture';

/**
 * The central administrator at the console in Chromium, against a real central: a hall with its time zone,
 * an enrolment code that a real hall device (a browser host of its own) enrols with, the device listed and
 * revoked, its next sync refused; staff accounts with a new authenticator shown once.
 */
test.describe.configure({ timeout: 90_000 });

let central: TestCentral;
let admins = 0;
let host: Awaited<ReturnType<typeof startOwnHost>>;
let device: HallApi;

test.beforeAll(async ({ playwright }) => {
  central = await startConsoleCentral();
  host = await startOwnHost(hallTodayAt(10));
  device = new HallApi(await playwright.request.newContext({ baseURL: host.url }));
});
test.afterAll(async () => {
  await host?.stop();
  await central?.stop();
});

/**
 * A central administrator of its own for each test: an authenticator code is accepted once and only within
 * a step of now, so one person signs in a few times a minute at most.
 */
const newAdmin = (): Promise<Person> =>
  createPerson(central, { login: `admin${++admins}.e2e`, name: '中心管理员', roles: ['central_admin'], hallIds: [] });

/** Picks an option of an Element Plus select: opens it, types to filter when asked, clicks the option. */
async function choose(page: Page, select: Locator, option: string, filter?: string) {
  await select.click();
  if (filter) await page.keyboard.type(filter);
  await page.locator('.el-select-dropdown__item:visible', { hasText: option }).first().click();
}

const inside = (scope: Locator, id: string) => scope.locator(`[data-test="${id}"]`);
const hallRow = (page: Page, code: string) => byTest(page, 'halls-table').locator('tr', { hasText: code });

test('an administrator creates a hall with its time zone and changes the zone; each field says what is wrong', async ({
  page,
}) => {
  await signIn(page, central, await newAdmin());
  await byTest(page, 'nav-admin-halls').click();
  await expect(page.locator('h1')).toHaveText('大厅与设备');
  await byTest(page, 'hall-create').click();
  await byTest(page, 'hall-code').fill('e2');
  await byTest(page, 'hall-submit').click();
  const dialog = byTest(page, 'hall-dialog');
  await expect(dialog.getByText('请填写 2–12 位大写字母或数字')).toBeVisible();
  await expect(dialog.getByText('必填')).toBeVisible();
  await page.screenshot({ path: screenPath('console-admin-hall-form-errors') });
  await expectAccessible(page, 'new hall form with errors');

  await byTest(page, 'hall-code').fill('E2EH');
  await byTest(page, 'hall-name').fill('东城政务服务大厅');
  await byTest(page, 'hall-submit').click();
  await expect(hallRow(page, 'E2EH')).toContainText('Asia/Shanghai');

  await byTest(page, 'hall-edit-E2EH').click();
  await choose(page, byTest(page, 'hall-zone'), 'Asia/Urumqi', 'Urumqi');
  await byTest(page, 'hall-submit').click();
  await expect(inside(hallRow(page, 'E2EH'), 'hall-row-zone')).toHaveText('Asia/Urumqi');
  await page.screenshot({ path: screenPath('console-admin-halls'), fullPage: true });
  await expectAccessible(page, 'halls');

  // The same page in English.
  await byTest(page, 'locale-switch').click();
  await expect(page.locator('h1')).toHaveText('Halls and devices');
  await expect(hallRow(page, 'E2EH')).toContainText('Asia/Urumqi');
  await page.screenshot({ path: screenPath('console-admin-halls-en'), fullPage: true });
  await expectAccessible(page, 'halls in English');
  await byTest(page, 'locale-switch').click();
  await expect(page.locator('h1')).toHaveText('大厅与设备');
});

test('a code made at the console enrols a hall device, which is listed, revoked, and then refused at its next sync', async ({
  page,
}) => {
  await signIn(page, central, await newAdmin());
  await byTest(page, 'nav-admin-halls').click();
  await hallRow(page, 'E2EH').getByRole('link').click();
  await expect(byTest(page, 'devices-title')).toContainText('东城政务服务大厅');
  await expect(byTest(page, 'devices-table')).toContainText('本大厅还没有注册设备');

  await byTest(page, 'code-create').click();
  // A leader PC names its leader: this hall has no leader account yet, and the form says so.
  await choose(page, byTest(page, 'code-role'), '领导电脑');
  await expect(byTest(page, 'code-dialog')).toContainText('本大厅还没有可选的领导账号');
  await byTest(page, 'code-submit').click();
  await expect(byTest(page, 'code-dialog')).toContainText('领导电脑须选择一位本大厅已启用的领导');
  await page.screenshot({ path: screenPath('console-admin-leader-code') });
  await expectAccessible(page, 'leader device code without a leader');
  await choose(page, byTest(page, 'code-role'), '窗口电脑');
  await expect(byTest(page, 'code-dialog').locator('.el-form-item__error')).toHaveCount(0);
  await byTest(page, 'code-submit').click();
  const code = (await byTest(page, 'code-value').innerText()).trim();
  expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  await expect(byTest(page, 'code-expires')).not.toBeEmpty();
  // No override chosen: a counter PC is in the government zone.
  await expect(byTest(page, 'code-zone')).toHaveText('政务内网');
  await page.screenshot({ path: screenPath('console-admin-enrolment-code') });
  await expectAccessible(page, 'enrolment code shown once');
  await byTest(page, 'code-done').click();

  // The hall device enrols with the code as its administrator would, and syncs.
  const enrolled = await device.call<SyncStatus>('admin', 'sync.enroll', { centralUrl: central.url, code });
  expect(enrolled.enrolled).toBe(true);
  expect((await device.call<SyncStatus>('admin', 'sync.now', {})).lastError).toBeNull();
  const listed = await central.admin.request<{ id: string; name: string }[]>(
    'GET',
    `/admin/v1/halls/${(await hallId('E2EH'))!}/devices`,
  );
  const name = listed.json.find((d) => d.id === enrolled.deviceId)!.name;

  await page.reload();
  const row = byTest(page, 'devices-table').locator('tr', { hasText: name });
  await expect(inside(row, 'device-status')).toHaveText('在用');
  await expect(row).toContainText('窗口电脑');
  await expect(inside(row, 'device-zone')).toHaveText('政务内网');
  await page.screenshot({ path: screenPath('console-admin-devices'), fullPage: true });
  await expectAccessible(page, 'devices');

  await byTest(page, `device-revoke-${name}`).click();
  const confirm = page.getByRole('dialog', { name: '吊销设备' });
  await expect(confirm).toContainText(name);
  await page.screenshot({ path: screenPath('console-admin-revoke-confirm') });
  await expectAccessible(page, 'revoke confirmation');
  await confirm.getByRole('button', { name: '吊销' }).click();
  await expect(inside(row, 'device-status')).toContainText('已吊销');

  const after = await device.call<SyncStatus>('admin', 'sync.now', {});
  expect(after.lastError).toContain('central refused the device token');
});

test('an administrator creates a person, disables them, and resets a password: the new authenticator is shown once', async ({
  page,
}) => {
  await signIn(page, central, await newAdmin());
  await byTest(page, 'nav-admin-staff').click();
  await expect(page.locator('h1')).toHaveText('人员与角色');
  await byTest(page, 'staff-create').click();
  const dialog = byTest(page, 'staff-dialog');
  await byTest(page, 'staff-login').fill('X');
  await byTest(page, 'staff-submit').click();
  await expect(dialog.getByText('请填写 2–32 位小写字母、数字、点、短横线或下划线')).toBeVisible();
  await expect(dialog.getByText('请至少选择一个角色')).toBeVisible();

  await byTest(page, 'staff-login').fill('sup.e2e');
  await byTest(page, 'staff-name').fill('周督查');
  await choose(page, byTest(page, 'staff-roles'), '督查（值班长）');
  await dialog.locator('.el-dialog__title').click();
  await expect(page.locator('.el-select-dropdown:visible')).toHaveCount(0);
  // Each message went as its field was put right.
  await expect(dialog.locator('.el-form-item__error')).toHaveCount(0);
  // The only hall there is comes chosen.
  await expect(byTest(page, 'staff-halls')).toContainText('东城政务服务大厅（E2EH）');
  await page.screenshot({ path: screenPath('console-admin-staff-form') });
  await expectAccessible(page, 'new person form');
  await byTest(page, 'staff-submit').click();
  const row = byTest(page, 'staff-table').locator('tr', { hasText: 'sup.e2e' });
  await expect(row).toContainText('东城政务服务大厅');

  await byTest(page, 'staff-more-sup.e2e').click();
  await page.locator('[data-test="staff-reset-password"]:visible').click();
  await byTest(page, 'secret-password').fill('short');
  await byTest(page, 'secret-submit').click();
  await expect(byTest(page, 'secret-dialog').getByText('密码至少 10 位，须含字母和数字')).toBeVisible();
  await byTest(page, 'secret-password').fill('Tong-2026-abcd');
  await byTest(page, 'secret-submit').click();
  await expect(byTest(page, 'secret-totp')).toHaveText(/^[A-Z2-7]{32}$/);
  await expect(byTest(page, 'secret-uri')).toContainText('otpauth://totp/');
  await page.screenshot({ path: screenPath('console-admin-totp-once') });
  await expectAccessible(page, 'new authenticator shown once');
  await byTest(page, 'secret-done').click();

  await byTest(page, 'staff-toggle-sup.e2e').click();
  await page.getByRole('dialog', { name: '停用人员' }).getByRole('button', { name: '停用' }).click();
  await expect(inside(row, 'staff-row-enabled')).toHaveText('停用');
  await expect(byTest(page, 'staff-table').locator('.el-loading-mask')).toBeHidden();
  await page.screenshot({ path: screenPath('console-admin-staff'), fullPage: true });
  await expectAccessible(page, 'staff');
});

async function hallId(code: string) {
  const halls = await central.admin.request<{ id: string; code: string }[]>('GET', '/admin/v1/halls');
  return halls.json.find((h) => h.code === code)?.id;
}
