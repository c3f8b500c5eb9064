import { execFileSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import type { Case, CaseDocument, Dashboard, Matter } from '@shared/api';
import { byTest, screenPath, openAdminPage } from './helpers';
import { COUNTER_ID, HallApi, PIN, mutationId, printToPdf, squash } from './intake-helpers';

/**
 * A hall PC whose own zone is far from the hall's: every time on screen and paper is still the hall's
 * wall clock (Asia/Shanghai, the demo hall's queue settings). The browser host's clock starts at 10:00 in
 * Shanghai, which is the evening before in New York, so even the date differs.
 */
test.use({ timezoneId: 'America/New_York' });
test.describe.configure({ timeout: 60_000 });

const HALL_TZ = 'Asia/Shanghai';

/** How the zh-CN pages write an instant to the minute, in a zone: 2026-03-02 10:05 (Swedish writes ISO). */
const zhLong = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));

/** The hall's time of an instant, after checking that the PC's zone would have written it otherwise. */
function hallLong(iso: string): string {
  expect(zhLong(iso, 'America/New_York'), 'the test zone must differ from the hall zone').not.toBe(
    zhLong(iso, HALL_TZ),
  );
  return zhLong(iso, HALL_TZ);
}

let hall: HallApi;
test.beforeAll(async ({ playwright, baseURL }) => {
  hall = new HallApi(await playwright.request.newContext({ baseURL }));
  await hall.openQueuesAllDay();
});

test('the printed ticket and the case receipt show the hall time', async ({ page }) => {
  expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe('America/New_York');
  await hall.resetHall();

  // The queue ticket, as the kiosk prints it.
  const issued = await hall.issue();
  await page.goto(`/#/print/ticket/${issued.ticket.id}`);
  await expect(page.locator('body')).toHaveAttribute('data-print-ready', '1', { timeout: 15_000 });
  await expect(byTest(page, 'print-time')).toHaveText(hallLong(issued.ticket.issuedAt));

  // A case accepted at counter 1 for the called ticket, and its receipt on A4.
  await hall.call('counter', 'queue.counter.signIn', { counterId: COUNTER_ID, login: 'clerk01', pin: PIN });
  // The receipt prints on the counter's session, as the counter tab's print frame does.
  await hall.shareCounterSession(page);
  const ticket = await hall.issue();
  await hall.call('counter', 'queue.callTicket', {
    mutationId: mutationId(),
    counterId: COUNTER_ID,
    ticketId: ticket.ticket.id,
  });
  const applicant = await hall.registerPerson('时区');
  const [matter] = (await hall.call<Matter[]>('admin', 'catalog.matters', { query: 'PSB-001' })).filter(
    (m) => m.code === 'PSB-001',
  );
  await hall.calendarsFor('PSB-001');
  const accepted = await hall.call<Case>('counter', 'case.intake', {
    mutationId: mutationId(),
    counterId: COUNTER_ID,
    ticketId: ticket.ticket.id,
    applicantId: applicant.id,
    matterCode: 'PSB-001',
    materials: matter!.materials.map((m) => ({ materialId: m.id, status: 'received' })),
    outcome: 'accept',
  });
  const doc = await hall.call<CaseDocument>('counter', 'case.document', { caseId: accepted.id });
  const receipt = await printToPdf(page, `/print/case/${accepted.id}/a4`, `receipt-hall-time-${accepted.caseNumber}`);
  await expect(byTest(page, 'print-issued-at')).toHaveText(hallLong(doc.issuedAt));
  expect(squash(receipt.text), receipt.text).toContain(squash(hallLong(doc.issuedAt)));
  // A sharper picture than printToPdf's, for a person to look at.
  execFileSync('pdftoppm', [
    '-png',
    '-r',
    '90',
    '-singlefile',
    receipt.file,
    screenPath('receipt-hall-time').slice(0, -4),
  ]);
});

test('the dashboard and the daily report show the hall time and the hall day', async ({ page }) => {
  const before = await hall.call<Dashboard>('admin', 'insight.dashboard', {});
  expect(before.timeZone).toBe(HALL_TZ);
  await openAdminPage(page, '#/admin/dashboard');
  await expect(byTest(page, 'dashboard-generated')).toBeVisible();
  const shown = (await byTest(page, 'dashboard-generated').textContent())!.trim();
  const after = await hall.call<Dashboard>('admin', 'insight.dashboard', {});
  // The page read the dashboard between the two reads here: its time is one of theirs.
  expect([before.generatedAt, after.generatedAt].map((at) => `统计时间：${hallLong(at)}`)).toContain(shown);
  // The range starts on the hall's today (the PC's date is still yesterday).
  const ends = page.getByRole('combobox', { name: '统计日期' });
  await expect(ends.nth(0)).toHaveValue(after.from);
  await expect(ends.nth(1)).toHaveValue(after.to);
  await page.screenshot({ path: screenPath('dashboard-hall-time'), fullPage: true });

  const report = await printToPdf(page, `/print/report/${after.to}?as=admin`, 'daily-report-hall-time');
  const latest = await hall.call<Dashboard>('admin', 'insight.dashboard', {});
  const text = squash(report.text);
  expect(
    [after.generatedAt, latest.generatedAt].some((at) => text.includes(squash(`统计时间：${hallLong(at)}`))),
    report.text,
  ).toBe(true);
});
