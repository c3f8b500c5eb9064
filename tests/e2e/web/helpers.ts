import fs from 'node:fs';
import path from 'node:path';
import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import type { HallProfile, HallProfileUpdate, Role, SystemInfo } from '@shared/api';
import { localDate, startOfLocalDate } from '@shared/queue/hall-day';

/** The roles in the order the chooser shows them (shared/api/roles.ts). */
export const ROLES: readonly Role[] = ['kiosk', 'counter', 'display', 'leader', 'admin'];

/** What the renderer's zh-CN / en-US messages call each role (renderer/src/i18n). */
export const ROLE_TITLE_ZH: Record<Role, string> = {
  kiosk: '取号机',
  counter: '窗口',
  display: '叫号屏',
  leader: '领导安全窗格',
  admin: '大厅管理',
};
export const ROLE_TITLE_EN: Record<Role, string> = {
  kiosk: 'Ticket kiosk',
  counter: 'Counter',
  display: 'Hall display',
  leader: 'Leader secure pane',
  admin: 'Hall administration',
};
export const ROLE_HINT_ZH: Record<Role, string> = {
  kiosk: '群众自助取号、预约签到',
  counter: '叫号、一窗受理、回执打印、好差评',
  display: '大厅叫号显示与语音播报',
  leader: '领导日程、简报与机要文件',
  admin: '大厅资料、设备与统计',
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
  const token = await openSession(request, role);
  const res = await request.post(`/api/v1/call/${method}`, {
    data: input as Record<string, unknown>,
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: res.status(), body: (await res.json()) as Envelope<T> };
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
  return new Date((await getSystemInfo(request, 'admin')).serverTime);
}

/** The demo hall's zone (its queue settings); the pages write every time as its wall clock. */
export const HALL_TIME_ZONE = 'Asia/Shanghai';

/**
 * An instant at `h:m` on the hall's today (the hall's date now, in its zone): what the pages show under
 * today whatever the zone of the PC that runs the tests.
 */
export function hallTodayAt(h: number, m = 0): string {
  const midnight = startOfLocalDate(localDate(new Date(), HALL_TIME_ZONE), HALL_TIME_ZONE);
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
