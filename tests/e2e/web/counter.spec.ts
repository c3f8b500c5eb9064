import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import type { Counter, CounterView, IssuedTicket, QueueSettings } from '@shared/api';
import { methodsForRole } from '../../../shared/api/access';
import type { PriorityClass } from '@shared/queue/priority';
import { byTest, pick, openSession, screenPath, watchPage, adminToken } from './helpers';
import { emptyHall, PIN } from './queue-hall';

/**
 * The counter page (窗口) against the browser host's demo hall (electron/core/queue/demo-hall.ts).
 * Every test starts from an empty hall: beforeEach finishes whatever a counter still holds and cancels
 * every waiting ticket, so leftovers of another test or spec file cannot decide the order.
 */

// Sign-ins hash PINs (scrypt) and the hall is reset before each test; leave room on a busy machine.
test.describe.configure({ timeout: 60_000 });

/** How long a called ticket must wait before a no-show, for these tests (the default is 60 s). */
const GRACE_SECONDS = 4;

let api: APIRequestContext;
let admin: string;
let kiosk: string;
let originalSettings: QueueSettings;

interface Envelope<T> {
  ok: boolean;
  value?: T;
  error?: { code: string; message: string; details?: { reason?: string } & Record<string, unknown> };
}

async function callRaw<T>(token: string, method: string, input: unknown): Promise<Envelope<T>> {
  const res = await api.post(`/api/v1/call/${method}`, {
    data: input as Record<string, unknown>,
    headers: { authorization: `Bearer ${token}` },
  });
  return (await res.json()) as Envelope<T>;
}

async function call<T>(token: string, method: string, input: unknown): Promise<T> {
  const body = await callRaw<T>(token, method, input);
  expect(body.ok, `${method}: ${JSON.stringify(body.error)}`).toBe(true);
  return body.value!;
}

const mutationId = () => crypto.randomUUID();

/** Page errors, leaving out the browser's own log line for each refused call (a 4xx answer is expected here). */
const unexpected = (errors: string[]) => errors.filter((e) => !/Failed to load resource: .* status of 4\d\d/.test(e));

async function issue(queueId: string, priority: PriorityClass = 'none'): Promise<IssuedTicket> {
  return call<IssuedTicket>(kiosk, 'queue.ticket.issue', {
    mutationId: mutationId(),
    queueId,
    applicantType: 'person',
    priority,
  });
}

async function ticketState(ticketId: string): Promise<string> {
  return (await call<IssuedTicket>(kiosk, 'queue.ticket.get', { ticketId })).ticket.state;
}

/** Signs a fresh API session in at a counter (taking it over) and returns the session's token and view. */
async function counterSession(counterId: string): Promise<{ token: string; view: CounterView }> {
  const token = await openSession(api, 'counter');
  const view = await call<CounterView>(token, 'queue.counter.signIn', { counterId, login: 'clerk02', pin: PIN });
  return { token, view };
}

test.beforeAll(async ({ playwright }, testInfo) => {
  api = await playwright.request.newContext({ baseURL: testInfo.project.use.baseURL });
  admin = await adminToken(api);
  kiosk = await openSession(api, 'kiosk');
  // The demo queues open 08:30–17:30 in Shanghai; the host's clock reads 10:00 there (playwright.config.ts).
  originalSettings = await call<QueueSettings>(admin, 'queue.settings.get', {});
  await call(admin, 'queue.settings.update', {
    ...originalSettings,
    noShowAfterCalls: 2,
    noShowGraceSeconds: GRACE_SECONDS,
  });
});

test.afterAll(async () => {
  await emptyHall(api);
  await call(admin, 'queue.settings.update', originalSettings);
  await api.dispose();
});

test.beforeEach(async () => {
  await emptyHall(api);
});

async function signIn(page: Page, counterLabel = '1号 综合窗口1', login = 'clerk01') {
  await page.goto('/#/counter');
  await expect(byTest(page, 'connection')).toHaveText('已连接');
  await pick(page, 'signin-counter', counterLabel);
  await byTest(page, 'signin-login').fill(login);
  await byTest(page, 'signin-pin').fill(PIN);
  await byTest(page, 'signin-pin').press('Enter');
  await expect(byTest(page, 'counter-main')).toBeVisible();
}

const waitingNumbers = (page: Page) =>
  byTest(page, 'waiting-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-number')));

const current = (page: Page) => byTest(page, 'current-number');

/** Clicks the primary button of the open Element Plus message box. */
const confirmBox = (page: Page) => page.locator('.el-message-box .el-button--primary').click();

