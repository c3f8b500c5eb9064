import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import type { Applicant, CalendarYear, HallClock, IssuedTicket, KioskQueue, Matter, Queue } from '@shared/api';
import { CREDIT_CODE_ALPHABET, creditCodeCheckChar } from '@shared/validation/credit-code';
import { residentIdCheckChar } from '@shared/validation/resident-id';
import { DEFAULT_TOLERANCE_WORKING_DAYS } from '../../../electron/core/services/intake-service';
import { adminToken, byTest, openSession, pick } from './helpers';
import { emptyHall } from './queue-hall';

export { pick };

/**
 * Shared steps of the intake, rating and feedback specs against the browser host's demo hall
 * (electron/core/queue/demo-hall.ts) and demo catalog (electron/core/intake/demo-catalog.ts).
 */

export const PIN = '123456';
/** Counter 1 (综合窗口1) serves the general queue; 王丽 signs in there. */
export const COUNTER_ID = 'w1';
export const COUNTER_LABEL = '1号 综合窗口1';
export const CLERK = '王丽';
export const CLERK_LOGIN = 'clerk01';
export const PDF_DIR = path.resolve('test-results', 'intake');

interface Envelope<T> {
  ok: boolean;
  value?: T;
  error?: { code: string; message: string; details?: { reason?: string } & Record<string, unknown> };
}

export const mutationId = () => crypto.randomUUID();

/** One API context with a session per role, for setting up and checking what the pages did. */
export class HallApi {
  private tokens = new Map<string, string>();
  constructor(private readonly api: APIRequestContext) {}

  /**
   * The administrator's session is the run's signed-in one; the counter's has clerk02 signed in at w12
   * (the resets take every counter over with clerk02, so it signs in again when that ended it).
   */
  private async token(role: 'admin' | 'kiosk' | 'counter', renew = false): Promise<string> {
    if (role === 'admin') return adminToken(this.api);
    if (renew || !this.tokens.has(role)) {
      const token = await openSession(this.api, role);
      if (role === 'counter') {
        const res = await this.api.post('/api/v1/call/queue.counter.signIn', {
          data: { counterId: 'w12', login: 'clerk02', pin: PIN },
          headers: { authorization: `Bearer ${token}` },
        });
        const body = (await res.json()) as Envelope<unknown>;
        expect(body.ok, `counter sign-in: ${JSON.stringify(body.error)}`).toBe(true);
      }
      this.tokens.set(role, token);
    }
    return this.tokens.get(role)!;
  }

  /** Hands this API's signed-in counter session to a page (its print pages run on the tab's session). */
  async shareCounterSession(page: Page): Promise<void> {
    // A reset may have taken w12 over since: this signs the session in again if so.
    await this.call('counter', 'queue.counter.view', { counterId: 'w12' });
    const token = await this.token('counter');
    await page.addInitScript(keepSession, { role: 'counter', token });
  }

  async raw<T>(role: 'admin' | 'kiosk' | 'counter', method: string, input: unknown): Promise<Envelope<T>> {
    const send = async (renew: boolean) => {
      const res = await this.api.post(`/api/v1/call/${method}`, {
        data: input as Record<string, unknown>,
        headers: { authorization: `Bearer ${await this.token(role, renew)}` },
      });
      return (await res.json()) as Envelope<T>;
    };
    const first = await send(false);
    const lost = first.error?.code === 'SIGN_IN_REQUIRED' || first.error?.details?.reason === 'NOT_SIGNED_IN';
    return role === 'counter' && lost ? send(true) : first;
  }

  async call<T>(role: 'admin' | 'kiosk' | 'counter', method: string, input: unknown): Promise<T> {
    const body = await this.raw<T>(role, method, input);
    expect(body.ok, `${method}: ${JSON.stringify(body.error)}`).toBe(true);
    return body.value!;
  }

  issue(queueId = 'general'): Promise<IssuedTicket> {
    return this.call<IssuedTicket>('kiosk', 'queue.ticket.issue', {
      mutationId: mutationId(),
      queueId,
      applicantType: 'person',
      priority: 'none',
    });
  }

