import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './axe-check';
import { byTest, screenPath, openAdminPage } from './helpers';
import { HallApi, chooseMatter, lookUp, newResidentId, setMaterial, signIn as counterSignIn } from './intake-helpers';
import { codeNow, enrolLeader, signIn as leaderSignIn } from './leader-fixture';

/**
 * axe-core (WCAG 2.1 A and AA rules) on every role page in its main states: no serious or critical
 * violation. No rule is disabled; a finding is fixed in the component.
 */
test.describe.configure({ timeout: 60_000 });

let hall: HallApi;
test.beforeAll(async ({ playwright, baseURL }) => {
  hall = new HallApi(await playwright.request.newContext({ baseURL }));
  await hall.openQueuesAllDay();
});

test('chooser, kiosk (start, queues, priority, appointment, result) and its printed ticket', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('a, button').first()).toBeVisible();
  await expectAccessible(page, 'role chooser');

  await page.goto('/#/kiosk');
  await expect(byTest(page, 'kiosk-start')).toBeVisible();
  await expectAccessible(page, 'kiosk start');
  await byTest(page, 'kiosk-person').click();
  await expect(byTest(page, 'kiosk-queues')).toBeVisible();
  await expectAccessible(page, 'kiosk queue choice');
  await byTest(page, 'kiosk-queue-A').click();
  await expect(byTest(page, 'kiosk-priority')).toBeVisible();
  await expectAccessible(page, 'kiosk priority');
  await byTest(page, 'kiosk-priority-none').click();
  await expect(byTest(page, 'kiosk-result')).toBeVisible();
  await expectAccessible(page, 'kiosk result');
  const number = (await byTest(page, 'kiosk-ticket-number').textContent())!.trim();
  await byTest(page, 'kiosk-done').click();
  await byTest(page, 'kiosk-appointment').click();
  await expect(byTest(page, 'kiosk-checkin')).toBeVisible();
  await expectAccessible(page, 'kiosk appointment');

  const ticket = await hall.issue();
  expect(number).toMatch(/^A\d{3}$/);
  await page.goto('about:blank');
  await page.goto(`/#/print/ticket/${ticket.ticket.id}`);
  await expect(page.locator('body')).toHaveAttribute('data-print-ready', '1', { timeout: 15_000 });
  await expectAccessible(page, 'printed ticket');
});

test('counter (sign-in, current ticket, intake, cases, feedback), rating screen and case A4', async ({
  page,
  context,
}) => {
  await hall.resetHall();
  await page.goto('/#/counter');
  await expect(byTest(page, 'signin-pin')).toBeVisible();
  await expectAccessible(page, 'counter sign-in');

  await hall.issue();
  await counterSignIn(page);
  await byTest(page, 'action-callNext').click();
  await expect(byTest(page, 'current-number')).toBeVisible();
  await expectAccessible(page, 'counter with a current ticket');

  const idNumber = newResidentId('310104');
  await hall.registerPerson('无障碍', idNumber);
  await lookUp(page, idNumber);
  await expect(byTest(page, 'applicant-name')).toBeVisible();
  await chooseMatter(page, '户口迁入', 'PSB-002');
  await setMaterial(page, 'id-card', 'received');
  await expectAccessible(page, 'counter intake tab');
  await byTest(page, 'outcome-notice').click();
  const caseId = (await byTest(page, 'intake-result').getAttribute('data-case-id'))!;

  await byTest(page, 'tab-cases').click();
  await expect(page.locator('.el-tabs__item.is-active [data-test="tab-cases"]')).toBeVisible();
  await expectAccessible(page, 'counter cases tab');
  await byTest(page, 'tab-feedback').click();
  await expect(page.locator('.el-tabs__item.is-active [data-test="tab-feedback"]')).toBeVisible();
  await expectAccessible(page, 'counter feedback tab');

  const rating = await context.newPage();
  await rating.goto('/#/rate/w1');
  await expect(byTest(rating, 'rate-screen')).toBeVisible();
  await expectAccessible(rating, 'rating screen');

  // The print page runs on the counter tab's session, as its print frame does.
  const token = await page.evaluate(() => sessionStorage.getItem('onewindow.session.counter'));
  const printer = await context.newPage();
  await printer.addInitScript((t) => {
    if (t && window.location.protocol.startsWith('http')) sessionStorage.setItem('onewindow.session.counter', t);
  }, token);
  await printer.goto(`/#/print/case/${caseId}/a4`);
  await expect(printer.locator('body')).toHaveAttribute('data-print-ready', '1', { timeout: 15_000 });
  await expectAccessible(printer, 'case A4');
});

