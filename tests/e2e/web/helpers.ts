import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import type { HallProfile, HallProfileUpdate, Role, SystemInfo } from '@shared/api';
import { localDate, startOfLocalDate } from '@shared/queue/hall-day';
import { base32Decode, totp, totpStep } from '../../../electron/core/leader/totp';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../../../electron/core/queue/demo-hall';

/** The roles in the order the chooser shows them (shared/api/roles.ts). */
export const ROLES: readonly Role[] = ['kiosk', 'counter', 'display', 'leader', 'admin'];

/** What the renderer's zh-CN / en-US messages call each role (renderer/src/i18n). */
export const ROLE_TITLE_ZH: Record<Role, string> = {
  kiosk: '取号机',
  counter: '窗口',
  display: '叫号屏',
  leader: '领导安全窗格',
  admin: '大厅管理',
  // Not on the chooser: a rating screen is paired from its counter.
  rate: '评价器',
};
export const ROLE_TITLE_EN: Record<Role, string> = {
  kiosk: 'Ticket kiosk',
  counter: 'Counter',
  display: 'Hall display',
  leader: 'Leader secure pane',
  admin: 'Hall administration',
  rate: 'Rating screen',
};
export const ROLE_HINT_ZH: Record<Role, string> = {
  kiosk: '群众自助取号、预约签到',
  counter: '叫号、一窗受理、回执打印、好差评',
  display: '大厅叫号显示与语音播报',
  leader: '领导日程、简报与机要文件',
  admin: '大厅资料、设备与统计',
  rate: '群众评价',
};

/** The hall name of a fresh data folder (shared/config.ts defaultDeviceConfig). */
export const DEFAULT_HALL_NAME = '示范政务服务大厅';

/** Where screenshots go so a human can find them after a run. */
export const SCREENS_DIR = path.resolve('test-results', 'screens');

export function screenPath(name: string): string {
  fs.mkdirSync(SCREENS_DIR, { recursive: true });
  return path.join(SCREENS_DIR, `${name}.png`);
}

interface Envelope<T> {
  ok: boolean;
  value?: T;
  error?: { code: string; message: string; details?: unknown };
}

// ---------------------------------------------------------------- the demo hall's people (electron/core/queue/demo-hall.ts)

export const ADMIN_LOGIN = 'admin';
export const SUPERVISOR_LOGIN = 'super01';
export const CLERK_LOGIN = 'clerk01';
export const CLERK_PIN = '123456';
export { DEMO_PASSWORD };
const DEMO_SECRET = base32Decode(DEMO_TOTP_SECRET);

/**
 * The last TOTP step each login signed in with in this run: the core refuses a code a second time (it
 * may have been read over a shoulder), so each sign-in takes the next step the core still accepts (it
 * allows one step either side of its clock).
 */
/**
 * Kept in a file of this run (the runner's pid names it): Playwright starts a new worker after a failed
 * test, and the new one must neither reuse a step the core has seen nor sign in again for nothing.
 */
const RUN_STATE = path.join(os.tmpdir(), `onewindow-e2e-identity-${process.ppid}.json`);
interface RunState {
  steps: Record<string, number>;
  tokens: Record<string, string>;
}
function readRunState(): RunState {
  try {
    return JSON.parse(fs.readFileSync(RUN_STATE, 'utf8')) as RunState;
  } catch {
    return { steps: {}, tokens: {} };
  }
}
/**
 * Which host a request context talks to: each host (the run's, or a spec's own) has its own clock, its own
 * record of the steps a login used and its own sessions, so the run state is kept per host.
 */
const origins = new WeakMap<APIRequestContext, Promise<string>>();
function hostOf(request: APIRequestContext): Promise<string> {
  let origin = origins.get(request);
  if (!origin) {
    origin = request.head('/').then((res) => new URL(res.url()).origin);
    origins.set(request, origin);
  }
  return origin;
}

function writeRunState(change: (s: RunState) => void): void {
  const state = readRunState();
  change(state);
  fs.writeFileSync(RUN_STATE, JSON.stringify(state));
}

/**
 * A fresh 6-digit code of the demo secret, as an authenticator app would show it, by the core's clock
 * (the browser host runs a test clock). Waits for the core's clock to reach the next step only when this
 * login used all the steps the core accepts now.
 */
export async function totpCode(request: APIRequestContext, login = ADMIN_LOGIN): Promise<string> {
  const nowStep = async () => totpStep((await serverNow(request)).getTime());
  const key = `${await hostOf(request)} ${login}`;
  let step = await nowStep();
  const next = Math.max(step - 1, (readRunState().steps[key] ?? -Infinity) + 1);
  if (next > step + 1) {
    await expect.poll(nowStep, { timeout: 35_000, intervals: [500] }).toBeGreaterThanOrEqual(next - 1);
    step = next - 1;
  }
  writeRunState((st) => (st.steps[key] = next));
  return totp(DEMO_SECRET, next * 30_000);
}

