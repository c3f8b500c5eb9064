import { expect, test } from '@playwright/test';
import { DEFAULT_HALL_NAME, byTest, expectRolePageReady, getProfile, openAdminPage } from './helpers';

/**
 * A device whose disk is full answers UNAVAILABLE with the reason DISK_FULL (electron/core/api/dispatch.ts).
 * Filling the host's disk is the reliability tests' job; here the answer is played to the page, which
 * must say what to do about it rather than "try again shortly".
 */
test('a save refused for a full disk says so and asks for space', async ({ page, request }) => {
  const hallName = (await getProfile(request)).name || DEFAULT_HALL_NAME;
  await page.route('**/api/v1/call/hall.profile.update', (route) =>
    route.fulfill({
      status: 503,
      contentType: 'application/json',
      body: JSON.stringify({
        ok: false,
        error: { code: 'UNAVAILABLE', message: 'the device disk is full', details: { reason: 'DISK_FULL' } },
      }),
    }),
  );
  await openAdminPage(page, '#/admin');
  await expectRolePageReady(page, hallName);
  await byTest(page, 'save').click();
  await expect(page.locator('.el-message--error')).toHaveText(
    '本机磁盘已满，本次操作未保存。请联系管理员清理磁盘空间（如旧备份、无用文件）后重试',
  );
});
