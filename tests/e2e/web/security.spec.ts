import { expect, test } from '@playwright/test';
import { ROLES, byTest, getProfile, watchPage } from './helpers';

test('a kiosk session from the page may read but not update the hall profile', async ({ page, request }) => {
  const before = await getProfile(request);
  await page.goto('/');
  const outcome = await page.evaluate(async () => {
    const json = { 'content-type': 'application/json' };
    const session = await fetch('/api/v1/session', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ role: 'kiosk' }),
    });
    const sessionBody = (await session.json()) as { ok: boolean; value?: { token: string; role: string } };
    const auth = { ...json, authorization: `Bearer ${sessionBody.value?.token ?? ''}` };
    const read = await fetch('/api/v1/call/hall.profile.get', { method: 'POST', headers: auth, body: '{}' });
    const update = await fetch('/api/v1/call/hall.profile.update', {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ name: '越权修改', address: '', enquiryPhone: '', trackingUrl: '' }),
    });
    return {
      sessionStatus: session.status,
      sessionRole: sessionBody.value?.role,
      readStatus: read.status,
      updateStatus: update.status,
      updateBody: (await update.json()) as { ok: boolean; error?: { code: string } },
    };
  });

  expect(outcome.sessionStatus).toBe(200);
  expect(outcome.sessionRole).toBe('kiosk');
  // The token is valid (reading works), so the refusal is about the role, not authentication.
  expect(outcome.readStatus).toBe(200);
  expect(outcome.updateStatus).toBe(403);
  expect(outcome.updateBody.ok).toBe(false);
  expect(outcome.updateBody.error?.code).toBe('FORBIDDEN');
  expect(await getProfile(request)).toEqual(before);
});

test('a call without a session is refused as unauthenticated', async ({ page }) => {
  await page.goto('/');
  const outcome = await page.evaluate(async () => {
    const res = await fetch('/api/v1/call/hall.profile.update', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: '无令牌', address: '', enquiryPhone: '', trackingUrl: '' }),
    });
    return { status: res.status, body: (await res.json()) as { error?: { code: string } } };
  });
  expect(outcome.status).toBe(401);
  expect(outcome.body.error?.code).toBe('UNAUTHENTICATED');
});

test('the page links an icon the host serves, so browsers log no 404 for one', async ({ page, request }) => {
  await page.goto('/#/kiosk');
  const href = await page.locator('link[rel="icon"]').getAttribute('href');
  expect(href).toBeTruthy();
  const res = await request.get(new URL(href!, page.url()).toString());
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toContain('image/svg+xml');
});

for (const role of ROLES) {
  test(`#/${role} is served with a strict CSP and loads without console errors`, async ({ page }) => {
    const watched = watchPage(page);
    const response = await page.goto(`/#/${role}`);
    expect(response, 'the document response').not.toBeNull();
    expect(response!.status()).toBe(200);
    const csp = response!.headers()['content-security-policy'] ?? '';
    const directives = new Map(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .filter((parts) => parts[0])
        .map((parts) => [parts[0]!, parts.slice(1)] as const),
    );
    expect(directives.get('script-src'), csp).toEqual(["'self'"]);
    expect(directives.get('object-src'), csp).toEqual(["'none'"]);
    expect(directives.get('default-src'), csp).toEqual(["'self'"]);

    await expect(byTest(page, 'connection')).toHaveText('已连接');
    await expect(byTest(page, 'hall-name')).not.toHaveText('…');
    // Staff pages wait for the technical line; citizens' screens never show one (StatusBar.vue).
    if (role !== 'kiosk' && role !== 'display') await expect(byTest(page, 'status-bar')).toContainText('版本 ');
    // Let late requests (fonts, lazy chunks) finish before judging the console.
    await page.waitForLoadState('networkidle');
    expect(watched.errors).toEqual([]);
  });
}
