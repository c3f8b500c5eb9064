import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import QRCode from 'qrcode';
import type { IssuedTicket, KioskQueue, Queue } from '@shared/api';
import { byTest, callApi, expectRolePageReady, getProfile, screenPath, serverNow, watchPage } from './helpers';

/** The demo hall's time zone: the kiosk shows times as the hall's clocks do. */
const HALL_TZ = 'Asia/Shanghai';
test.use({ timezoneId: HALL_TZ });
// Whole kiosk flows with printing and idle timeouts: more than the default 30 s on a busy test machine.
test.describe.configure({ timeout: 90_000 });

/** A print boots the app again in a window of its own; allow for a slow machine. */
const PRINT_TIMEOUT = { timeout: 20_000 };

const RESULTS_DIR = path.resolve('test-results');

// ---------------------------------------------------------------------------------------------
// Contract helpers (HTTP, as the devices do)

async function call<T>(
  request: APIRequestContext,
  role: 'kiosk' | 'admin',
  method: string,
  input: unknown,
): Promise<T> {
  const { status, body } = await callApi<T>(request, role, method, input);
  expect(status, `${method}: ${JSON.stringify(body)}`).toBe(200);
  return body.value!;
}

const kioskQueues = (request: APIRequestContext) => call<KioskQueue[]>(request, 'kiosk', 'queue.kiosk.queues', {});

async function kioskQueue(request: APIRequestContext, id: string): Promise<KioskQueue> {
  const q = (await kioskQueues(request)).find((x) => x.id === id);
  expect(q, `queue ${id}`).toBeDefined();
  return q!;
}

/** A queue as the admin API takes it: the kiosk list adds live fields the upsert refuses. */
function asQueue(k: KioskQueue): Queue {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { openNow, hours, waiting, estimatedWaitMinutes, remainingToday, ...q } = k;
  return q;
}

const upsertQueue = (request: APIRequestContext, q: Queue) =>
  call<Queue>(request, 'admin', 'queue.admin.queues.upsert', q);

const issueTicket = (request: APIRequestContext, queueId: string, applicantType: 'person' | 'organisation') =>
  call<IssuedTicket>(request, 'kiosk', 'queue.ticket.issue', {
    mutationId: crypto.randomUUID(),
    queueId,
    applicantType,
    priority: 'none',
  });

const getTicket = (request: APIRequestContext, ticketId: string) =>
  call<IssuedTicket>(request, 'kiosk', 'queue.ticket.get', { ticketId });

function createAppointment(request: APIRequestContext, queueId: string, fromMs: number, toMs: number) {
  return call<{ code: string; windowStart: string; windowEnd: string }>(
    request,
    'admin',
    'queue.admin.appointments.create',
    {
      queueId,
      windowStart: new Date(fromMs).toISOString(),
      windowEnd: new Date(toMs).toISOString(),
      applicantType: 'person',
    },
  );
}

// ---------------------------------------------------------------------------------------------
// What the page should say (zh-CN), computed independently of the renderer

/** HH:MM now in the hall. */
const hallTime = (at = new Date()) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: HALL_TZ, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    at,
  );
const hallDate = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: HALL_TZ }).format(at);

/** How the kiosk says an appointment time: HH:MM on the hub's today (`now`), with month and day otherwise. */
function appointmentTime(iso: string, now: number): string {
  const at = new Date(iso);
  const today = hallDate(at) === hallDate(new Date(now));
  return new Intl.DateTimeFormat('zh-CN', {
    timeZone: HALL_TZ,
    hourCycle: 'h23',
    hour: '2-digit',
    minute: '2-digit',
    ...(today ? {} : { month: 'numeric', day: 'numeric' }),
  }).format(at);
}

function waitZh(minutes: number): string {
  if (minutes <= 0) return '无需等候';
  if (minutes < 60) return `约 ${minutes} 分钟`;
  return `约 ${Math.floor(minutes / 60)} 小时 ${minutes % 60} 分钟`;
}

/** A queue card's wait line. */
const cardWaitZh = (minutes: number) => (minutes <= 0 ? '无需等候' : `预计等候 ${waitZh(minutes)}`);

