import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import readExcelFile from 'read-excel-file/node';
import type { CounterView, Dashboard, Feedback, IssuedTicket } from '@shared/api';
import {
  hallToday,
  byTest,
  expectRolePageReady,
  getProfile,
  openSession,
  screenPath,
  watchPage,
  adminToken,
  openAdminPage,
} from './helpers';
import { printToPdf, squash } from './intake-helpers';
import { codeNow, enrolLeader, signIn as signInLeader } from './leader-fixture';
import { callAs, emptyHall, PIN } from './queue-hall';

/**
 * The hall dashboard (insight.dashboard): tiles show the API's numbers, the charts draw, it follows the
 * live queue, the CSV and XLSX exports hold the same numbers, and the daily report prints them to PDF.
 */
test.describe.configure({ timeout: 60_000 });

/** Whether a chart's canvas has any painted pixel. */
const painted = (page: Page, chart: string) =>
  page.locator(`[data-test="${chart}"] canvas`).evaluate((c: HTMLCanvasElement) => {
    const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
    return false;
  });
const tile = (page: Page, key: string) => byTest(page, `tile-${key}`).locator('[data-test="tile-value"]');

test('tiles match the API, charts draw, live updates, CSV/XLSX exports and the daily report PDF', async ({
  page,
  request,
}) => {
  const watched = watchPage(page);
  // Headless Chromium has no printer: each frame records the page it would print.
  const printed: { hash: string; ready: string | null }[] = [];
  await page.exposeBinding(
    '__e2ePrinted',
    (_source, p: { hash: string; ready: string | null }) => void printed.push(p),
  );
  await page.addInitScript(() => {
    window.print = () => {
      const report = (window as unknown as { __e2ePrinted(p: unknown): Promise<void> }).__e2ePrinted;
      void report({ hash: location.hash, ready: document.body?.dataset.printReady ?? null });
    };
  });
  await emptyHall(request);
  const hallName = (await getProfile(request)).name;
  const admin = await adminToken(request);
  const kiosk = await openSession(request, 'kiosk');
  const counter = await openSession(request, 'counter');
  const m = () => crypto.randomUUID();
  const issue = () =>
    callAs<IssuedTicket>(request, kiosk, 'queue.ticket.issue', {
      mutationId: m(),
      queueId: 'general',
      applicantType: 'person',
    });

  // A served ticket at counter 1 and one left waiting.
  await issue();
  await issue();
  await callAs(request, counter, 'queue.counter.signIn', { counterId: 'w1', login: 'clerk01', pin: PIN });
  const called = await callAs<CounterView>(request, counter, 'queue.callNext', { mutationId: m(), counterId: 'w1' });
  const ticketId = called.current!.id;
  await callAs(request, counter, 'queue.start', { mutationId: m(), counterId: 'w1', ticketId });
  await callAs(request, counter, 'queue.finish', { mutationId: m(), counterId: 'w1', ticketId });
  // Rated on the counter's paired rating screen, with the one-time token of the visit.
  const { code } = await callAs<{ code: string }>(request, counter, 'rating.pairing.code', { counterId: 'w1' });
  const paired = await callAs<{ token: string }>(request, await openSession(request, 'rate'), 'rating.pair', { code });
  await callAs(request, counter, 'rating.request', { mutationId: m(), counterId: 'w1', ticketId, caseIds: [] });
  const prompt = await callAs<{ token: string }>(request, paired.token, 'rating.pending', {});
  await callAs(request, paired.token, 'rating.submit', { mutationId: m(), token: prompt.token, level: 4 });
  // A complaint answered today, its return visit planned for three days on and made today: done today.
  const complaint = await callAs<Feedback>(request, counter, 'feedback.create', {
    mutationId: m(),
    kind: 'complaint',
    channel: 'phone',
    category: 'attitude',
    content: '窗口人员解释不清',
    contactPhone: '13900139000',
  });
  await callAs(request, counter, 'feedback.update', {
    mutationId: m(),
    feedbackId: complaint.id,
    action: 'resolve',
    resolution: '已重新解释并致歉',
  });
  const today = hallToday();
  const inThreeDays = new Date(Date.parse(`${today}T00:00:00Z`) + 3 * 86_400_000).toISOString().slice(0, 10);
  const planned = await callAs<Feedback>(request, counter, 'feedback.returnVisit.schedule', {
    mutationId: m(),
    feedbackId: complaint.id,
    scheduledFor: inThreeDays,
    method: 'phone',
  });
  await callAs(request, counter, 'feedback.returnVisit.record', {
    mutationId: m(),
    returnVisitId: planned.returnVisits[0]!.id,
    outcome: 'satisfied',
    note: '群众表示满意',
  });
  const d = await callAs<Dashboard>(request, admin, 'insight.dashboard', {});
  expect(d.feedback.returnVisits.done).toBeGreaterThan(0);
  const s = d.tickets!;
  expect(s.totals.served).toBeGreaterThan(0);
  expect(d.ratings.byLevel.find((r) => r.level === 4)!.count).toBeGreaterThan(0);

  await openAdminPage(page, '#/admin/dashboard');
  await expectRolePageReady(page, hallName);
  await expect(byTest(page, 'dashboard-live')).toBeVisible();
  await expect(tile(page, 'issued')).toHaveText(String(s.totals.issued));
  await expect(tile(page, 'served')).toHaveText(String(s.totals.served));
  await expect(tile(page, 'cases')).toHaveText(String(d.cases.total));
  await expect(tile(page, 'ratings')).toHaveText(String(d.ratings.total));
  // Durations read m:ss everywhere: a service of a second or two is 0:01, not 0 minutes.
  const avgService = Math.round(s.service.avgSeconds!);
  await expect(tile(page, 'avgService')).toHaveText(
    `${Math.floor(avgService / 60)}:${String(avgService % 60).padStart(2, '0')}`,
  );
  // What was measured is named for what it counts, not 等候 (people waiting now, on the counter's screen).
  const byQueue = byTest(page, 'table-按业务队列');
  await expect(byQueue.locator('thead')).toContainText('等候时长（分:秒）');
  await expect(byQueue.locator('thead')).toContainText('叫号人次');
  await expect(byQueue.locator('thead')).not.toContainText('数量');
  // The e2e host is not enrolled with central: the intake figures are this device's, and the page says so.
  expect(d.sources).toEqual({ tickets: 'hub', intake: 'local' });
  await expect(byTest(page, 'dashboard-source-intake')).toHaveText(
    'ⓘ办件、诉求与评价仅为本机数据：本机未接入中心或暂时无法连接中心，其他窗口的数据未计入',
  );
  await expect(byTest(page, 'dashboard-source-tickets')).toHaveCount(0);
  for (const chart of ['chart-per-hour', 'chart-wait', 'chart-service', 'chart-ratings', 'chart-cases-status'])
    await expect.poll(() => painted(page, chart), { message: chart }).toBe(true);

  // Live: a ticket issued now shows without a reload.
  await issue();
  await expect(tile(page, 'issued')).toHaveText(String(s.totals.issued + 1));
  const now = await callAs<Dashboard>(request, admin, 'insight.dashboard', {});
  await page.screenshot({ path: screenPath('dashboard-admin'), fullPage: true });

  // CSV: UTF-8 with a byte order mark, the summary's numbers in it.
  const [csvDownload] = await Promise.all([page.waitForEvent('download'), byTest(page, 'export-csv').click()]);
  expect(csvDownload.suggestedFilename()).toBe(`大厅数据_${d.from}_${d.to}.csv`);
  const csv = fs.readFileSync((await csvDownload.path())!);
  expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const csvLines = csv.toString('utf8').slice(1).split('\r\n');
  expect(csvLines.slice(0, 3)).toEqual(['概况', '项目,数值', `统计范围,${d.from} – ${d.to}`]);
  expect(csvLines).toContain(`取号,${now.tickets!.totals.issued}`);
  expect(csvLines).toContain(`已完成,${now.tickets!.totals.served}`);
  // A duration is whole seconds under a header that says so: Excel would read 7:03 as a time of day.
  expect(csvLines).toContain(`平均办理（秒）,${now.tickets!.service.avgSeconds}`);
  expect(csvLines.find((l) => l.startsWith('工作人员,'))).toBe('工作人员,已完成,平均办理（秒）,在岗（秒）,空闲（秒）');

  // XLSX: read back, the summary sheet holds the same numbers as numbers, durations as time values.
  const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), byTest(page, 'export-xlsx').click()]);
  expect(xlsxDownload.suggestedFilename()).toBe(`大厅数据_${d.from}_${d.to}.xlsx`);
  const xlsx = (await xlsxDownload.path())!;
  const sheets = await readExcelFile(xlsx);
  expect(sheets.map((x) => x.sheet)).toContain('人员效能');
  const summary = sheets.find((x) => x.sheet === '概况')!.data;
  expect(summary[0]).toEqual(['项目', '数值']);
  expect(summary).toContainEqual(['取号', now.tickets!.totals.issued]);
  expect(summary).toContainEqual(['已完成', now.tickets!.totals.served]);
  const avgServiceCell = summary.find((r) => r[0] === '平均办理（分:秒）')?.[1];
  expect(avgServiceCell).toBeInstanceOf(Date);
  expect(Math.round(((avgServiceCell as unknown as Date).getTime() - Date.UTC(1899, 11, 30)) / 1000)).toBe(
    now.tickets!.service.avgSeconds,
  );
  // The header row of each sheet stays put while its rows scroll.
  expect(execFileSync('unzip', ['-p', xlsx, 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' })).toMatch(
    /<pane [^>]*ySplit="1"[^>]*state="frozen"/,
  );

  // A workbook of parts past fflate's worker size is still written: its zipping stays on the page's thread,
  // where the CSP does not refuse it. 2,000 matters on the cases sheet make that sheet about 250 kB.
  await page.route('**/api/v1/call/insight.dashboard', async (route) => {
    const response = await route.fetch();
    const body = (await response.json()) as { ok: boolean; value: Dashboard };
    const byMatter = Array.from({ length: 2000 }, (_, i) => ({
      matterCode: `BIG-${String(i).padStart(4, '0')}`,
      nameZh: `测试事项第${i}号（名称较长以便工作表超过压缩线程的门槛）`,
      nameEn: `Test matter ${i}`,
      count: i + 1,
    }));
    await route.fulfill({
      response,
      json: { ...body, value: { ...body.value, cases: { ...body.value.cases, byMatter } } },
    });
  });
  await page.reload();
  await expect(byTest(page, 'table-按事项办件').locator('tbody tr')).toHaveCount(2000);
  const [bigDownload] = await Promise.all([page.waitForEvent('download'), byTest(page, 'export-xlsx').click()]);
  const bigSheets = await readExcelFile((await bigDownload.path())!);
  const byMatterSheet = bigSheets.find((x) => x.sheet === '按事项办件')!.data;
  expect(byMatterSheet).toHaveLength(2001);
  expect(byMatterSheet[2000]).toEqual(['测试事项第1999号（名称较长以便工作表超过压缩线程的门槛）', 2000]);
  await page.unroute('**/api/v1/call/insight.dashboard');
  await page.reload();
  await expect(tile(page, 'issued')).toHaveText(String(now.tickets!.totals.issued));

  // The print button prints the report of the range's last day, once it has loaded.
  await byTest(page, 'print-report').click();
  await expect.poll(() => printed).toEqual([{ hash: `#/print/report/${d.to}?as=admin`, ready: '1' }]);

  // The leader pane opens the same dashboard once a leader has signed in there (password and code).
  const leader = await enrolLeader(request);
  const leaderPage = await page.context().newPage();
  const leaderWatched = watchPage(leaderPage);
  await leaderPage.goto('/#/leader');
  await signInLeader(leaderPage, leader.login, await codeNow(request, leader.secret));
  await byTest(leaderPage, 'open-dashboard').click();
  await expect(tile(leaderPage, 'issued')).toHaveText(String(now.tickets!.totals.issued));
  // The leader pane never prints.
  await expect(byTest(leaderPage, 'print-report')).toHaveCount(0);
  await leaderPage.screenshot({ path: screenPath('dashboard-leader') });
  expect(leaderWatched.errors).toEqual([]);
  await leaderPage.close();

  // The daily report of today, as the printer renders it.
  const report = await printToPdf(page, `/print/report/${d.to}?as=admin`, 'daily-report');
  expect(report.widthPt).toBeCloseTo(595, 0);
  const text = squash(report.text);
  expect(text).toContain(squash(`${hallName} 运行日报`));
  expect(text).toContain(`取号${now.tickets!.totals.issued}`);
  expect(text).toContain(`已完成${now.tickets!.totals.served}`);
  expect(text).toContain('人员效能');
  expect(text).toContain(`王丽`);
  expect(text).toContain('办件、诉求与评价仅为本机数据');
  // Return visits: due today by the day planned, done today by the day done (the API's figures, as printed).
  const visits = now.feedback.returnVisits;
  const rate = visits.completionRate === null ? '—' : String(Math.round(visits.completionRate * 1000) / 10);
  expect(text).toContain(`应回访已回访回访完成率（%）${visits.scheduled}${visits.done}${rate}`);
  // Numbered pages and the lines to sign at the end.
  expect(text).toContain(`第1页共${report.pages}页`);
  expect(text).toContain(`第${report.pages}页共${report.pages}页`);
  expect(text).toContain('制表人：');
  expect(text).toContain('审核人：');
  // No header and no queue, counter or clerk name wraps: each cell is one line high.
  const wrapped = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.report th, .report td:first-child')]
      .filter((cell) => {
        const range = document.createRange();
        range.selectNodeContents(cell);
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1;
      })
      .map((cell) => cell.textContent),
  );
  expect(wrapped).toEqual([]);
  // Figures and their "—" line up on the right, the summary's date range with them.
  const misaligned = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.report td')]
      .filter((cell) => /^(\d+(\.\d+)?|\d+:\d\d|—)$/.test(cell.textContent!.trim()))
      .filter((cell) => getComputedStyle(cell).textAlign !== 'right')
      .map((cell) => cell.textContent),
  );
  expect(misaligned).toEqual([]);
  expect(watched.errors).toEqual([]);
});

