import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import type { Feedback, Rating } from '@shared/api';
import { byTest, openSession, watchPage } from './helpers';
import { openRatingScreen, pairRatingScreen } from './intake-helpers';

/**
 * Ratings only the citizen gives, through the pages of the browser host: the rating screen (#/rate) pairs
 * with a counter by the code the clerk shows there; when the clerk finishes a service the one-time token
 * goes to that screen only, which rates once; nothing else can rate. A 差评 goes to the supervisors, and a
 * supervisor rated at their own counter cannot close it. Every wait is for a state, never for time.
 */
test.describe.configure({ timeout: 60_000 });

const PIN = '123456';

interface Envelope<T> {
  ok: boolean;
  value?: T;
  error?: { code: string; message: string; details?: { reason?: string } };
}

async function call<T>(request: APIRequestContext, token: string, method: string, input: unknown) {
  const res = await request.post(`/api/v1/call/${method}`, {
    data: input as Record<string, unknown>,
    headers: { authorization: `Bearer ${token}` },
  });
  return (await res.json()) as Envelope<T>;
}

/**
 * The counter page with `login` signed in at `counterId`: signed in through the page's own session (the
 * sign-in form is another spec's subject), then the page resumes that counter on reload.
 */
async function counterPage(page: Page, counterId: string, login: string): Promise<string> {
  await page.goto('/#/counter');
  await expect(byTest(page, 'connection')).toHaveText('已连接');
  const token = await page.evaluate(() => sessionStorage.getItem('onewindow.session.counter'));
  expect(token).toBeTruthy();
  const signedIn = await call(page.request, token!, 'queue.counter.signIn', { counterId, login, pin: PIN });
  expect(signedIn.ok, JSON.stringify(signedIn.error)).toBe(true);
  await page.evaluate((id) => sessionStorage.setItem('onewindow.counter.signedIn', id), counterId);
  await page.reload();
  await expect(byTest(page, 'counter-main')).toBeVisible();
  return token!;
}

/** A ticket from the kiosk, called, served and finished at the counter page (the finish asks for the rating). */
async function serveOne(counter: Page, request: APIRequestContext) {
  const kiosk = await openSession(request, 'kiosk');
  const issued = await call(request, kiosk, 'queue.ticket.issue', {
    mutationId: crypto.randomUUID(),
    queueId: 'general',
    applicantType: 'person',
  });
  expect(issued.ok, JSON.stringify(issued.error)).toBe(true);
  await byTest(counter, 'action-callNext').click();
  await expect(byTest(counter, 'action-start')).toBeEnabled();
  await byTest(counter, 'action-start').click();
  await expect(byTest(counter, 'action-finish')).toBeEnabled();
  await byTest(counter, 'action-finish').click();
  await expect(byTest(counter, 'rating-waiting')).toBeVisible();
}

test('a rating is given only on the screen paired with the counter, with the token it received, once', async ({
  page,
  browser,
  request,
}) => {
  const counterToken = await counterPage(page, 'w2', 'clerk02');
  const screen = await openRatingScreen(browser);
  const watched = watchPage(screen);
  const stranger = await openRatingScreen(browser);

  // A wrong code is refused on the screen, in its words.
  for (const digit of '00000000') await byTest(screen, `rate-key-${digit}`).click();
  await byTest(screen, 'rate-pair-submit').click();
  await expect(byTest(screen, 'rate-pair-error')).toHaveText('配对码错误或已过期，请向窗口工作人员重新获取');
  await pairRatingScreen(page, screen);

  await serveOne(page, request);
  await expect(byTest(screen, 'rate-ask')).toBeVisible();
  await expect(byTest(screen, 'rate-who')).toContainText('2号窗口');
  // The unpaired screen never hears of it, and can do nothing but pair.
  await expect(byTest(stranger, 'rate-pairing')).toBeVisible();
  await expect(byTest(stranger, 'rate-ask')).toHaveCount(0);

  // No token, no rating: a kiosk, the counter and an unpaired screen are refused before anything is read.
  const fake = { mutationId: crypto.randomUUID(), token: 'x'.repeat(43), level: 5 };
  const kiosk = await call(request, await openSession(request, 'kiosk'), 'rating.submit', fake);
  expect(kiosk.error).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'WRONG_ROLE' } });
  const byCounter = await call(request, counterToken, 'rating.submit', fake);
  expect(byCounter.error).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'WRONG_ROLE' } });
  const unpaired = await call(request, await openSession(request, 'rate'), 'rating.pending', {});
  expect(unpaired.error).toMatchObject({ code: 'SIGN_IN_REQUIRED', details: { reason: 'NOT_PAIRED' } });

  await byTest(screen, 'rate-level-5').click();
  await expect(byTest(screen, 'rate-thanks')).toHaveText('感谢您的评价！');
  await expect(byTest(page, 'rating-result')).toHaveText('本次评价：非常满意');

  // Once: the clerk's own list shows the one rating of this visit.
  const mine = await call<Rating[]>(request, counterToken, 'rating.list', { limit: 10 });
  expect(mine.value?.filter((r) => r.counterId === 'w2')).toHaveLength(1);
  expect(mine.value?.[0]).toMatchObject({ level: 5, clerkName: '李强', counted: true });

  // The thanks make way for the idle screen by themselves; the screen stays paired.
  await expect(byTest(screen, 'rate-idle')).toHaveAttribute('data-paired', 'true', { timeout: 15_000 });
  // The one refusal the page met is the wrong code (the browser logs its 403).
  expect(watched.errors.filter((e) => !e.includes('/api/v1/call/rating.pair'))).toEqual([]);
  await screen.context().close();
  await stranger.context().close();
});

test('a 差评 goes to the supervisors, and the rated clerk cannot close their own', async ({
  page,
  browser,
  request,
}) => {
  // 赵刚 (super01) is a supervisor who also serves at a counter: here he is the one rated.
  const token = await counterPage(page, 'w3', 'super01');
  const screen = await openRatingScreen(browser);
  await pairRatingScreen(page, screen);
  await serveOne(page, request);

  await expect(byTest(screen, 'rate-ask')).toBeVisible();
  await byTest(screen, 'rate-level-1').click();
  await byTest(screen, 'rate-reason-attitude').click();
  await byTest(screen, 'rate-submit').click();
  await expect(byTest(screen, 'rate-thanks')).toHaveText('感谢您的评价，我们将认真整改并回访');
  await expect(byTest(page, 'rating-result')).toHaveText('本次评价：非常不满意');

  // His feedback book shows the 差评 with who was rated; resolving it himself is refused, in plain words.
  await byTest(page, 'tab-feedback').click();
  const row = page.locator('[data-test="feedback-row"][data-channel="rating"]').filter({ hasText: '被评价人：赵刚' });
  await expect(row.first()).toBeVisible();
  await row.first().locator('[data-test="fb-resolve"]').click();
  const box = page.locator('.el-message-box');
  await box.locator('textarea').fill('我处理好了');
  await box.locator('.el-button--primary').click();
  await expect(byTest(page, 'feedback-error')).toContainText('被评价的工作人员不能处理、办结或回访自己的差评');

  // Still open; the rating is his to appeal, not to close.
  const items = await call<Feedback[]>(request, token, 'feedback.list', { limit: 500 });
  const mine = items.value!.filter((f) => f.channel === 'rating' && f.ratedClerk?.staffId === 'super01');
  expect(mine.length).toBeGreaterThan(0);
  expect(mine.every((f) => f.status === 'open')).toBe(true);
  await expect(byTest(page, 'rating-appeal').first()).toBeVisible();
  await screen.context().close();
});