test('sign-in: errors are spoken in words, the right PIN opens the counter, the choice is remembered', async ({
  page,
}) => {
  const watched = watchPage(page);
  await page.goto('/#/counter');
  await expect(byTest(page, 'connection')).toHaveText('已连接');

  await byTest(page, 'signin-submit').click();
  await expect(byTest(page, 'signin-error')).toHaveText('请选择窗口');

  await pick(page, 'signin-counter', '1号 综合窗口1');
  await byTest(page, 'signin-login').fill('clerk01');
  await byTest(page, 'signin-pin').fill('12');
  await byTest(page, 'signin-pin').press('Enter');
  await expect(byTest(page, 'signin-error')).toHaveText('个人密码为6–8位数字');

  await byTest(page, 'signin-pin').fill('000000');
  await byTest(page, 'signin-pin').press('Enter');
  await expect(byTest(page, 'signin-error')).toHaveText(/^工号或个人密码错误，还可尝试 \d 次$/);
  await expect(byTest(page, 'signin-pin')).toHaveValue('');
  await expect(byTest(page, 'counter-main')).toHaveCount(0);
  await page.screenshot({ path: screenPath('counter-signin') });

  await byTest(page, 'signin-pin').fill(PIN);
  await byTest(page, 'signin-pin').press('Enter');
  await expect(byTest(page, 'counter-number')).toHaveText('1号窗口');
  await expect(byTest(page, 'counter-clerk')).toHaveText('工作人员：王丽');
  await expect(byTest(page, 'counter-status')).toHaveText('工作中');
  await expect(byTest(page, 'current-none')).toHaveText('当前没有正在办理的业务');
  for (const [key, text] of [
    ['callNext', 'F1叫号'],
    ['recall', 'F2重呼'],
    ['start', 'F3开始办理'],
    ['finish', 'F4完成办理'],
    ['noShow', 'F5过号'],
  ]) {
    await expect(byTest(page, `action-${key}`)).toHaveText(text!);
  }

  // The counter is remembered on the device; the login and the PIN are not.
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  expect(stored).toContain('w1');
  expect(stored).not.toContain('clerk01');
  expect(stored).not.toContain(PIN);

  // English follows the locale switch.
  await byTest(page, 'locale-switch').click();
  await expect(byTest(page, 'action-callNext')).toHaveText('F1Call next');
  await expect(byTest(page, 'counter-number')).toHaveText('Counter 1');
  await byTest(page, 'locale-switch').click();
  await expect(byTest(page, 'action-callNext')).toHaveText('F1叫号');

  await byTest(page, 'action-signOut').click();
  await confirmBox(page);
  await expect(byTest(page, 'signin-notice')).toHaveText('已签退');
  await expect(byTest(page, 'signin-counter')).toContainText('1号 综合窗口1');
  const w1 = (await call<Counter[]>(admin, 'queue.counters', {})).find((c) => c.id === 'w1');
  expect(w1?.status).toBe('closed');

  // Five wrong PINs lock the clerk for half a minute; the page says how long.
  await byTest(page, 'signin-login').fill('clerk03');
  for (let i = 0; i < 5; i++) {
    await byTest(page, 'signin-pin').fill('999999');
    await byTest(page, 'signin-pin').press('Enter');
    await expect(byTest(page, 'signin-error')).toHaveText(/^工号或个人密码错误，还可尝试 \d 次$/);
    await expect(byTest(page, 'signin-pin')).toHaveValue('');
  }
  await byTest(page, 'signin-pin').fill(PIN);
  await byTest(page, 'signin-pin').press('Enter');
  await expect(byTest(page, 'signin-error')).toHaveText(/^登录失败次数过多，账号已锁定，请 (29|30) 秒后再试$/);
  await expect(byTest(page, 'counter-main')).toHaveCount(0);
  expect(unexpected(watched.errors)).toEqual([]);
});

test('a long line: the list shows its head in call order and counts everyone; F1 takes the head', async ({ page }) => {
  const issued: IssuedTicket[] = [];
  for (let i = 0; i < 60; i++) issued.push(await issue(i % 2 ? 'general' : 'social', i === 57 ? 'elderly' : 'none'));
  await signIn(page);
  await expect(byTest(page, 'waiting-count')).toHaveText('60 人');
  await expect(byTest(page, 'waiting-row')).toHaveCount(50);
  await expect(byTest(page, 'waiting-more')).toHaveText('仅列出前 50 位，共 60 位；F1 仍按顺序叫号');
  // The priority ticket that arrived 58th comes first, then everyone by arrival.
  const order = [issued[57]!, ...issued.filter((_, i) => i !== 57)].map((t) => t.ticket.number);
  await expect.poll(() => waitingNumbers(page)).toEqual(order.slice(0, 50));
  await byTest(page, 'waiting').screenshot({ path: screenPath('counter-long-line') });

  await expect(byTest(page, 'action-callNext')).toBeEnabled();
  await page.keyboard.press('F1');
  await expect(current(page)).toHaveText(order[0]!);
  await expect(byTest(page, 'waiting-count')).toHaveText('59 人');
  await expect.poll(() => waitingNumbers(page)).toEqual(order.slice(1, 51));
});

