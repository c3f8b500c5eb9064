import { expect, test, type Browser, type Page } from '@playwright/test';
import type { IssuedTicket, QueueKpi } from '@shared/api';
import { announcementClips } from '../../../shared/queue/announcement';
import {
  byTest,
  pick,
  expectRolePageReady,
  getProfile,
  openSession,
  screenPath,
  watchPage,
  adminToken,
} from './helpers';
import { callAs, emptyHall, PIN } from './queue-hall';

/**
 * One citizen through the hall, each role in its own browser context as on its own device: the kiosk
 * issues the ticket by touch, the counter calls it with F1, the display shows it large and says it, the
 * counter starts and finishes it. Every step goes through the pages; the API only reads state to check.
 */
test.describe.configure({ timeout: 120_000 });

/** What the display exposes about each announcement (renderer/src/voice/announcer.ts AnnouncementRecord). */
interface Announced {
  callId: number;
  ticketNumber: string;
  counterNumber: number;
  recall: boolean;
  text: string;
  clips: string[];
  startedAt: number;
  endedAt: number | null;
  audio: { from: number; to: number } | null;
}

interface Printed {
  hash: string;
  ready: string | null;
  number: string | null;
}

const announcements = (page: Page): Promise<Announced[]> =>
  page.evaluate(
    () =>
      JSON.parse(
        JSON.stringify((window as unknown as { __onewindowAnnouncements?: unknown[] }).__onewindowAnnouncements ?? []),
      ) as Announced[],
  );