const aheadZh = (n: number) => (n === 0 ? '前面没有人，请留意叫号' : `前面还有 ${n} 人`);

/** The number after a given one in the same queue (A007 → A008). */
function nextNumber(number: string): string {
  const seq = Number(number.slice(1)) + 1;
  return `${number[0]}${String(seq).padStart(seq > 999 ? 4 : 3, '0')}`;
}

/** Opening hours that do not include the core's present moment. */
function hoursExcluding(now: Date): { opensAt: string; closesAt: string } {
  return hallTime(now) < '12:00' ? { opensAt: '23:00', closesAt: '23:30' } : { opensAt: '00:30', closesAt: '01:00' };
}

/** What a queue card says of hoursExcluding()'s hours: later today, or over for today. */
const closedWhyZh = (h: { opensAt: string }) =>
  h.opensAt === '23:00' ? '未到取号时间，23:00 开始取号' : '今日取号已结束，明天 0:30 开始取号';

// ---------------------------------------------------------------------------------------------
// Page helpers

const card = (page: Page, prefix: string) => byTest(page, `kiosk-queue-${prefix}`);
const inCard = (c: Locator, id: string) => c.locator(`[data-test="${id}"]`);

async function openKiosk(page: Page, request: APIRequestContext, query = '') {
  const profile = await getProfile(request);
  await page.goto(`/#/kiosk${query}`);
  await expectRolePageReady(page, profile.name);
  await expect(byTest(page, 'kiosk-start')).toBeVisible();
}

async function shoot(page: Page, name: string) {
  await page.screenshot({ path: screenPath(`kiosk-${name}`), fullPage: true });
}

/** What the print page looked like when print() was called on it. */
interface Printed {
  hash: string;
  ready: string | null;
  number: string | null;
}
let printed: Printed[] = [];

test.beforeEach(async ({ context }) => {
  printed = [];
  await context.exposeBinding('__e2ePrinted', (_source, p: Printed) => void printed.push(p));
  // Headless Chromium has no printer: every frame and window records what it would have printed.
  await context.addInitScript(() => {
    window.print = () => {
      const report = (window as unknown as { __e2ePrinted(p: unknown): Promise<void> }).__e2ePrinted;
      void report({
        hash: location.hash,
        ready: document.body?.dataset.printReady ?? null,
        number: document.querySelector('[data-test="print-number"]')?.textContent ?? null,
      });
    };
  });
});

/** The ticket id of the n-th print, from its route. */
function printedTicketId(n: number): string {
  const m = /^#\/print\/ticket\/([0-9a-f-]{36})\?as=kiosk$/.exec(printed[n]?.hash ?? '');
  expect(m, `print #${n}: ${JSON.stringify(printed[n])}`).not.toBeNull();
  return m![1]!;
}

// ---------------------------------------------------------------------------------------------
// The demo queues open 08:30–17:30 in the hall, and the host's clock reads 10:00 there (playwright.config.ts).

let original: KioskQueue[] = [];
let asSetUp: Queue[] = [];

test.beforeAll(async ({ playwright }, testInfo) => {
  const request = await playwright.request.newContext({ baseURL: testInfo.project.use.baseURL });
  original = await kioskQueues(request);
  expect(original.map((q) => q.prefix).sort()).toEqual(['A', 'B', 'C', 'D', 'E']);
  expect(original.every((q) => q.openNow)).toBe(true);
  asSetUp = original.map(asQueue);
  await request.dispose();
});

test.afterAll(async ({ playwright }, testInfo) => {
  const request = await playwright.request.newContext({ baseURL: testInfo.project.use.baseURL });
  for (const q of original) await upsertQueue(request, asQueue(q));
  await request.dispose();
});

const queueAsSetUp = (id: string) => asSetUp.find((q) => q.id === id)!;

// ---------------------------------------------------------------------------------------------

