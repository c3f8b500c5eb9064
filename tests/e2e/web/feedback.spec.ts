import { expect, test, type Locator, type Page } from '@playwright/test';
import type { Feedback } from '@shared/api';
import { byTest, screenPath, unique, watchPage } from './helpers';
import { HallApi, pick, signIn } from './intake-helpers';

/**
 * 投诉/建议/咨询 on the counter page: logging with the default due date, the lifecycle (assign, resolve,
 * return visit, reopen, close), the overdue filter, a double submit, and markup kept as text.
 */
test.describe.configure({ timeout: 60_000 });

let hall: HallApi;

test.beforeAll(async ({ playwright }, testInfo) => {
  hall = new HallApi(await playwright.request.newContext({ baseURL: testInfo.project.use.baseURL }));
});

/** Each test signs in afresh: the counters of the last test are signed out. */
test.beforeEach(async () => {
  await hall.resetHall();
});

const unexpected = (errors: string[]) => errors.filter((e) => !/Failed to load resource: .* status of 4\d\d/.test(e));

async function openFeedback(page: Page) {
  await signIn(page);
  await byTest(page, 'tab-feedback').click();
  await byTest(page, 'feedback-new').click();
  await expect(byTest(page, 'feedback-form')).toBeVisible();
}

/** Answers the open Element Plus prompt. */
async function answerPrompt(page: Page, text: string) {
  const box = page.locator('.el-message-box');
  await box.locator('input, textarea').fill(text);
  await box.locator('.el-button--primary').click();
  await expect(box).toBeHidden();
}

const row = (page: Page, number: string): Locator =>
  page.locator(`[data-test="feedback-row"][data-number="${number}"]`);

test('a complaint is logged with its default due date, worked through a return visit, reopened and closed', async ({
  page,
}) => {
  const watched = watchPage(page);
  await openFeedback(page);

  // Nothing is stored without content.
  await byTest(page, 'feedback-submit').click();
  await expect(byTest(page, 'feedback-form')).toContainText('请填写内容（不超过2000字）');

  const content = `窗口排队叫号太慢 <b>${unique()}</b>`;
  await pick(page, 'feedback-channel', '电话');
  await pick(page, 'feedback-category', '办事效率');
  await byTest(page, 'feedback-content').fill(content);
  await byTest(page, 'feedback-phone').fill('13900139000');
  const hint = (await byTest(page, 'feedback-due-default').textContent()) ?? '';
  const defaultDue = /默认 (\d{4}-\d{2}-\d{2})（5 个工作日）/.exec(hint)?.[1];
  expect(defaultDue, hint).toBeDefined();
  await page.screenshot({ path: screenPath('feedback-form') });

  // A double click logs one item.
  const before = (await hall.call<Feedback[]>('counter', 'feedback.list', { limit: 500 })).length;
  await byTest(page, 'feedback-submit').dblclick();
  await expect(byTest(page, 'feedback-saved')).toBeVisible();
  const number = /FK-[\w-]+/.exec((await byTest(page, 'feedback-saved').textContent()) ?? '')![0];
  const all = await hall.call<Feedback[]>('counter', 'feedback.list', { limit: 500 });
  expect(all.length).toBe(before + 1);
  const item = all.find((f) => f.number === number)!;
  expect(item).toMatchObject({ kind: 'complaint', channel: 'phone', category: 'efficiency', status: 'open', content });
  expect(item.dueDate).toBe(defaultDue);

  const r = row(page, number);
  await expect(r.locator('[data-test="feedback-content-text"]')).toHaveText(content);
  await expect(r.locator('[data-test="feedback-status"]')).toHaveText('待处理');
  await expect(r).toContainText(`期限 ${defaultDue}`);

  await r.locator('[data-test="fb-assign"]').click();
  await answerPrompt(page, '赵主任');
  await expect(r.locator('[data-test="feedback-status"]')).toHaveText('已交办');
  await expect(r).toContainText('承办人：赵主任');

  // A return visit may be planned at once, but asks about the answer: it is recorded once there is one.
  await r.locator('[data-test="fb-schedule"]').click();
  await byTest(page, 'visit-save').click();
  await expect(r.locator('[data-test="feedback-visit"]')).toContainText('待回访');
  await expect(r.locator('[data-test="fb-record"]')).toBeDisabled();
  await expect(r.locator('[data-test="fb-record-hint"]')).toHaveText('办复后才能记录回访结果');
  await expect(byTest(page, 'visit-dialog')).toBeHidden();
  await page.screenshot({ path: screenPath('feedback-visit-before-answer') });

  await r.locator('[data-test="fb-resolve"]').click();
  await answerPrompt(page, '已增开窗口，高峰期增派人员');
  await expect(r.locator('[data-test="feedback-status"]')).toHaveText('已办复');
  await expect(r.locator('[data-test="fb-record-hint"]')).toHaveCount(0);

  // The return visit finds the citizen unhappy: the item opens again.
  await r.locator('[data-test="fb-record"]').click();
  await byTest(page, 'visit-outcome-dissatisfied').click();
  await byTest(page, 'visit-note').fill('群众表示仍需等候较久');
  await page.screenshot({ path: screenPath('feedback-visit-dialog') });
  await byTest(page, 'visit-save').click();
  await expect(r.locator('[data-test="feedback-visit"]')).toContainText('不满意');
  await expect(r.locator('[data-test="feedback-status"]')).toHaveText('待处理');

  await r.locator('[data-test="fb-resolve"]').click();
  await answerPrompt(page, '调整叫号规则，增加预约号');
  await r.locator('[data-test="fb-close"]').click();
  await expect(r.locator('[data-test="feedback-status"]')).toHaveText('已办结');
  await page.screenshot({ path: screenPath('feedback-list') });

  const done = (await hall.call<Feedback[]>('counter', 'feedback.list', { limit: 500 })).find((f) => f.id === item.id)!;
  expect(done).toMatchObject({ status: 'closed', assignee: '赵主任', resolution: '调整叫号规则，增加预约号' });
  expect(done.returnVisits).toHaveLength(1);
  expect(done.returnVisits[0]).toMatchObject({ outcome: 'dissatisfied', note: '群众表示仍需等候较久' });
  expect(unexpected(watched.errors)).toEqual([]);
  expect(watched.dialogs).toEqual([]);
});

test('the overdue filter lists exactly what the core calls overdue; a past due date is refused in words', async ({
  page,
}) => {
  await openFeedback(page);
  await byTest(page, 'feedback-content').fill('咨询公积金提取材料');
  await byTest(page, 'feedback-kind-enquiry').click();
  await expect(byTest(page, 'feedback-due-default')).toContainText('（1 个工作日）');
  await byTest(page, 'feedback-due').locator('input').fill('2020-01-02');
  await byTest(page, 'feedback-due').locator('input').press('Enter');
  await byTest(page, 'feedback-submit').click();
  await expect(byTest(page, 'feedback-error')).toContainText('办理期限不能早于今天');

  await byTest(page, 'feedback-overdue').click();
  const overdue = await hall.call<Feedback[]>('counter', 'feedback.list', { overdueOnly: true, limit: 200 });
  await expect(byTest(page, 'feedback-row')).toHaveCount(overdue.length);
  if (overdue.length > 0) await expect(byTest(page, 'feedback-overdue-tag')).toHaveCount(overdue.length);
});
