import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { expect, test, type Browser, type Page } from '@playwright/test';
import readExcelFile from 'read-excel-file/node';
import type { ArchivedTicket, QueueDayArchivedArgs } from '@shared/sync/mutations/queue';
import { hallDevice, mutation } from '../../../fixtures/central-console';
import type { TestCentral } from '../../../fixtures/central-server';
import { screenPath } from '../helpers';
import {
  byTest,
  createPerson,
  expectAccessible,
  seedCatalog,
  shanghaiDate,
  signIn,
  startConsoleCentral,
} from './console-fixture';

/**
 * The cross-hall analysis in Chromium against a real central: two halls whose counters pushed cases and
 * ratings and whose hubs archived today's tickets; the leader's office ranks them, sorts, and exports.
 */
test.describe.configure({ timeout: 90_000 });

const uuid = () => crypto.randomUUID();
const MIN = 60_000;
let central: TestCentral;
const today = shanghaiDate();

/** A hall with its catalog (market and housing), a counter and a hub enrolled at central. */
async function hall(code: string, name: string) {
  const created = await central.admin.request<{ id: string }>('POST', '/admin/v1/halls', { code, name });
  expect(created.status).toBe(201);
  const hallId = created.json.id;
  await seedCatalog(central, hallId);
  const counter = await hallDevice(central, hallId, 'counter');
  const hub = await hallDevice(central, hallId, 'hub');
  const push = async (device: typeof counter, ...ms: { name: string; args: unknown }[]) => {
    const outcomes = await device.push(...ms);
    expect(outcomes.map((o) => o.status)).toEqual(ms.map(() => 'applied'));
  };
  let seq = 0;
  return {
    id: hallId,
    /** A visit accepting a case of `matterCode` (department `departmentId`), rated `level`. */
    async visit(matterCode: string, departmentId: string, level: number) {
      const [applicantId, visitId, caseId] = [uuid(), uuid(), uuid()];
      const at = new Date().toISOString();
      const caseNumber = `${code}-${today.replaceAll('-', '')}-C1-${String(++seq).padStart(4, '0')}`;
      await push(
        counter,
        mutation('applicant.upsert@1', {
          applicantId,
          kind: 'person',
          name: `申请人${caseNumber}`,
          idType: 'resident_id',
          idHash: crypto.createHash('sha256').update(caseNumber).digest('hex'),
          idMasked: '110105********1234',
          phone: '13800138000',
          segment: 'citizen',
          orgType: null,
          contactName: null,
          at,
        }),
        mutation('visit.record@1', {
          visitId,
          counterId: 'w1',
          counterNumber: 1,
          clerkName: '李窗口',
          ticketId: null,
          ticketNumber: null,
          hallDay: today,
          applicantId,
          startedAt: at,
        }),
        mutation('case.create@1', {
          caseId,
          caseNumber,
          state: 'dispatched',
          applicantId,
          matterCode,
          departmentId,
          visitId,
          ticketId: null,
          ticketNumber: null,
          counterId: 'w1',
          counterNumber: 1,
          clerkName: '李窗口',
          feeFen: 0,
          materials: [
            { materialId: 'm-form', requirement: 'required', status: 'received' },
            { materialId: 'm-id', requirement: 'required', status: 'received' },
            { materialId: 'm-lease', requirement: 'tolerant', status: 'tolerated' },
          ],
          createdAt: at,
          acceptedAt: at,
          promisedDate: shanghaiDate(14),
          toleranceDueDate: shanghaiDate(14),
          rejectReason: null,
          events: [
            { action: 'accept', fromState: 'draft', toState: 'accepted', at },
            { action: 'dispatch', fromState: 'accepted', toState: 'dispatched', at },
          ],
        }),
        mutation('rating.submit@1', {
          ratingId: uuid(),
          visitId,
          level,
          reasons: level <= 2 ? ['attitude'] : [],
          comment: '',
          at,
        }),
      );
    },
    /** Today's tickets as the hub archives them: each served after waiting its minutes. */
    async archiveDay(waits: number[]) {
      const start = Date.now() - 8 * 60 * MIN;
      const iso = (ms: number) => new Date(ms).toISOString();
      const tickets: ArchivedTicket[] = waits.map((wait, i) => {
        const issued = start + i * 20 * MIN;
        return {
          id: uuid(),
          queueId: 'general',
          parentId: null,
          state: 'done',
          counterId: 'w1',
          issuedAt: iso(issued),
          firstCalledAt: iso(issued + wait * MIN),
          serviceStartedAt: iso(issued + wait * MIN),
          finishedAt: iso(issued + (wait + 5) * MIN),
          finishedBy: { clerkId: 'clerk01', name: '李窗口', at: iso(issued + (wait + 5) * MIN) },
        };
      });
      const args: QueueDayArchivedArgs = {
        hallDay: today,
        chunk: 0,
        chunks: 1,
        queues: [{ id: 'general', nameZh: '综合受理', nameEn: 'General', sortOrder: 1 }],
        counters: [{ id: 'w1', number: 1, name: '1号窗口' }],
        tickets,
        sessions: [],
      };
      await push(hub, { name: 'queue.day.archived@1', args });
    },
  };
}