test('a person takes an A ticket by touch and sees number, people ahead, wait and time; it prints', async ({
  page,
  request,
}) => {
  const watched = watchPage(page);
  // Someone is already waiting, so "people ahead" is a real count.
  const earlier = await issueTicket(request, 'general', 'person');
  const a = await kioskQueue(request, 'general');
  expect(a.waiting).toBeGreaterThan(0);

  await openKiosk(page, request);
  await shoot(page, 'start');
  await byTest(page, 'kiosk-person').click();
  await expect(byTest(page, 'kiosk-step-title')).toHaveText('个人业务：请选择办理事项');
  for (const prefix of ['A', 'C', 'D', 'E']) await expect(card(page, prefix)).toBeEnabled();
  await expect(card(page, 'B')).toHaveCount(0);
  await expect(inCard(card(page, 'A'), 'kiosk-queue-name')).toHaveText('综合受理');
  await expect(inCard(card(page, 'A'), 'kiosk-queue-waiting')).toHaveText(`等候 ${a.waiting} 人`);
  await expect(inCard(card(page, 'A'), 'kiosk-queue-wait')).toHaveText(cardWaitZh(a.estimatedWaitMinutes));
  await shoot(page, 'queues-person');

  await card(page, 'A').click();
  await expect(byTest(page, 'kiosk-priority-queue')).toHaveText(/办理事项：综合受理/);
  await expect(byTest(page, 'kiosk-priority-note')).toContainText('工作人员可能核验');
  await shoot(page, 'priority');
  await byTest(page, 'kiosk-priority-none').click();

  await expect(byTest(page, 'kiosk-result')).toBeVisible();
  await expect(byTest(page, 'kiosk-ticket-number')).toHaveText(nextNumber(earlier.ticket.number));
  await expect(byTest(page, 'kiosk-ticket-queue')).toHaveText('综合受理');
  await expect(byTest(page, 'kiosk-ticket-ahead')).toHaveText(aheadZh(a.waiting));
  await expect(byTest(page, 'kiosk-ticket-wait')).toHaveText(waitZh(a.estimatedWaitMinutes));
  await expect(byTest(page, 'kiosk-ticket-time')).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  await expect(byTest(page, 'kiosk-ticket-priority')).toHaveCount(0);

  // It printed by itself, the ready print page of this very ticket.
  await expect(byTest(page, 'kiosk-print-state')).toHaveAttribute('data-state', 'printed', PRINT_TIMEOUT);
  expect(printed).toHaveLength(1);
  const number = nextNumber(earlier.ticket.number);
  expect(printed[0]).toMatchObject({ ready: '1', number });
  const ticket = await getTicket(request, printedTicketId(0));
  expect(ticket.ticket).toMatchObject({ number, queueId: 'general', applicantType: 'person', priority: 'none' });
  await expect(byTest(page, 'kiosk-print-state')).toHaveText('请取走号票');
  await shoot(page, 'result');

  await byTest(page, 'kiosk-reprint').click();
  await expect.poll(() => printed.length, PRINT_TIMEOUT).toBe(2);
  expect(printed[1]).toMatchObject({ ready: '1', number });

  await byTest(page, 'kiosk-done').click();
  await expect(byTest(page, 'kiosk-start')).toBeVisible();
  // One ticket from the touch flow, not two.
  expect((await kioskQueue(request, 'general')).waiting).toBe(a.waiting + 1);
  expect(watched.errors).toEqual([]);
});

test('an organisation sees B but not E, and a declared priority is on its ticket', async ({ page, request }) => {
  await openKiosk(page, request);
  await byTest(page, 'kiosk-organisation').click();
  await expect(byTest(page, 'kiosk-step-title')).toHaveText('企业业务：请选择办理事项');
  for (const prefix of ['A', 'B', 'C', 'D']) await expect(card(page, prefix)).toBeEnabled();
  await expect(card(page, 'E')).toHaveCount(0);
  await expect(inCard(card(page, 'B'), 'kiosk-queue-name')).toHaveText('企业开办');
  await shoot(page, 'queues-organisation');

  await card(page, 'B').click();
  for (const p of ['none', 'elderly', 'disabled', 'military', 'pregnant']) {
    await expect(byTest(page, `kiosk-priority-${p}`)).toBeVisible();
  }
  await expect(byTest(page, 'kiosk-priority-elderly')).toContainText('老年人');
  await byTest(page, 'kiosk-priority-elderly').click();

  await expect(byTest(page, 'kiosk-ticket-number')).toHaveText(/^B\d{3}$/);
  await expect(byTest(page, 'kiosk-ticket-priority')).toHaveText('优先：老年人');
  await expect(byTest(page, 'kiosk-ticket-queue')).toHaveText('企业开办');
  await expect.poll(() => printed.length, PRINT_TIMEOUT).toBe(1);
  const ticket = await getTicket(request, printedTicketId(0));
  expect(ticket.ticket).toMatchObject({ queueId: 'business', applicantType: 'organisation', priority: 'elderly' });
  await expect(byTest(page, 'kiosk-ticket-number')).toHaveText(ticket.ticket.number);
});

