import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import {
  DEFAULT_HALL_NAME,
  ROLES,
  ROLE_HINT_ZH,
  ROLE_TITLE_EN,
  ROLE_TITLE_ZH,
  byTest,
  getProfile,
  getSystemInfo,
  screenPath,
  watchPage,
  openAdminPage,
} from './helpers';

const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string };

test.describe('role chooser', () => {
  test('lists the five roles in Chinese', async ({ page }) => {
    await page.goto('/');
    await expect(page.locator('h1')).toHaveText('OneWindow 一窗通');
    await expect(page.locator('h2')).toHaveText('选择本设备的角色');
    const cards = page.locator('[data-test^="role-"]');
    await expect(cards).toHaveCount(ROLES.length);
    for (const [i, role] of ROLES.entries()) {
      const card = cards.nth(i);
      await expect(card).toHaveAttribute('data-test', `role-${role}`);
      await expect(card.locator('strong')).toHaveText(ROLE_TITLE_ZH[role]);
      await expect(card.locator('span')).toHaveText(ROLE_HINT_ZH[role]);
    }
    await page.screenshot({ path: screenPath('chooser'), fullPage: true });
  });

  for (const role of ROLES) {
    test(`clicking ${role} opens its page`, async ({ page }) => {
      await page.goto('/');
      await byTest(page, `role-${role}`).click();
      await expect(page).toHaveURL(new RegExp(`#/${role}$`));
      await expect(byTest(page, 'role-name')).toHaveText(ROLE_TITLE_ZH[role]);
      await expect(byTest(page, 'connection')).toHaveText('已连接');
    });
  }
});

test.describe('role pages', () => {
  for (const role of ROLES) {
    test(`#/${role} shows hall, role and live status`, async ({ page, request }) => {
      const watched = watchPage(page);
      const profile = await getProfile(request);
      // Until an administrator saves a profile the hall is known by the device config's name.
      if (profile.updatedAt === null) expect(profile.name).toBe(DEFAULT_HALL_NAME);
      const info = await getSystemInfo(request, role);
      expect(info.appVersion).toBe(pkg.version);
      expect(info.role).toBe(role);
      expect(info.hall.name).toBe(DEFAULT_HALL_NAME);

      await page.goto(`/#/${role}`);
      await expect(byTest(page, 'hall-name')).toHaveText(profile.name);
      await expect(byTest(page, 'role-name')).toHaveText(ROLE_TITLE_ZH[role]);
      const bar = byTest(page, 'status-bar');
      await expect(byTest(page, 'connection')).toHaveText('已连接');
      if (role === 'kiosk' || role === 'display') {
        // A citizen's screen: nothing technical, and no visible status at all while the hub answers.
        await expect(bar).toHaveAttribute('data-connection', 'online');
        await expect(bar, 'no visible status line').toHaveCSS('opacity', '0');
        await expect(bar).not.toContainText('版本');
        await expect(byTest(page, 'transport')).toHaveCount(0);
      } else {
        await expect(bar).toContainText(`版本 ${info.appVersion}`);
        await expect(bar).toContainText(`设备 ${info.hall.code}/${info.deviceCode}`);
        await expect(bar).toContainText(`数据版本 ${info.schemaVersion}`);
        await expect(byTest(page, 'transport')).toHaveText('网络');
        await expect(page.locator('.status-bar .dot')).toHaveClass(/dot-online/);
      }
      await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');

      if (role === 'kiosk') await expect(byTest(page, 'kiosk-welcome')).toHaveText(`欢迎来到${profile.name}`);
      if (role === 'admin') {
        // Nobody signed in on this tab: the sign-in and nothing of the hall's setup.
        await expect(byTest(page, 'staff-signin')).toBeVisible();
        await expect(byTest(page, 'field-name')).toHaveCount(0);
      }

      await page.screenshot({ path: screenPath(role), fullPage: true });
      expect(watched.errors).toEqual([]);
    });
  }
});

test.describe('language switch', () => {
  test('turns the kiosk page into English and back', async ({ page }) => {
    await page.goto('/#/kiosk');
    const name = byTest(page, 'role-name');
    const switcher = byTest(page, 'locale-switch');
    await expect(name).toHaveText(ROLE_TITLE_ZH.kiosk);
    await expect(byTest(page, 'connection')).toHaveText('已连接');
    await expect(switcher).toHaveText('English');

    await switcher.click();
    await expect(name).toHaveText(ROLE_TITLE_EN.kiosk);
    await expect(byTest(page, 'connection')).toHaveText('Connected');
    await expect(page.locator('.kiosk .prompt')).toHaveText('Please choose the service you need');
    await expect(switcher).toHaveText('中文');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en-US');

    await switcher.click();
    await expect(name).toHaveText(ROLE_TITLE_ZH.kiosk);
    await expect(byTest(page, 'connection')).toHaveText('已连接');
    await expect(page.locator('.kiosk .prompt')).toHaveText('请选择您要办理的业务');
    await expect(switcher).toHaveText('English');
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  });

  test('a language chosen on one role page stays with that role', async ({ page }) => {
    await page.goto('/#/counter');
    await expect(byTest(page, 'role-name')).toHaveText(ROLE_TITLE_ZH.counter);
    await byTest(page, 'locale-switch').click();
    await expect(byTest(page, 'role-name')).toHaveText(ROLE_TITLE_EN.counter);

    // The hall screen in the same browser (same tab even) keeps its own language…
    await page.goto('/#/display');
    await expect(byTest(page, 'role-name')).toHaveText(ROLE_TITLE_ZH.display);
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    // …and its own choice survives a reload, while the counter's is still English.
    await byTest(page, 'locale-switch').click();
    await expect(byTest(page, 'role-name')).toHaveText(ROLE_TITLE_EN.display);
    await page.reload();
    await expect(byTest(page, 'role-name')).toHaveText(ROLE_TITLE_EN.display);
    await openAdminPage(page, '#/admin');
    await expect(byTest(page, 'role-name')).toHaveText(ROLE_TITLE_ZH.admin);
    await page.goto('/#/counter');
    await expect(byTest(page, 'role-name')).toHaveText(ROLE_TITLE_EN.counter);
    await byTest(page, 'locale-switch').click();
    await expect(byTest(page, 'role-name')).toHaveText(ROLE_TITLE_ZH.counter);
  });

  test('the chooser switches too and the choice survives navigation to a role', async ({ page }) => {
    await page.goto('/');
    await byTest(page, 'locale-switch').click();
    await expect(page.locator('h2')).toHaveText('Choose this device’s role');
    await expect(byTest(page, 'role-admin').locator('strong')).toHaveText(ROLE_TITLE_EN.admin);
    await byTest(page, 'role-admin').click();
    await expect(byTest(page, 'role-name')).toHaveText(ROLE_TITLE_EN.admin);
    await expect(byTest(page, 'staff-signin')).toContainText('Staff sign-in');
  });
});