let office: Awaited<ReturnType<typeof createPerson>>;

test.beforeAll(async () => {
  central = await startConsoleCentral();
  // 东城: three cases (two market, one housing) rated 5, 4 and 1; four tickets waiting 2, 4, 6 and 8 minutes.
  const east = await hall('EAST', '东城政务服务中心');
  await east.visit('SC-001', 'market', 5);
  await east.visit('SC-001', 'market', 4);
  await east.visit('ZJ-001', 'housing', 1);
  await east.archiveDay([2, 4, 6, 8]);
  // 西城: one market case rated 5; two tickets waiting 10 and 20 minutes.
  const west = await hall('WEST', '西城政务服务中心');
  await west.visit('SC-001', 'market', 5);
  await west.archiveDay([10, 20]);
  office = await createPerson(central, { login: 'office1', name: '周主任', roles: ['leader_office'], hallIds: [] });
});
test.afterAll(async () => {
  await central?.stop();
});

/** The page's "this month so far" is the browser's: in the halls' zone, as an office in the county has it. */
async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  return context.newPage();
}

const ranking = (page: Page, table: 'halls' | 'departments') => byTest(page, `ranking-${table}`);
/** The names of a ranking's rows, top to bottom. */
const names = (page: Page, table: 'halls' | 'departments') =>
  ranking(page, table).locator('tbody [data-test="row-name"]').allTextContents();
const row = (page: Page, table: 'halls' | 'departments', name: string) =>
  ranking(page, table).locator('tbody tr', { has: page.getByText(name, { exact: true }) });
const cell = (page: Page, table: 'halls' | 'departments', name: string, key: string) =>
  row(page, table, name).locator(`[data-test="cell-${key}"]`);