test('display, leader (sign-in, unlocked schedule), admin and the dashboard', async ({ page, request }) => {
  await page.goto('/#/display');
  await expect(byTest(page, 'display-board')).toHaveAttribute('data-loaded', 'true');
  await expectAccessible(page, 'display');

  const { login, secret } = await enrolLeader(request);
  await page.goto('/#/leader');
  await expect(byTest(page, 'leader-login')).toBeVisible();
  await expectAccessible(page, 'leader sign-in');
  await leaderSignIn(page, login, await codeNow(request, secret));
  await expect(byTest(page, 'leader-schedule')).toBeVisible();
  await expect(byTest(page, 'schedule-conflict')).toHaveCount(2);
  await expectAccessible(page, 'leader schedule');

  await openAdminPage(page, '#/admin');
  await expect(byTest(page, 'admin-kpis')).toBeVisible();
  await expectAccessible(page, 'admin');
  await page.screenshot({ path: screenPath('a11y-admin') });
  // Each setup tab with its form's errors showing, as an administrator meets them.
  for (const [tab, form] of [
    ['业务队列', 'queue'],
    ['窗口', 'counter'],
    ['预约', 'appointment'],
  ] as const) {
    await page.getByRole('tab', { name: tab, exact: true }).click();
    await byTest(page, `${form}-save`).click();
    await expect(byTest(page, `${form}-form`).locator('.el-form-item__error').first()).toBeVisible();
    await expectAccessible(page, `admin setup: ${form}`);
  }
  // The staff accounts form with its errors showing.
  await byTest(page, 'staff-form-save').click();
  await expect(byTest(page, 'staff-form').locator('.el-form-item__error').first()).toBeVisible();
  await expectAccessible(page, 'admin staff accounts');

  // The dashboard with its note on where the figures come from (this host has no central), and its range
  // picker open on the shortcuts.
  await openAdminPage(page, '#/admin/dashboard');
  await expect(byTest(page, 'dashboard-source-intake')).toBeVisible();
  await expect(byTest(page, 'tile-issued')).toBeVisible();
  await expectAccessible(page, 'dashboard');
  await page.getByRole('combobox', { name: '统计日期' }).first().click();
  await expect(page.locator('.el-picker-panel__shortcut').first()).toBeVisible();
  await expectAccessible(page, 'dashboard range picker');
});

// ---------------------------------------------------------------- the kiosk without touch, and magnified

interface Focused {
  test: string | null;
  tag: string;
  outline: string;
  top: number;
  left: number;
}

const focused = (page: Page): Promise<Focused> =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const cs = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return {
      test: el.getAttribute('data-test'),
      tag: el.tagName,
      outline: `${cs.outlineStyle} ${cs.outlineWidth}`,
      top: Math.round(r.top),
      left: Math.round(r.left),
    };
  });

/**
 * Tabs until `target` has the focus, checking on the way that every stop shows a focus ring at least 2 px
 * wide and that stops run in reading order (down the page, or right along a line); returns the stops.
 */
