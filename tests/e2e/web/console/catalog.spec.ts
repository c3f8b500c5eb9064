import { expect, test, type Page } from '@playwright/test';
import type { MatterRow } from '@shared/console/catalog';
import { calendarDueYear } from '@shared/intake/calendar-due';
import type { TestCentral } from '../../../fixtures/central-server';
import { screenPath } from '../helpers';
import {
  byTest,
  createPerson,
  expectAccessible,
  seedCatalog,
  shanghaiDate,
  signIn,
  startConsoleCentral,
  type Person,
} from './console-fixture';

/**
 * The console's matter catalog and working-day calendar in Chromium against a real central: an administrator
 * edits a matter (refused field by field first) and enters and imports a year's calendar.
 */
test.describe.configure({ timeout: 120_000 });

let central: TestCentral;
let hall: { id: string; code: string; name: string };
let admins = 0;

/** A central administrator for each test: an authenticator code is accepted once, so a person signs in rarely. */
const newAdmin = (): Promise<Person> =>
  createPerson(central, {
    login: `catalog.admin${++admins}`,
    name: '目录管理员',
    roles: ['central_admin'],
    hallIds: [],
  });

test.beforeAll(async () => {
  central = await startConsoleCentral();
  hall = await central.admin.createHall('CATL');
  await seedCatalog(central, hall.id);
});
test.afterAll(async () => {
  await central?.stop();
});

/** The matter as central now sends it to the hall. */
async function sentMatter(code: string) {
  const { rows } = await central.pool.query<{ data: MatterRow['matter']; deleted: boolean }>(
    `SELECT data, deleted FROM ref_rows WHERE kind = 'catalog.matter' AND id = $1 AND hall_id = $2`,
    [code, hall.id],
  );
  return rows[0];
}

const fieldError = (page: Page, testId: string) =>
  byTest(page, testId).locator('xpath=ancestor::*[contains(@class,"el-form-item")][1]').locator('.el-form-item__error');

test('an administrator edits a matter: refused beside each field, then saved and sent to the hall', async ({
  page,
}) => {
  await signIn(page, central, await newAdmin());
  await byTest(page, 'nav-catalog-matters').click();
  await expect(byTest(page, 'matters-table')).toContainText('个体工商户设立登记');
  await expect(byTest(page, 'matters-table')).toContainText('房屋租赁登记备案');
  await expectAccessible(page, 'matter list');
  await page.screenshot({ path: screenPath('console-catalog-matters'), fullPage: true });

  // Found by name; then opened.
  await byTest(page, 'filter-q').fill('租赁');
  await byTest(page, 'filter-search').click();
  await expect(byTest(page, 'matter-link')).toHaveCount(1);
  await byTest(page, 'filter-reset').click();
  await byTest(page, 'matters-table').getByRole('link', { name: 'SC-001' }).click();
  await expect(byTest(page, 'matter-name-zh')).toHaveValue('个体工商户设立登记');
  await expect(page.locator('h1')).toHaveText('编辑事项 SC-001');

  // Wrong in several places at once: each field says what is wrong, nothing is sent.
  await byTest(page, 'matter-name-zh').fill('');
  await byTest(page, 'matter-promised-days').locator('input').fill('30');
  await byTest(page, 'matter-promised-days').locator('input').blur();
  await byTest(page, 'material-add').click();
  await byTest(page, 'matter-save').click();
  await expect(fieldError(page, 'matter-name-zh')).toHaveText('必填');
  await expect(fieldError(page, 'matter-promised-days')).toHaveText('承诺时限不能超过法定时限');
  await expect(byTest(page, 'material-row').nth(3).locator('.el-form-item__error').first()).toHaveText('必填');
  await expect(byTest(page, 'matter-error')).toHaveText('有内容需要修改，请按各项提示修改后再保存');
  await expectAccessible(page, 'matter form with its errors');
  await page.screenshot({ path: screenPath('console-catalog-matter-errors'), fullPage: true });
  expect((await sentMatter('SC-001'))?.data?.nameZh).toBe('个体工商户设立登记');

  // Corrected: the new material, the promise, the wording of the receipt and of the 不予受理 notice.
  await byTest(page, 'matter-name-zh').fill('个体工商户设立登记（含名称自主申报）');
  await byTest(page, 'matter-promised-days').locator('input').fill('5');
  await byTest(page, 'matter-promised-days').locator('input').blur();
  const added = byTest(page, 'material-row').nth(3);
  await added.locator('[data-test="material-name-zh"]').fill('委托书');
  await added.locator('[data-test="material-name-en"]').fill('Letter of authorisation');
  await added.locator('[data-test="material-requirement"]').click();
  await page.getByRole('option', { name: '可容缺' }).click();
  await byTest(page, 'matter-legal-basis').fill('《市场主体登记管理条例》');
  await byTest(page, 'matter-acceptance').fill('申请材料齐全，决定予以受理。');
  await byTest(page, 'matter-rejection').fill('如不服，可于六十日内申请行政复议，或者六个月内提起行政诉讼。');
  await byTest(page, 'matter-save').click();
  await expect(page.locator('.el-message--success')).toContainText('已保存 SC-001');
  await expect(byTest(page, 'matter-error')).toHaveCount(0);
  expect((await sentMatter('SC-001'))?.data).toMatchObject({
    nameZh: '个体工商户设立登记（含名称自主申报）',
    promisedDays: 5,
    legalBasis: '《市场主体登记管理条例》',
    acceptanceText: '申请材料齐全，决定予以受理。',
    rejectionText: '如不服，可于六十日内申请行政复议，或者六个月内提起行政诉讼。',
    materials: [
      { id: 'm-form' },
      { id: 'm-id' },
      { id: 'm-lease' },
      { id: 'm4', nameZh: '委托书', requirement: 'tolerant', form: 'original', copies: 1 },
    ],
  });
});

