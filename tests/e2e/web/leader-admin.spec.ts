import crypto from 'node:crypto';
import { expect, test } from '@playwright/test';
import { byTest, formItemOf, hallTodayAt, screenPath, unique, watchPage, openAdminPage } from './helpers';
import { PASSWORD, base32Decode, codeNow, documentPng, signIn } from './leader-fixture';

test('the administrator enrols a leader with a one-time QR code and imports a bundle file over 1 MiB', async ({
  page,
  context,
  request,
}) => {
  const watch = watchPage(page);
  const login = `adm.${unique()}`;
  await openAdminPage(page, '#/admin');
  await byTest(page, 'enrol-login').fill(login);
  await byTest(page, 'enrol-name').fill('李主任');
  await byTest(page, 'enrol-password').fill(PASSWORD);
  await byTest(page, 'enrol-submit').click();

  await expect(byTest(page, 'enrolment')).toContainText(`已开设账号 ${login}`);
  await expect(byTest(page, 'enrolment')).toContainText('只显示这一次');
  const qr = byTest(page, 'enrol-qr');
  await expect(qr).toBeVisible();
  expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth >= 200)).toBe(true);
  const secret = (await byTest(page, 'enrol-secret').innerText()).trim();
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  await expect(byTest(page, 'enrol-password')).toHaveValue('');
  await page.screenshot({ path: screenPath('admin-leader-enrolled') });

  // The same login again is refused in words.
  await byTest(page, 'enrol-name').fill('李主任');
  await byTest(page, 'enrol-password').fill(PASSWORD);
  await byTest(page, 'enrol-submit').click();
  await expect(byTest(page, 'leader-admin-notice')).toContainText('该登录账号已存在');

  await byTest(page, 'enrol-hide').click();
  await expect(byTest(page, 'enrolment')).toHaveCount(0);
  await expect(page.getByText(secret)).toHaveCount(0);

  // A bundle with a picture padded past the ordinary 1 MiB call limit.
  const start = new Date(hallTodayAt(9));
  const picture = Buffer.concat([documentPng(), Buffer.alloc(1536 * 1024)]);
  const bundle = {
    leader: login,
    schedules: [
      {
        id: crypto.randomUUID(),
        title: '听取大厅运行情况汇报',
        kind: 'meeting',
        start: start.toISOString(),
        end: new Date(start.getTime() + 3_600_000).toISOString(),
        location: '二楼会议室',
        attendees: [],
        notes: '',
      },
    ],
    files: [
      {
        id: crypto.randomUUID(),
        name: '大厅平面图.png',
        mime: 'image/png',
        classification: 'internal',
        publishedAt: start.toISOString(),
        dataBase64: picture.toString('base64'),
      },
    ],
  };
  const upload = byTest(page, 'import-file');
  await upload.setInputFiles({ name: 'bundle.json', mimeType: 'application/json', buffer: Buffer.from('{"leader":') });
  await expect(byTest(page, 'leader-admin-notice')).toContainText('所选文件不是有效的 JSON 内容包');
  await upload.setInputFiles({
    name: 'bundle.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({ ...bundle, leader: 'nobody.here' })),
  });
  await expect(byTest(page, 'leader-admin-notice')).toContainText('内容包中的领导账号不存在');
  await upload.setInputFiles({
    name: 'bundle.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({ ...bundle, schedules: [{ ...bundle.schedules[0], kind: 'party' }] })),
  });
  await expect(byTest(page, 'leader-admin-notice')).toContainText('内容包格式有误：schedules.0.kind');
  await upload.setInputFiles({
    name: 'bundle.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(bundle)),
  });
  await expect(byTest(page, 'import-result')).toContainText('已导入：日程 1 项、简报 0 项、文件 1 个，撤回 0 项');
  await expect(byTest(page, 'import-choose')).toHaveText('选择内容包…');
  await expect(byTest(page, 'leader-admin-notice')).toHaveCount(0);
  await page.screenshot({ path: screenPath('admin-leader-imported') });
  expect(watch.errors.filter((e) => !/40[09]|404|413/.test(e))).toEqual([]);

  // The secret that was shown works in the leader's authenticator, and the content is there.
  const pane = await context.newPage();
  await pane.goto('/#/leader');
  await signIn(pane, login, await codeNow(request, base32Decode(secret)));
  await expect(byTest(pane, 'schedule-item')).toContainText('听取大厅运行情况汇报');
  await pane.getByRole('tab', { name: '机要文件' }).click();
  await expect(byTest(pane, 'file-list')).toContainText('大厅平面图.png');
  await expect(byTest(pane, 'file-list')).toContainText('1.5 MB');
});