/** Signs a password user in on a session (the admin page's identity.signIn) with a fresh code. */
export async function signInSession(request: APIRequestContext, token: string, login = ADMIN_LOGIN): Promise<void> {
  let last: unknown;
  // Each failure counts towards the account's lockout: one retry only (a step seen by a lost worker).
  for (let attempt = 0; attempt < 2; attempt++) {
    const res = await request.post('/api/v1/call/identity.signIn', {
      data: { login, password: DEMO_PASSWORD, totp: await totpCode(request, login) },
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await res.json()) as Envelope<unknown>;
    if (body.ok) return;
    last = body.error;
    if ((body.error?.details as { reason?: string } | undefined)?.reason !== 'WRONG_CREDENTIALS') break;
  }
  throw new Error(`${login} could not sign in: ${JSON.stringify(last)}`);
}

/** One session per role for the whole run (the host keeps only its newest sessions); admin is signed in. */
async function roleToken(request: APIRequestContext, role: Role, renew = false): Promise<string> {
  const key = `${await hostOf(request)} ${role}`;
  const kept = readRunState().tokens[key];
  if (!renew && kept) return kept;
  const token = await openSession(request, role);
  if (role === 'admin') await signInSession(request, token);
  writeRunState((st) => (st.tokens[key] = token));
  return token;
}

/** The run's signed-in hall administrator session, for setting up and for handing to an admin page. */
export async function adminToken(request: APIRequestContext): Promise<string> {
  const token = await roleToken(request, 'admin');
  const res = await request.post('/api/v1/call/identity.session', {
    data: {},
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await res.json()) as Envelope<{ person: unknown }>;
  return body.ok && body.value?.person ? token : roleToken(request, 'admin', true);
}

/**
 * Opens an admin page (`#/admin`, `#/admin/dashboard`…) on the run's signed-in administrator session, as
 * the same tab would have it after signing in (the page keeps its session per tab): for specs whose
 * subject is not the sign-in, which identity.spec.ts covers through the form.
 */
export async function openAdminPage(page: Page, hash = '#/admin'): Promise<void> {
  const token = await adminToken(page.request);
  await page.addInitScript((t) => {
    // Not on about:blank, whose storage is closed to scripts.
    if (window.location.protocol.startsWith('http')) window.sessionStorage.setItem('onewindow.session.admin', t);
  }, token);
  // A full load, so the page starts on that session (a hash change on a loaded page would not).
  await page.goto('about:blank');
  await page.goto(`/${hash}`);
  await expect(page.locator('[data-test="staff-who"]')).toBeVisible();
}

/** Signs in on the admin page's form (login, password, a fresh code) and waits for the page behind it. */
export async function signInAdminForm(page: Page, login = ADMIN_LOGIN): Promise<void> {
  const code = await totpCode(page.request, login);
  await expect(page.locator('[data-test="staff-login"]')).toBeEditable();
  await page.locator('[data-test="staff-login"]').fill(login);
  await page.locator('[data-test="staff-password"]').fill(DEMO_PASSWORD);
  await page.locator('[data-test="staff-totp"]').fill(code);
  await page.locator('[data-test="staff-signin-submit"]').click();
  await expect(page.locator('[data-test="staff-who"]')).toBeVisible();
}

/** Signs a clerk in on the counter page's form: counter (by its label), login and PIN. */
export async function signInCounterForm(
  page: Page,
  counterLabel: string,
  login = CLERK_LOGIN,
  pin = CLERK_PIN,
): Promise<void> {
  await pick(page, 'signin-counter', counterLabel);
  await expect(page.locator('[data-test="signin-login"]')).toBeEditable();
  await page.locator('[data-test="signin-login"]').fill(login);
  await page.locator('[data-test="signin-pin"]').fill(pin);
  await page.locator('[data-test="signin-submit"]').click();
}

/** Opens a browser-host session for a role, as the renderer does, and returns its bearer token. */
export async function openSession(request: APIRequestContext, role: Role): Promise<string> {
  const res = await request.post('/api/v1/session', { data: { role } });
  expect(res.status(), `session for ${role}`).toBe(200);
  const body = (await res.json()) as Envelope<{ token: string; role: Role }>;
  expect(body.ok).toBe(true);
  return body.value!.token;
}

/** Calls a contract method over HTTP with a role's session; returns the HTTP status and the envelope. */
export async function callApi<T>(
  request: APIRequestContext,
  role: Role,
  method: string,
  input: unknown,
): Promise<{ status: number; body: Envelope<T> }> {
  const send = async (token: string) => {
    const res = await request.post(`/api/v1/call/${method}`, {
      data: input as Record<string, unknown>,
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: res.status(), body: (await res.json()) as Envelope<T> };
  };
  if (role !== 'admin') return send(await openSession(request, role));
  const first = await send(await roleToken(request, 'admin'));
  // The run's administrator session was evicted or locked (idle): sign in again once.
  if (first.body.ok || !['SIGN_IN_REQUIRED', 'UNAUTHENTICATED'].includes(first.body.error?.code ?? '')) return first;
  return send(await roleToken(request, 'admin', true));
}

export async function getProfile(request: APIRequestContext): Promise<HallProfile> {
  const { status, body } = await callApi<HallProfile>(request, 'kiosk', 'hall.profile.get', {});
  expect(status, JSON.stringify(body)).toBe(200);
  return body.value!;
}

export async function getSystemInfo(request: APIRequestContext, role: Role): Promise<SystemInfo> {
  const { status, body } = await callApi<SystemInfo>(request, role, 'system.info', {});
  expect(status, JSON.stringify(body)).toBe(200);
  return body.value!;
}

/**
 * The core's clock now. The browser host runs on a clock of its own (playwright.config.ts), so anything a
 * test compares with server times (appointment windows, opening hours) must start from this, not Date.now().
 */
export async function serverNow(request: APIRequestContext): Promise<Date> {
  return new Date((await getSystemInfo(request, 'kiosk')).serverTime);
}

/** The demo hall's zone (its queue settings); the pages write every time as its wall clock. */
export const HALL_TIME_ZONE = 'Asia/Shanghai';

/**
 * The hall's today for this run: the date the shared hosts' clocks started on (E2E_CLOCK_START, set once by
 * playwright.config.ts for every worker), so a run that meets midnight keeps one date with its hosts.
 */
export function hallToday(): string {
  const start = process.env.E2E_CLOCK_START;
  return localDate(start ? new Date(start) : new Date(), HALL_TIME_ZONE);
}

/**
 * An instant at `h:m` on the hall's today (hallToday, in its zone): what the pages show under today whatever
 * the zone of the PC that runs the tests.
 */
export function hallTodayAt(h: number, m = 0): string {
  const midnight = startOfLocalDate(hallToday(), HALL_TIME_ZONE);
  return new Date(midnight.getTime() + (h * 60 + m) * 60_000).toISOString();
}

/** Replaces the hall profile as the administrator would; used to set up and to restore state. */
export async function putProfile(request: APIRequestContext, update: HallProfileUpdate): Promise<HallProfile> {
  const { status, body } = await callApi<HallProfile>(request, 'admin', 'hall.profile.update', update);
  expect(status, JSON.stringify(body)).toBe(200);
  return body.value!;
}

export function editable(p: HallProfile): HallProfileUpdate {
  return {
    name: p.name,
    nameEn: p.nameEn,
    address: p.address,
    enquiryPhone: p.enquiryPhone,
    trackingUrl: p.trackingUrl,
  };
}

/** A short suffix that makes each run's values new, so a stale page cannot pass by accident. */
export function unique(): string {
  return `${Date.now().toString(36).slice(-5)}${Math.floor(Math.random() * 1000)}`;
}

export const byTest = (page: Page | Locator, id: string): Locator => page.locator(`[data-test="${id}"]`);

/** The Element Plus form item that holds a field, for its label and the error shown under it. */
export const formItemOf = (page: Page, field: string): Locator =>
  page.locator('.el-form-item', { has: byTest(page, field) });

/** Waits until a role page is fully up: live socket and the server's hall name in the header. */
export async function expectRolePageReady(page: Page, hallName: string): Promise<void> {
  await expect(byTest(page, 'connection')).toHaveText('已连接');
  await expect(byTest(page, 'hall-name')).toHaveText(hallName);
}

/** Collects console errors, uncaught page errors and dialogs from the moment it is called. */
export function watchPage(page: Page): { errors: string[]; dialogs: string[] } {
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()} @ ${msg.location().url}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  return { errors, dialogs };
}

/**
 * Chooses `label` in an Element Plus select. The dropdown can close again while it opens (its options
 * re-render when the page re-fetches on a live event), so opening and clicking are retried together.
 */
export async function pick(page: Page, select: string, label: string): Promise<void> {
  const option = page.locator('.el-select-dropdown__item:visible', { hasText: label });
  await expect(async () => {
    if (!(await option.isVisible())) await byTest(page, select).click();
    await option.click({ timeout: 2_000 });
  }).toPass({ timeout: 15_000 });
}