test('a matter whose department is gone is refused beside the department field', async ({ page }) => {
  await central.admin.putRef('catalog.department', 'temp', {
    hallId: hall.id,
    data: { id: 'temp', nameZh: '临时部门', nameEn: 'Temporary', phone: '' },
  });
  await signIn(page, central, await newAdmin(), `/console/catalog/matters/new?scope=${hall.id}`);
  await expect(page.locator('h1')).toHaveText('新建事项');
  await byTest(page, 'matter-code').fill('TMP-001');
  await byTest(page, 'matter-name-zh').fill('临时事项');
  await byTest(page, 'matter-name-en').fill('Temporary matter');
  await byTest(page, 'matter-department').click();
  await page.getByRole('option', { name: '临时部门（temp）' }).click();
  const first = byTest(page, 'material-row').first();
  await first.locator('[data-test="material-name-zh"]').fill('申请书');
  await first.locator('[data-test="material-name-en"]').fill('Application');
  // Meanwhile the department is withdrawn.
  await central.admin.request('POST', '/admin/v1/ref/catalog.department/temp/delete', { hallId: hall.id });
  await byTest(page, 'matter-save').click();
  await expect(fieldError(page, 'matter-department')).toHaveText('该部门已不存在，请重新选择');
  // The choice is gone from the list too.
  await byTest(page, 'matter-department').click();
  await expect(page.getByRole('option', { name: '临时部门（temp）' })).toHaveCount(0);
  await page.keyboard.press('Escape');
  expect(await sentMatter('TMP-001')).toBeUndefined();
  await expectAccessible(page, 'new matter refused for its department');
  await page.screenshot({ path: screenPath('console-catalog-unknown-department'), fullPage: true });

  await byTest(page, 'nav-catalog-departments').click();
  await expect(byTest(page, 'departments-table')).toContainText('市场监管局');
  await expect(byTest(page, 'departments-table')).not.toContainText('临时部门');
  await expectAccessible(page, 'departments');
  await page.screenshot({ path: screenPath('console-catalog-departments'), fullPage: true });
});

