import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import type { Counter, Queue } from '@shared/api';
import { APPOINTMENT_CODE_ALPHABET, APPOINTMENT_CODE_LENGTH } from '../../../electron/core/queue/appointment-codes';
import {
  byTest,
  callApi,
  formItemOf,
  getProfile,
  pick,
  putProfile,
  editable,
  screenPath,
  openAdminPage,
  unique,
} from './helpers';

/**
 * The admin page sets up the hall's everyday things: a queue, a counter serving it and a clerk with a PIN,
 * which the kiosk and the counter page then use; and an appointment whose code the kiosk checks in.
 */
test.describe.configure({ timeout: 90_000 });
test.use({ timezoneId: 'Asia/Shanghai' });

const PREFIX = 'Z';
const COUNTER_NUMBER = 97;
const PIN = '482916';

async function call<T>(request: APIRequestContext, method: string, input: unknown): Promise<T> {
  const { status, body } = await callApi<T>(request, 'admin', method, input);
  expect(status, `${method}: ${JSON.stringify(body)}`).toBe(200);
  return body.value!;
}

// Other specs share the hall: the queue this one adds stops being offered when it is done.
test.afterAll(async ({ request }) => {
  const queues = await call<Queue[]>(request, 'queue.admin.queues', {});
  const mine = queues.find((q) => q.prefix === PREFIX);
  if (mine) await call(request, 'queue.admin.queues.upsert', { ...mine, active: false });
});

async function openAdmin(page: Page) {
  await openAdminPage(page, '#/admin');
  await expect(byTest(page, 'hall-setup')).toBeVisible();
}

const tab = (page: Page, name: string) => page.getByRole('tab', { name });
const shootPage = (page: Page, name: string) => page.screenshot({ path: screenPath(`admin-setup-${name}`) });
const shoot = (page: Page, name: string) =>
  byTest(page, 'hall-setup').screenshot({ path: screenPath(`admin-setup-${name}`) });

test('admin sets up a queue, a counter and a clerk; the kiosk offers the queue and the clerk signs in', async ({
  page,
  context,
  request,
}) => {
  // A counter page already open on its sign-in form hears of the new counter and clerk without a reload.
  const counter = await context.newPage();
  await counter.goto('/#/counter');
  await expect(byTest(counter, 'connection')).toHaveText('已连接');
  await expect(byTest(counter, 'signin-pin')).toBeVisible();
  await openAdmin(page);

  // The form refuses what the contract refuses, field by field, before anything is sent.
  await byTest(page, 'queue-prefix').fill('1');
  await byTest(page, 'queue-opens').fill('9点');
  await byTest(page, 'queue-save').click();
  await expect(formItemOf(page, 'queue-prefix')).toContainText('请填写一个大写英文字母');
  await expect(formItemOf(page, 'queue-name-zh')).toContainText('请填写中文名称');
  await expect(formItemOf(page, 'queue-opens')).toContainText('请按 时:分 填写');
  await shoot(page, 'queue-invalid');

  // A letter another queue has is refused by the core and said under the field.
  await byTest(page, 'queue-prefix').fill('A');
  await byTest(page, 'queue-name-zh').fill('测试专窗业务');
  await byTest(page, 'queue-name-en').fill('Test service');
  await byTest(page, 'queue-group-zh').fill('测试');
  await byTest(page, 'queue-group-en').fill('Testing');
  await byTest(page, 'queue-opens').fill('00:00');
  await byTest(page, 'queue-closes').fill('23:59');
  await byTest(page, 'queue-save').click();
  await expect(formItemOf(page, 'queue-prefix')).toContainText('该字母已被其他业务使用');

  await byTest(page, 'queue-prefix').fill('z');
  await byTest(page, 'queue-save').click();
  await expect(byTest(page, 'queue-table')).toContainText('测试专窗业务');
  const queue = (await call<Queue[]>(request, 'queue.admin.queues', {})).find((q) => q.prefix === PREFIX)!;
  expect(queue).toMatchObject({ nameZh: '测试专窗业务', nameEn: 'Test service', opensAt: '00:00', active: true });
  await shoot(page, 'queues');

  // Counter: number, name and the queues it serves.
  await tab(page, '窗口').click();
  await byTest(page, 'counter-number').locator('input').fill('1');
  await byTest(page, 'counter-name').fill('测试窗口');
  await byTest(page, 'counter-save').click();
  await expect(formItemOf(page, 'counter-queues')).toContainText('请至少选择一项办理的业务');
  await byTest(page, `counter-queue-${PREFIX}`).click();
  await byTest(page, 'counter-save').click();
  await expect(formItemOf(page, 'counter-number')).toContainText('该窗口号已被其他窗口使用');
  await byTest(page, 'counter-number').locator('input').fill(String(COUNTER_NUMBER));
  await byTest(page, 'counter-save').click();
  await expect(byTest(page, 'counter-table')).toContainText('测试窗口');
  const counters = await call<Counter[]>(request, 'queue.counters', {});
  expect(counters.find((c) => c.number === COUNTER_NUMBER)).toMatchObject({
    name: '测试窗口',
    queueIds: [queue.id],
  });
  // The queue tab says which counters serve each queue.
  await tab(page, '业务队列').click();
  await expect(byTest(page, 'queue-table').locator('tr', { hasText: '测试专窗业务' })).toContainText(
    String(COUNTER_NUMBER),
  );

  // A clerk account with a PIN; a PIN that is not 6–8 digits is refused.
  const login = `t${unique()}`.toLowerCase();
  await byTest(page, 'staff-form-login').fill(login);
  await byTest(page, 'staff-form-name').fill('测试员甲');
  await byTest(page, 'staff-form-pin').fill('12a');
  await byTest(page, 'staff-form-save').click();
  await expect(formItemOf(page, 'staff-form-pin')).toContainText('个人密码为 6–8 位数字');
  await byTest(page, 'staff-form-pin').fill(PIN);
  await byTest(page, 'staff-form-save').click();
  await expect(byTest(page, 'staff-table')).toContainText('测试员甲');
  await byTest(page, 'accounts').screenshot({ path: screenPath('admin-setup-staff') });

  // The kiosk offers the new queue at once.
  await page.goto('/#/kiosk');
  await byTest(page, 'kiosk-person').click();
  await expect(byTest(page, `kiosk-queue-${PREFIX}`)).toContainText('测试专窗业务');

  // The clerk signs in at the new counter with the PIN.
  await pick(counter, 'signin-counter', `${COUNTER_NUMBER}号 测试窗口`);
  await byTest(counter, 'signin-login').fill(login);
  await byTest(counter, 'signin-pin').fill(PIN);
  await byTest(counter, 'signin-pin').press('Enter');
  await expect(byTest(counter, 'counter-main')).toBeVisible();
  await expect(byTest(counter, 'counter-clerk')).toHaveText('工作人员：测试员甲');
  await shootPage(counter, 'counter-signed-in');

  // Other specs sign in at every counter: this one leaves its counter closed.
  await byTest(counter, 'action-signOut').click();
  await counter.locator('.el-message-box .el-button--primary').click();
  await expect(byTest(counter, 'signin-pin')).toBeVisible();
});