test('a weak initial password is refused under its field with the rule, in either language; nothing is created', async ({
  page,
}) => {
  const watch = watchPage(page);
  const login = `weak.${unique()}`;
  const enrolCalls: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/leader.admin.enrol')) enrolCalls.push(r.url());
  });
  await openAdminPage(page, '#/admin');
  await byTest(page, 'enrol-login').fill(login);
  await byTest(page, 'enrol-name').fill('王副主任');
  await byTest(page, 'enrol-password').fill('short');
  await byTest(page, 'enrol-submit').click();
  await expect(formItemOf(page, 'enrol-password')).toContainText('初始口令至少 10 个字符，最多 200 个字符');
  await expect(byTest(page, 'leader-admin-notice')).toHaveCount(0);
  await expect(page.getByText('内容包格式有误')).toHaveCount(0);
  await page.screenshot({ path: screenPath('admin-leader-weak-password') });
  // A login the rule refuses says its rule too; a valid field shows nothing.
  await byTest(page, 'enrol-login').fill('Bad Login');
  await byTest(page, 'enrol-submit').click();
  await expect(formItemOf(page, 'enrol-login')).toContainText(
    '登录账号为 2–32 个字符：以小写字母开头，只用小写字母、数字和 . _ -',
  );
  await expect(formItemOf(page, 'enrol-name')).not.toContainText('请填写');
  expect(enrolCalls).toEqual([]);

  await byTest(page, 'locale-switch').click();
  await expect(formItemOf(page, 'enrol-password')).toContainText('The initial password needs 10 to 200 characters');
  await byTest(page, 'locale-switch').click();

  // Should the core refuse a field the page let through, the form puts it under that field, not as a bundle error.
  await page.route('**/api/v1/call/leader.admin.enrol', (route) =>
    route.fulfill({
      status: 400,
      json: {
        ok: false,
        error: {
          code: 'INVALID_INPUT',
          message: 'invalid input for "leader.admin.enrol"',
          details: { issues: [{ path: 'password', message: 'must be at least 10 characters', code: 'too_small' }] },
        },
      },
    }),
  );
  await byTest(page, 'enrol-login').fill(login);
  await byTest(page, 'enrol-password').fill('long enough now');
  await expect(formItemOf(page, 'enrol-password')).not.toContainText('初始口令至少');
  await byTest(page, 'enrol-submit').click();
  await expect(formItemOf(page, 'enrol-password')).toContainText('初始口令至少 10 个字符，最多 200 个字符');
  await expect(byTest(page, 'leader-admin-notice')).toHaveCount(0);
  await page.unroute('**/api/v1/call/leader.admin.enrol');

  // With a good password the account is created and the errors are gone.
  await byTest(page, 'enrol-submit').click();
  await expect(byTest(page, 'enrolment')).toContainText(`已开设账号 ${login}`);
  await expect(formItemOf(page, 'enrol-password')).not.toContainText('初始口令至少');
  expect(watch.errors.filter((e) => !/400/.test(e))).toEqual([]);
});

test('the leader administration card speaks English too', async ({ page }) => {
  await openAdminPage(page, '#/admin');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(byTest(page, 'leader-admin')).toContainText('Create a leader account');
  await expect(byTest(page, 'leader-admin')).toContainText('Import leader content');
});