test('the leader’s office ranks the halls and departments, sorts them and exports both rankings', async ({
  browser,
}) => {
  const page = await newPage(browser);
  await signIn(page, central, office, '/console/analysis');
  await expect(page.locator('h1')).toHaveText('跨厅分析');
  await expect(byTest(page, 'nav-analysis')).toHaveAttribute('aria-current', 'page');
  // This month so far, by default.
  await expect(page.locator('#analysis-from')).toHaveValue(`${today.slice(0, 8)}01`);
  await expect(page.locator('#analysis-to')).toHaveValue(today);

  // Most cases accepted first.
  await expect.poll(() => names(page, 'halls')).toEqual(['东城政务服务中心', '西城政务服务中心']);
  const east = (key: string) => cell(page, 'halls', '东城政务服务中心', key);
  await expect(east('casesAccepted')).toHaveText('3');
  await expect(east('casesOverdue')).toHaveText('0');
  await expect(east('casesAgainstPromise')).toHaveText('—');
  await expect(east('ticketsIssued')).toHaveText('4');
  await expect(east('ticketsServed')).toHaveText('4');
  await expect(east('ticketsAvgWait')).toHaveText('5:00');
  await expect(east('ticketsP90Wait')).toHaveText('8:00');
  await expect(east('ratingsTotal')).toHaveText('3');
  await expect(east('ratingsSatisfaction')).toHaveText('66.7%');
  await expect(east('ratingsBad')).toHaveText('1');
  await expect(east('ratingsRectification')).toHaveText('0.0%');
  await expect(cell(page, 'halls', '西城政务服务中心', 'ticketsAvgWait')).toHaveText('15:00');
  // Departments over both halls; a department has no queue column.
  await expect.poll(() => names(page, 'departments')).toEqual(['市场监管局', '住建局']);
  await expect(cell(page, 'departments', '市场监管局', 'casesAccepted')).toHaveText('3');
  await expect(cell(page, 'departments', '住建局', 'ratingsBad')).toHaveText('1');
  await expect(ranking(page, 'departments').locator('[data-test="cell-ticketsIssued"]')).toHaveCount(0);

  // Sorted by the average wait: longest first, then the other way round.
  await byTest(page, 'sort-halls-ticketsAvgWait').click();
  await expect.poll(() => names(page, 'halls')).toEqual(['西城政务服务中心', '东城政务服务中心']);
  await expect(byTest(page, 'sort-halls-ticketsAvgWait')).toContainText('当前降序');
  await byTest(page, 'sort-halls-ticketsAvgWait').click();
  await expect.poll(() => names(page, 'halls')).toEqual(['东城政务服务中心', '西城政务服务中心']);
  await byTest(page, 'sort-halls-ticketsAvgWait').click();
  await expect.poll(() => names(page, 'halls')).toEqual(['西城政务服务中心', '东城政务服务中心']);

  await expectAccessible(page, 'analysis');
  await page.screenshot({ path: screenPath('console-analysis-1366'), fullPage: true });

  // CSV: UTF-8 with a byte order mark, the rankings in the order shown, durations in seconds.
  const [csvDownload] = await Promise.all([page.waitForEvent('download'), byTest(page, 'export-csv').click()]);
  expect(csvDownload.suggestedFilename()).toBe(`跨厅分析_${today.slice(0, 8)}01_${today}.csv`);
  const csv = fs.readFileSync((await csvDownload.path())!);
  expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = csv.toString('utf8').slice(1).split('\r\n');
  expect(lines.slice(0, 3)).toEqual(['说明', '项目,内容', `统计范围,${today.slice(0, 8)}01 – ${today}`]);
  const halls = lines.indexOf('大厅排名');
  expect(lines[halls + 1]).toBe(
    '排名,大厅,编码,办件·受理,办件·办结,办件·超期在办,办件·较承诺（工作日）,排队·取号,排队·已完成,' +
      '排队·平均等候（秒）,排队·P90 等候（秒）,好差评·评价,好差评·满意率（%）,好差评·差评,' +
      '好差评·整改率（%）,投诉与回访·投诉,投诉与回访·回访率（%）',
  );
  expect(lines[halls + 2]).toBe('1,西城政务服务中心,WEST,1,0,0,,2,2,900,1200,1,100,0,,0,');
  expect(lines[halls + 3]).toBe('2,东城政务服务中心,EAST,3,0,0,,4,4,300,480,3,66.7,1,0,0,');
  const departments = lines.indexOf('部门排名');
  expect(lines[departments + 2]).toBe('1,市场监管局,3,0,0,,3,100,0,,0,');

  // XLSX: the same rankings read back, figures as numbers and waits as time values.
  const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), byTest(page, 'export-xlsx').click()]);
  expect(xlsxDownload.suggestedFilename()).toBe(`跨厅分析_${today.slice(0, 8)}01_${today}.xlsx`);
  const xlsx = (await xlsxDownload.path())!;
  const sheets = await readExcelFile(xlsx);
  expect(sheets.map((s) => s.sheet)).toEqual(['说明', '大厅排名', '部门排名']);
  const hallSheet = sheets.find((s) => s.sheet === '大厅排名')!.data;
  expect(hallSheet[0]!.slice(0, 4)).toEqual(['排名', '大厅', '编码', '办件·受理']);
  expect(hallSheet.slice(1).map((r) => r.slice(0, 4))).toEqual([
    [1, '西城政务服务中心', 'WEST', 1],
    [2, '东城政务服务中心', 'EAST', 3],
  ]);
  const waitColumn = hallSheet[0]!.indexOf('排队·平均等候（分:秒）');
  const avgWait = hallSheet[2]![waitColumn] as unknown as Date;
  expect(avgWait).toBeInstanceOf(Date);
  expect(Math.round((avgWait.getTime() - Date.UTC(1899, 11, 30)) / 1000)).toBe(300);
  expect(hallSheet[2]![hallSheet[0]!.indexOf('好差评·满意率（%）')]).toBe(66.7);
  expect(execFileSync('unzip', ['-p', xlsx, 'xl/worksheets/sheet2.xml'], { encoding: 'utf8' })).toMatch(
    /<pane [^>]*ySplit="1"[^>]*state="frozen"/,
  );

  // In English: the same rankings under English headings.
  await byTest(page, 'locale-switch').click();
  await expect(page.locator('h1')).toHaveText('Cross-hall analysis');
  await expect(byTest(page, 'sort-halls-ticketsAvgWait')).toContainText('sorted descending');
  await expect.poll(() => names(page, 'halls')).toEqual(['西城政务服务中心', '东城政务服务中心']);
  await expectAccessible(page, 'analysis in English');
  await page.screenshot({ path: screenPath('console-analysis-en-1366'), fullPage: true });
  await page.context().close();
});

test('a range the contract refuses is named beside its field, in the page’s words', async ({ browser }) => {
  const page = await newPage(browser);
  await signIn(page, central, office, '/console/analysis');
  await expect.poll(() => names(page, 'halls')).toHaveLength(2);
  const setDate = async (field: 'from' | 'to', date: string) => {
    const input = page.locator(`#analysis-${field}`);
    await input.fill(date);
    await input.press('Enter');
  };
  /** The message beside a field (none: no such element once its leave transition ends). */
  const error = (field: 'from' | 'to') =>
    page.locator('.el-form-item', { has: page.locator(`#analysis-${field}`) }).locator('.el-form-item__error');
  await setDate('from', '2020-01-01');
  await byTest(page, 'analysis-search').click();
  await expect(error('to')).toHaveText('日期范围最长 366 天');
  await expect(error('from')).toHaveCount(0);
  await setDate('from', shanghaiDate(1));
  await byTest(page, 'analysis-search').click();
  await expect(error('from')).toHaveText('开始日期不能晚于结束日期');
  await expect(error('to')).toHaveCount(0);
  // Nothing was asked of central: the rankings still show the month so far.
  await expect.poll(() => names(page, 'halls')).toHaveLength(2);
  await expect(byTest(page, 'analysis-generated')).toContainText(`${today.slice(0, 8)}01 – ${today}`);
  await expectAccessible(page, 'analysis with a refused range');
  await page.context().close();
});
