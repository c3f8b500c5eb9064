import { expect, test, type Browser, type Page } from '@playwright/test';
import { CONSOLE_API } from '@shared/console/session';
import { consoleClient } from '../../../fixtures/central-console';
import { TEST_PASSWORD, totpCode } from '../../../fixtures/central-identity';
import type { TestCentral } from '../../../fixtures/central-server';
import { screenPath } from '../helpers';
import {
  byTest,
  counterDevice,
  createPerson,
  expectAccessible,
  seedCatalog,
  shanghaiDate,
  signIn,
  startConsoleCentral,
  type Person,
} from './console-fixture';

/**
 * The central console in Chromium against a real central (Fastify + a throw-away PostgreSQL database),
 * fed by a simulated counter pushing the intake's real mutations.
 */
test.describe.configure({ timeout: 90_000 });

let central: TestCentral;
let hall: { id: string; code: string; name: string };
let counter: Awaited<ReturnType<typeof counterDevice>>;
let people = 0;

/**
 * A new person for each test: an authenticator code is accepted once and only within a step of now, so a
 * person signs in a few times a minute at most.
 */
const person = (name: string, roles: string[], scope: { hallIds?: string[]; departmentIds?: string[] }) =>
  createPerson(central, {
    login: `p${++people}.${roles[0]!.replace('_', '')}`,
    name,
    roles,
    hallIds: scope.hallIds ?? [],
    departmentIds: scope.departmentIds,
  });
const marketHandler = (name = '赵经办') => person(name, ['department_handler'], { departmentIds: ['market'] });

test.beforeAll(async () => {
  central = await startConsoleCentral();
  hall = await central.admin.createHall('CONS');
  await seedCatalog(central, hall.id);
  counter = await counterDevice(central, hall.id, hall.code);
});
test.afterAll(async () => {
  await central?.stop();
});

