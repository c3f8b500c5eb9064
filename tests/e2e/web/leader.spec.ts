import { expect, test } from '@playwright/test';
import { byTest, callApi, screenPath, watchPage } from './helpers';
import { NAME, PASSWORD, codeNow, enrolLeader, signIn } from './leader-fixture';

test('a wrong code is refused; the right one shows today with the overlapping items marked', async ({
  page,
  request,
}) => {
  const watch = watchPage(page);
  const { login, secret } = await enrolLeader(request);
  await page.goto('/#/leader');
  const right = await codeNow(request, secret);
  await signIn(page, login, right === '000000' ? '111111' : '000000');
  await expect(byTest(page, 'leader-notice')).toContainText('账号、口令或动态码不正确，还可尝试 4 次');
  await expect(byTest(page, 'leader-schedule')).toHaveCount(0);

  await signIn(page, login, await codeNow(request, secret));
  await expect(byTest(page, 'leader-name')).toContainText(NAME);
  const items = byTest(page, 'schedule-item');
  await expect(items).toHaveCount(3);
  await expect(byTest(page, 'schedule-conflict')).toHaveCount(2);
  await expect(items.filter({ hasText: '全区营商环境推进会' }).locator('[data-test="schedule-conflict"]')).toHaveText(
    '时间冲突',
  );
  await expect(items.filter({ hasText: '听取信访工作汇报' }).locator('[data-test="schedule-conflict"]')).toHaveCount(0);
  await page.screenshot({ path: screenPath('leader-schedule-day') });

  await byTest(page, 'schedule-week').click();
  await expect(items).toHaveCount(3);
  await page.screenshot({ path: screenPath('leader-schedule-week') });
  expect(watch.errors.filter((e) => !e.includes('403'))).toEqual([]);
});

test('a secret file opens on a canvas with the viewer and time burned in; copying is blocked', async ({
  page,
  request,
}) => {
  const { login, secret } = await enrolLeader(request);
  await page.goto('/#/leader');
  await signIn(page, login, await codeNow(request, secret));
  await page.getByRole('tab', { name: '机要文件' }).click();
  await expect(byTest(page, 'classification').first()).toHaveText('秘密');
  await byTest(page, 'file-view').first().click();

  const canvas = byTest(page, 'file-canvas');
  await expect(canvas).toHaveAttribute('data-rendered', 'true');
  await expect(byTest(page, 'file-watermark')).toContainText(NAME);
  await expect(byTest(page, 'file-no-print')).toContainText('不得打印、保存或复制');
  // The picture has no red at all; the watermark is red: count the pixels it turned red.
  const redPixels = await canvas.evaluate((c: HTMLCanvasElement) => {
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i]! > data[i + 1]! + 40 && data[i]! > data[i + 2]! + 40) n++;
    return n;
  });
  expect(redPixels).toBeGreaterThan(2000);
  await page.screenshot({ path: screenPath('leader-file-watermark') });

  const copyBlocked = await byTest(page, 'leader-pane').evaluate((pane) => {
    const e = new Event('copy', { bubbles: true, cancelable: true });
    pane.dispatchEvent(e);
    return e.defaultPrevented;
  });
  expect(copyBlocked).toBe(true);

  await byTest(page, 'action-read').click();
  await expect(byTest(page, 'action-history')).toContainText('已读');
  await byTest(page, 'action-comment-text').fill('请督查组跟进整改');
  await byTest(page, 'action-comment').click();
  await expect(byTest(page, 'action-history').filter({ hasText: '请督查组跟进整改' })).toHaveCount(1);
});

test('the pane locks itself after three idle minutes (fake clock) and locks the core session', async ({
  page,
  request,
}) => {
  const { login, secret } = await enrolLeader(request);
  await page.clock.install();
  await page.goto('/#/leader');
  await signIn(page, login, await codeNow(request, secret));
  await expect(byTest(page, 'leader-countdown')).toContainText('3:00');

  await page.clock.fastForward('02:40');
  await expect(byTest(page, 'leader-countdown')).toContainText('0:2');
  await expect(byTest(page, 'leader-schedule')).toBeVisible();
  await page.screenshot({ path: screenPath('leader-idle-countdown') });

  const lockCall = page.waitForResponse((r) => r.url().endsWith('/api/v1/call/leader.session.lock'));
  await page.clock.fastForward('00:25');
  await expect(byTest(page, 'leader-login')).toBeVisible();
  await expect(byTest(page, 'leader-notice')).toContainText('长时间未操作，安全窗格已自动锁定');
  await expect(byTest(page, 'schedule-item')).toHaveCount(0);
  // The page told the core, which ended the page's session there too.
  expect(await (await lockCall).json()).toEqual({ ok: true, value: { state: 'locked', idleLockSeconds: 180 } });
});

test('five failed sign-ins lock the account with a countdown, even for the right code', async ({ page, request }) => {
  const { login, secret } = await enrolLeader(request);
  await page.goto('/#/leader');
  const wrong = (await codeNow(request, secret)) === '000000' ? '111111' : '000000';
  for (let left = 4; left >= 1; left--) {
    await signIn(page, login, wrong);
    await expect(byTest(page, 'leader-notice')).toContainText(`还可尝试 ${left} 次`);
  }
  await signIn(page, login, wrong);
  await expect(byTest(page, 'leader-lockout')).toContainText(/请在 (30|29|28) 秒后重试/);
  await expect(byTest(page, 'leader-submit')).toBeDisabled();
  await page.screenshot({ path: screenPath('leader-lockout') });
  // The core refuses the right code too while the lock lasts.
  const direct = await callApi(request, 'leader', 'leader.session.login', {
    login,
    password: PASSWORD,
    code: await codeNow(request, secret),
  });
  expect([direct.status, direct.body.error?.details]).toMatchObject([403, { reason: 'locked_out' }]);
});