test('F1 calls the oldest ticket (one call however often it is pressed), F2 recalls, F3 starts, F4 finishes', async ({
  page,
}) => {
  const watched = watchPage(page);
  const a = await issue('general');
  const b = await issue('social');
  const c = await issue('fund');
  await signIn(page);
  await expect.poll(() => waitingNumbers(page)).toEqual([a.ticket.number, b.ticket.number, c.ticket.number]);
  await expect(byTest(page, 'waiting-count')).toHaveText('3 人');

  // Hold the first call in flight: the buttons are off and more key presses send nothing.
  const sent: string[] = [];
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/v1/call/queue.callNext', async (route) => {
    sent.push((route.request().postDataJSON() as { mutationId: string }).mutationId);
    await held;
    await route.continue();
  });
  await page.keyboard.press('F1');
  await expect(byTest(page, 'action-callNext')).toBeDisabled();
  await expect(byTest(page, 'action-pause')).toBeDisabled();
  await page.keyboard.press('F1');
  await page.keyboard.press('F1');
  release();
  await expect(current(page)).toHaveText(a.ticket.number);
  expect(sent).toHaveLength(1);
  await page.unroute('**/api/v1/call/queue.callNext');

  await expect(byTest(page, 'current-state')).toHaveText('已呼叫');
  await expect(byTest(page, 'current-calls')).toHaveText('已呼叫 1 次');
  await expect(byTest(page, 'current-queue')).toHaveText('综合受理');
  await expect(byTest(page, 'current-waited')).toHaveText(/^已等候 \d+ 分钟$/);
  await expect.poll(() => waitingNumbers(page)).toEqual([b.ticket.number, c.ticket.number]);
  await expect(byTest(page, 'action-callNext')).toBeDisabled();

  await page.keyboard.press('F2');
  await expect(byTest(page, 'current-calls')).toHaveText('已呼叫 2 次');

  // A richer screen for the screenshot: a priority ticket arrives and jumps to the top of the list.
  const d = await issue('social', 'elderly');
  await expect.poll(() => waitingNumbers(page)).toEqual([d.ticket.number, b.ticket.number, c.ticket.number]);
  await expect(byTest(page, 'waiting-priority')).toHaveText('老年人');
  await page.screenshot({ path: screenPath('counter-main') });

  await page.keyboard.press('F3');
  await expect(byTest(page, 'current-state')).toHaveText('办理中');
  await expect(byTest(page, 'action-finish')).toBeEnabled();
  await expect(byTest(page, 'action-recall')).toBeDisabled();
  await page.keyboard.press('F4');
  await expect(byTest(page, 'current-none')).toBeVisible();
  expect(await ticketState(a.ticket.id)).toBe('done');
  expect(await ticketState(b.ticket.id)).toBe('waiting');
  expect(unexpected(watched.errors)).toEqual([]);
});

