import { expect, test } from '@playwright/test';
import type { TestCentral } from '../../../fixtures/central-server';
import { byTest, createPerson, signIn, startConsoleCentral } from './console-fixture';

/**
 * A hall's supervisor at the console: the SMS notices central gave up on in their hall, phone masked, none of
 * another hall's; "send again" puts one back in central's outbox.
 */
test.describe.configure({ timeout: 90_000 });

let central: TestCentral;

test.beforeAll(async () => {
  central = await startConsoleCentral();
});
test.afterAll(async () => central?.stop());

/** A notice that failed every try, as the worker leaves it (the worker itself is tested at central). */
async function deadLetter(hallId: string, caseNumber: string, phone: string) {
  const { rows } = await central.pool.query<{ id: string }>(
    `INSERT INTO notice_outbox (idempotency_key, kind, hall_id, case_id, phone, phone_masked, params, status,
       attempts, last_error, created_at, dead_at)
     VALUES ($1, 'case_accepted', $2, NULL, $3, $4, $5, 'dead', 6, 'isp.SYSTEM_ERROR', now(), now())
     RETURNING id::text AS id`,
    [`e2e:${caseNumber}`, hallId, phone, `${phone.slice(0, 3)}****${phone.slice(-4)}`, JSON.stringify({ caseNumber })],
  );
  return rows[0]!.id;
}

test('a supervisor sees the hall’s unsent SMS masked and sends one again', async ({ page }) => {
  const hall = await central.admin.createHall('SMSA');
  const other = await central.admin.createHall('SMSB');
  const id = await deadLetter(hall.id, 'SMSA-20260302-C1-0001', '13912345678');
  await deadLetter(other.id, 'SMSB-20260302-C1-0001', '13700001111');
  const supervisor = await createPerson(central, {
    login: 'sup.sms',
    name: '督查甲',
    roles: ['supervisor'],
    hallIds: [hall.id],
  });
  await signIn(page, central, supervisor);
  await byTest(page, 'nav-notice-dead-letters').click();
  await expect(page.locator('h1')).toHaveText('未能发送的短信');
  const table = byTest(page, 'dead-letters-table');
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await expect(table).toContainText('SMSA-20260302-C1-0001');
  await expect(table).toContainText('受理通知');
  await expect(byTest(page, 'dead-letter-phone')).toHaveText('139****5678');
  await expect(page.locator('body')).not.toContainText('13912345678');
  await expect(page.locator('body')).not.toContainText('SMSB-20260302-C1-0001');

  await byTest(page, 'dead-letter-retry').click();
  await expect(page.getByText('已放回发送队列')).toBeVisible();
  await expect(table).toContainText('没有未发送的短信');
  const { rows } = await central.pool.query('SELECT status, attempts FROM notice_outbox WHERE id = $1', [id]);
  expect(rows[0]).toEqual({ status: 'pending', attempts: 0 });
});