async function newPage(browser: Browser, opts: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
  const context = await browser.newContext({ ...opts, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  return context.newPage();
}

test.beforeAll(async ({ request }) => {
  await emptyHall(request);
});

test('a ticket from the kiosk is called at the counter, shown and said on the display, then served', async ({
  browser,
  request,
}) => {
  const hallName = (await getProfile(request)).name;
  const kpis = async () => callAs<QueueKpi[]>(request, await adminToken(request), 'queue.kpis', {});
  const general = async () => (await kpis()).find((k) => k.queueId === 'general')!;
  const before = await general();
  const servedAtW1Before = (await kpis())
    .filter((k) => ['general', 'social', 'fund'].includes(k.queueId))
    .reduce((n, k) => n + k.served, 0);

  // The hall screen, switched on and voice enabled by someone's click (the browser's autoplay rule).
  const display = await newPage(browser, { viewport: { width: 1920, height: 1080 } });
  const displayWatch = watchPage(display);
  await display.goto('/#/display');
  await expectRolePageReady(display, hallName);
  await expect(byTest(display, 'display-board')).toHaveAttribute('data-loaded', 'true');
  // The browser decides whether sound needs a click first; the button is there only while it does.
  await expect(byTest(display, 'display-board')).not.toHaveAttribute('data-voice', 'starting');
  if ((await byTest(display, 'display-board').getAttribute('data-voice')) === 'locked') {
    await byTest(display, 'voice-unlock-button').click();
  }
  await expect(byTest(display, 'display-board')).toHaveAttribute('data-voice', 'ready');
  await expect(byTest(display, 'waiting-count-general')).toHaveAttribute('data-count', '0');

  // The clerk signs in at counter 1.
  const counter = await newPage(browser);
  const counterWatch = watchPage(counter);
  await counter.goto('/#/counter');
  await expectRolePageReady(counter, hallName);
  await pick(counter, 'signin-counter', '1号 综合窗口1');
  await byTest(counter, 'signin-login').fill('clerk01');
  await byTest(counter, 'signin-pin').fill(PIN);
  await byTest(counter, 'signin-pin').press('Enter');
  await expect(byTest(counter, 'counter-number')).toHaveText('1号窗口');
  await expect(byTest(counter, 'waiting-empty')).toBeVisible();

  // A citizen takes an A ticket at the kiosk by touch; it prints by itself.
  const kiosk = await newPage(browser);
  const printed: Printed[] = [];
  await kiosk.exposeBinding('__e2ePrinted', (_source, p: Printed) => void printed.push(p));
  await kiosk.addInitScript(() => {
    window.print = () =>
      void (window as unknown as { __e2ePrinted(p: unknown): Promise<void> }).__e2ePrinted({
        hash: location.hash,
        ready: document.body?.dataset.printReady ?? null,
        number: document.querySelector('[data-test="print-number"]')?.textContent ?? null,
      });
  });
  const kioskWatch = watchPage(kiosk);
  await kiosk.goto('/#/kiosk');
  await expectRolePageReady(kiosk, hallName);
  await byTest(kiosk, 'kiosk-person').click();
  await byTest(kiosk, 'kiosk-queue-A').click();
  await byTest(kiosk, 'kiosk-priority-none').click();
  await expect(byTest(kiosk, 'kiosk-ticket-number')).toHaveText(/^A\d{3}$/);
  const number = (await byTest(kiosk, 'kiosk-ticket-number').textContent())!;
  await expect(byTest(kiosk, 'kiosk-ticket-ahead')).toHaveText('前面没有人，请留意叫号');
  await expect(byTest(kiosk, 'kiosk-print-state')).toHaveAttribute('data-state', 'printed', { timeout: 20_000 });
  expect(printed).toHaveLength(1);
  expect(printed[0]).toMatchObject({ ready: '1', number });
  await kiosk.screenshot({ path: screenPath('flow-1-kiosk') });

  // The counter and the display hear of it without a reload.
  await expect(byTest(counter, 'waiting-row')).toHaveAttribute('data-number', number);
  await expect(byTest(display, 'waiting-count-general')).toHaveAttribute('data-count', '1');
  const issued = await general();
  expect(issued).toMatchObject({ waiting: 1, issued: before.issued + 1 });
  await counter.screenshot({ path: screenPath('flow-2-counter-waiting') });

  // F1 at the counter calls it.
  await counter.keyboard.press('F1');
  await expect(byTest(counter, 'current-number')).toHaveText(number);
  await expect(byTest(counter, 'current-state')).toHaveText('已呼叫');
  await expect(byTest(counter, 'waiting-empty')).toBeVisible();

  // The display shows it large and says "请A0xx号到1号窗口办理", once.
  const sentence = `请${number}号到1号窗口办理`;
  await expect(byTest(display, 'current-number')).toHaveText(number);
  await expect(byTest(display, 'current-counter')).toHaveText('1');
  await expect(byTest(display, 'current-sentence')).toHaveText(sentence);
  await expect(byTest(display, 'caption-text')).toHaveText(sentence);
  await expect(byTest(display, 'waiting-count-general')).toHaveAttribute('data-count', '0');
  await expect(byTest(display, 'history-row').first().locator('[data-test="history-number"]')).toHaveText(number);
  await expect(byTest(display, 'history-row').first().locator('[data-test="history-counter"]')).toHaveText('1');
  const numberBox = await byTest(display, 'current-number').boundingBox();
  expect(numberBox!.height, 'the number is large on a 1080p screen').toBeGreaterThan(150);
  await display.screenshot({ path: screenPath('flow-3-display-call'), animations: 'disabled' });
  await expect
    .poll(async () => (await announcements(display)).filter((a) => a.endedAt !== null).length, { timeout: 30_000 })
    .toBe(1);
  const [said] = await announcements(display);
  expect(said).toMatchObject({ text: sentence, ticketNumber: number, counterNumber: 1, recall: false });
  expect(said!.clips).toEqual(announcementClips(number, 1));
  expect(said!.audio, 'the clips were scheduled on the audio clock').not.toBeNull();

  // F3 starts the service, F4 finishes it (the buttons, as a clerk with a mouse would).
  await byTest(counter, 'action-start').click();
  await expect(byTest(counter, 'current-state')).toHaveText('办理中');
  await counter.screenshot({ path: screenPath('flow-4-counter-serving') });
  await byTest(counter, 'action-finish').click();
  await expect(byTest(counter, 'current-none')).toBeVisible();
  // The counter's own figures (its queues: general, social, fund) count the citizen served.
  await expect(byTest(counter, 'kpi-served')).toHaveAttribute('data-value', String(servedAtW1Before + 1));
  await expect(byTest(counter, 'kpi-waiting')).toHaveAttribute('data-value', '0');

  // The display still shows the call, spoke it only once, and counts nobody waiting.
  await expect(byTest(display, 'current-number')).toHaveText(number);
  await expect(byTest(display, 'waiting-count-general')).toHaveText('0人');
  expect(await announcements(display)).toHaveLength(1);

  const done = await general();
  expect(done).toMatchObject({ waiting: 0, served: before.served + 1, issued: before.issued + 1 });
  const ticketId = /^#\/print\/ticket\/([0-9a-f-]{36})\?as=kiosk$/.exec(printed[0]!.hash)![1]!;
  const ticket = await callAs<IssuedTicket>(request, await openSession(request, 'kiosk'), 'queue.ticket.get', {
    ticketId,
  });
  expect(ticket.ticket).toMatchObject({ number, state: 'done', counterId: 'w1', callCount: 1 });

  await counter.screenshot({ path: screenPath('flow-5-counter-done') });
  await display.screenshot({ path: screenPath('flow-6-display-after'), animations: 'disabled' });
  const unexpected = (errors: string[]) => errors.filter((e) => !/status of 4\d\d/.test(e));
  expect(unexpected([...kioskWatch.errors, ...counterWatch.errors, ...displayWatch.errors])).toEqual([]);
  for (const p of [kiosk, counter, display]) await p.context().close();
});
