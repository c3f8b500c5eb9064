import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { byTest, expectRolePageReady, getProfile, screenPath, watchPage } from './helpers';

/**
 * The kiosk as a citizen meets it on its 1280×800 touch screen: every step fits without scrolling in both
 * languages, every way back to the start screen greets the next citizen in Chinese, and nothing technical
 * (versions, device codes) is shown while the hub answers.
 */
test.use({ viewport: { width: 1280, height: 800 }, timezoneId: 'Asia/Shanghai' });
test.describe.configure({ timeout: 90_000 });

test.beforeEach(async ({ context }) => {
  // Headless Chromium has no printer; the result screen prints by itself.
  await context.addInitScript(() => {
    window.print = () => undefined;
  });
});

async function openKiosk(page: Page, request: APIRequestContext, query = '') {
  const profile = await getProfile(request);
  await page.goto(`/#/kiosk${query}`);
  await expectRolePageReady(page, profile.name);
  await expect(byTest(page, 'kiosk-start')).toBeVisible();
}

async function toEnglish(page: Page) {
  await byTest(page, 'locale-switch').click();
  await expect(byTest(page, 'kiosk-person')).toContainText('Personal services');
}

async function expectChineseStart(page: Page) {
  await expect(byTest(page, 'kiosk-start')).toBeVisible();
  await expect(byTest(page, 'kiosk-person')).toContainText('个人业务');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
}

/** Shown to the eye (while all is well the status stays in the page for screen readers, transparent). */
async function shown(page: Page): Promise<boolean> {
  return (await byTest(page, 'status-bar').evaluate((el) => getComputedStyle(el).opacity)) !== '0';
}

/** Nothing below or beside the screen: a citizen at a kiosk does not scroll. */
async function expectNoScroll(page: Page, what: string) {
  // Web fonts and late layout settle before measuring.
  await page.evaluate(() => document.fonts.ready);
  const size = await page.evaluate(() => ({
    height: document.documentElement.scrollHeight,
    width: document.documentElement.scrollWidth,
    innerHeight: window.innerHeight,
    innerWidth: window.innerWidth,
  }));
  expect(size.height, `${what}: page height`).toBeLessThanOrEqual(size.innerHeight);
  expect(size.width, `${what}: page width`).toBeLessThanOrEqual(size.innerWidth);
  await page.screenshot({ path: screenPath(`kiosk-1280x800-${what}`), animations: 'disabled' });
}