test('closed and sold-out queues are disabled with the reason, live; a stale tap is refused in words', async ({
  page,
  request,
}) => {
  const watched = watchPage(page);
  const closed = hoursExcluding(await serverNow(request));
  try {
    await openKiosk(page, request);
    await byTest(page, 'kiosk-person').click();
    await expect(card(page, 'C')).toBeEnabled();
    await expect(card(page, 'D')).toBeEnabled();

    // C closes and D runs out while the list is on screen: the cards change without a reload.
    await upsertQueue(request, { ...queueAsSetUp('property'), ...closed });
    await issueTicket(request, 'social', 'person');
    const d = await kioskQueue(request, 'social');
    await upsertQueue(request, { ...queueAsSetUp('social'), dailyMax: d.dailyMax - d.remainingToday });

    await expect(card(page, 'C')).toBeDisabled();
    await expect(inCard(card(page, 'C'), 'kiosk-queue-why')).toHaveText(closedWhyZh(closed));
    await expect(card(page, 'D')).toBeDisabled();
    await expect(inCard(card(page, 'D'), 'kiosk-queue-why')).toHaveText('今日号源已取完');
    await expect(inCard(card(page, 'C'), 'kiosk-queue-waiting')).toHaveCount(0);
    await expect(card(page, 'A')).toBeEnabled();
    await card(page, 'C').click({ force: true });
    await expect(byTest(page, 'kiosk-queues')).toBeVisible();
    await shoot(page, 'queues-closed');

    // A closes after the citizen chose it: the core refuses, the kiosk says why in Chinese.
    await card(page, 'A').click();
    await expect(byTest(page, 'kiosk-priority')).toBeVisible();
    await upsertQueue(request, { ...queueAsSetUp('general'), ...closed });
    await byTest(page, 'kiosk-priority-none').click();
    const error = byTest(page, 'kiosk-error');
    await expect(error).toHaveAttribute('data-reason', 'QUEUE_CLOSED');
    await expect(byTest(page, 'kiosk-error-text')).toHaveText(
      `该事项现在不能取号，取号时间为 ${closed.opensAt}–${closed.closesAt}`,
    );
    await expect(error).not.toContainText('not open');
    await expect(byTest(page, 'kiosk-retry')).toHaveCount(0);
    await shoot(page, 'refused');
    await byTest(page, 'kiosk-back').click();
    await expect(card(page, 'A')).toBeDisabled();
  } finally {
    for (const id of ['general', 'property', 'social']) await upsertQueue(request, queueAsSetUp(id));
  }
  await expect(card(page, 'C')).toBeEnabled();
  await expect(card(page, 'D')).toBeEnabled();
  // The browser itself logs the refused call's HTTP status; nothing else may go wrong.
  expect(watched.errors.filter((e) => !/status of 409/.test(e))).toEqual([]);
});