test('admin books an appointment; the kiosk checks it in with the code', async ({ page }) => {
  await openAdmin(page);
  await tab(page, '预约').click();
  await byTest(page, 'appointment-save').click();
  await expect(formItemOf(page, 'appointment-queue')).toContainText('请选择业务');
  await pick(page, 'appointment-queue', 'D 社保医保');
  // Today (the form's default) for the whole day: the kiosk's check-in window is open now.
  await byTest(page, 'appointment-from').fill('10:00');
  await byTest(page, 'appointment-to').fill('09:00');
  await byTest(page, 'appointment-save').click();
  await expect(formItemOf(page, 'appointment-to')).toContainText('结束时间应晚于开始时间');
  await byTest(page, 'appointment-from').fill('00:00');
  await byTest(page, 'appointment-to').fill('23:59');
  await byTest(page, 'appointment-save').click();
  const code = (await byTest(page, 'appointment-code').first().textContent())!.trim();
  expect(code).toHaveLength(APPOINTMENT_CODE_LENGTH);
  expect(
    [...code].every((ch) => APPOINTMENT_CODE_ALPHABET.includes(ch)),
    code,
  ).toBe(true);
  await shoot(page, 'appointment');

  await page.goto('/#/kiosk');
  await byTest(page, 'kiosk-appointment').click();
  for (const ch of code) await byTest(page, `kiosk-key-${ch}`).click();
  await byTest(page, 'kiosk-checkin').click();
  await expect(byTest(page, 'kiosk-result')).toContainText('签到成功');
  await expect(byTest(page, 'kiosk-ticket-number')).toHaveText(/^D\d{3}$/);
});

test('the English hall name greets on the English kiosk; missing receipt details are warned about', async ({
  page,
  request,
}) => {
  const before = await getProfile(request);
  try {
    await putProfile(request, { ...editable(before), nameEn: '', trackingUrl: '', enquiryPhone: '' });
    await openAdmin(page);
    await expect(byTest(page, 'receipt-gaps')).toContainText('尚未填写办件查询网址、咨询电话');
    await shootPage(page, 'receipt-gaps');
    await byTest(page, 'field-name-en').fill('Demo Government Service Hall');
    await byTest(page, 'field-url').fill('https://zwfw.example.gov.cn/track');
    await byTest(page, 'field-phone').fill('12345');
    await byTest(page, 'save').click();
    await expect(byTest(page, 'receipt-gaps')).toBeHidden();
    expect((await getProfile(request)).nameEn).toBe('Demo Government Service Hall');

    // A hash change: the admin page, whose own language switch the click would find, stays until the kiosk is in.
    await page.goto('/#/kiosk');
    await expect(byTest(page, 'kiosk-welcome')).toBeVisible();
    await byTest(page, 'locale-switch').click();
    await expect(byTest(page, 'kiosk-welcome')).toHaveText('Welcome to Demo Government Service Hall');
    await shootPage(page, 'kiosk-en');
  } finally {
    await putProfile(request, editable(before));
  }
});