for (const lang of ['zh-CN', 'en-US'] as const) {
  test(`every kiosk step fits 1280×800 without scrolling (${lang})`, async ({ page, request }) => {
    const watched = watchPage(page);
    const english = lang === 'en-US';
    const enter = async () => {
      if (english) await toEnglish(page);
    };
    await openKiosk(page, request);
    await enter();
    await expectNoScroll(page, `${lang}-start`);

    await byTest(page, 'kiosk-organisation').click();
    await expect(byTest(page, 'kiosk-queues')).toBeVisible();
    await expectNoScroll(page, `${lang}-queues-organisation`);
    await byTest(page, 'kiosk-back').click();
    await expectChineseStart(page);
    await enter();

    await byTest(page, 'kiosk-person').click();
    await expect(byTest(page, 'kiosk-queues')).toBeVisible();
    await expectNoScroll(page, `${lang}-queues-person`);
    await byTest(page, 'kiosk-queue-A').click();
    await expect(byTest(page, 'kiosk-priority-none')).toBeVisible();
    await expectNoScroll(page, `${lang}-priority`);

    // The longest ticket: a declared priority adds its badge to number, queue, people ahead and times.
    await byTest(page, 'kiosk-priority-military').click();
    await expect(byTest(page, 'kiosk-ticket-priority')).toHaveText(english ? /Priority/ : /优先/);
    await expect(byTest(page, 'kiosk-print-state')).toHaveAttribute('data-state', /printed|failed/);
    await expectNoScroll(page, `${lang}-result-priority`);
    await byTest(page, 'kiosk-done').click();
    await expectChineseStart(page);
    await enter();

    await byTest(page, 'kiosk-person').click();
    await byTest(page, 'kiosk-queue-A').click();
    await byTest(page, 'kiosk-priority-none').click();
    await expect(byTest(page, 'kiosk-ticket-number')).toBeVisible();
    await expectNoScroll(page, `${lang}-result`);
    await byTest(page, 'kiosk-done').click();
    await expectChineseStart(page);
    await enter();

    await byTest(page, 'kiosk-appointment').click();
    await expect(byTest(page, 'kiosk-appointment-step')).toBeVisible();
    await expectNoScroll(page, `${lang}-appointment`);
    await page.keyboard.type('ZZZZ9');
    await byTest(page, 'kiosk-checkin').click();
    await expect(byTest(page, 'kiosk-error')).toBeVisible();
    await expectNoScroll(page, `${lang}-appointment-unknown`);
    expect(watched.errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
  });
}

test('a busy hall: every matter with a long queue and a wait in hours still fits the screen, in both languages', async ({
  page,
  request,
}) => {
  // The hub's own answer, with the numbers of a full morning: the longest texts a queue card can show.
  await page.route('**/api/v1/call/queue.kiosk.queues', async (route) => {
    const res = await route.fetch();
    const body = (await res.json()) as { ok: boolean; value: { waiting: number; estimatedWaitMinutes: number }[] };
    body.value = body.value.map((q, i) => ({ ...q, waiting: 128 + i, estimatedWaitMinutes: 100 + 61 * i }));
    await route.fulfill({ response: res, json: body });
  });
  await openKiosk(page, request);
  for (const lang of ['zh-CN', 'en-US'] as const) {
    for (const type of ['person', 'organisation'] as const) {
      if (lang === 'en-US') await toEnglish(page);
      await byTest(page, `kiosk-${type}`).click();
      await expect(byTest(page, 'kiosk-queue-wait').first()).toContainText(lang === 'en-US' ? ' h ' : '小时');
      await expectNoScroll(page, `${lang}-queues-${type}-busy`);
      await byTest(page, 'kiosk-back').click();
      await expectChineseStart(page);
    }
  }
});

test('Done, 返回首页 and the countdown all bring the start screen back in Chinese', async ({ page, request }) => {
  await openKiosk(page, request, '?result=2');

  // Done on the result screen.
  await toEnglish(page);
  await byTest(page, 'kiosk-person').click();
  await byTest(page, 'kiosk-queue-E').click();
  await byTest(page, 'kiosk-priority-none').click();
  await expect(byTest(page, 'kiosk-done')).toHaveText('Done');
  await byTest(page, 'kiosk-done').click();
  await expectChineseStart(page);

  // 返回首页 from a step of the flow, and from the appointment keypad.
  await toEnglish(page);
  await byTest(page, 'kiosk-person').click();
  await byTest(page, 'kiosk-queue-E').click();
  await byTest(page, 'kiosk-home').click();
  await expectChineseStart(page);
  await toEnglish(page);
  await byTest(page, 'kiosk-appointment').click();
  await byTest(page, 'kiosk-home').click();
  await expectChineseStart(page);

  // Back from the first step is a way home too.
  await toEnglish(page);
  await byTest(page, 'kiosk-organisation').click();
  await byTest(page, 'kiosk-back').click();
  await expectChineseStart(page);

  // The result screen's countdown.
  await toEnglish(page);
  await byTest(page, 'kiosk-person').click();
  await byTest(page, 'kiosk-queue-E').click();
  await byTest(page, 'kiosk-priority-none').click();
  await expect(byTest(page, 'kiosk-result')).toBeVisible();
  await expectChineseStart(page);
});

test('citizens see no version, device or data line; a lost hub shows a small warning only', async ({
  page,
  request,
}) => {
  await openKiosk(page, request);
  const bar = byTest(page, 'status-bar');
  expect(await shown(page)).toBe(false);
  await expect(page.locator('body')).not.toContainText('版本');
  await expect(page.locator('body')).not.toContainText('DEMO01');
  await expect(page.locator('body')).not.toContainText('数据版本');
  await expect(byTest(page, 'transport')).toHaveCount(0);

  // Every new event socket is refused, and the open one is cut: the page is offline until let through.
  let outage = true;
  await page.routeWebSocket(/\/api\/v1\/ws$/, (ws) => {
    if (outage) void ws.close({ code: 1011, reason: 'e2e outage' });
    else ws.connectToServer();
  });
  await page.reload();
  await expect.poll(() => shown(page), { timeout: 20_000 }).toBe(true);
  await expect(bar).toHaveAttribute('data-connection', /offline|connecting/);
  await expect(bar).toContainText('连接中断');
  const box = (await bar.boundingBox())!;
  expect(box.height, 'a small warning, not a bar of technical facts').toBeLessThan(80);
  await expect(bar).not.toContainText('版本');
  await page.screenshot({ path: screenPath('kiosk-offline-warning'), animations: 'disabled' });
  outage = false;
  await expect.poll(() => shown(page), { timeout: 20_000 }).toBe(false);
});

/** The bottom edge of the lowest button on the screen, as a share of the screen's height. */
async function lowestButton(page: Page): Promise<number> {
  return page.evaluate(() => {
    const bottoms = [...document.querySelectorAll('.kiosk button')].map((b) => b.getBoundingClientRect().bottom);
    return Math.max(...bottoms) / window.innerHeight;
  });
}

/** Every button of the step at least `min` px tall (a fingertip, from a wheelchair too). */
async function smallestButton(page: Page): Promise<number> {
  return page.evaluate(() =>
    Math.min(...[...document.querySelectorAll('.kiosk button')].map((b) => b.getBoundingClientRect().height)),
  );
}

test.describe('portrait kiosk (1080×1920)', () => {
  test.use({ viewport: { width: 1080, height: 1920 } });

  test('every step fills the screen with large buttons reaching down to a hand’s height, without scrolling', async ({
    page,
    request,
  }) => {
    const watched = watchPage(page);
    const check = async (what: string) => {
      await page.evaluate(() => document.fonts.ready);
      const size = await page.evaluate(() => ({
        height: document.documentElement.scrollHeight,
        width: document.documentElement.scrollWidth,
      }));
      expect(size.height, `${what}: page height`).toBeLessThanOrEqual(1920);
      expect(size.width, `${what}: page width`).toBeLessThanOrEqual(1080);
      // The old layout left the lower two thirds empty: buttons now reach into the bottom tenth.
      expect(await lowestButton(page), `${what}: lowest button`).toBeGreaterThan(0.9);
      expect(await smallestButton(page), `${what}: smallest button`).toBeGreaterThanOrEqual(88);
      await page.screenshot({ path: screenPath(`kiosk-1080x1920-${what}`), animations: 'disabled' });
    };
    await openKiosk(page, request);
    await check('start');
    await byTest(page, 'kiosk-person').click();
    await expect(byTest(page, 'kiosk-queues')).toBeVisible();
    await check('queues');
    // Back and home sit at the bottom, within reach, below the matters.
    const back = (await byTest(page, 'kiosk-back').boundingBox())!;
    const lastCard = (await byTest(page, 'kiosk-queue-E').boundingBox())!;
    expect(back.y).toBeGreaterThan(lastCard.y + lastCard.height);
    await byTest(page, 'kiosk-queue-A').click();
    await expect(byTest(page, 'kiosk-priority-none')).toBeVisible();
    await check('priority');
    await byTest(page, 'kiosk-priority-none').click();
    await expect(byTest(page, 'kiosk-ticket-number')).toBeVisible();
    await expect(byTest(page, 'kiosk-print-state')).toHaveAttribute('data-state', /printed|failed/);
    await check('result');
    await byTest(page, 'kiosk-done').click();
    await byTest(page, 'kiosk-appointment').click();
    await expect(byTest(page, 'kiosk-appointment-step')).toBeVisible();
    await check('appointment');
    expect(watched.errors).toEqual([]);
  });
});

test('the focus goes to each new step’s heading, so a keyboard or screen-reader user keeps their place', async ({
  page,
  request,
}) => {
  const watched = watchPage(page);
  await openKiosk(page, request);
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-test') ?? 'body');

  await byTest(page, 'kiosk-person').focus();
  await page.keyboard.press('Enter');
  await expect(byTest(page, 'kiosk-queues')).toBeVisible();
  await expect(byTest(page, 'kiosk-step-title')).toBeFocused();
  await expect(byTest(page, 'kiosk-step-title')).toHaveText('个人业务：请选择办理事项');
  // The next Tab reaches the step's first control, not the top of the page.
  await page.keyboard.press('Tab');
  expect(await focused()).toBe('kiosk-back');

  await byTest(page, 'kiosk-queue-A').focus();
  await page.keyboard.press('Enter');
  await expect(byTest(page, 'kiosk-step-title')).toHaveText('请确认您是否属于优先办理人群');
  await expect(byTest(page, 'kiosk-step-title')).toBeFocused();
  await byTest(page, 'kiosk-priority-none').focus();
  await page.keyboard.press('Enter');
  await expect(byTest(page, 'kiosk-result-title')).toBeFocused();
  await expect(byTest(page, 'kiosk-print-state')).toHaveAttribute('data-state', /printed|failed/);

  await byTest(page, 'kiosk-done').focus();
  await page.keyboard.press('Enter');
  await expect(byTest(page, 'kiosk-welcome')).toBeFocused();
  await page.keyboard.press('Tab');
  expect(await focused()).toBe('kiosk-person');
  expect(watched.errors).toEqual([]);
});

test('English text has English quotation marks, not the full-width Chinese ones', async ({ page, request }) => {
  await openKiosk(page, request);
  await toEnglish(page);
  await byTest(page, 'kiosk-person').click();
  await byTest(page, 'kiosk-queue-A').click();
  const note = byTest(page, 'kiosk-priority-note');
  await expect(note).toContainText('Otherwise choose “Regular ticket”.');
  await page.evaluate(() => document.fonts.ready);
  // The width of each quotation mark as drawn, against the type size: a full-width mark is 1 em.
  const widths = await note.evaluate((el) => {
    const text = el.firstChild as Text;
    const size = parseFloat(getComputedStyle(el).fontSize);
    return ['“', '”'].map((mark) => {
      const at = text.data.indexOf(mark);
      const range = document.createRange();
      range.setStart(text, at);
      range.setEnd(text, at + 1);
      return range.getBoundingClientRect().width / size;
    });
  });
  for (const w of widths) expect(w, 'a quotation mark’s width in em').toBeLessThan(0.6);
  await page.screenshot({ path: screenPath('kiosk-en-quotes'), animations: 'disabled' });
  // Chinese keeps its own full-width marks.
  await byTest(page, 'kiosk-home').click();
  await byTest(page, 'kiosk-person').click();
  await byTest(page, 'kiosk-queue-A').click();
  await expect(note).toContainText('请选择“普通取号”');
  const zhWidth = await note.evaluate((el) => {
    const text = el.firstChild as Text;
    const range = document.createRange();
    const at = text.data.indexOf('“');
    range.setStart(text, at);
    range.setEnd(text, at + 1);
    return range.getBoundingClientRect().width / parseFloat(getComputedStyle(el).fontSize);
  });
  expect(zhWidth).toBeGreaterThan(0.9);
});