test('before its hours a queue says when tickets start, after them that it is over until tomorrow; the start screen too', async ({
  page,
  request,
}) => {
  const watched = watchPage(page);
  // The core's clock reads 10:00 in the hall: 13:30 is later today, 09:45 has passed.
  const all = (hours: { opensAt: string; closesAt: string }) =>
    Promise.all(asSetUp.map((q) => upsertQueue(request, { ...q, ...hours })));
  try {
    await all({ opensAt: '13:30', closesAt: '17:30' });
    await openKiosk(page, request);
    await expect(byTest(page, 'kiosk-hall-closed')).toHaveText('未到取号时间，13:30 开始取号');
    await byTest(page, 'kiosk-person').click();
    await expect(inCard(card(page, 'A'), 'kiosk-queue-why')).toHaveText('未到取号时间，13:30 开始取号');
    await expect(card(page, 'A')).toBeDisabled();
    await shoot(page, 'queues-not-yet');

    await all({ opensAt: '08:00', closesAt: '09:45' });
    await expect(inCard(card(page, 'A'), 'kiosk-queue-why')).toHaveText('今日取号已结束，明天 8:00 开始取号');
    await byTest(page, 'kiosk-home').click();
    await expect(byTest(page, 'kiosk-hall-closed')).toHaveText('今日取号已结束，明天 8:00 开始取号');
    await byTest(page, 'locale-switch').click();
    await expect(byTest(page, 'kiosk-hall-closed')).toHaveText('Closed for today: tickets again tomorrow from 8:00');
    await byTest(page, 'kiosk-person').click();
    await expect(inCard(card(page, 'A'), 'kiosk-queue-why')).toHaveText(
      'Closed for today: tickets again tomorrow from 8:00',
    );
    await all({ opensAt: '13:30', closesAt: '17:30' });
    await expect(inCard(card(page, 'A'), 'kiosk-queue-why')).toHaveText('Not open yet: tickets from 13:30');
    await shoot(page, 'queues-not-yet-en');
  } finally {
    for (const q of asSetUp) await upsertQueue(request, q);
  }
  await expect(card(page, 'A')).toBeEnabled();
  expect(watched.errors).toEqual([]);
});

test('a ticket prints again twice at most: the button counts down, the core refuses a third', async ({
  page,
  request,
}) => {
  const watched = watchPage(page);
  await openKiosk(page, request);
  await byTest(page, 'kiosk-person').click();
  await card(page, 'E').click();
  await byTest(page, 'kiosk-priority-none').click();
  await expect(byTest(page, 'kiosk-print-state')).toHaveAttribute('data-state', 'printed', PRINT_TIMEOUT);
  const reprint = byTest(page, 'kiosk-reprint');
  await expect(byTest(page, 'kiosk-reprints-left')).toHaveText('还可打印 2 次');

  await reprint.click();
  await expect.poll(() => printed.length, PRINT_TIMEOUT).toBe(2);
  await expect(byTest(page, 'kiosk-reprints-left')).toHaveText('还可打印 1 次');
  await expect(byTest(page, 'kiosk-print-state')).toHaveAttribute('data-state', 'printed', PRINT_TIMEOUT);
  await reprint.click();
  await expect.poll(() => printed.length, PRINT_TIMEOUT).toBe(3);
  await expect(byTest(page, 'kiosk-reprints-left')).toHaveText('不能再打印');
  await expect(reprint).toBeDisabled();
  await shoot(page, 'result-no-reprints');

  // The cap is the core's: asked directly, a third reprint of the same ticket is refused.
  const res = await callApi(request, 'kiosk', 'queue.ticket.reprint', {
    mutationId: crypto.randomUUID(),
    ticketId: printedTicketId(0),
  });
  expect(res.body.error).toMatchObject({ code: 'CONFLICT', details: { reason: 'REPRINT_LIMIT' } });
  expect(printed).toHaveLength(3);
  expect(watched.errors).toEqual([]);
});

test('a lost answer shows a translated network message; retry resends the same action and gets the same ticket', async ({
  page,
  request,
}) => {
  const before = await kioskQueue(request, 'fund');
  const sent: string[] = [];
  // The first issue reaches the core, which issues the ticket, but its answer never comes back.
  await page.route('**/api/v1/call/queue.ticket.issue', async (route) => {
    sent.push(route.request().postData() ?? '');
    if (sent.length === 1) {
      await route.fetch();
      await route.abort('connectionreset');
    } else {
      await route.continue();
    }
  });
  await openKiosk(page, request);
  await byTest(page, 'kiosk-person').click();
  await card(page, 'E').click();
  await byTest(page, 'kiosk-priority-none').click();

  await expect(byTest(page, 'kiosk-error-text')).toHaveText('服务暂时无法连接，请稍后重试');
  expect((await kioskQueue(request, 'fund')).waiting).toBe(before.waiting + 1);
  await byTest(page, 'kiosk-retry').click();

  await expect(byTest(page, 'kiosk-ticket-number')).toHaveText(/^E\d{3}$/);
  expect(sent).toHaveLength(2);
  expect(JSON.parse(sent[1]!)).toEqual(JSON.parse(sent[0]!));
  const after = await kioskQueue(request, 'fund');
  expect(after.waiting).toBe(before.waiting + 1);
  expect(after.remainingToday).toBe(before.remainingToday - 1);
});