/** The person's console API session outside the page (another handler acting at the same time). */
async function apiSession(who: Person) {
  const res = await fetch(`${central.url}${CONSOLE_API}/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: who.login, password: TEST_PASSWORD, totp: totpCode(who.totpSecret, who.step++) }),
  });
  expect(res.status).toBe(200);
  return consoleClient(central.url, ((await res.json()) as { token: string }).token);
}

const queueRow = (page: Page, caseNumber: string) =>
  byTest(page, 'queue-table').locator('tr', { has: page.getByText(caseNumber, { exact: true }) });

async function openCase(page: Page, caseNumber: string) {
  await byTest(page, 'nav-cases').click();
  await queueRow(page, caseNumber).getByRole('link', { name: caseNumber }).click();
  await expect(byTest(page, 'case-title')).toContainText(caseNumber);
  await expect(page.locator('h1')).toBeFocused();
}

/** Runs one action from the case page with its note; waits for the new state in words. */
async function act(page: Page, action: string, note: string, state: string) {
  await byTest(page, `action-${action}`).click();
  await expect(byTest(page, 'action-dialog')).toBeVisible();
  await byTest(page, 'action-note').fill(note);
  await byTest(page, 'action-submit').click();
  await expect(byTest(page, 'action-dialog')).toBeHidden();
  await expect(byTest(page, 'case-facts').locator('[data-test="status"]')).toHaveText(state);
}

async function newPage(browser: Browser, size = { width: 1366, height: 768 }) {
  const context = await browser.newContext({ viewport: size, locale: 'zh-CN' });
  return context.newPage();
}

test('a department handler signs in and works a case to 办结; it leaves the open queue', async ({ browser }) => {
  const done = await counter.dispatchCase({
    applicant: '张三',
    matterCode: 'SC-001',
    departmentId: 'market',
    promisedDate: shanghaiDate(14),
  });
  const soon = await counter.dispatchCase({
    applicant: '王五',
    matterCode: 'SC-001',
    departmentId: 'market',
    promisedDate: shanghaiDate(1),
  });
  const late = await counter.dispatchCase({
    applicant: '陈六',
    matterCode: 'SC-001',
    departmentId: 'market',
    promisedDate: shanghaiDate(-3),
    acceptedAt: new Date(Date.now() - 20 * 864e5).toISOString(),
  });
  const handler = await marketHandler();
  const page = await newPage(browser);

  // The sign-in refuses a wrong password in words, and asks for the authenticator's code.
  await page.goto(`${central.url}/console/`);
  await expect(page).toHaveURL(/\/console\/sign-in/);
  await expectAccessible(page, 'sign-in');
  await page.screenshot({ path: screenPath('console-sign-in-1366') });
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.screenshot({ path: screenPath('console-sign-in-1920') });
  await page.setViewportSize({ width: 1366, height: 768 });
  await byTest(page, 'sign-in-login').fill(handler.login);
  await byTest(page, 'sign-in-password').fill('wrong-password-1');
  await byTest(page, 'sign-in-totp').fill(totpCode(handler.totpSecret, handler.step++));
  await byTest(page, 'sign-in-submit').click();
  await expect(byTest(page, 'sign-in-error')).toHaveText('账号或密码错误');
  await byTest(page, 'sign-in-password').fill(TEST_PASSWORD);
  await byTest(page, 'sign-in-submit').click();
  await expect(byTest(page, 'sign-in-error')).toHaveText('请输入身份验证器上的 6 位动态码');
  await byTest(page, 'sign-in-password').fill(TEST_PASSWORD);
  await byTest(page, 'sign-in-totp').fill(totpCode(handler.totpSecret, handler.step++));
  await byTest(page, 'sign-in-submit').click();

  // The handler lands on the work queue: names, roles, the department's cases with their due colours in words.
  await expect(page).toHaveURL(/\/console\/cases$/);
  await expect(byTest(page, 'who-name')).toHaveText('赵经办');
  await expect(byTest(page, 'who')).toContainText('部门经办人');
  await expect(queueRow(page, done.caseNumber)).toContainText('张*');
  await expect(queueRow(page, done.caseNumber)).toContainText('已分办');
  await expect(queueRow(page, soon.caseNumber).locator('[data-test="due"]')).toContainText('即将到期');
  await expect(queueRow(page, late.caseNumber).locator('[data-test="due"]')).toContainText('已超期');
  await expect(byTest(page, 'tile-overdue')).toContainText('1');
  await expect(byTest(page, 'reminders-count')).toBeVisible();
  await expectAccessible(page, 'work queue');
  await page.screenshot({ path: screenPath('console-work-queue-1366') });
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.screenshot({ path: screenPath('console-work-queue-1920') });
  await page.setViewportSize({ width: 1366, height: 768 });

  // Search by applicant, then by case number.
  await byTest(page, 'filter-q').fill('王五');
  await byTest(page, 'filter-search').click();
  await expect(byTest(page, 'queue-table').locator('tbody tr')).toHaveCount(1);
  await expect(queueRow(page, soon.caseNumber)).toBeVisible();
  await byTest(page, 'filter-reset').click();
  await expect(queueRow(page, done.caseNumber)).toBeVisible();

  await openCase(page, done.caseNumber);
  await expect(byTest(page, 'case-materials')).toContainText('申请书');
  await expect(byTest(page, 'case-materials')).toContainText('容缺后补');
  await expect(byTest(page, 'history')).toContainText('分办');
  await expectAccessible(page, 'case page');
  await page.screenshot({ path: screenPath('console-case-1366'), fullPage: true });
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.screenshot({ path: screenPath('console-case-1920'), fullPage: true });
  await page.setViewportSize({ width: 1366, height: 768 });

  await act(page, 'review', '材料齐全，进入审查', '受理审查中');
  await act(page, 'start', '开始办理', '办理中');
  await byTest(page, 'action-complete').click();
  await byTest(page, 'outcome-approved').click();
  await byTest(page, 'pickup-counter').click();
  await byTest(page, 'action-note').fill('准予设立，请到窗口领取执照');
  await expectAccessible(page, 'complete form');
  await byTest(page, 'action-submit').click();
  await expect(byTest(page, 'case-facts').locator('[data-test="status"]')).toHaveText('已办结');
  await expect(byTest(page, 'case-outcome')).toContainText('准予');
  await expect(byTest(page, 'case-outcome')).toContainText('窗口领取');
  await expect(byTest(page, 'history')).toContainText('准予设立，请到窗口领取执照');

  // Completed: no longer in the open queue.
  await byTest(page, 'nav-cases').click();
  await expect(queueRow(page, soon.caseNumber)).toBeVisible();
  await expect(queueRow(page, done.caseNumber)).toHaveCount(0);
  await page.context().close();
});

test('a case changed behind the page: the conflict dialog keeps the note and the handler re-applies it', async ({
  browser,
}) => {
  const c = await counter.dispatchCase({
    applicant: '周七',
    matterCode: 'SC-001',
    departmentId: 'market',
    promisedDate: shanghaiDate(10),
  });
  const page = await newPage(browser);
  await signIn(page, central, await marketHandler());
  await openCase(page, c.caseNumber);

  // Another handler of the department reviews the case while this page still shows it dispatched.
  const other = await apiSession(await marketHandler('钱经办'));
  expect(
    (await other('POST', `/cases/${c.caseId}/actions`, { version: 1, act: { action: 'review', note: '钱先看' } }))
      .status,
  ).toBe(200);

  await byTest(page, 'action-start').click();
  await byTest(page, 'action-note').fill('我来办理，已电话联系申请人');
  await byTest(page, 'action-submit').click();
  const dialog = byTest(page, 'conflict-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('办件已被他人更新');
  await expect(byTest(page, 'conflict-yours')).toContainText('已分办');
  await expect(byTest(page, 'conflict-now')).toContainText('受理审查中');
  await expect(byTest(page, 'conflict-latest')).toContainText('钱经办');
  await expect(byTest(page, 'conflict-note')).toHaveValue('我来办理，已电话联系申请人');
  await expectAccessible(page, 'conflict dialog');
  await page.screenshot({ path: screenPath('console-conflict-1366') });

  await byTest(page, 'conflict-reload').click();
  await expect(byTest(page, 'case-facts').locator('[data-test="status"]')).toHaveText('受理审查中');
  // The form is back with what was typed; submitted again on the version now shown.
  await expect(byTest(page, 'action-note')).toHaveValue('我来办理，已电话联系申请人');
  await byTest(page, 'action-submit').click();
  await expect(byTest(page, 'case-facts').locator('[data-test="status"]')).toHaveText('办理中');
  await page.context().close();
});

test('a 补正通知 asks for two materials of the checklist, each with its note', async ({ browser }) => {
  const c = await counter.dispatchCase({
    applicant: '吴八',
    matterCode: 'SC-001',
    departmentId: 'market',
    promisedDate: shanghaiDate(10),
  });
  const page = await newPage(browser);
  await signIn(page, central, await marketHandler());
  await openCase(page, c.caseNumber);
  await act(page, 'start', '', '办理中');

  await byTest(page, 'action-request_supplement').click();
  // Nothing picked: the form says so before anything is sent.
  await byTest(page, 'action-submit').click();
  await expect(byTest(page, 'missing-error')).toHaveText('至少选择或填写一项补正材料');
  await byTest(page, 'supplement-pick-m-id').click();
  await expect(byTest(page, 'missing-error')).toBeHidden();
  await byTest(page, 'supplement-note-m-id').fill('身份证复印件不清晰，请重新提供');
  await byTest(page, 'supplement-pick-m-lease').click();
  await byTest(page, 'supplement-note-m-lease').fill('补交租赁合同原件');
  await byTest(page, 'action-note').fill('请于5个工作日内补正');
  await expectAccessible(page, 'supplement form');
  await page.screenshot({ path: screenPath('console-supplement-1366') });
  await byTest(page, 'action-submit').click();
  await expect(byTest(page, 'case-facts').locator('[data-test="status"]')).toHaveText('补正中');
  const missing = byTest(page, 'case-missing');
  await expect(missing.locator('li')).toHaveCount(2);
  await expect(missing).toContainText('身份证明：身份证复印件不清晰，请重新提供');
  await expect(missing).toContainText('经营场所证明：补交租赁合同原件');
  await page.context().close();
});

test('forms show their field errors beside the fields; another department’s case is refused', async ({ browser }) => {
  const c = await counter.dispatchCase({
    applicant: '郑九',
    matterCode: 'SC-001',
    departmentId: 'market',
    promisedDate: shanghaiDate(10),
  });
  const housing = await counter.dispatchCase({
    applicant: '冯十',
    matterCode: 'ZJ-001',
    departmentId: 'housing',
    promisedDate: shanghaiDate(10),
  });
  const page = await newPage(browser);
  await signIn(page, central, await marketHandler());
  await openCase(page, c.caseNumber);
  await act(page, 'start', '', '办理中');

  await byTest(page, 'action-complete').click();
  await byTest(page, 'outcome-denied').click();
  // The appeal route starts from the statutory wording.
  await expect(byTest(page, 'complete-appeal')).toHaveValue(/60日内依法申请行政复议/);
  await byTest(page, 'complete-appeal').fill('');
  await byTest(page, 'pickup-post').click();
  await byTest(page, 'complete-tracking').fill('EMS 123');
  await byTest(page, 'action-submit').click();
  const dialog = byTest(page, 'action-dialog');
  await expect(dialog.locator('.el-form-item', { has: byTest(page, 'complete-reason') })).toContainText(
    '不予决定须写明理由',
  );
  await expect(dialog.locator('.el-form-item', { has: byTest(page, 'complete-appeal') })).toContainText(
    '不予决定须写明救济途径',
  );
  await expect(dialog.locator('.el-form-item', { has: byTest(page, 'complete-tracking') })).toContainText(
    '快递单号只能含字母、数字和短横线',
  );
  await expectAccessible(page, 'form errors');
  await page.screenshot({ path: screenPath('console-form-errors-1366') });
  await byTest(page, 'action-cancel').click();

  // 退回 needs its reason.
  await byTest(page, 'action-return').click();
  await byTest(page, 'action-submit').click();
  await expect(dialog.locator('.el-form-item', { has: byTest(page, 'action-note') })).toContainText('请写明退回原因');
  await byTest(page, 'action-cancel').click();
  await expect(byTest(page, 'case-facts').locator('[data-test="status"]')).toHaveText('办理中');

  // A case of the housing department is not this handler's.
  await page.goto(`${central.url}/console/cases/${housing.caseId}`);
  await expect(byTest(page, 'case-error')).toHaveText('此办件不属于你的部门，无权查看或办理。');
  await page.context().close();
});

test('bulk 办结 reports each case; a session central ended goes back to the sign-in', async ({ browser }) => {
  const ready = await counter.dispatchCase({
    applicant: '蒋一',
    matterCode: 'SC-001',
    departmentId: 'market',
    promisedDate: shanghaiDate(9),
  });
  const fresh = await counter.dispatchCase({
    applicant: '沈二',
    matterCode: 'SC-001',
    departmentId: 'market',
    promisedDate: shanghaiDate(9),
  });
  const other = await apiSession(await marketHandler('钱经办'));
  expect(
    (await other('POST', `/cases/${ready.caseId}/actions`, { version: 1, act: { action: 'start', note: '' } })).status,
  ).toBe(200);

  const page = await newPage(browser);
  await signIn(page, central, await marketHandler());
  await byTest(page, `select-${ready.caseNumber}`).click();
  await byTest(page, `select-${fresh.caseNumber}`).click();
  await expect(byTest(page, 'bulk-count')).toHaveText('已选 2 件');
  await byTest(page, 'bulk-complete').click();
  await byTest(page, 'bulk-note').fill('批量办结，窗口领取');
  await byTest(page, 'bulk-submit').click();
  await expect(byTest(page, 'bulk-summary')).toHaveText('成功 1 件，失败 1 件');
  await expect(byTest(page, `bulk-result-${ready.caseNumber}`)).toContainText('成功');
  await expect(byTest(page, `bulk-result-${fresh.caseNumber}`)).toContainText('办件当前状态不允许此操作');
  await expectAccessible(page, 'bulk results');
  await byTest(page, 'bulk-close').click();
  await expect(queueRow(page, ready.caseNumber)).toHaveCount(0);
  await expect(queueRow(page, fresh.caseNumber)).toBeVisible();

  // Central ends the session (signed out elsewhere, expired): the next call brings the sign-in back.
  const token = await page.evaluate(() => sessionStorage.getItem('onewindow.console.session'));
  await fetch(`${central.url}${CONSOLE_API}/session`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${token}` },
  });
  await byTest(page, 'nav-supervision').click();
  await expect(byTest(page, 'sign-in-notice')).toHaveText('会话已过期，请重新登录');
  await expect(page).toHaveURL(/redirect=(%2F|\/)supervision$/);
  await page.context().close();
});