test('F5 no-show waits for two calls and the grace time, shows a late refusal, and a no-show is reactivated once', async ({
  page,
}) => {
  const a = await issue('general');
  await signIn(page);
  await expect(byTest(page, 'action-callNext')).toBeEnabled();
  await page.keyboard.press('F1');
  await expect(current(page)).toHaveText(a.ticket.number);

  // After one call: disabled, with the reason on the button and, for F5, in the message line.
  await expect(byTest(page, 'action-noShow')).toBeDisabled();
  await expect(byTest(page, 'action-noShow-hint')).toHaveText('再呼叫 1 次后可过号');
  // F5 must not reload the page: the page takes the key.
  await page.evaluate(() => {
    (window as { lastF5Prevented?: boolean }).lastF5Prevented = undefined;
    window.addEventListener('keydown', (e) => {
      if (e.key === 'F5') (window as { lastF5Prevented?: boolean }).lastF5Prevented = e.defaultPrevented;
    });
  });
  await page.keyboard.press('F5');
  expect(await page.evaluate(() => (window as { lastF5Prevented?: boolean }).lastF5Prevented)).toBe(true);
  await expect(byTest(page, 'command-error')).toContainText('再呼叫 1 次后可过号');
  expect(await ticketState(a.ticket.id)).toBe('called');

  await page.keyboard.press('F2');
  await expect(byTest(page, 'current-calls')).toHaveText('已呼叫 2 次');
  // Second call done; the grace time (4 s from the first call) still runs.
  await expect(byTest(page, 'action-noShow-hint')).toHaveText(/^\d 秒后可过号$/);
  await expect(byTest(page, 'action-noShow')).toBeDisabled();
  await expect(byTest(page, 'action-noShow')).toBeEnabled({ timeout: (GRACE_SECONDS + 2) * 1000 });

  // The rules change on the server: the page hears of it at once (queue.changed) and no-show is blocked again.
  await call(admin, 'queue.settings.update', { ...originalSettings, noShowAfterCalls: 3, noShowGraceSeconds: 0 });
  try {
    await expect(byTest(page, 'action-noShow-hint')).toHaveText('再呼叫 1 次后可过号');
    await expect(byTest(page, 'action-noShow')).toBeDisabled();
    await page.keyboard.press('F5');
    await expect(byTest(page, 'command-error')).toHaveText('再呼叫 1 次后可过号');
    expect(await ticketState(a.ticket.id)).toBe('called');
  } finally {
    await call(admin, 'queue.settings.update', {
      ...originalSettings,
      noShowAfterCalls: 2,
      noShowGraceSeconds: GRACE_SECONDS,
    });
  }
  await page.keyboard.press('F2');
  await expect(byTest(page, 'current-calls')).toHaveText('已呼叫 3 次');
  await expect(byTest(page, 'action-noShow')).toBeEnabled();
  await page.keyboard.press('F5');
  await expect(byTest(page, 'current-none')).toBeVisible();
  expect(await ticketState(a.ticket.id)).toBe('no_show');

  const row = byTest(page, 'noshow-row').and(page.locator(`[data-number="${a.ticket.number}"]`));
  await expect(row).toBeVisible();
  await row.locator('[data-test="noshow-reactivate"]').click();
  await expect(row).toHaveCount(0);
  await expect.poll(() => waitingNumbers(page)).toEqual([a.ticket.number]);
  await expect(byTest(page, 'waiting-reactivated')).toBeVisible();
  expect(await ticketState(a.ticket.id)).toBe('waiting');

  // Once only: called and missed again, it is not offered for reactivation and the server refuses it.
  await page.keyboard.press('F1');
  await expect(current(page)).toHaveText(a.ticket.number);
  await page.keyboard.press('F2');
  await expect(byTest(page, 'action-noShow')).toBeEnabled({ timeout: (GRACE_SECONDS + 2) * 1000 });
  await page.keyboard.press('F5');
  await expect(byTest(page, 'current-none')).toBeVisible();
  expect(await ticketState(a.ticket.id)).toBe('no_show');
  await expect(row).toHaveCount(0);
  const other = await counterSession('w2');
  const again = await callRaw(other.token, 'queue.reactivate', {
    mutationId: mutationId(),
    counterId: 'w2',
    ticketId: a.ticket.id,
  });
  expect(again.error?.details?.reason).toBe('ALREADY_REACTIVATED');
});

test('transfer sends the called ticket to another queue or counter with the same number', async ({ page }) => {
  const a = await issue('general');
  const b = await issue('general');
  await signIn(page);

  await expect(byTest(page, 'action-callNext')).toBeEnabled();
  await page.keyboard.press('F1');
  await expect(current(page)).toHaveText(a.ticket.number);
  await byTest(page, 'action-transfer').click();
  await expect(page.locator('.el-dialog')).toContainText(`转移 ${a.ticket.number}`);
  // Hotkeys are off behind the dialog: F2 would recall.
  await page.keyboard.press('F2');
  await byTest(page, 'transfer-cancel').click();
  await expect(page.locator('.el-dialog:visible')).toHaveCount(0);
  await expect(byTest(page, 'current-calls')).toHaveText('已呼叫 1 次');
  await byTest(page, 'action-transfer').click();
  await expect(byTest(page, 'transfer-submit')).toBeDisabled();
  await pick(page, 'transfer-target', '不动产登记');
  await byTest(page, 'transfer-submit').click();
  await expect(byTest(page, 'current-none')).toBeVisible();
  await expect(page.locator('.el-dialog:visible')).toHaveCount(0);
  await expect.poll(() => waitingNumbers(page)).toEqual([b.ticket.number]);

  // w5 serves real estate only: the ticket waits there under its old number and arrival time.
  const w5 = await counterSession('w5');
  const moved = w5.view.waiting.find((t) => t.number === a.ticket.number);
  expect(moved?.queueId).toBe('property');
  expect(moved?.arrivedAt).toBe(a.ticket.arrivedAt);
  expect(await ticketState(a.ticket.id)).toBe('transferred');

  await page.keyboard.press('F1');
  await expect(current(page)).toHaveText(b.ticket.number);
  await byTest(page, 'action-transfer').click();
  await byTest(page, 'transfer-mode-counter').click();
  await pick(page, 'transfer-target', '4号 企业开办窗口');
  await byTest(page, 'transfer-submit').click();
  await expect(byTest(page, 'current-none')).toBeVisible();
  const w4 = await counterSession('w4');
  const targeted = w4.view.waiting.find((t) => t.number === b.ticket.number);
  expect(targeted?.targetCounterId).toBe('w4');
  expect(targeted?.queueId).toBe('general');
});

