import { expect, test } from '@playwright/test';
import type { Queue, Rating } from '@shared/api';
import { byTest, screenPath, watchPage } from './helpers';
import { COUNTER_ID, HallApi, mutationId, signIn } from './intake-helpers';

/**
 * 好差评 on the counter's customer screen (#/rate): it follows the counter's requests live, loads a pending
 * one when opened late, takes one rating per visit, and the counter sees the result.
 */
test.describe.configure({ timeout: 60_000 });

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

test.beforeEach(async () => {
  await hall.resetHall();
});

test('the customer screen shows the request live, in English too; a good rating is sent at once, once per visit', async ({
  page,
  context,
}) => {
  const screen = await context.newPage();
  const watched = watchPage(screen);
  await screen.goto(`/#/rate/${COUNTER_ID}`);
  await expect(byTest(screen, 'rate-idle')).toContainText('办理完成后，请对本次服务进行评价');
  await screen.screenshot({ path: screenPath('rate-idle') });

  await signIn(page);
  await byTest(page, 'rating-request').click();
  await expect(byTest(page, 'rating-waiting')).toHaveText('等待群众评价…');

  await expect(byTest(screen, 'rate-ask')).toBeVisible();
  await byTest(screen, 'locale-switch').click();
  await expect(byTest(screen, 'rate-ask').locator('h1')).toHaveText('How was our service?');
  const labels = ['Very satisfied', 'Satisfied', 'Fair', 'Dissatisfied', 'Very dissatisfied'];
  for (const [i, level] of [5, 4, 3, 2, 1].entries()) {
    await expect(byTest(screen, `rate-level-${level}`)).toContainText(labels[i]!);
  }
  await screen.screenshot({ path: screenPath('rate-ask-en') });

  const before = await hall.call<Rating[]>('counter', 'rating.list', { limit: 500 });
  await byTest(screen, 'rate-level-5').click();
  await expect(byTest(screen, 'rate-thanks')).toHaveText('Thank you for your rating!');
  await expect(byTest(page, 'rating-result')).toHaveText('本次评价：非常满意');

  const after = await hall.call<Rating[]>('counter', 'rating.list', { limit: 500 });
  expect(after.length).toBe(before.length + 1);
  const rating = after[0]!;
  expect(rating).toMatchObject({ level: 5, reasons: [], rectificationId: null });

  // One rating per visit: the same visit cannot be rated again.
  const again = await hall.raw('counter', 'rating.submit', {
    mutationId: mutationId(),
    visitId: rating.visitId,
    level: 1,
    comment: 'x',
  });
  expect(again.ok).toBe(false);
  expect(again.error?.details?.reason).toBe('ALREADY_RATED');

  // The thanks make way for the idle screen by themselves.
  await expect(byTest(screen, 'rate-idle')).toBeVisible({ timeout: 10_000 });
  expect(watched.errors).toEqual([]);
});

test('a screen opened after the request shows it; without a counter in the address it follows the signed-in one', async ({
  page,
  context,
}) => {
  await signIn(page);
  await byTest(page, 'rating-request').click();
  await expect(byTest(page, 'rating-waiting')).toBeVisible();

  // Same browser profile as the counter page: it knows which counter signed in here.
  const screen = await context.newPage();
  await screen.goto('/#/rate');
  await expect(byTest(screen, 'rate-ask')).toBeVisible();
  await expect(byTest(screen, 'rate-who')).toContainText('1号窗口');

  // A comment alone is reason enough for a bad review.
  await byTest(screen, 'rate-level-1').click();
  await expect(byTest(screen, 'rate-reasons')).toBeVisible();
  await byTest(screen, 'rate-comment').fill('等了一个小时');
  await byTest(screen, 'rate-submit').click();
  await expect(byTest(screen, 'rate-thanks')).toHaveText('感谢您的评价，我们将认真整改并回访');
  await expect(byTest(page, 'rating-result')).toHaveText('本次评价：非常不满意');
  const [rating] = await hall.call<Rating[]>('counter', 'rating.list', { limit: 1 });
  expect(rating).toMatchObject({ level: 1, comment: '等了一个小时' });
  expect(rating!.rectificationId).not.toBeNull();
});