async function tabTo(page: Page, target: string, maxStops = 20): Promise<Focused[]> {
  const stops: Focused[] = [];
  for (let i = 0; i < maxStops; i++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    expect(now.tag, `focus left the page after ${JSON.stringify(stops.map((s) => s.test))}`).not.toBe('BODY');
    const [style, width] = now.outline.split(' ');
    expect(style, `${now.test ?? now.tag} shows no focus ring`).not.toBe('none');
    expect(parseFloat(width!), `${now.test ?? now.tag} focus ring width`).toBeGreaterThanOrEqual(2);
    const before = stops.at(-1);
    if (before) {
      const readingOrder = now.top > before.top + 4 || (Math.abs(now.top - before.top) <= 4 && now.left > before.left);
      expect(readingOrder, `focus jumped back from ${before.test} to ${now.test}`).toBe(true);
    }
    stops.push(now);
    if (now.test === target) return stops;
  }
  throw new Error(`${target} not reached in ${maxStops} tabs: ${JSON.stringify(stops.map((s) => s.test))}`);
}

test('kiosk by keyboard alone: Tab, Enter and Space take a ticket, with a visible focus ring in reading order', async ({
  page,
}) => {
  await page.goto('/#/kiosk');
  await expect(byTest(page, 'kiosk-start')).toBeVisible();
  await tabTo(page, 'kiosk-person');
  await page.keyboard.press('Enter');
  await expect(byTest(page, 'kiosk-queues')).toBeVisible();
  await tabTo(page, 'kiosk-queue-A');
  await page.keyboard.press('Space');
  await expect(byTest(page, 'kiosk-priority')).toBeVisible();
  await tabTo(page, 'kiosk-priority-none');
  await page.screenshot({ path: screenPath('a11y-kiosk-keyboard-focus') });
  await page.keyboard.press('Enter');
  await expect(byTest(page, 'kiosk-ticket-number')).toHaveText(/^A\d{3}$/);
  await tabTo(page, 'kiosk-done');
  await page.keyboard.press('Enter');
  await expect(byTest(page, 'kiosk-start')).toBeVisible();
});

test.describe('at 200% magnification', () => {
  // The default 1280×800 screen seen through a 2× magnifier: half the CSS pixels, each drawn twice as large.
  test.use({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 });

  /** Nothing wider than the screen: no horizontal scrolling, no button cut off at either side. */
  async function expectNoHorizontalOverflow(page: Page, state: string) {
    await page.screenshot({ path: screenPath(`a11y-kiosk-zoom-${state}`), fullPage: true });
    const overflow = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const wide = [...document.querySelectorAll<HTMLElement>('button, [data-test], h1, h2, p')]
        // The print frame is laid out off screen at paper width on purpose, hidden from people and readers.
        .filter((el) => el.getClientRects().length > 0 && !el.closest('[aria-hidden="true"]'))
        .map((el) => ({ el, r: el.getBoundingClientRect() }))
        .filter(({ el, r }) => r.left < -1 || r.right > width + 1 || el.scrollWidth > el.clientWidth + 1)
        .map(
          ({ el, r }) => `${el.getAttribute('data-test') ?? el.tagName} ${Math.round(r.left)}–${Math.round(r.right)}`,
        );
      return { scroll: document.documentElement.scrollWidth - width, wide };
    });
    expect(overflow, state).toEqual({ scroll: 0, wide: [] });
  }

  test('the kiosk flow still fits: start, queues, priority, result', async ({ page }) => {
    await page.goto('/#/kiosk');
    await expect(byTest(page, 'kiosk-start')).toBeVisible();
    await expectNoHorizontalOverflow(page, 'start');
    await byTest(page, 'kiosk-person').click();
    await expect(byTest(page, 'kiosk-queues')).toBeVisible();
    await expectNoHorizontalOverflow(page, 'queues');
    await byTest(page, 'kiosk-queue-A').click();
    await expect(byTest(page, 'kiosk-priority')).toBeVisible();
    await expectNoHorizontalOverflow(page, 'priority');
    await byTest(page, 'kiosk-priority-none').click();
    await expect(byTest(page, 'kiosk-ticket-number')).toBeVisible();
    await expectNoHorizontalOverflow(page, 'result');
    await byTest(page, 'kiosk-done').click();
    await byTest(page, 'kiosk-appointment').click();
    await expect(byTest(page, 'kiosk-checkin')).toBeVisible();
    await expectNoHorizontalOverflow(page, 'appointment');
  });
});