test('a specific ticket is called out of order after confirmation; a waiting ticket is cancelled', async ({ page }) => {
  const a = await issue('general');
  const b = await issue('general');
  const c = await issue('fund');
  await signIn(page);
  await expect.poll(() => waitingNumbers(page)).toEqual([a.ticket.number, b.ticket.number, c.ticket.number]);

  const rowOf = (n: string) => byTest(page, 'waiting-row').and(page.locator(`[data-number="${n}"]`));
  await rowOf(c.ticket.number).locator('[data-test="waiting-call"]').click();
  await expect(page.locator('.el-message-box')).toContainText(`${c.ticket.number} 不是下一位`);
  await page.locator('.el-message-box .el-button:not(.el-button--primary)').click();
  await expect(byTest(page, 'current-none')).toBeVisible();
  expect(await ticketState(c.ticket.id)).toBe('waiting');

  await rowOf(c.ticket.number).locator('[data-test="waiting-call"]').click();
  await confirmBox(page);
  await expect(current(page)).toHaveText(c.ticket.number);
  await expect.poll(() => waitingNumbers(page)).toEqual([a.ticket.number, b.ticket.number]);

  await rowOf(b.ticket.number).locator('[data-test="waiting-cancel"]').click();
  await expect(page.locator('.el-message-box')).toContainText(`确定取消 ${b.ticket.number} 吗`);
  await confirmBox(page);
  await expect.poll(() => waitingNumbers(page)).toEqual([a.ticket.number]);
  expect(await ticketState(b.ticket.id)).toBe('cancelled');
  expect(await ticketState(a.ticket.id)).toBe('waiting');
});

test('a paused counter does not call: F1 says why; after resuming F1 calls', async ({ page }) => {
  const a = await issue('general');
  await signIn(page);
  await byTest(page, 'action-pause').click();
  await expect(byTest(page, 'counter-status')).toHaveText('暂停中');
  await expect(byTest(page, 'action-pause')).toHaveText('恢复');
  await expect(byTest(page, 'action-callNext')).toBeDisabled();
  await expect(byTest(page, 'action-callNext-hint')).toHaveText('暂停中');

  await page.keyboard.press('F1');
  await expect(byTest(page, 'command-error')).toContainText('窗口暂停中，恢复后才能叫号');
  expect(await ticketState(a.ticket.id)).toBe('waiting');
  const w1 = (await call<Counter[]>(admin, 'queue.counters', {})).find((c) => c.id === 'w1');
  expect(w1?.status).toBe('paused');

  await byTest(page, 'action-pause').click();
  await expect(byTest(page, 'counter-status')).toHaveText('工作中');
  await page.keyboard.press('F1');
  await expect(current(page)).toHaveText(a.ticket.number);
  await expect(byTest(page, 'command-error')).toHaveCount(0);
});

test('a priority ticket is called before an earlier regular one', async ({ page }) => {
  const regular = await issue('general');
  const elderly = await issue('general', 'elderly');
  await signIn(page, '2号 综合窗口2', 'clerk02');
  await expect.poll(() => waitingNumbers(page)).toEqual([elderly.ticket.number, regular.ticket.number]);
  await page.keyboard.press('F1');
  await expect(current(page)).toHaveText(elderly.ticket.number);
  await expect(byTest(page, 'current-priority')).toHaveText('老年人');
  expect(await ticketState(regular.ticket.id)).toBe('waiting');
});

