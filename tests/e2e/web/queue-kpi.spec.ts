import crypto from 'node:crypto';
import { expect, test, type Locator, type Page } from '@playwright/test';
import type { QueueKpi, QueueSettings } from '@shared/api';
import {
  byTest,
  pick,
  expectRolePageReady,
  getProfile,
  openSession,
  screenPath,
  watchPage,
  adminToken,
  openAdminPage,
} from './helpers';
import { callAs, emptyHall, PIN } from './queue-hall';

/**
 * The live queue KPIs (queue.kpis): the full panel on the admin page and the counter's one-line panel
 * follow tickets issued, called, served and missed without a reload, and the longest wait keeps growing
 * while nothing happens.
 */
test.describe.configure({ timeout: 90_000 });

test.beforeEach(async ({ request }) => {
  await emptyHall(request);
});

const row = (page: Page, queueId: string) => byTest(page, 'kpi-row').and(page.locator(`[data-queue="${queueId}"]`));
const cell = (scope: Locator, field: string) => scope.locator(`[data-test="kpi-${field}"]`);
const numberIn = async (l: Locator) => Number(await l.getAttribute('data-value'));

test('admin and counter panels follow issue, call, service and no-show live; the longest wait grows', async ({
  page,
  browser,
  request,
}) => {
  const watched = watchPage(page);
  const hallName = (await getProfile(request)).name;
  const admin = await adminToken(request);
  const kiosk = await openSession(request, 'kiosk');
  const settings = await callAs<QueueSettings>(request, admin, 'queue.settings.get', {});
  const generalKpi = async () =>
    (await callAs<QueueKpi[]>(request, admin, 'queue.kpis', {})).find((k) => k.queueId === 'general')!;
  const before = await generalKpi();

  await openAdminPage(page, '#/admin');
  await expectRolePageReady(page, hallName);
  await expect(byTest(page, 'kpi-panel')).toHaveAttribute('data-loaded', 'true');
  // One row per queue of the hall (other specs may have added queues to the shared host).
  const queues = (await callAs<QueueKpi[]>(request, admin, 'queue.kpis', {})).length;
  expect(queues).toBeGreaterThanOrEqual(5);
  await expect(byTest(page, 'kpi-row')).toHaveCount(queues);
  const general = row(page, 'general');
  await expect(cell(general, 'queue')).toHaveText('A 综合受理');
  await expect(cell(general, 'waiting')).toHaveText('0');
  await expect(cell(general, 'issued')).toHaveText(String(before.issued));
  await expect(cell(general, 'longestWait')).toHaveText('—');

  // The clerk's screen at counter 1 (general, social, fund), in a browser of its own.
  const counter = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await counter.goto('/#/counter');
  await expectRolePageReady(counter, hallName);
  await pick(counter, 'signin-counter', '1号 综合窗口1');
  await byTest(counter, 'signin-login').fill('clerk01');
  await byTest(counter, 'signin-pin').fill(PIN);
  await byTest(counter, 'signin-pin').press('Enter');
  await expect(byTest(counter, 'kpi-panel')).toHaveAttribute('data-loaded', 'true');
  await expect(cell(counter.locator('body'), 'waiting')).toHaveAttribute('data-value', '0');

  const issue = () =>
    callAs(request, kiosk, 'queue.ticket.issue', {
      mutationId: crypto.randomUUID(),
      queueId: 'general',
      applicantType: 'person',
    });
  await issue();
  await issue();
  await expect(cell(general, 'waiting')).toHaveText('2');
  await expect(cell(general, 'issued')).toHaveText(String(before.issued + 2));
  const counterPanel = byTest(counter, 'kpi-summary');
  await expect(cell(counterPanel, 'waiting')).toHaveText('2');

  // Nothing happens, yet the longest wait grows on both screens, second by second.
  await expect(cell(general, 'longestWait')).toHaveText(/^\d+秒$/);
  const first = await numberIn(cell(general, 'longestWait'));
  await expect.poll(() => numberIn(cell(general, 'longestWait')), { timeout: 5000 }).toBeGreaterThanOrEqual(first + 2);
  await expect.poll(() => numberIn(cell(counterPanel, 'longestWait')), { timeout: 5000 }).toBeGreaterThanOrEqual(2);

  // Called and served: the counts move at once; the averages are the server's over the whole day so far.
  await counter.keyboard.press('F1');
  await expect(cell(general, 'waiting')).toHaveText('1');
  await counter.keyboard.press('F3');
  await expect(byTest(counter, 'current-state')).toHaveText('办理中');
  await counter.keyboard.press('F4');
  await expect(byTest(counter, 'current-none')).toBeVisible();
  await expect(cell(general, 'served')).toHaveText(String(before.served + 1));
  await expect(cell(counterPanel, 'waiting')).toHaveText('1');
  await expect(cell(counterPanel, 'served')).toHaveAttribute('data-value', /^[1-9]\d*$/);
  const served = await generalKpi();
  await expect(cell(general, 'avgWait')).toHaveAttribute('data-value', String(served.avgWaitSeconds));
  await expect(cell(general, 'avgService')).toHaveAttribute('data-value', String(served.avgServiceSeconds));
  await expect(cell(counterPanel, 'avgService')).toHaveAttribute('data-value', /^\d+$/);

  // A missed call counts as a no-show (rules eased for the test, so F5 works after one call).
  await callAs(request, admin, 'queue.settings.update', { ...settings, noShowAfterCalls: 1, noShowGraceSeconds: 0 });
  try {
    await counter.keyboard.press('F1');
    await expect(byTest(counter, 'action-noShow')).toBeEnabled();
    await counter.keyboard.press('F5');
    await expect(byTest(counter, 'current-none')).toBeVisible();
  } finally {
    await callAs(request, admin, 'queue.settings.update', settings);
  }
  await expect(cell(general, 'noShows')).toHaveText(String(before.noShows + 1));
  await expect(cell(general, 'waiting')).toHaveText('0');
  await expect(cell(general, 'longestWait')).toHaveText('—');
  await expect(cell(counterPanel, 'noShows')).toHaveAttribute('data-value', /^[1-9]\d*$/);
  await page.screenshot({ path: screenPath('admin-kpis'), fullPage: true });
  await counter.screenshot({ path: screenPath('counter-kpis') });

  // What the page shows agrees with the server, figure by figure.
  const server = await generalKpi();
  for (const [field, value] of [
    ['issued', server.issued],
    ['served', server.served],
    ['noShows', server.noShows],
    ['avgWait', server.avgWaitSeconds],
    ['avgService', server.avgServiceSeconds],
  ] as const) {
    await expect(cell(general, field)).toHaveAttribute('data-value', String(value));
  }

  await byTest(page, 'locale-switch').click();
  await expect(cell(general, 'queue')).toHaveText('A General services');
  await expect(page.locator('th', { hasText: 'Longest wait' })).toBeVisible();
  await expect(cell(general, 'avgService')).toHaveText(/^\d+ s$|^\d+ min \d{2} s$/);
  expect(watched.errors).toEqual([]);
  await counter.context().close();
});