test('an administrator enters and imports next year’s calendar; a day entered twice is one row', async ({ page }) => {
  const today = shanghaiDate();
  const due = calendarDueYear(today);
  const year = due ?? Number(today.slice(0, 4)) + 1;
  await signIn(page, central, await newAdmin());
  // From 1 November every page says which halls still lack next year's calendar.
  if (due !== null)
    await expect(byTest(page, 'calendar-due-banner')).toContainText(`${due} 年工作日历尚未下发：${hall.name}`);
  else await expect(byTest(page, 'calendar-due-banner')).toHaveCount(0);

  await byTest(page, 'nav-calendar').click();
  await page.goto(`${central.url}/console/calendar?year=${year}&scope=global`);
  await expect(byTest(page, 'calendar-none')).toContainText(`${year} 年尚无工作日历`);
  await expectAccessible(page, 'calendar without a year');

  const add = async (date: string, name: string, kind: 'holiday' | 'workday') => {
    // The picker's own input carries its id (Element Plus puts no other attribute there).
    await page.locator('#day-date').fill(date);
    await page.locator('#day-date').press('Enter');
    await byTest(page, 'day-name').fill(name);
    await byTest(page, `day-${kind}`).click();
    await byTest(page, 'day-add').click();
  };
  await add(`${year}-01-01`, '元旦假期', 'holiday');
  await expect(byTest(page, 'calendar-days').locator('tbody tr')).toHaveCount(1);
  // The same day again, renamed: still one day, now with its new name.
  await add(`${year}-01-01`, '元旦', 'holiday');
  await expect(byTest(page, 'calendar-days')).toContainText('元旦');
  await expect(byTest(page, 'calendar-days')).not.toContainText('元旦假期');
  await expect(byTest(page, 'calendar-days').locator('tbody tr')).toHaveCount(1);
  const rows = await central.pool.query(`SELECT 1 FROM ref_rows WHERE kind = 'holiday' AND id = $1`, [`${year}-01-01`]);
  expect(rows.rowCount).toBe(1);
  // A make-up working day on a weekday is refused beside its kind.
  const wednesday = [...Array(7).keys()]
    .map((i) => `${year}-03-0${i + 1}`)
    .find((d) => new Date(`${d}T00:00:00Z`).getUTCDay() === 3)!;
  await add(wednesday, '错误调休', 'workday');
  await expect(fieldError(page, 'day-kind')).toHaveText('调休上班日只能是星期六或星期日');
  await expect(byTest(page, 'calendar-days').locator('tbody tr')).toHaveCount(1);

  // The rest of the year pasted: a wrong line stops the import until it is corrected.
  await byTest(page, 'calendar-import').click();
  const saturday = [...Array(7).keys()]
    .map((i) => `${year}-02-0${i + 1}`)
    .find((d) => new Date(`${d}T00:00:00Z`).getUTCDay() === 6)!;
  const lines = [
    `${year}/5/1，劳动节，休`,
    `${year}-10-01, 国庆节, 休`,
    `${saturday}\t春节调休\t班`,
    `${year}-10-01, 国庆节假期, 休`,
  ];
  await byTest(page, 'import-text').fill([...lines, `${year}-13-01, 不存在, 休`].join('\n'));
  await expect(byTest(page, 'import-problem')).toHaveText('日期无法识别');
  await expect(byTest(page, 'import-replaced')).toHaveText('与第 4 行同一天，以第 4 行为准');
  await expect(byTest(page, 'import-submit')).toBeDisabled();
  await expectAccessible(page, 'import preview');
  await page.screenshot({ path: screenPath('console-calendar-import') });
  await byTest(page, 'import-text').fill(lines.join('\n'));
  await expect(byTest(page, 'import-summary')).toHaveText('共 3 天；0 行有误');
  await byTest(page, 'import-submit').click();
  await expect(byTest(page, 'import-dialog')).toBeHidden();
  await expect(byTest(page, 'calendar-counts')).toHaveText(`${year} 年：休 3 天，调休上班 1 天`);
  await expect(byTest(page, 'calendar-days')).toContainText('国庆节假期');
  await expect(byTest(page, 'year-grid').locator(`[data-date="${saturday}"]`)).toHaveAttribute('data-kind', 'workday');
  await expect(byTest(page, 'year-grid').locator(`[data-date="${year}-05-01"]`)).toHaveAttribute(
    'data-kind',
    'holiday',
  );
  await expect(byTest(page, 'calendar-due-banner')).toHaveCount(0);
  await expectAccessible(page, 'calendar of a year');
  await page.screenshot({ path: screenPath('console-calendar-year'), fullPage: true });
  await byTest(page, 'locale-switch').click();
  await expect(byTest(page, 'calendar-counts')).toHaveText(`${year}: days off 3, make-up working days 1`);
  await expectAccessible(page, 'calendar of a year in English');
  await page.screenshot({ path: screenPath('console-calendar-year-en'), fullPage: true });
  await byTest(page, 'locale-switch').click();

  // Taken out again.
  await byTest(page, 'calendar-days')
    .locator('tr', { hasText: `${year}-05-01` })
    .getByRole('button', { name: '移除' })
    .click();
  await page.locator('.el-message-box').getByRole('button', { name: '移除' }).click();
  await expect(byTest(page, 'calendar-counts')).toHaveText(`${year} 年：休 2 天，调休上班 1 天`);
  const holidays = await central.pool.query<{ id: string; deleted: boolean }>(
    `SELECT id, deleted FROM ref_rows WHERE kind = 'holiday' AND hall_id IS NULL ORDER BY id`,
  );
  expect(holidays.rows).toEqual([
    { id: `${year}-01-01`, deleted: false },
    { id: saturday, deleted: false },
    { id: `${year}-05-01`, deleted: true },
    { id: `${year}-10-01`, deleted: false },
  ]);
});