test('a call whose answer is lost is re-sent with the same mutationId and acts once', async ({ page }) => {
  const a = await issue('general');
  const b = await issue('general');
  // Both routes are in place before the page opens and armed by the test as it goes: a route added to a
  // live page has let the next call go by unseen on a loaded machine (two gates, each on this test).
  // callNext: the first answer never arrives (the server did act), so the page retries the same mutation.
  const sent: string[] = [];
  await page.route('**/api/v1/call/queue.callNext', async (route) => {
    sent.push((route.request().postDataJSON() as { mutationId: string }).mutationId);
    if (sent.length === 1) {
      await route.fetch();
      await route.abort('connectionreset');
    } else {
      await route.continue();
    }
  });
  // recall, once armed: the core out of reach. The first retry is held until the test has seen the
  // indicator: on a loaded machine all four attempts could otherwise be over before the first look.
  let recallDown = false;
  const recalls: string[] = [];
  let releaseRetry!: () => void;
  const retryHeld = new Promise<void>((resolve) => (releaseRetry = resolve));
  await page.route('**/api/v1/call/queue.recall', async (route) => {
    if (!recallDown) return route.continue();
    recalls.push((route.request().postDataJSON() as { mutationId: string }).mutationId);
    if (recalls.length === 2) await retryHeld;
    await route.abort('connectionrefused');
  });

  await signIn(page);
  await expect(byTest(page, 'action-callNext')).toBeEnabled();
  await page.keyboard.press('F1');
  await expect(current(page)).toHaveText(a.ticket.number);
  // Enabled again only when the command, retry included, is over.
  await expect(byTest(page, 'action-recall')).toBeEnabled();
  await expect(byTest(page, 'current-calls')).toHaveText('已呼叫 1 次');
  expect(sent).toHaveLength(2);
  expect(sent[1]).toBe(sent[0]);
  expect(await ticketState(b.ticket.id)).toBe('waiting');

  // The core stays out of reach: three retries with the same id, then the error in words.
  recallDown = true;
  await page.keyboard.press('F2');
  await expect.poll(() => recalls.length, { message: 'F2 sent a recall' }).toBeGreaterThanOrEqual(2);
  await expect(byTest(page, 'retrying')).toContainText('正在重试');
  releaseRetry();
  await expect(byTest(page, 'command-error')).toHaveText('服务暂时无法连接，请稍后重试', { timeout: 10_000 });
  expect(recalls).toHaveLength(4);
  expect(new Set(recalls).size).toBe(1);
  await expect(byTest(page, 'current-calls')).toHaveText('已呼叫 1 次');
  recallDown = false;
  await page.keyboard.press('F2');
  await expect(byTest(page, 'current-calls')).toHaveText('已呼叫 2 次');
});

test('when the server no longer knows the sign-in, the clerk is asked to sign in again', async ({ page }) => {
  await signIn(page);

  // A reload keeps the tab's session: the counter comes back as it was.
  await page.reload();
  await expect(byTest(page, 'counter-number')).toHaveText('1号窗口');

  // A tab whose session the core never saw (the host restarted) is asked to sign in again.
  await page.evaluate(() => sessionStorage.removeItem('onewindow.session.counter'));
  await page.reload();
  await expect(byTest(page, 'signin-notice')).toContainText('本窗口的签入已失效');
  await expect(byTest(page, 'counter-main')).toHaveCount(0);
  await expect(byTest(page, 'signin-counter')).toContainText('1号 综合窗口1');
  await byTest(page, 'signin-login').fill('clerk01');
  await byTest(page, 'signin-pin').fill(PIN);
  await byTest(page, 'signin-pin').press('Enter');
  await expect(byTest(page, 'counter-number')).toHaveText('1号窗口');
  await expect(byTest(page, 'signin-notice')).toHaveCount(0);

  // Another clerk signs in at the same counter elsewhere: this screen is told who took it over.
  await counterSession('w1');
  await expect(byTest(page, 'signin-notice')).toContainText('另一位工作人员已在本窗口登录，您已退出');
  await expect(byTest(page, 'counter-main')).toHaveCount(0);
});

/** A PC clock off by `skewMs`: every Date the page makes without arguments, and Date.now(), are shifted. */
const skewedClock = (skewMs: number) => `(() => {
  const RealDate = Date;
  const skew = ${skewMs};
  class SkewedDate extends RealDate {
    constructor(...args) { if (args.length === 0) super(RealDate.now() + skew); else super(...args); }
    static now() { return RealDate.now() + skew; }
  }
  window.Date = SkewedDate;
})();`;