test('tickets from central are marked, and the range counts from the hall day the core answered', async ({ page }) => {
  const watched = watchPage(page);
  // A hall day far from the PC's date, and a hub that cannot be reached: played to the page over the real answers.
  const HALL_DAY = '2030-06-14';
  const asked: Record<string, string>[] = [];
  await page.route('**/api/v1/call/insight.dashboard', async (route) => {
    const input = route.request().postDataJSON() as Record<string, string>;
    asked.push(input);
    const response = await route.fetch();
    const body = (await response.json()) as { ok: boolean; value: Dashboard };
    const today = input.from ? {} : { from: HALL_DAY, to: HALL_DAY, live: true };
    const value = { ...body.value, ...today, sources: { tickets: 'central', intake: 'local' } };
    await route.fulfill({ response, json: { ...body, value } });
  });
  await openAdminPage(page, '#/admin/dashboard');
  await expect(byTest(page, 'dashboard-source-tickets')).toHaveText(
    'ⓘ排队数据来自中心存档：暂时无法连接大厅排队服务，今天的实时排队数据未计入',
  );
  await expect(byTest(page, 'dashboard-source-intake')).toBeVisible();
  const ends = page.getByRole('combobox', { name: '统计日期' });
  await expect(ends.nth(0)).toHaveValue(HALL_DAY);
  await page.screenshot({ path: screenPath('dashboard-sources') });

  // "Last 7 days" ends on the hall day, whatever the PC's date; the page then asks for that range.
  await ends.nth(0).click();
  await page.locator('.el-picker-panel__shortcut', { hasText: '最近 7 天' }).click();
  await expect.poll(() => asked.at(-1)).toEqual({ from: '2030-06-08', to: HALL_DAY });
  // A past range from central's archive misses nothing live.
  await expect(byTest(page, 'dashboard-source-tickets')).toHaveText('ⓘ排队数据来自中心存档：暂时无法连接大厅排队服务');
  expect(watched.errors).toEqual([]);
});
