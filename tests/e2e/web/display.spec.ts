import { expect, test, type WebSocketRoute } from '@playwright/test';
import type { DisplayBoard, QueueSettings, Ticket } from '@shared/api';
import { announcementClips } from '../../../shared/queue/announcement';
import {
  Counter,
  RoleClient,
  announcements,
  issueTickets,
  openDisplay,
  sentenceZh,
  serverWaiting,
  spoken,
  unlockVoice,
  unlockVoiceIfAsked,
  waitingCount,
  type Announced,
} from './display-helpers';
import { byTest, screenPath, watchPage } from './helpers';

/**
 * The hall display (叫号屏) against a real browser host: calls made through the contract appear large and
 * in the history, waiting counts follow, every call is announced once and in order, a recall is announced
 * again, and the page catches up after a lost socket. Audio: headless Chromium has a fake output device, so
 * clips are really decoded and scheduled; `window.__onewindowAnnouncements` tells what was said and when.
 */

// The demo queues open 08:30–17:30 in the hall, and the host's clock reads 10:00 there (playwright.config.ts).
test.describe('hall display', () => {
  test('shows a call large and in the history, follows waiting counts, announces it and its recall', async ({
    page,
    request,
  }) => {
    test.setTimeout(90_000);
    const watched = watchPage(page);
    await page.setViewportSize({ width: 1920, height: 1080 });
    const kiosk = new RoleClient(request, 'kiosk');
    const w3 = new Counter(request, 'w3', 3, 'clerk01');
    await w3.signIn();

    await openDisplay(page, request);
    await expect(byTest(page, 'clock-time')).toHaveText(/^\d{2}:\d{2}:\d{2}$/);
    const waitingBefore = await waitingCount(page, 'general');

    await issueTickets(kiosk, 2);
    await expect(byTest(page, 'waiting-count-general')).toHaveAttribute('data-count', String(waitingBefore + 2));
    await expect(byTest(page, 'waiting-count-general')).toHaveText(`${waitingBefore + 2}人`);
    await expect(byTest(page, 'waiting-general').locator('[data-test="waiting-name"]')).toHaveText('综合受理');

    const ticket = await w3.callNext();
    const text = sentenceZh(ticket.number, 3);
    await expect(byTest(page, 'current-number')).toHaveText(ticket.number);
    await expect(byTest(page, 'current-counter')).toHaveText('3');
    await expect(byTest(page, 'current-sentence')).toHaveText(text);
    await expect(byTest(page, 'current-call')).toHaveAttribute('data-flash', 'true');
    await expect(byTest(page, 'current-recall')).toHaveCount(0);
    const first = byTest(page, 'history-row').first();
    await expect(first.locator('[data-test="history-number"]')).toHaveText(ticket.number);
    await expect(first.locator('[data-test="history-counter"]')).toHaveText('3');
    await expect(byTest(page, 'caption-text')).toHaveText(text);
    // Whoever called the ticket, it left the waiting list (w3 may have taken a property-queue ticket instead).
    if (ticket.queueId === 'general') {
      await expect(byTest(page, 'waiting-count-general')).toHaveAttribute('data-count', String(waitingBefore + 1));
    }

    const [said] = await spoken(page, text);
    expect(said!.clips).toEqual(announcementClips(ticket.number, 3));
    expect(said!.recall).toBe(false);
    // Decoded and scheduled on the audio clock (Chromium's fake output device), not skipped silently.
    expect(said!.audio, 'clips were scheduled').not.toBeNull();
    expect(said!.audio!.to).toBeGreaterThan(said!.audio!.from + 2);

    await w3.recall(ticket);
    await expect(byTest(page, 'current-recall')).toBeVisible();
    await expect(byTest(page, 'history-row').first().locator('.recall')).toBeVisible();
    const both = await spoken(page, text, 2);
    expect(both.map((a) => a.recall)).toEqual([false, true]);
    expect(both[1]!.callId).toBeGreaterThan(both[0]!.callId);
    expect(both[1]!.startedAt).toBeGreaterThanOrEqual(both[0]!.endedAt!);

    // Only these two were spoken: the board's history at switch-on is not news, and no call twice.
    const all = await announcements(page);
    expect(all.map((a) => a.callId)).toEqual(both.map((a) => a.callId));

    await expect(byTest(page, 'current-call')).toHaveAttribute('data-flash', 'false', { timeout: 10_000 });
    await page.screenshot({ path: screenPath('display'), animations: 'disabled' });
    expect(watched.errors).toEqual([]);
  });

  test('the history shows each ticket once: recalls update its row with a count, a no-show is marked 过号', async ({
    page,
    request,
  }) => {
    test.setTimeout(60_000);
    const watched = watchPage(page);
    const admin = new RoleClient(request, 'admin');
    const settings = await admin.call<QueueSettings>('queue.settings.get', {});
    // 过号 is allowed at once after the first call, so the test need not wait out the hall's grace time.
    await admin.call('queue.settings.update', { ...settings, noShowAfterCalls: 1, noShowGraceSeconds: 0 });
    try {
      const kiosk = new RoleClient(request, 'kiosk');
      const w3 = new Counter(request, 'w3', 3, 'clerk01');
      await w3.signIn();
      await openDisplay(page, request);
      await issueTickets(kiosk, 2);
      const rows = byTest(page, 'history-row');
      const rowOf = (t: Ticket) => page.locator(`[data-test="history-row"][data-ticket-id="${t.id}"]`);

      const lapsed = await w3.callNext();
      await expect(rows.first()).toHaveAttribute('data-ticket-id', lapsed.id);
      await expect(rowOf(lapsed).locator('[data-test="history-recall"]')).toHaveCount(0);
      for (let i = 0; i < 3; i++) await w3.recall(lapsed);
      await expect(rowOf(lapsed).locator('[data-test="history-recall"]')).toHaveText('重呼 ×3');
      await expect(rowOf(lapsed)).toHaveCount(1);
      await expect(rows.first()).toHaveAttribute('data-ticket-id', lapsed.id);

      await w3.noShow(lapsed);
      await expect(rowOf(lapsed).locator('[data-test="history-no-show"]')).toHaveText('过号');
      const next = await w3.callNext();
      await expect(rows.first()).toHaveAttribute('data-ticket-id', next.id);
      await expect(rowOf(lapsed).locator('[data-test="history-no-show"]')).toHaveText('过号');
      const numbers = await byTest(page, 'history-number').allTextContents();
      expect(new Set(numbers).size, `one row per ticket: ${numbers.join(' ')}`).toBe(numbers.length);
      await page.screenshot({ path: screenPath('display-history-noshow'), animations: 'disabled' });

      // What a screen switched on now gets from the core is the same board.
      await page.reload();
      await expect(byTest(page, 'display-board')).toHaveAttribute('data-loaded', 'true');
      await expect(rowOf(lapsed)).toHaveCount(1);
      await expect(rowOf(lapsed).locator('[data-test="history-no-show"]')).toHaveText('过号');
      await expect(rows.first()).toHaveAttribute('data-ticket-id', next.id);
      const board = await new RoleClient(request, 'display').call<DisplayBoard>('queue.display.board', { limit: 8 });
      expect(board.tickets.find((r) => r.ticketId === lapsed.id)).toMatchObject({ recalls: 3, noShow: true });
      expect(board.tickets.filter((r) => r.ticketId === lapsed.id)).toHaveLength(1);
      expect(watched.errors).toEqual([]);
    } finally {
      await admin.call('queue.settings.update', settings);
    }
  });

  test('two calls at once are announced one after the other, never over each other', async ({ page, request }) => {
    test.setTimeout(90_000);
    const watched = watchPage(page);
    const kiosk = new RoleClient(request, 'kiosk');
    const w3 = new Counter(request, 'w3', 3, 'clerk01');
    const w12 = new Counter(request, 'w12', 12, 'clerk02');
    await w3.signIn();
    await w12.signIn();
    await openDisplay(page, request);
    await issueTickets(kiosk, 2);

    const [t3, t12] = await Promise.all([w3.callNext(), w12.callNext()]);
    const texts = [sentenceZh(t3.number, 3), sentenceZh(t12.number, 12)];
    await expect
      .poll(async () => (await byTest(page, 'history-number').allTextContents()).slice(0, 2).sort())
      .toEqual([t3.number, t12.number].sort());

    await spoken(page, texts[0]!);
    await spoken(page, texts[1]!);
    const said = (await announcements(page)).filter((a) => texts.includes(a.text));
    expect(said).toHaveLength(2);
    const [a, b] = said.sort((x, y) => x.startedAt - y.startedAt) as [Announced, Announced];
    // In the order the calls were made, the second only once the first had finished, sound included.
    expect(b.callId).toBeGreaterThan(a.callId);
    expect(b.startedAt).toBeGreaterThanOrEqual(a.endedAt!);
    expect(a.audio).not.toBeNull();
    expect(b.audio).not.toBeNull();
    expect(b.audio!.from).toBeGreaterThanOrEqual(a.audio!.to);
    // Counter 12 is spoken as 十二.
    const for12 = said.find((s) => s.counterNumber === 12)!;
    expect(for12.clips.slice(-3)).toEqual(['d10', 'd2', 'hao-chuangkou-banli']);
    expect(watched.errors).toEqual([]);
  });

  test('the caption follows the screen language while the voice stays Chinese', async ({ page, request }) => {
    test.setTimeout(60_000);
    const watched = watchPage(page);
    await page.setViewportSize({ width: 1920, height: 1080 });
    const kiosk = new RoleClient(request, 'kiosk');
    const w3 = new Counter(request, 'w3', 3, 'clerk01');
    await w3.signIn();
    await openDisplay(page, request);
    await byTest(page, 'locale-switch').click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en-US');
    await expect(byTest(page, 'waiting-general').locator('[data-test="waiting-name"]')).toHaveText('General services');

    await issueTickets(kiosk, 1);
    const ticket = await w3.callNext();
    const english = `Number ${ticket.number}, please go to counter 3`;
    await expect(byTest(page, 'current-sentence')).toHaveText(english);
    await expect(byTest(page, 'caption-text')).toHaveText(english);
    await page.screenshot({ path: screenPath('display-en'), animations: 'disabled' });
    const [said] = await spoken(page, sentenceZh(ticket.number, 3));
    expect(said!.clips).toEqual(announcementClips(ticket.number, 3));
    await expect(byTest(page, 'history-counter').first()).toHaveText('3');
    await expect(byTest(page, 'call-history')).toContainText('Counter');
    expect(watched.errors).toEqual([]);
  });

  test('catches up after the socket was lost, and a reload re-fetches without re-announcing', async ({
    page,
    request,
  }) => {
    test.setTimeout(90_000);
    const watched = watchPage(page);
    const kiosk = new RoleClient(request, 'kiosk');
    const w3 = new Counter(request, 'w3', 3, 'clerk01');
    await w3.signIn();

    // Every event socket goes through the test, so it can cut them and refuse new ones for a while.
    let outage = false;
    const sockets: WebSocketRoute[] = [];
    await page.routeWebSocket(/\/api\/v1\/ws$/, (ws) => {
      if (outage) {
        void ws.close({ code: 1011, reason: 'e2e outage' });
        return;
      }
      ws.connectToServer();
      sockets.push(ws);
    });
    await openDisplay(page, request, { unlockVoice: false });
    await unlockVoiceIfAsked(page);
    await issueTickets(kiosk, 2);
    const before = await w3.callNext();
    await expect(byTest(page, 'current-number')).toHaveText(before.number);
    await expect.poll(() => waitingCount(page, 'general')).toBe(await serverWaiting(request, 'general'));

    outage = true;
    for (const ws of sockets.splice(0)) await ws.close({ code: 1001, reason: 'e2e outage' });
    await expect(byTest(page, 'connection')).toHaveText('连接中断，正在重试…');
    await issueTickets(kiosk, 2);
    const missed = await w3.callNext();
    const waitingNow = await serverWaiting(request, 'general');
    // The events went nowhere: the screen still shows the previous call and the old count.
    await page.waitForTimeout(700);
    await expect(byTest(page, 'current-number')).toHaveText(before.number);
    expect(await waitingCount(page, 'general')).not.toBe(waitingNow);

    outage = false;
    await expect(byTest(page, 'connection')).toHaveText('已连接', { timeout: 20_000 });
    await expect(byTest(page, 'current-number')).toHaveText(missed.number);
    await expect(byTest(page, 'history-number').first()).toHaveText(missed.number);
    await expect(byTest(page, 'waiting-count-general')).toHaveAttribute('data-count', String(waitingNow));
    // A call made during a short outage is still news: it is announced after the reconnect.
    const [said] = await spoken(page, sentenceZh(missed.number, 3));
    expect(said!.clips).toEqual(announcementClips(missed.number, 3));

    await page.reload();
    await expect(byTest(page, 'display-board')).toHaveAttribute('data-loaded', 'true');
    await unlockVoiceIfAsked(page);
    await expect(byTest(page, 'current-number')).toHaveText(missed.number);
    await expect(byTest(page, 'history-number').nth(1)).toHaveText(before.number);
    await expect(byTest(page, 'waiting-general')).toBeVisible();
    await page.waitForTimeout(1000);
    expect(await announcements(page), 'nothing re-announced after a reload').toEqual([]);
    expect(watched.errors).toEqual([]);
  });

  test('until someone acts, audio stays locked behind a small header prompt; a key press speaks the waiting call', async ({
    page,
    request,
  }) => {
    test.setTimeout(60_000);
    const watched = watchPage(page);
    const kiosk = new RoleClient(request, 'kiosk');
    const w3 = new Counter(request, 'w3', 3, 'clerk01');
    await w3.signIn();
    // Headless Chromium 156 (Debian, 2026-12) starts Web Audio with no gesture, whatever its autoplay flags.
    // The page is shown a context that behaves as a browser's autoplay policy makes it: suspended, and resume()
    // pending, until the user has acted (a trusted key or pointer press).
    await page.addInitScript(gateAudioOnUserActivation);
    await openDisplay(page, request, { unlockVoice: false });
    // The page knows audio is locked only once its audio context failed to start (a timer): wait for that state.
    await expect(byTest(page, 'display-board')).toHaveAttribute('data-voice', 'locked', { timeout: 15_000 });
    await expect(byTest(page, 'voice-unlock')).toBeVisible();

    await issueTickets(kiosk, 1);
    const ticket = await w3.callNext();
    await expect(byTest(page, 'current-number')).toHaveText(ticket.number);
    await page.waitForTimeout(500);
    expect(await announcements(page), 'nothing spoken while audio is locked').toEqual([]);

    // The prompt is a small banner in the header: the number being called and the history stay in plain sight.
    const banner = (await byTest(page, 'voice-unlock').boundingBox())!;
    for (const id of ['current-number', 'current-counter', 'call-history']) {
      const box = (await byTest(page, id).boundingBox())!;
      const overlaps =
        banner.x < box.x + box.width &&
        box.x < banner.x + banner.width &&
        banner.y < box.y + box.height &&
        box.y < banner.y + banner.height;
      expect(overlaps, `the voice prompt covers ${id}`).toBe(false);
    }
    await expect(byTest(page, 'current-number')).toBeInViewport();
    await page.screenshot({ path: screenPath('display-voice-locked'), animations: 'disabled' });
    // A hall screen often has only a keyboard: the prompt holds the focus and one key press starts the voice.
    await expect(byTest(page, 'voice-unlock-button')).toBeFocused();
    await unlockVoice(page, 'key');
    const [said] = await spoken(page, sentenceZh(ticket.number, 3));
    expect(said!.audio, 'clips were scheduled after the unlock').not.toBeNull();
    await expect(byTest(page, 'voice-unlock')).toHaveCount(0);
    expect(watched.errors).toEqual([]);
  });

  test('on a 1920×1080 wall screen: no technical line, a language switch sized for the wall', async ({
    page,
    request,
  }) => {
    const watched = watchPage(page);
    await page.setViewportSize({ width: 1920, height: 1080 });
    await openDisplay(page, request, { unlockVoice: false });
    const switcher = byTest(page, 'locale-switch');
    const box = (await switcher.boundingBox())!;
    expect(box.height, 'switch height').toBeGreaterThanOrEqual(48);
    const fontPx = await switcher.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(fontPx, 'switch type size').toBeGreaterThanOrEqual(24);
    for (const technical of ['版本', '设备', '数据版本', 'DEMO01']) {
      await expect(page.locator('body')).not.toContainText(technical);
    }
    await expect(byTest(page, 'status-bar'), 'no visible status line').toHaveCSS('opacity', '0');
    await page.screenshot({ path: screenPath('display-1920x1080'), animations: 'disabled' });
    await unlockVoiceIfAsked(page);
    await page.screenshot({ path: screenPath('display-1920x1080-voice-on'), animations: 'disabled' });
    expect(watched.errors).toEqual([]);
  });

  test('fits a 1280×800 screen without scrolling', async ({ page, request }) => {
    const watched = watchPage(page);
    await page.setViewportSize({ width: 1280, height: 800 });
    await openDisplay(page, request);
    const size = await page.evaluate(() => ({
      scrollHeight: document.documentElement.scrollHeight,
      scrollWidth: document.documentElement.scrollWidth,
      innerHeight: window.innerHeight,
      innerWidth: window.innerWidth,
    }));
    expect(size.scrollHeight).toBeLessThanOrEqual(size.innerHeight);
    expect(size.scrollWidth).toBeLessThanOrEqual(size.innerWidth);
    for (const id of ['current-call', 'call-history', 'waiting-counts', 'caption', 'status-bar']) {
      const box = await byTest(page, id).boundingBox();
      expect(box, id).not.toBeNull();
      expect(box!.y + box!.height, `${id} bottom`).toBeLessThanOrEqual(800 + 0.5);
    }
    await page.screenshot({ path: screenPath('display-1280x800'), animations: 'disabled' });
    expect(watched.errors).toEqual([]);
  });
});

/**
 * Runs in the page before its scripts: an AudioContext that starts only after a user gesture. The gesture is a
 * trusted key press or pointer press seen by the page, not `navigator.userActivation`: Playwright evaluates its
 * own scripts (every expect's polling) with a user gesture, which sets that flag at a moment no person chose.
 */
function gateAudioOnUserActivation(): void {
  const Real = window.AudioContext;
  let gestured = false;
  for (const type of ['keydown', 'pointerdown']) {
    window.addEventListener(type, (e) => (gestured ||= e.isTrusted), { capture: true });
  }
  class GatedAudioContext extends Real {
    private unlocked = false;
    constructor(options?: AudioContextOptions) {
      super(options);
      void super.suspend();
    }
    override get state(): AudioContextState {
      const real = super.state;
      return this.unlocked || real === 'closed' ? real : 'suspended';
    }
    override resume(): Promise<void> {
      if (!gestured) return new Promise<void>(() => undefined);
      this.unlocked = true;
      return super.resume();
    }
  }
  window.AudioContext = GatedAudioContext;
}
