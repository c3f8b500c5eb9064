import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { createPool } from '../../../central/src/db/pool';
import { seedTrackingDemo, DEMO_PERSON, type TrackingDemo, type SeededCase } from '../../fixtures/central-cases';
import { createTestDatabase } from '../../fixtures/central-db';
import { centralProcess } from '../../fixtures/crash-processes';
import { screenPath } from './helpers';

/**
 * The public tracking page as a phone shows it: central as its own process on a throw-away database,
 * seeded with the demo cases, opened at 375 × 812 the way a receipt's QR code opens it.
 */
const CENTRAL_PORT = Number(process.env.E2E_TRACKING_CENTRAL_PORT ?? 5412);
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

test.use({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let central: ReturnType<typeof centralProcess>;
let demo: TrackingDemo;

test.beforeAll(async () => {
  database = await createTestDatabase();
  central = centralProcess(database.url, CENTRAL_PORT);
  await central.start();
  // The process migrated its database before it answered; the cases go in beside it.
  const pool = createPool(database.url, 2);
  try {
    demo = await seedTrackingDemo(pool);
  } finally {
    await pool.end();
  }
});
test.afterAll(async () => {
  await central?.kill('SIGTERM');
  await database?.drop();
});

const link = (c: SeededCase, code = c.queryCode!) =>
  `${central.url}/track/${encodeURIComponent(c.caseNumber)}?code=${encodeURIComponent(code)}`;

async function expectAccessible(page: Page, state: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const grave = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ rule: v.id, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  expect(grave, `${state}: ${JSON.stringify(grave, null, 2)}`).toEqual([]);
}

/** Nothing wider than the phone: no sideways scrolling. */
async function expectFitsWidth(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
}

test('a receipt QR opens the case on a phone: status, timeline, what to bring, a masked name', async ({ page }) => {
  const cspErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') cspErrors.push(m.text());
  });
  const res = await page.goto(link(demo.cases.supplement));
  expect(res?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('个体工商户设立登记');
  await expect(page.locator('.badge')).toHaveText('补正中');
  await expect(page.getByRole('listitem').filter({ has: page.locator('time') })).toHaveText([
    /已受理/,
    /已分办/,
    /受理审查中/,
    /补正中/,
  ]);
  await expect(page.getByRole('heading', { name: '需补正的材料' })).toBeVisible();
  await expect(page.getByText('需加盖产权单位公章')).toBeVisible();
  await expect(page.getByText('张**')).toBeVisible();
  await expect(page.locator('body')).not.toContainText(DEMO_PERSON.name);
  // The stylesheet ran under the CSP (its hash matched): the header bar has its colour.
  await expect(page.locator('.bar')).toHaveCSS('background-color', 'rgb(10, 74, 140)');
  expect(cspErrors).toEqual([]);
  await expectFitsWidth(page);
  await expectAccessible(page, 'case waiting for 补正');
  await page.screenshot({ path: screenPath('tracking-375'), fullPage: true });
});

test('a refused case shows its appeal route, a posted one its carrier and number', async ({ page }) => {
  await page.goto(link(demo.cases.denied));
  await expect(page.locator('.badge')).toHaveText('已办结（不予）');
  await expect(page.getByRole('heading', { name: '救济途径' })).toBeVisible();
  await expect(page.getByRole('heading', { name: '领取方式：窗口领取' })).toBeVisible();
  await expectFitsWidth(page);
  await expectAccessible(page, 'refused case');
  await page.screenshot({ path: screenPath('tracking-denied-375'), fullPage: true });

  await page.goto(link(demo.cases.approved));
  await expect(page.locator('.badge')).toHaveText('已办结（准予）');
  await expect(page.getByRole('heading', { name: '领取方式：邮寄' })).toBeVisible();
  await expect(page.getByText('EA123456789CN')).toBeVisible();
  await expectFitsWidth(page);
  await expectAccessible(page, 'approved and posted case');
});

test('the form at /track finds a case by number and code; a wrong code finds nothing', async ({ page }) => {
  const { reviewing } = demo.cases;
  await page.goto(`${central.url}/track`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('查询办件');
  await expectAccessible(page, 'lookup form');
  await page.getByLabel('办件编号').fill(reviewing.caseNumber);
  await page.getByLabel('查询码').fill('ZZZZZZZZZZ');
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('未查到办件');
  await expectFitsWidth(page);
  await expectAccessible(page, 'not found');
  await page.screenshot({ path: screenPath('tracking-not-found-375'), fullPage: true });

  // Typed as on paper: lower case, a dash in the middle.
  const code = reviewing.queryCode!;
  await page.getByLabel('办件编号').fill(reviewing.caseNumber);
  await page.getByLabel('查询码').fill(`${code.slice(0, 5).toLowerCase()}-${code.slice(5)}`);
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('就业失业登记');
  await expect(page.locator('.badge')).toHaveText('受理审查中');
});
