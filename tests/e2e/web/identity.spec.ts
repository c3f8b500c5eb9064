import { expect, test } from '@playwright/test';
import {
  ADMIN_LOGIN,
  CLERK_LOGIN,
  CLERK_PIN,
  DEMO_PASSWORD,
  byTest,
  openSession,
  screenPath,
  signInAdminForm,
  signInCounterForm,
  totpCode,
  watchPage,
} from './helpers';
import { emptyHall } from './queue-hall';

/** Who is acting (ARCHITECTURE.md): a page gets no more than the person signed in on its session. */

interface Envelope {
  ok: boolean;
  error?: { code: string; details?: { reason?: string; ended?: string } };
}

test('a kiosk page cannot become admin, and an admin session is nothing until someone signs in', async ({
  request,
}) => {
  const call = async (token: string, method: string, input: unknown = {}) => {
    const res = await request.post(`/api/v1/call/${method}`, {
      data: input as Record<string, unknown>,
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: res.status(), body: (await res.json()) as Envelope };
  };

  // The kiosk's own token cannot reach an administrator's method.
  const kiosk = await openSession(request, 'kiosk');
  const fromKiosk = await call(kiosk, 'staff.list');
  expect(fromKiosk.status).toBe(403);
  expect(fromKiosk.body.error?.code).toBe('FORBIDDEN');
  const profile = await call(kiosk, 'hall.profile.update', { name: 'x' });
  expect(profile.body.ok).toBe(false);

  // Asking for the admin role gives a session that may sign in and nothing else.
  const admin = await openSession(request, 'admin');
  for (const method of ['staff.list', 'audit.list', 'queue.admin.queues', 'sync.status']) {
    const r = await call(admin, method);
    expect(r.status, method).toBe(401);
    expect(r.body.error?.code, method).toBe('SIGN_IN_REQUIRED');
    expect(r.body.error?.details?.reason, method).toBe('SIGN_IN_REQUIRED');
  }
  // A counter page is no way in to the administrator's methods either.
  const counterSession = await openSession(request, 'counter');
  expect((await call(counterSession, 'staff.list')).status).toBe(403);
});

test('the admin page asks for a sign-in; a wrong code is refused in words; the right one opens it', async ({
  page,
}) => {
  const watched = watchPage(page);
  await page.goto('/#/admin');
  await expect(byTest(page, 'connection')).toHaveText('已连接');
  await expect(byTest(page, 'staff-signin')).toBeVisible();
  // Nothing of the hall's setup before the sign-in.
  await expect(byTest(page, 'hall-setup')).toHaveCount(0);
  await expect(byTest(page, 'open-dashboard')).toHaveCount(0);
  await page.screenshot({ path: screenPath('identity-admin-sign-in') });

  await expect(byTest(page, 'staff-login')).toBeEditable();
  await byTest(page, 'staff-login').fill(ADMIN_LOGIN);
  await byTest(page, 'staff-password').fill(DEMO_PASSWORD);
  const good = await totpCode(page.request);
  const wrong = String((Number(good) + 500_000) % 1_000_000).padStart(6, '0');
  await byTest(page, 'staff-totp').fill(wrong);
  await byTest(page, 'staff-signin-submit').click();
  await expect(byTest(page, 'staff-signin-error')).toHaveText(/^账号、密码或动态码错误，还可尝试 \d 次$/);
  await expect(byTest(page, 'staff-totp')).toHaveValue('');
  await expect(byTest(page, 'hall-setup')).toHaveCount(0);
  await page.screenshot({ path: screenPath('identity-admin-wrong-code') });

  // The right code (a fresh one) opens the page; the header names the person and their role.
  await signInAdminForm(page);
  await expect(byTest(page, 'staff-who')).toHaveText('陈静（大厅管理员）');
  await expect(byTest(page, 'hall-setup')).toBeVisible();
  await expect(byTest(page, 'staff-table')).toContainText('clerk01');
  await byTest(page, 'accounts').scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenPath('identity-admin-staff'), fullPage: true });
  await byTest(page, 'accounts').screenshot({ path: screenPath('identity-staff-panel') });

  // Signing out brings the sign-in back, saying so.
  await byTest(page, 'staff-signout').click();
  await expect(byTest(page, 'staff-signin-notice')).toHaveText('已退出登录');
  await expect(byTest(page, 'hall-setup')).toHaveCount(0);
  expect(watched.errors.filter((e) => !e.includes('401') && !e.includes('403'))).toEqual([]);
});

test('a clerk signing in at a second window ends the first, which says why', async ({ browser, request }) => {
  await emptyHall(request);
  const first = await browser.newPage();
  const second = await browser.newPage();
  try {
    await first.goto('/#/counter');
    await expect(byTest(first, 'connection')).toHaveText('已连接');
    await expect(byTest(first, 'signin')).toBeVisible();
    // No names before anyone signs in.
    await expect(byTest(first, 'signin-clerk')).toHaveCount(0);
    await first.screenshot({ path: screenPath('identity-counter-sign-in') });

    // A wrong PIN is refused with the attempts left.
    await signInCounterForm(first, '1号 综合窗口1', CLERK_LOGIN, '000000');
    await expect(byTest(first, 'signin-error')).toHaveText(/^工号或个人密码错误，还可尝试 \d 次$/);

    await signInCounterForm(first, '1号 综合窗口1', CLERK_LOGIN, CLERK_PIN);
    await expect(byTest(first, 'counter-number')).toHaveText('1号窗口');

    await second.goto('/#/counter');
    await expect(byTest(second, 'connection')).toHaveText('已连接');
    await signInCounterForm(second, '2号 综合窗口2', CLERK_LOGIN, CLERK_PIN);
    await expect(byTest(second, 'counter-number')).toHaveText('2号窗口');

    await expect(byTest(first, 'signin-notice')).toHaveText('您已在 2 号窗口登录，本窗口已退出');
    await expect(byTest(first, 'counter-main')).toHaveCount(0);
    await first.screenshot({ path: screenPath('identity-counter-ended') });

    // Whatever the first page still sends is refused for the same reason.
    const token = await first.evaluate(() => sessionStorage.getItem('onewindow.session.counter'));
    const res = await request.post('/api/v1/call/queue.counter.view', {
      data: { counterId: 'w1' },
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await res.json()) as Envelope;
    expect(body.error?.code).toBe('SIGN_IN_REQUIRED');
    expect(body.error?.details?.ended).toBe('signed_in_elsewhere');
  } finally {
    await emptyHall(request);
    await first.close();
    await second.close();
  }
});