for (const [label, skewMs] of [
  ['ten minutes fast', 10 * 60_000],
  ['ten minutes slow', -10 * 60_000],
] as const) {
  test(`the no-show countdown and waited minutes follow the core's clock on a PC clock ${label}`, async ({ page }) => {
    await page.addInitScript({ content: skewedClock(skewMs) });
    const a = await issue('general');
    await signIn(page);
    expect(Math.abs((await page.evaluate(() => Date.now())) - Date.now() - skewMs)).toBeLessThan(5000);
    // Just issued: waited 0 minutes by the core's clock (the PC would say 10, or nothing sensible).
    await expect(byTest(page, 'waiting-waited')).toHaveText('0 分钟');

    await page.keyboard.press('F1');
    await expect(current(page)).toHaveText(a.ticket.number);
    const calledAt = Date.now();
    await expect(byTest(page, 'current-waited')).toHaveText('已等候 0 分钟');
    await page.keyboard.press('F2');
    await expect(byTest(page, 'current-calls')).toHaveText('已呼叫 2 次');
    // The grace time counts down from the first call as the core sees it: never 0 at once, never 600 s.
    await expect(byTest(page, 'action-noShow-hint')).toHaveText(/^[1-4] 秒后可过号$/);
    await expect(byTest(page, 'action-noShow')).toBeEnabled({ timeout: (GRACE_SECONDS + 2) * 1000 });
    expect(Date.now() - calledAt).toBeGreaterThanOrEqual((GRACE_SECONDS - 1) * 1000);
    // And the core agrees: the no-show is accepted the moment the button allows it.
    await page.keyboard.press('F5');
    await expect(byTest(page, 'current-none')).toBeVisible();
    await expect(byTest(page, 'command-error')).toHaveCount(0);
    expect(await ticketState(a.ticket.id)).toBe('no_show');
  });
}

test('rules loosened by the administrator reach a signed-in counter at once', async ({ page }) => {
  const a = await issue('general');
  await signIn(page);
  await expect(byTest(page, 'action-callNext')).toBeEnabled();
  await page.keyboard.press('F1');
  await expect(current(page)).toHaveText(a.ticket.number);
  await expect(byTest(page, 'action-noShow-hint')).toHaveText('再呼叫 1 次后可过号');
  await call(admin, 'queue.settings.update', { ...originalSettings, noShowAfterCalls: 1, noShowGraceSeconds: 0 });
  try {
    // No key pressed, no reload: the queue.changed event brought the new rules with a fresh view.
    await expect(byTest(page, 'action-noShow')).toBeEnabled();
    await expect(byTest(page, 'action-noShow-hint')).toHaveCount(0);
  } finally {
    await call(admin, 'queue.settings.update', {
      ...originalSettings,
      noShowAfterCalls: 2,
      noShowGraceSeconds: GRACE_SECONDS,
    });
  }
  await expect(byTest(page, 'action-noShow-hint')).toHaveText('再呼叫 1 次后可过号');
});

/** What a print page looked like when print() was called on it (see kiosk.spec.ts). */
interface Printed {
  hash: string;
  ready: string | null;
  number: string | null;
}

/** Headless Chromium has no printer: every frame and window of the page records what it would print. */
async function capturePrints(page: Page): Promise<Printed[]> {
  const printed: Printed[] = [];
  await page.exposeBinding('__e2ePrinted', (_source, p: Printed) => void printed.push(p));
  await page.addInitScript(() => {
    window.print = () => {
      const report = (window as unknown as { __e2ePrinted(p: unknown): Promise<void> }).__e2ePrinted;
      void report({
        hash: location.hash,
        ready: document.body?.dataset.printReady ?? null,
        number: document.querySelector('[data-test="print-number"]')?.textContent ?? null,
      });
    };
  });
  return printed;
}

test('the counter reprints the ticket it serves: that ticket’s page is printed, as the counter', async ({ page }) => {
  const watched = watchPage(page);
  const printed = await capturePrints(page);
  const a = await issue('general');
  await signIn(page);
  await expect(byTest(page, 'action-callNext')).toBeEnabled();
  await page.keyboard.press('F1');
  await expect(current(page)).toHaveText(a.ticket.number);

  await byTest(page, 'current-reprint').click();
  await expect(byTest(page, 'reprint-state')).toHaveAttribute('data-state', 'printed', { timeout: 20_000 });
  await expect(byTest(page, 'reprint-state')).toHaveText('号票已打印');
  expect(printed).toEqual([{ hash: `#/print/ticket/${a.ticket.id}?as=counter`, ready: '1', number: a.ticket.number }]);
  await page.screenshot({ path: screenPath('counter-reprinted') });

  // Still there while serving; the next ticket starts with a clean state.
  await page.keyboard.press('F3');
  await byTest(page, 'current-reprint').click();
  await expect.poll(() => printed.length, { timeout: 20_000 }).toBe(2);
  expect(printed[1]).toMatchObject({ ready: '1', number: a.ticket.number });
  await page.keyboard.press('F4');
  await expect(byTest(page, 'current-none')).toBeVisible();
  await expect(byTest(page, 'current-reprint')).toHaveCount(0);
  expect(unexpected(watched.errors)).toEqual([]);
});