test('appointment check-in: keypad code gives a ticket; unknown, early and expired codes are explained', async ({
  page,
  request,
}) => {
  const now = (await serverNow(request)).getTime();
  const hour = 3_600_000;
  const due = await createAppointment(request, 'social', now, now + hour);
  const early = await createAppointment(request, 'social', now + 3 * hour, now + 4 * hour);
  const expired = await createAppointment(request, 'social', now - 3 * hour, now - 2 * hour);

  await openKiosk(page, request);
  await byTest(page, 'kiosk-appointment').click();
  await expect(byTest(page, 'kiosk-step-title')).toHaveText('预约签到');
  await expect(byTest(page, 'kiosk-checkin')).toBeDisabled();
  for (const ch of due.code) await byTest(page, `kiosk-key-${ch}`).click();
  await expect(byTest(page, 'kiosk-code')).toHaveText(due.code);
  await shoot(page, 'appointment');
  await byTest(page, 'kiosk-checkin').click();

  await expect(byTest(page, 'kiosk-result')).toContainText('签到成功');
  await expect(byTest(page, 'kiosk-ticket-number')).toHaveText(/^D\d{3}$/);
  await expect(byTest(page, 'kiosk-ticket-queue')).toHaveText('社保医保');
  await expect.poll(() => printed.length, PRINT_TIMEOUT).toBe(1);
  const ticket = await getTicket(request, printedTicketId(0));
  expect(ticket.ticket.appointmentCode).toBe(due.code);
  await expect(byTest(page, 'kiosk-ticket-number')).toHaveText(ticket.ticket.number);
  await shoot(page, 'appointment-result');
  await byTest(page, 'kiosk-done').click();

  // A physical keyboard (or scanner) types too; lower case is taken as upper case.
  await byTest(page, 'kiosk-appointment').click();
  await page.keyboard.type('zz99zz');
  await expect(byTest(page, 'kiosk-code')).toHaveText('ZZ99ZZ');
  await page.keyboard.press('Enter');
  await expect(byTest(page, 'kiosk-error')).toHaveAttribute('data-reason', 'UNKNOWN_APPOINTMENT');
  await expect(byTest(page, 'kiosk-error-text')).toHaveText('未找到该预约码，请核对后重新输入');
  await shoot(page, 'appointment-unknown');

  await byTest(page, 'kiosk-key-clear').click();
  await expect(byTest(page, 'kiosk-code')).toHaveText('请输入预约码');
  await expect(byTest(page, 'kiosk-error')).toHaveCount(0);
  await page.keyboard.type(early.code);
  await page.keyboard.press('Enter');
  await expect(byTest(page, 'kiosk-error-text')).toHaveText(
    `还未到签到时间：您的预约从 ${appointmentTime(early.windowStart, now)} 开始，请临近预约时间再来签到`,
  );

  for (let i = 0; i < early.code.length; i++) await page.keyboard.press('Backspace');
  await expect(byTest(page, 'kiosk-code')).toHaveText('请输入预约码');
  await page.keyboard.type(expired.code);
  await page.keyboard.press('Enter');
  await expect(byTest(page, 'kiosk-error-text')).toHaveText(
    `该预约已过期（预约时段已于 ${appointmentTime(expired.windowEnd, now)} 结束），请重新预约或普通取号`,
  );

  // Checking in the same appointment again shows its ticket instead of issuing a second one.
  await byTest(page, 'kiosk-key-clear').click();
  await page.keyboard.type(due.code);
  await page.keyboard.press('Enter');
  await expect(byTest(page, 'kiosk-ticket-number')).toHaveText(ticket.ticket.number);
});

