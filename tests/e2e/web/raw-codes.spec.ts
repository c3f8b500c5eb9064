import { expect, test, type Page } from '@playwright/test';
import type { Queue } from '@shared/api';
import { SUPERVISOR_LOGIN, byTest, getProfile, openAdminPage, signInCounterForm, unique } from './helpers';
import { HallApi, PIN, lookUp, newResidentId, openRatingScreen, pairRatingScreen, signIn } from './intake-helpers';

/**
 * No code of the program reaches a person: every state, kind and reason on every page is named through
 * i18n. With a bad rating (reason long_wait) and its rectification on record, no visible text of any page
 * looks like an identifier (snake_case).
 */
test.describe.configure({ timeout: 120_000 });

/**
 * Picks 居住证申领 once the search has narrowed the list to it: clicked while the list still shrinks, the
 * option moves under the pointer and the click lands elsewhere.
 */
async function chooseResidencePermit(page: Page): Promise<void> {
  await byTest(page, 'matter-search').fill('居住证申领');
  await expect(page.locator('[data-test="matter-option"]')).toHaveCount(1);
  await page.locator('[data-test="matter-option"][data-code="PSB-001"]').click();
  await expect(byTest(page, 'materials')).toBeVisible();
}

const RAW_CODE = /\b[a-z]+_[a-z_]+\b/g;

let hall: HallApi;
let originalQueues: Queue[] = [];

test.beforeAll(async ({ playwright }, testInfo) => {
  hall = new HallApi(await playwright.request.newContext({ baseURL: testInfo.project.use.baseURL }));
  originalQueues = await hall.openQueuesAllDay();
});

test.afterAll(async () => {
  await hall.resetHall();
  await hall.restoreQueues(originalQueues);
});

/** The page's visible text holds no snake_case identifier. */
async function expectNoRawCodes(page: Page, where: string): Promise<void> {
  const text = await page.locator('body').innerText();
  expect(text.match(RAW_CODE) ?? [], `${where}:\n${text}`).toEqual([]);
}

/** Opens the applicant's history on the intake tab. */
async function showHistory(page: Page, idNumber: string): Promise<void> {
  await lookUp(page, idNumber);
  await byTest(page, 'applicant-history').locator('summary').click();
  await expect(byTest(page, 'applicant-history')).toHaveAttribute('open', '');
}

test('no page shows a raw code: kiosk, counter panels, rating screen, display, dashboard, admin, leader', async ({
  page,
  browser,
}) => {
  await hall.resetHall();
  const hallName = (await getProfile(page.request)).name;

  // A citizen served at counter 1 rates it 不满意 for the long wait: rating, rectification, history.
  const idNumber = newResidentId();
  const applicant = await hall.registerPerson(`钱芳${unique()}`, idNumber);
  await hall.issue('general');
  await hall.issue('general');
  await signIn(page);
  const screen = await openRatingScreen(browser);
  await expectNoRawCodes(screen, 'rating screen, unpaired');
  await pairRatingScreen(page, screen);
  await expectNoRawCodes(screen, 'rating screen, idle');
  await page.keyboard.press('F1');
  await expect(byTest(page, 'current-state')).toHaveText('已呼叫');
  await lookUp(page, idNumber);
  await expect(byTest(page, 'applicant-name')).toHaveText(applicant.name);
  await hall.calendarsFor('PSB-001');
  await chooseResidencePermit(page);
  await byTest(page, 'materials-all-received').click();
  await byTest(page, 'outcome-accept').click();
  await expect(byTest(page, 'intake-result')).toBeVisible();
  await expectNoRawCodes(page, 'counter, intake with its result');
  await page.keyboard.press('F4');
  await expect(byTest(screen, 'rate-ask')).toBeVisible();
  await expectNoRawCodes(screen, 'rating screen, asking');
  await byTest(screen, 'rate-level-2').click();
  await byTest(screen, 'rate-reason-long_wait').click();
  await expectNoRawCodes(screen, 'rating screen, reasons');
  await byTest(screen, 'rate-submit').click();
  await expect(byTest(screen, 'rate-thanks')).toBeVisible();
  await expectNoRawCodes(screen, 'rating screen, thanks');
  await expect(byTest(page, 'rating-result')).toBeVisible();

  // The clerk's counter: the queue with a waiting ticket, the applicant's history, the cases, the book.
  await byTest(page, 'tab-intake').click();
  await expectNoRawCodes(page, 'counter, queue and rating result');
  await showHistory(page, idNumber);
  await expectNoRawCodes(page, 'counter, applicant history');
  await byTest(page, 'tab-cases').click();
  await expect(byTest(page, 'case-row').first()).toBeVisible();
  await expectNoRawCodes(page, 'counter, cases');
  await byTest(page, 'tab-feedback').click();
  await byTest(page, 'feedback-new').click();
  await expectNoRawCodes(page, 'counter, feedback form and book');

  // The supervisor follows the rectification up: the 差评整改 item names the reason.
  const supervisor = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await supervisor.goto('/#/counter');
  await expect(byTest(supervisor, 'connection')).toHaveText('已连接');
  await signInCounterForm(supervisor, '2号 综合窗口2', SUPERVISOR_LOGIN, PIN);
  await expect(byTest(supervisor, 'counter-main')).toBeVisible();
  await byTest(supervisor, 'tab-feedback').click();
  const rectification = supervisor.locator('[data-test="feedback-row"][data-channel="rating"]').first();
  await expect(rectification.locator('[data-test="feedback-rating"]')).toContainText('等候时间长');
  await expectNoRawCodes(supervisor, 'supervisor, feedback book with the rectification');
  await showHistory(supervisor, idNumber);
  await expectNoRawCodes(supervisor, 'supervisor, applicant history');
  await supervisor.context().close();
  await screen.context().close();

  const other = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await other.goto('/#/kiosk');
  await expect(byTest(other, 'kiosk-start')).toBeVisible();
  await expectNoRawCodes(other, 'kiosk start');
  await byTest(other, 'kiosk-person').click();
  await expect(byTest(other, 'kiosk-queues')).toBeVisible();
  await expectNoRawCodes(other, 'kiosk queues');

  await other.goto('/#/display');
  await expect(byTest(other, 'display-board')).toHaveAttribute('data-loaded', 'true');
  await expectNoRawCodes(other, 'display');

  await other.goto('/#/leader');
  await expect(byTest(other, 'leader-login')).toBeVisible();
  await expectNoRawCodes(other, 'leader sign-in');
  await other.context().close();

  await openAdminPage(page, '#/admin');
  await expect(byTest(page, 'hall-name')).toHaveText(hallName);
  await expect(byTest(page, 'kpi-panel')).toHaveAttribute('data-loaded', 'true');
  await expectNoRawCodes(page, 'admin');
  await openAdminPage(page, '#/admin/dashboard');
  await expect(byTest(page, 'tile-issued').locator('[data-test="tile-value"]')).toHaveText(/\d+/);
  await expectNoRawCodes(page, 'dashboard');
});
