import crypto from 'node:crypto';
import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import type { OfficeLeader } from '@shared/console/office';
import { CONSOLE_API } from '@shared/console/session';
import { consoleClient } from '../../../fixtures/central-console';
import { TEST_PASSWORD, totpCode } from '../../../fixtures/central-identity';
import type { TestCentral } from '../../../fixtures/central-server';
import { startOwnHost } from '../casework-host';
import { hallTodayAt, screenPath, watchPage } from '../helpers';
import { HallApi } from '../intake-helpers';
import { NAME, PASSWORD, base32Decode, codeNow, documentPng, signIn as signInPane } from '../leader-fixture';
import {
  byTest,
  createPerson,
  expectAccessible,
  shanghaiDate,
  signIn,
  startConsoleCentral,
  type Person,
} from './console-fixture';

/**
 * The leader's office in the console against a real central, and the leader's pane on a browser host of
 * its own enrolled with that central for the leader: what the office uploads reaches the pane by its sync
 * and shows there watermarked; what the leader does with it comes back to the console.
 */
test.describe.configure({ timeout: 120_000 });

const LEADER_LOGIN = 'wang.juzhang';
const FILE_NAME = '专项督查通报.png';

let central: TestCentral;
let host: Awaited<ReturnType<typeof startOwnHost>>;
let hostRequest: APIRequestContext;
let office: Person;
let people = 0;
let leader: OfficeLeader;
let paneSecret: Buffer;

test.beforeAll(async ({ playwright }) => {
  central = await startConsoleCentral();
  const hall = await central.admin.createHall('LDOFFICE');
  await createPerson(central, { login: LEADER_LOGIN, name: NAME, roles: ['leader'], hallIds: [hall.id] });
  office = await officePerson();
  const leaders = await central.admin.request<OfficeLeader[]>('GET', `${CONSOLE_API}/office/leaders`);
  leader = leaders.json.find((l) => l.login === LEADER_LOGIN)!;

  // The leader's PC: its account takes central's id for the leader, then the PC is enrolled for that leader.
  host = await startOwnHost(hallTodayAt(10));
  hostRequest = await playwright.request.newContext({ baseURL: host.url });
  const hallApi = new HallApi(hostRequest);
  const enrolled = await hallApi.call<{ totpSecret: string; leaderId: string }>('admin', 'leader.admin.enrol', {
    login: LEADER_LOGIN,
    name: NAME,
    password: PASSWORD,
    leaderId: leader.leaderId,
  });
  expect(enrolled.leaderId).toBe(leader.leaderId);
  paneSecret = base32Decode(enrolled.totpSecret);
  await hallApi.call('admin', 'sync.enroll', {
    centralUrl: central.url,
    code: await central.admin.code(hall.id, 'leader', leader.leaderId),
  });

  // Today's calendar and a briefing, as the office would have written them earlier.
  const api = await officeApi();
  const day = shanghaiDate();
  for (const [title, start, end, kind] of [
    ['全区营商环境推进会', '09:30', '11:00', 'meeting'],
    ['调研政务服务中心', '10:30', '12:00', 'visit'],
    ['听取信访工作汇报', '15:00', '16:00', 'meeting'],
  ] as const) {
    const r = await api('POST', `/office/leaders/${leader.staffId}/schedules`, {
      title,
      kind,
      start: `${day}T${start}:00+08:00`,
      end: `${day}T${end}:00+08:00`,
      location: '三楼第一会议室',
      attendees: ['李明', '王芳'],
      notes: '',
      allowConflict: true,
    });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
  }
  const b = await api('POST', `/office/leaders/${leader.staffId}/briefings`, {
    kind: 'report',
    title: '关于窗口服务差评整改情况的报告',
    priority: 'urgent',
    body: '一、基本情况\n本周收到差评 3 件，均已整改。\n\n二、下一步工作\n继续加强窗口作风建设。',
  });
  expect(b.status).toBe(201);
});

test.afterAll(async () => {
  await hostRequest?.dispose();
  await host?.stop();
  await central?.stop();
});

/**
 * A person of the leader's office: a new one for each sign-in, as an authenticator code is accepted once and
 * only within a step of now.
 */
const officePerson = () =>
  createPerson(central, { login: `office${++people}`, name: '办公室秘书', roles: ['leader_office'], hallIds: [] });