test('a supervisor assigns a complaint, the department answers, the supervisor records the 回访 and closes it', async ({
  browser,
}) => {
  const number = `${hall.code}-FK-${shanghaiDate().replaceAll('-', '')}-0001`;
  const { feedbackId } = await counter.fileComplaint({
    number,
    content: '窗口办理个体户登记排队时间过长，工作人员解释不清。',
    dueDate: shanghaiDate(5),
  });

  const sup = await newPage(browser);
  await signIn(sup, central, await person('李督查', ['supervisor'], { hallIds: [hall.id] }));
  await expect(sup).toHaveURL(/\/console\/supervision$/);
  const row = byTest(sup, 'supervision-table').locator('tr', { has: sup.getByText(number, { exact: true }) });
  await expect(row).toContainText('待处理');
  await expectAccessible(sup, 'supervision queue');
  await sup.screenshot({ path: screenPath('console-supervision-1366') });
  await sup.setViewportSize({ width: 1920, height: 1080 });
  await sup.screenshot({ path: screenPath('console-supervision-1920') });
  await sup.setViewportSize({ width: 1366, height: 768 });
  await row.getByRole('link', { name: number }).click();
  await expect(byTest(sup, 'feedback-content')).toContainText('排队时间过长');
  await expect(byTest(sup, 'feedback-facts')).toContainText('王**');
  await expectAccessible(sup, 'feedback page');

  await byTest(sup, 'faction-assign').click();
  await byTest(sup, 'assign-department').click();
  await sup.getByRole('option', { name: '市场监管局' }).click();
  await byTest(sup, 'feedback-note').fill('请市场监管局3日内答复');
  await byTest(sup, 'feedback-action-submit').click();
  await expect(byTest(sup, 'feedback-facts').locator('[data-test="status"]')).toHaveText('已交办');

  // The market department's handler answers it from the console.
  const dept = await newPage(browser);
  await signIn(dept, central, await marketHandler(), `/console/supervision/${feedbackId}`);
  await expect(byTest(dept, 'feedback-title')).toContainText(number);
  await byTest(dept, 'faction-answer').click();
  await byTest(dept, 'feedback-action-submit').click();
  await expect(
    byTest(dept, 'feedback-action-dialog').locator('.el-form-item', { has: byTest(dept, 'answer-text') }),
  ).toContainText('请填写答复内容');
  await byTest(dept, 'answer-text').fill('已增开窗口并对工作人员进行培训，致歉。');
  await byTest(dept, 'feedback-action-submit').click();
  await expect(byTest(dept, 'feedback-facts').locator('[data-test="status"]')).toHaveText('已办复');
  await dept.context().close();

  await sup.reload();
  await expect(byTest(sup, 'feedback-answer')).toContainText('已增开窗口');
  await byTest(sup, 'faction-return_visit').click();
  await byTest(sup, 'visit-method-phone').click();
  await byTest(sup, 'visit-outcome-satisfied').click();
  await byTest(sup, 'feedback-note').fill('电话回访，申请人表示满意');
  await byTest(sup, 'feedback-action-submit').click();
  await expect(byTest(sup, 'feedback-visits')).toContainText('电话回访，申请人表示满意');
  await byTest(sup, 'faction-close').click();
  await byTest(sup, 'feedback-action-submit').click();
  await expect(byTest(sup, 'feedback-facts').locator('[data-test="status"]')).toHaveText('已办结');
  await expect(byTest(sup, 'history')).toContainText('回访');
  await expectAccessible(sup, 'feedback closed');
  await sup.screenshot({ path: screenPath('console-feedback-1366'), fullPage: true });
  await sup.setViewportSize({ width: 1920, height: 1080 });
  await sup.screenshot({ path: screenPath('console-feedback-1920'), fullPage: true });
  await sup.setViewportSize({ width: 1366, height: 768 });

  // The 好差评 figures of the hall.
  await byTest(sup, 'nav-figures').click();
  await expect(byTest(sup, 'figure-rectificationRate')).toBeVisible();
  await expectAccessible(sup, 'figures');
  await sup.screenshot({ path: screenPath('console-figures-1366') });
  await sup.setViewportSize({ width: 1920, height: 1080 });
  await sup.screenshot({ path: screenPath('console-figures-1920') });
  await sup.context().close();
});

test('a department handler may not open the figures; the page says so', async ({ browser }) => {
  const page = await newPage(browser);
  await signIn(page, central, await person('孙经办', ['department_handler'], { departmentIds: ['housing'] }));
  await page.goto(`${central.url}/console/figures`);
  await expect(byTest(page, 'forbidden-page')).toContainText('无权访问');
  await expectAccessible(page, 'forbidden');
  await page.context().close();
});

test('the console signs out after 30 minutes without activity, as central ends an idle session', async ({
  browser,
}) => {
  const page = await newPage(browser);
  await page.clock.install();
  await signIn(page, central, await marketHandler());
  await expect(byTest(page, 'work-queue')).toBeVisible();
  await page.clock.fastForward('29:00');
  await expect(byTest(page, 'who-name')).toBeVisible();
  await page.clock.fastForward('01:30');
  await expect(byTest(page, 'sign-in-notice')).toHaveText('已因 30 分钟无操作自动退出，请重新登录');
  // The session is over at central too: the token is gone from the tab.
  expect(await page.evaluate(() => sessionStorage.getItem('onewindow.console.session'))).toBeNull();
  await page.context().close();
});
