import { expect, test } from '@playwright/test';
import type { HallProfile } from '@shared/api';
import {
  byTest,
  editable,
  expectRolePageReady,
  formItemOf,
  getProfile,
  putProfile,
  unique,
  watchPage,
  openAdminPage,
} from './helpers';

// Every test here puts the hall profile back as it found it, so the other spec files see the same hall.
let before: HallProfile;
test.beforeEach(async ({ request }) => {
  before = await getProfile(request);
});
test.afterEach(async ({ request }) => {
  await putProfile(request, editable(before));
});

test('admin saves the profile; an open kiosk updates live; a reload shows the saved values', async ({
  page,
  context,
}) => {
  const kiosk = await context.newPage();
  const kioskWatch = watchPage(kiosk);
  await kiosk.goto('/#/kiosk');
  await expectRolePageReady(kiosk, before.name);
  // A marker that a reload would wipe: the new name must arrive over the socket, not by reloading.
  await kiosk.evaluate(() => ((globalThis as { e2eMarker?: string }).e2eMarker = 'still here'));
  let kioskNavigations = 0;
  kiosk.on('framenavigated', () => (kioskNavigations += 1));

  const adminWatch = watchPage(page);
  await openAdminPage(page, '#/admin');
  await expectRolePageReady(page, before.name);
  await expect(byTest(page, 'field-name')).toHaveValue(before.name);

  const u = unique();
  const next = {
    name: `测试政务服务中心${u}`,
    nameEn: `Test Service Centre ${u}`,
    address: `某某市某某区政务路${u}号`,
    enquiryPhone: '010-12345678',
    trackingUrl: `https://zwfw.example.cn/track/${u}`,
  };
  await byTest(page, 'field-name').fill(next.name);
  await byTest(page, 'field-name-en').fill(next.nameEn);
  await byTest(page, 'field-address').fill(next.address);
  await byTest(page, 'field-phone').fill(next.enquiryPhone);
  await byTest(page, 'field-url').fill(next.trackingUrl);
  await byTest(page, 'save').click();

  await expect(page.locator('.el-message--success')).toHaveText('已保存');
  await expect(byTest(page, 'updated-at')).toContainText('最后修改：');
  await expect(byTest(page, 'hall-name')).toHaveText(next.name);
  await expect(page.locator('.el-form-item__error')).toHaveCount(0);

  // The kiosk hears hall.profile.changed and re-renders without a reload.
  await expect(byTest(kiosk, 'hall-name')).toHaveText(next.name);
  await expect(byTest(kiosk, 'kiosk-welcome')).toHaveText(`欢迎来到${next.name}`);
  await expect(kiosk.locator('.kiosk .phone')).toHaveText(`☎ ${next.enquiryPhone}`);
  expect(await kiosk.evaluate(() => (globalThis as { e2eMarker?: string }).e2eMarker)).toBe('still here');
  expect(kioskNavigations).toBe(0);

  const saved = await getProfile(page.request);
  expect(editable(saved)).toEqual(next);
  expect(saved.updatedAt).not.toBeNull();

  await page.reload();
  await expectRolePageReady(page, next.name);
  await expect(byTest(page, 'field-name')).toHaveValue(next.name);
  await expect(byTest(page, 'field-address')).toHaveValue(next.address);
  await expect(byTest(page, 'field-phone')).toHaveValue(next.enquiryPhone);
  await expect(byTest(page, 'field-url')).toHaveValue(next.trackingUrl);
  await expect(byTest(page, 'updated-at')).toContainText('最后修改：');

  expect(adminWatch.errors).toEqual([]);
  expect(kioskWatch.errors).toEqual([]);
});

test('a hall name with HTML is shown as literal text on the kiosk', async ({ page, context }) => {
  const hostile = '<img src=x onerror=alert(1)>局';
  const kiosk = await context.newPage();
  const kioskWatch = watchPage(kiosk);
  await kiosk.goto('/#/kiosk');
  await expectRolePageReady(kiosk, before.name);

  const adminWatch = watchPage(page);
  await openAdminPage(page, '#/admin');
  await expectRolePageReady(page, before.name);
  await byTest(page, 'field-name').fill(hostile);
  await byTest(page, 'save').click();
  await expect(page.locator('.el-message--success')).toHaveText('已保存');

  const checkLiteral = async () => {
    await expect(byTest(kiosk, 'hall-name')).toHaveText(hostile);
    await expect(byTest(kiosk, 'kiosk-welcome')).toHaveText(`欢迎来到${hostile}`);
    expect(await byTest(kiosk, 'hall-name').innerHTML()).toBe('&lt;img src=x onerror=alert(1)&gt;局');
    await expect(kiosk.locator('img')).toHaveCount(0);
  };
  // Pushed live over the socket, then rendered again from hall.profile.get after a reload.
  await checkLiteral();
  await kiosk.reload();
  await expect(byTest(kiosk, 'connection')).toHaveText('已连接');
  await checkLiteral();
  await expect(byTest(page, 'hall-name')).toHaveText(hostile);
  await expect(page.locator('img')).toHaveCount(0);

  // Give a would-be onerror handler time to run before concluding it did not.
  await kiosk.waitForTimeout(300);
  expect(kioskWatch.dialogs).toEqual([]);
  expect(adminWatch.dialogs).toEqual([]);
  expect(kioskWatch.errors).toEqual([]);
  expect(adminWatch.errors).toEqual([]);
});

const invalidCases = [
  { field: 'field-phone', key: 'enquiryPhone', label: '咨询电话', value: 'abc', says: /phone number|电话/ },
  { field: 'field-url', key: 'trackingUrl', label: '办件查询网址', value: 'ftp://x', says: /http\(s\) URL|网址/ },
] as const;

for (const c of invalidCases) {
  test(`an invalid ${c.key} (${c.value}) shows the error under its field and saves nothing`, async ({
    page,
    request,
  }) => {
    const baseline = await putProfile(request, {
      name: `校验测试大厅${unique()}`,
      address: '某某市政务路1号',
      enquiryPhone: '0571-88888888',
      trackingUrl: 'https://zwfw.example.cn/track',
    });

    await openAdminPage(page, '#/admin');
    await expectRolePageReady(page, baseline.name);
    await expect(byTest(page, c.field)).toHaveValue(baseline[c.key]);
    // Change the name too: a refused save must not store any part of the form.
    await byTest(page, 'field-name').fill(`不应保存${unique()}`);
    await byTest(page, c.field).fill(c.value);
    await byTest(page, 'save').click();

    await expect(page.locator('.el-message--error')).toHaveText('输入内容有误，请检查后重试');
    const item = formItemOf(page, c.field);
    await expect(item.locator('.el-form-item__label')).toHaveText(c.label);
    await expect(item.locator('.el-form-item__error')).toBeVisible();
    // Today the server's own (English) issue text; a translated sentence would match as well.
    await expect(item.locator('.el-form-item__error')).toHaveText(c.says);
    await expect(item).toHaveClass(/is-error/);
    // Only that field is marked.
    await expect(page.locator('.el-form-item__error')).toHaveCount(1);
    await expect(page.locator('.el-message--success')).toHaveCount(0);
    await expect(byTest(page, 'hall-name')).toHaveText(baseline.name);

    expect(await getProfile(request)).toEqual(baseline);

    await page.reload();
    await expectRolePageReady(page, baseline.name);
    await expect(byTest(page, c.field)).toHaveValue(baseline[c.key]);
    await expect(byTest(page, 'field-name')).toHaveValue(baseline.name);
    await expect(page.locator('.el-form-item__error')).toHaveCount(0);
  });
}