/** The office person's console API outside the page (what the office wrote before the test). */
async function officeApi() {
  const res = await fetch(`${central.url}${CONSOLE_API}/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      login: office.login,
      password: TEST_PASSWORD,
      totp: totpCode(office.totpSecret, office.step++),
    }),
  });
  expect(res.status).toBe(200);
  return consoleClient(central.url, ((await res.json()) as { token: string }).token);
}

async function consolePage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await signIn(page, central, await officePerson());
  await byTest(page, 'nav-office').click();
  await expect(byTest(page, 'office-leaders')).toContainText(NAME);
  return page;
}

/** Reloads the leader's pane until its files list holds `name` (the pane lists what its last sync brought). */
async function paneShows(pane: Page, name: string) {
  await expect(async () => {
    await pane.reload();
    await pane.getByRole('tab', { name: '机要文件' }).click();
    await expect(byTest(pane, 'file-list').locator('tr', { hasText: name })).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
}

test('the office uploads a file in the console; the leader pane shows it watermarked after its sync; the leader’s approval comes back', async ({
  browser,
}) => {
  const page = await consolePage(browser);
  const watch = watchPage(page);
  const row = byTest(page, 'office-leaders').locator('tr', { hasText: NAME });
  await expect(row).toContainText('LDOFFICE');
  await expect(row).toContainText('1 台');
  await expectAccessible(page, 'office leaders');
  await page.screenshot({ path: screenPath('console-office-leaders') });

  await byTest(page, `office-leader-${LEADER_LOGIN}`).click();
  await expect(byTest(page, 'office-leader-title')).toHaveText(`${NAME} · 领导办公室`);
  await byTest(page, 'tab-office-files').click();
  await byTest(page, 'file-upload').click();
  const dialog = byTest(page, 'upload-dialog');
  await expect(dialog).toBeVisible();
  const input = byTest(page, 'upload-file');

  // Judged by the bytes: a PNG named .pdf, an executable renamed .jpg, a file over 20 MiB.
  const errorOf = (field: string) =>
    dialog.locator('.el-form-item', { has: byTest(page, field) }).locator('.el-form-item__error');
  const error = errorOf('upload-file');
  await input.setInputFiles({ name: '通报.pdf', mimeType: 'application/pdf', buffer: documentPng(40, 30) });
  await expect(error).toHaveText('按文件内容，这是PNG 图片，与声明的类型不符，不能上传');
  const exe = Buffer.from('MZ\x90\x00\x03\x00\x00\x00 This program cannot be run in DOS mode');
  await input.setInputFiles({ name: '照片.jpg', mimeType: 'image/jpeg', buffer: exe });
  await expect(error).toHaveText('按文件内容，这不是 PDF、PNG 或 JPEG 文件，不能上传');
  const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(21 * 1024 * 1024)]);
  await input.setInputFiles({ name: '大文件.pdf', mimeType: 'application/pdf', buffer: big });
  await expect(error).toHaveText('文件为 21.0 MB，超过 20 MiB，不能上传');
  await expectAccessible(page, 'upload refused');
  await page.screenshot({ path: screenPath('console-office-upload-refused') });

  await input.setInputFiles({ name: FILE_NAME, mimeType: 'image/png', buffer: documentPng() });
  await expect(byTest(page, 'upload-chosen')).toContainText('PNG 图片');
  await byTest(page, 'upload-submit').click();
  await expect(errorOf('upload-classification')).toHaveText('请选择密级');
  await expect(error).toHaveCount(0);
  await byTest(page, 'upload-classification-top_secret').click();
  await expect(errorOf('upload-classification')).toHaveCount(0);
  await expectAccessible(page, 'upload dialog');
  await page.screenshot({ path: screenPath('console-office-upload') });
  await byTest(page, 'upload-submit').click();
  await expect(dialog).toBeHidden();
  const fileRow = byTest(page, 'file-table').locator('tr', { hasText: FILE_NAME });
  await expect(fileRow.locator('[data-test="file-classification"]')).toHaveText('机密');
  await expect(fileRow.locator('[data-test="response-unread"]')).toHaveText('未读');

  // The leader's pane, after its sync: the file, watermarked with the leader's name.
  const pane = await browser.newPage({ baseURL: host.url, viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  const paneWatch = watchPage(pane);
  await pane.goto('/#/leader');
  await signInPane(pane, LEADER_LOGIN, await codeNow(hostRequest, paneSecret));
  await expect(byTest(pane, 'leader-name')).toContainText(NAME);
  await paneShows(pane, FILE_NAME);
  const paneRow = byTest(pane, 'file-list').locator('tr', { hasText: FILE_NAME });
  await expect(paneRow.locator('[data-test="classification"]')).toHaveText('机密');
  await paneRow.locator('[data-test="file-view"]').click();
  const canvas = byTest(pane, 'file-canvas');
  await expect(canvas).toHaveAttribute('data-rendered', 'true');
  await expect(byTest(pane, 'file-watermark')).toContainText(NAME);
  // The picture has no red; the watermark is red: it is burned into the pixels.
  const redPixels = await canvas.evaluate((c: HTMLCanvasElement) => {
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i]! > data[i + 1]! + 40 && data[i]! > data[i + 2]! + 40) n++;
    return n;
  });
  expect(redPixels).toBeGreaterThan(2000);
  await pane.screenshot({ path: screenPath('office-pane-file-watermark') });

  // The leader approves and comments (批示); both come back beside the file in the console.
  await byTest(pane, 'action-approve').click();
  await byTest(pane, 'action-comment-text').fill('请各窗口对照整改，月底前报结果');
  await byTest(pane, 'action-comment').click();
  await expect(byTest(pane, 'action-history')).toHaveCount(2);
  await expect(async () => {
    await page.reload();
    await expect(fileRow.locator('[data-test="response-approved"]')).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await expect(fileRow.locator('[data-test="response-comments"]')).toContainText('请各窗口对照整改，月底前报结果');
  await expectAccessible(page, 'office files');
  await page.screenshot({ path: screenPath('console-office-files'), fullPage: true });
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.screenshot({ path: screenPath('console-office-files-1920'), fullPage: true });
  expect(watch.errors).toEqual([]);
  expect(paneWatch.errors).toEqual([]);
  await pane.close();
  await page.context().close();
});

test('the calendar warns of an overlap before saving; briefings take plain text only', async ({ browser }) => {
  const page = await consolePage(browser);
  const watch = watchPage(page);
  await byTest(page, `office-leader-${LEADER_LOGIN}`).click();
  const items = byTest(page, 'calendar-item');
  await expect(items).toHaveCount(3);
  await expect(byTest(page, 'item-conflict')).toHaveCount(2);
  await expect(items.filter({ hasText: '听取信访工作汇报' }).locator('[data-test="item-conflict"]')).toHaveCount(0);
  await expectAccessible(page, 'office calendar week');
  await page.screenshot({ path: screenPath('console-office-calendar-week'), fullPage: true });

  // A new item at the default 09:00–10:00 overlaps the 09:30 meeting: a warning, then saved on purpose.
  await byTest(page, 'calendar-day').click();
  await byTest(page, 'calendar-create').click();
  await byTest(page, 'schedule-title').fill('会见来访企业代表');
  await byTest(page, 'schedule-attendees').fill('李明、张华');
  await byTest(page, 'schedule-save').click();
  await expect(byTest(page, 'schedule-conflicts')).toContainText('全区营商环境推进会');
  await expectAccessible(page, 'schedule conflict warning');
  await page.screenshot({ path: screenPath('console-office-schedule-conflict') });
  await byTest(page, 'schedule-save-anyway').click();
  await expect(byTest(page, 'schedule-dialog')).toBeHidden();
  const added = items.filter({ has: page.locator('[data-test="item-title"]', { hasText: '会见来访企业代表' }) });
  await expect(added.locator('[data-test="item-conflict"]')).toHaveText('时间冲突');
  await expect(added).toContainText('李明、张华');

  // Cancelled: gone from the calendar, shown struck through on request.
  await added.locator('[data-test="item-cancel"]').click();
  await page.getByRole('dialog').getByRole('button', { name: '取消日程' }).click();
  await expect(added).toHaveCount(0);
  await byTest(page, 'calendar-show-cancelled').click();
  await expect(added.locator('[data-test="item-cancelled"]')).toHaveText('已取消');
  await expectAccessible(page, 'office calendar day');
  await page.screenshot({ path: screenPath('console-office-calendar-day'), fullPage: true });

  await byTest(page, 'tab-office-briefings').click();
  await expect(byTest(page, 'briefing-table')).toContainText('关于窗口服务差评整改情况的报告');
  await byTest(page, 'briefing-create').click();
  await byTest(page, 'briefing-title').fill('一季度营商环境简报');
  await byTest(page, 'briefing-body').fill('一、总体情况\n<b>新设市场主体</b>同比增长。');
  await byTest(page, 'briefing-save').click();
  const bodyItem = byTest(page, 'briefing-dialog').locator('.el-form-item', { has: byTest(page, 'briefing-body') });
  await expect(bodyItem.locator('.el-form-item__error')).toHaveText('正文为纯文本，不能含网页标记（如 <b>）');
  await byTest(page, 'briefing-body').fill('一、总体情况\n新设市场主体同比增长。\n\n二、下一步工作\n优化审批流程。');
  await expect(byTest(page, 'briefing-preview')).toContainText('二、下一步工作');
  await expectAccessible(page, 'briefing dialog');
  await page.screenshot({ path: screenPath('console-office-briefing-dialog') });
  await byTest(page, 'briefing-save').click();
  await expect(byTest(page, 'briefing-dialog')).toBeHidden();
  await expect(byTest(page, 'briefing-table')).toContainText('一季度营商环境简报');
  await expectAccessible(page, 'office briefings');
  await page.screenshot({ path: screenPath('console-office-briefings'), fullPage: true });
  // The warning is central's answer 409 to the first save, which the browser logs.
  expect(watch.errors.filter((e) => !e.includes('status of 409'))).toEqual([]);
  await page.context().close();
});

test('a person of another role has no leader’s office', async ({ browser }) => {
  const supervisor = await createPerson(central, {
    login: `sup.${crypto.randomUUID().slice(0, 6)}`,
    name: '督查员',
    roles: ['supervisor'],
    hallIds: [leader.halls[0]!.id],
  });
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await signIn(page, central, supervisor);
  await expect(byTest(page, 'nav-office')).toHaveCount(0);
  await page.goto(`${central.url}/console/office/${leader.staffId}/files`);
  await expect(page).toHaveURL(/\/console\/forbidden/);
  await context.close();
});