test('the reprinted ticket page runs as the counter and renders to a one-page 80 mm PDF', async ({ page }) => {
  const a = await issue('social');
  // The reprint runs on the signed-in counter tab's session (its print frame shares the tab's storage).
  await signIn(page);
  await page.goto('about:blank');
  await page.goto(`/#/print/ticket/${a.ticket.id}?as=counter`);
  await expect(page.locator('body')).toHaveAttribute('data-print-ready', '1', { timeout: 20_000 });
  await expect(byTest(page, 'print-number')).toHaveText(a.ticket.number);
  await expect(byTest(page, 'print-queue')).toHaveText('社保医保');

  const dir = path.resolve('test-results');
  fs.mkdirSync(dir, { recursive: true });
  const pdf = path.join(dir, 'counter-reprint.pdf');
  await page.pdf({ path: pdf, width: '80mm', preferCSSPageSize: true, printBackground: true });
  expect(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' })).toMatch(/Pages:\s+1\n/);
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  for (const s of [a.ticket.number, '社保医保', 'medical insurance']) expect(text, text).toContain(s);
});

test('in an Electron counter window the reprint page opens as the counter; kiosk pages stay out of reach', async ({
  page,
}) => {
  // The window as Electron makes it: a role preload's bridge (here over HTTP with a counter session) and a
  // print() that loads the print route in a window of the same role, as electron/main/silent-print.ts does.
  const printed: Printed[] = [];
  await page.exposeBinding('__e2ePrinted', (_source, p: Printed) => void printed.push(p));
  await page.addInitScript((methods: string[]) => {
    // The print window calls the contract as the window that asked (the person signed in there), as
    // Electron's print window does (electron/main/main.ts actingFor): here the frame finds the window's
    // session in the tab's storage. Read at each call, not when this script runs: a frame runs it on its
    // initial about:blank, whose window stays the frame's when it loads the print route.
    const KEY = 'e2e.bridge.counter';
    let opened: Promise<string> | undefined;
    const session = () => {
      const kept = sessionStorage.getItem(KEY);
      if (kept) return Promise.resolve(kept);
      return (opened ??= fetch('/api/v1/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'counter' }),
      })
        .then((r) => r.json())
        .then((b: { value: { token: string } }) => {
          sessionStorage.setItem(KEY, b.value.token);
          return b.value.token;
        }));
    };
    const call = async (method: string, input: unknown) =>
      (
        await fetch(`/api/v1/call/${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await session()}` },
          body: JSON.stringify(input),
        })
      ).json();
    const report = (window as unknown as { __e2ePrinted(p: unknown): Promise<void> }).__e2ePrinted;
    (window as unknown as { onewindow: unknown }).onewindow = {
      role: 'counter',
      methods: Object.fromEntries(methods.map((m) => [m, (input: unknown) => call(m, input)])),
      onEvent: () => () => undefined,
      async print(request: { route: string }) {
        const frame = document.createElement('iframe');
        frame.style.cssText = 'position:fixed;left:-10000px;width:80mm;height:200mm';
        frame.src = `${location.pathname}#${request.route}`;
        document.body.appendChild(frame);
        try {
          for (let i = 0; i < 150; i++) {
            const doc = frame.contentDocument;
            if (doc?.body?.dataset.printReady) {
              await report({
                hash: frame.contentWindow!.location.hash,
                ready: doc.body.dataset.printReady,
                number: doc.querySelector('[data-test="print-number"]')?.textContent ?? null,
              });
              return { ok: true, value: null };
            }
            await new Promise((r) => setTimeout(r, 100));
          }
          return {
            ok: false,
            error: { code: 'UNAVAILABLE', message: `not ready at ${frame.contentWindow?.location.hash}` },
          };
        } finally {
          frame.remove();
        }
      },
    };
  }, methodsForRole('counter'));

  const a = await issue('general');
  await signIn(page);
  await expect(byTest(page, 'action-callNext')).toBeEnabled();
  await page.keyboard.press('F1');
  await expect(current(page)).toHaveText(a.ticket.number);
  await byTest(page, 'current-reprint').click();
  await expect(byTest(page, 'reprint-state')).toHaveAttribute('data-state', 'printed', { timeout: 20_000 });
  expect(printed).toEqual([{ hash: `#/print/ticket/${a.ticket.id}`, ready: '1', number: a.ticket.number }]);

  // The window's own role only: the kiosk and the admin page send it back to the counter.
  for (const other of ['kiosk', 'admin']) {
    await page.goto(`/#/${other}`);
    await expect(page).toHaveURL(/#\/counter$/);
  }
});
