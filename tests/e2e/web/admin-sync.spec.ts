import { expect, test } from '@playwright/test';
import { startCentral, type TestCentral } from '../../fixtures/central-server';
import { byTest, getProfile, expectRolePageReady, watchPage } from './helpers';

// A real central (Fastify + the test PostgreSQL) beside the browser host; the admin page enrolls with it.
let central: TestCentral;
test.beforeAll(async () => {
  central = await startCentral();
});
test.afterAll(async () => {
  await central.stop();
});

test('admin enrolls the device with a one-time code and sees the sync status', async ({ page, request }) => {
  const hall = await central.admin.createHall('E2ESYNC');
  const watch = watchPage(page);
  await page.goto('/#/admin');
  await expectRolePageReady(page, (await getProfile(request)).name);
  const panel = byTest(page, 'sync-panel');
  await expect(panel).toContainText('与中心同步');

  await byTest(page, 'sync-url').fill(central.url);
  await byTest(page, 'sync-code').fill('AAAA-BBBB-CCCC');
  await byTest(page, 'sync-enroll-submit').click();
  await expect(page.getByText('登记码无效、已用或已过期')).toBeVisible();

  await byTest(page, 'sync-code').fill(await central.admin.code(hall.id, 'admin'));
  await byTest(page, 'sync-enroll-submit').click();
  await expect(byTest(page, 'sync-status')).toContainText('E2ESYNC');
  await expect(byTest(page, 'sync-pending')).toHaveText('0');
  await byTest(page, 'sync-now').click();
  await expect(byTest(page, 'sync-status')).not.toContainText('从未');
  const devices = await central.admin.request<{ role: string }[]>('GET', `/admin/v1/halls/${hall.id}/devices`);
  expect(devices.json.map((d) => d.role)).toEqual(['admin']);
  // The refused code is the one failed request the browser reports.
  expect(watch.errors.filter((e) => !e.includes('403 (Forbidden) @') || !e.includes('sync.enroll'))).toEqual([]);
});