  registerPerson(name: string, idNumber = newResidentId()): Promise<Applicant> {
    return this.call<Applicant>('counter', 'applicant.register', {
      mutationId: mutationId(),
      applicant: { kind: 'person', name, idType: 'resident_id', idNumber, phone: '13800138000' },
    });
  }

  /**
   * Puts a holiday calendar, as central would send it, for each year a matter's promise (or the default
   * 容缺 date) from the hall's today runs into without one: the counter promises no date counted without
   * the year's holidays. Late in a year, until the next year's calendar arrives, that year gets one holding
   * its 元旦 (1 January, a holiday every year); for most of the year nothing is put.
   */
  async calendarsFor(matterCode: string): Promise<void> {
    const { hallDay } = await this.call<HallClock>('kiosk', 'queue.hall.clock', {});
    const matters = await this.call<Matter[]>('counter', 'catalog.matters', { query: matterCode });
    const { promisedDays } = matters.find((m) => m.code === matterCode)!;
    const years = new Set<number>();
    for (const days of [promisedDays, DEFAULT_TOLERANCE_WORKING_DAYS]) {
      const preview = await this.call<{ yearsWithoutCalendar: number[] }>('counter', 'calendar.addWorkingDays', {
        from: hallDay,
        days,
      });
      for (const y of preview.yearsWithoutCalendar) years.add(y);
    }
    for (const year of years) {
      const held = await this.call<CalendarYear>('admin', 'calendar.get', { year });
      await this.call('admin', 'calendar.admin.put', { ...held, holidays: [...held.holidays, `${year}-01-01`] });
    }
  }

  /** The demo queues open 08:30–17:30 in Shanghai; the tests must run at any hour. */
  async openQueuesAllDay(): Promise<Queue[]> {
    const queues = await this.call<KioskQueue[]>('admin', 'queue.kiosk.queues', {});
    const original = queues.map(
      ({ openNow: _o, hours: _h, waiting: _w, estimatedWaitMinutes: _e, remainingToday: _r, ...q }) => q,
    );
    for (const q of original) {
      await this.call('admin', 'queue.admin.queues.upsert', { ...q, opensAt: '00:00', closesAt: '23:59' });
    }
    return original;
  }

  async restoreQueues(original: Queue[]) {
    for (const q of original) await this.call('admin', 'queue.admin.queues.upsert', q);
  }

  /**
   * Finishes what each counter holds, cancels every waiting ticket and signs the counters out. A rating
   * prompt left open needs nothing: only a paired screen could answer it, and the counter's next request
   * (or its expiry) records it as not rated.
   */
  async resetHall() {
    await emptyHall(this.api);
  }
}

/** Gives a print tab the session of the signed-in counter tab, as its print frame has it. */
export async function sharePageSession(from: Page, to: Page, role = 'counter'): Promise<void> {
  const token = await from.evaluate((r) => sessionStorage.getItem(`onewindow.session.${r}`), role);
  if (token) await to.addInitScript(keepSession, { role, token });
}

/** An init script: the tab's session for a role (not on about:blank, whose storage is closed). */
function keepSession({ role, token }: { role: string; token: string }) {
  if (window.location.protocol.startsWith('http')) window.sessionStorage.setItem(`onewindow.session.${role}`, token);
}

/** A valid GB 11643 number nobody else in the run has: random birth date and sequence. */
export function newResidentId(region = '110105'): string {
  const year = 1950 + crypto.randomInt(50);
  const month = String(1 + crypto.randomInt(12)).padStart(2, '0');
  const day = String(1 + crypto.randomInt(28)).padStart(2, '0');
  const seq = String(crypto.randomInt(1000)).padStart(3, '0');
  const first17 = `${region}${year}${month}${day}${seq}`;
  return first17 + residentIdCheckChar(first17);
}

/** A valid GB 32100 code of an enterprise (91…) in Beijing with a random organisation part. */
export function newCreditCode(): string {
  const org = Array.from({ length: 9 }, () => CREDIT_CODE_ALPHABET[crypto.randomInt(10)]).join('');
  const first17 = `91110105${org}`;
  return first17 + creditCodeCheckChar(first17);
}