test('five wrong appointment codes lock this kiosk’s check-in, saying until when', async ({ page, request }) => {
  const now = (await serverNow(request)).getTime();
  const due = await createAppointment(request, 'social', now, now + 3_600_000);
  await openKiosk(page, request);
  await byTest(page, 'kiosk-appointment').click();
  for (const wrong of ['WRONG00001', 'WRONG00002', 'WRONG00003', 'WRONG00004', 'WRONG00005']) {
    await page.keyboard.type(wrong);
    await page.keyboard.press('Enter');
    await expect(byTest(page, 'kiosk-error')).toHaveAttribute('data-reason', 'UNKNOWN_APPOINTMENT');
    await byTest(page, 'kiosk-key-clear').click();
    await expect(byTest(page, 'kiosk-error')).toHaveCount(0);
  }
  // Even the right code now: whoever is guessing learns nothing more from this kiosk for ten minutes. The
  // kiosk's own clock already on tomorrow (as at midnight) does not turn the hub's "today" into a date.
  await page.clock.setFixedTime(new Date(now + 20 * 3_600_000));
  await page.keyboard.type(due.code);
  await page.keyboard.press('Enter');
  await expect(byTest(page, 'kiosk-error')).toHaveAttribute('data-reason', 'CHECK_IN_LOCKED');
  await expect(byTest(page, 'kiosk-error-text')).toHaveText(
    /^本机预约码输错次数过多，请于 \d{2}:\d{2} 后再试，或到咨询台咨询$/,
  );
});

test('inactivity returns to the start screen (and to Chinese); touches keep the screen', async ({ page, request }) => {
  await openKiosk(page, request, '?idle=2');

  await byTest(page, 'kiosk-person').click();
  await expect(byTest(page, 'kiosk-queues')).toBeVisible();
  await expect(byTest(page, 'kiosk-idle-warning')).toHaveText(/^[12] 秒后返回首页，触摸屏幕可继续操作$/);
  await shoot(page, 'idle-warning');
  await expect(byTest(page, 'kiosk-start')).toBeVisible({ timeout: 5000 });

  // Someone still typing is not thrown out: 3.5 s of touches on a 2 s timeout.
  await byTest(page, 'kiosk-appointment').click();
  for (let i = 0; i < 5; i++) {
    await byTest(page, 'kiosk-code').click();
    await page.waitForTimeout(700);
  }
  await expect(byTest(page, 'kiosk-appointment-step')).toBeVisible();
  await expect(byTest(page, 'kiosk-start')).toBeVisible({ timeout: 5000 });

  // The result screen goes back by itself too.
  await byTest(page, 'kiosk-person').click();
  await card(page, 'E').click();
  await byTest(page, 'kiosk-priority-none').click();
  await expect(byTest(page, 'kiosk-countdown')).toHaveText(/^[12] 秒后自动返回首页$/);
  await expect(byTest(page, 'kiosk-start')).toBeVisible({ timeout: 5000 });

  // English left behind on the start screen turns back to Chinese for the next citizen.
  await byTest(page, 'locale-switch').click();
  await expect(byTest(page, 'kiosk-person')).toContainText('Personal services');
  await expect(byTest(page, 'kiosk-person')).toContainText('个人业务', { timeout: 5000 });
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
});

test('in English the queue names, counts and the ticket are English', async ({ page, request }) => {
  const queues = (await kioskQueues(request))
    .filter((q) => q.applicantTypes.includes('person'))
    .sort((x, y) => x.sortOrder - y.sortOrder);
  await openKiosk(page, request);
  await byTest(page, 'locale-switch').click();
  await expect(byTest(page, 'kiosk-person')).toContainText('Personal services');
  await expect(byTest(page, 'kiosk-appointment')).toContainText('Appointment check-in');
  await byTest(page, 'kiosk-person').click();

  await expect(byTest(page, 'kiosk-step-title')).toHaveText('Personal services: choose your matter');
  await expect(byTest(page, 'kiosk-queue-name')).toHaveText(queues.map((q) => q.nameEn));
  const e = queues.find((q) => q.prefix === 'E')!;
  await expect(inCard(card(page, 'E'), 'kiosk-queue-waiting')).toHaveText(`${e.waiting} waiting`);
  await expect(byTest(page, 'kiosk-queues')).not.toContainText('综合受理');
  await shoot(page, 'queues-english');

  await card(page, 'E').click();
  await expect(byTest(page, 'kiosk-priority-none')).toContainText('Regular ticket');
  await byTest(page, 'kiosk-priority-none').click();
  await expect(byTest(page, 'kiosk-result')).toContainText('Here is your ticket');
  await expect(byTest(page, 'kiosk-ticket-queue')).toHaveText('Housing provident fund');
  const ahead =
    e.waiting === 0
      ? 'Nobody is ahead of you'
      : e.waiting === 1
        ? '1 person ahead of you'
        : `${e.waiting} people ahead of you`;
  await expect(byTest(page, 'kiosk-ticket-ahead')).toHaveText(ahead);
  await expect(byTest(page, 'kiosk-done')).toHaveText('Done');
});

test('the 80 mm ticket page renders to a one-page PDF with number, queue, hall and a QR code of the id', async ({
  page,
  request,
}) => {
  const watched = watchPage(page);
  const profile = await getProfile(request);
  const issued = await issueTicket(request, 'general', 'person');
  const id = issued.ticket.id;

  await page.goto(`/#/print/ticket/${id}`);
  await expect(page.locator('body')).toHaveAttribute('data-print-ready', '1', PRINT_TIMEOUT);
  await expect(byTest(page, 'print-number')).toHaveText(issued.ticket.number);
  await expect(byTest(page, 'print-hall')).toHaveText(profile.name);
  await expect(byTest(page, 'print-queue')).toHaveText('综合受理');
  await expect(byTest(page, 'print-queue-en')).toHaveText('General services');
  await expect(byTest(page, 'print-ahead')).toHaveText(`${issued.peopleAhead} 人`);
  await expect(byTest(page, 'print-hint')).toHaveText('请留意叫号屏和语音提示');

  // The QR code is exactly the ticket id (same encoder and settings as the page).
  const src = (await byTest(page, 'print-qr').getAttribute('src')) ?? '';
  const prefix = 'data:image/svg+xml;charset=utf-8,';
  expect(src.startsWith(prefix)).toBe(true);
  const svg = await QRCode.toString(id, { type: 'svg', margin: 0, errorCorrectionLevel: 'M' });
  expect(decodeURIComponent(src.slice(prefix.length))).toBe(svg);

  // 80 mm wide and as long as the ticket: the page sizes itself, one page, as a roll printer cuts it.
  const box = await byTest(page, 'print-ticket').boundingBox();
  expect(box).not.toBeNull();
  expect(Math.round((box!.width * 25.4) / 96)).toBe(80);
  const heightMm = Number(await page.locator('body').getAttribute('data-print-height-mm'));
  expect(heightMm).toBeGreaterThanOrEqual((box!.height * 25.4) / 96);
  const pdf = path.join(RESULTS_DIR, 'ticket.pdf');
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  await page.pdf({ path: pdf, width: '80mm', preferCSSPageSize: true, printBackground: true });

  const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
  expect(info).toMatch(/Pages:\s+1\n/);
  // 80 mm is 226.77 pt; Chromium rounds the page to whole CSS pixels.
  const [, width, height] = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info) ?? [];
  expect(Number(width)).toBeCloseTo(226.77, 0);
  expect(Math.abs(Number(height) - (heightMm * 72) / 25.4)).toBeLessThan(1.5);
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  for (const s of [issued.ticket.number, '综合受理', 'General services', profile.name, '请留意叫号屏和语音提示']) {
    expect(text, text).toContain(s);
  }
  execFileSync('pdftoppm', ['-png', '-r', '100', '-singlefile', pdf, path.join(RESULTS_DIR, 'ticket')]);
  expect(fs.statSync(path.join(RESULTS_DIR, 'ticket.png')).size).toBeGreaterThan(1000);
  expect(watched.errors).toEqual([]);
});

test('the ticket page of an unknown ticket says so and never claims to be ready', async ({ page }) => {
  await page.goto(`/#/print/ticket/${crypto.randomUUID()}`);
  await expect(byTest(page, 'print-failed')).toHaveText('号票无法生成：未找到相关记录');
  await expect(page.locator('body')).toHaveAttribute('data-print-error', '1');
  await expect(page.locator('body')).not.toHaveAttribute('data-print-ready', /.*/);
});