/** The same number with a wrong check digit. */
export function withWrongCheckDigit(id: string): string {
  const wrong = '0123456789X'.split('').find((c) => c !== id[17])!;
  return id.slice(0, 17) + wrong;
}

/** As the receipt and lists show it: 110105********1234. */
export const masked = (id: string) => `${id.slice(0, 6)}${'*'.repeat(8)}${id.slice(14)}`;

/** Opens an Element Plus select by its data-test and clicks the visible option containing `label`. */

export async function signIn(page: Page) {
  await page.goto('/#/counter');
  await expect(byTest(page, 'connection')).toHaveText('已连接');
  await pick(page, 'signin-counter', COUNTER_LABEL);
  await byTest(page, 'signin-login').fill(CLERK_LOGIN);
  await byTest(page, 'signin-pin').fill(PIN);
  await byTest(page, 'signin-pin').press('Enter');
  await expect(byTest(page, 'counter-main')).toBeVisible();
}

/** A rating screen (#/rate) in a browser of its own (its own storage, as a tablet would be), unpaired. */
export async function openRatingScreen(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  const screen = await context.newPage();
  await screen.goto('/#/rate');
  await expect(byTest(screen, 'rate-pairing')).toBeVisible();
  return screen;
}

/** The clerk shows the pairing code on the counter page; the screen types it on its touch keys and idles, paired. */
export async function pairRatingScreen(counter: Page, screen: Page) {
  await byTest(counter, 'rating-pair').click();
  const codeText = byTest(counter, 'rating-pair-code');
  await expect(codeText).toHaveText(/^\s*\d{8}\s*$/);
  const code = (await codeText.textContent())!.trim();
  await byTest(counter, 'rating-pair-close').click();
  for (const digit of code) await byTest(screen, `rate-key-${digit}`).click();
  await expect(byTest(screen, 'rate-pair-code')).toHaveText(code);
  await byTest(screen, 'rate-pair-submit').click();
  await expect(byTest(screen, 'rate-idle')).toHaveAttribute('data-paired', 'true');
}

/** Looks the applicant up by resident ID on the intake tab and expects the profile card. */
export async function lookUp(page: Page, idNumber: string) {
  await byTest(page, 'tab-intake').click();
  await byTest(page, 'lookup-number').fill(idNumber);
  await byTest(page, 'lookup-submit').click();
}

/** Picks a matter by code after searching for its name. */
export async function chooseMatter(page: Page, query: string, code: string) {
  await byTest(page, 'matter-search').fill(query);
  await page.locator(`[data-test="matter-option"][data-code="${code}"]`).click();
  await expect(byTest(page, 'materials')).toBeVisible();
}

export async function setMaterial(page: Page, materialId: string, status: 'received' | 'missing' | 'tolerated') {
  await page.locator(`[data-test="material-row"][data-id="${materialId}"] [data-test="material-${status}"]`).click();
}

/** Renders a print page to PDF as the printer would, and returns its text and page count. */
export async function printToPdf(
  page: Page,
  route: string,
  name: string,
): Promise<{ text: string; pages: number; widthPt: number; file: string }> {
  // A fresh document, as the printer's hidden window has: a hash change alone would keep the last page.
  await page.goto('about:blank');
  await page.goto(`/#${route}`);
  await expect(page.locator('body')).toHaveAttribute('data-print-ready', '1', { timeout: 15_000 });
  fs.mkdirSync(PDF_DIR, { recursive: true });
  const file = path.join(PDF_DIR, `${name}.pdf`);
  await page.pdf({ path: file, preferCSSPageSize: true, printBackground: true });
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1] ?? 0);
  const widthPt = Number(/Page size:\s+([\d.]+) x/.exec(info)?.[1] ?? 0);
  // Pictures of the pages for a human to look at after the run.
  execFileSync('pdftoppm', ['-png', '-r', '60', file, path.join(PDF_DIR, name)]);
  return { text: execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }), pages, widthPt, file };
}

/** pdftotext lays columns out with runs of spaces; this makes text comparisons about words only. */
export const squash = (s: string) => s.replace(/\s+/g, '');
