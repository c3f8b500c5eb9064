import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type BrowserContext } from '@playwright/test';
import type { Page as ScannedPage } from '@shared/attachments/attachments';
import { mutationDefs } from '@shared/sync/mutations';
import { DEMO_DEPARTMENTS, DEMO_MATTERS } from '../../../electron/core/intake/demo-catalog';
import { pageSealing } from '../../fixtures/central-case-pages';
import { startCentral, type TestCentral } from '../../fixtures/central-server';
import { tempDir } from '../../fixtures/temp-dir';
import { startOwnHost } from './casework-host';
import { CONSOLE_DIR, createPerson, signIn as consoleSignIn } from './console/console-fixture';
import { useDocumentCamera } from './document-camera';
import { byTest, hallTodayAt, screenPath } from './helpers';
import { HallApi, chooseMatter, printToPdf, setMaterial, sharePageSession, signIn, squash } from './intake-helpers';

/**
 * Paperless materials from end to end: the clerk reads the (simulated) ID card, takes two pages with the
 * document camera (Chromium's fake one), accepts, prints the receipt that counts them, and the department's
 * handler sees them in the central console: first as arriving, then whole. A browser host of its own,
 * enrolled with a real central (Fastify, the test PostgreSQL, the built console).
 */
test.describe.configure({ timeout: 120_000 });
useDocumentCamera();

const CARD = (
  JSON.parse(fs.readFileSync(path.resolve('tests/fixtures/idcard/sim-turns.json'), 'utf8')) as {
    card?: { name: string; idNumber: string };
  }[]
)[0]!;

const pagesDir = tempDir('ow-e2e-pages-central-');
const atRest = pageSealing();
let central: TestCentral;
let host: Awaited<ReturnType<typeof startOwnHost>>;
let hall: HallApi;
let context: BrowserContext;
/** Central as configured here; `heldBack`: it takes no upload (503), so pages stay "arriving" as long as it holds. */
const centralOpts = (heldBack: boolean) => ({
  mutations: [...mutationDefs],
  consoleDir: CONSOLE_DIR,
  casework: { escalation: false },
  attachments: { dir: pagesDir.dir, atRest, ...(heldBack ? { maxConcurrentUploads: 0 } : {}) },
});

test.beforeAll(async ({ playwright, browser }, testInfo) => {
  central = await startCentral(centralOpts(true));
  const hallId = (await central.admin.createHall('E2EPAGE')).id;
  for (const d of DEMO_DEPARTMENTS) await central.admin.putRef('catalog.department', d.id, { hallId: null, data: d });
  const matter = DEMO_MATTERS.find((m) => m.code === 'PSB-003')!;
  await central.admin.putRef('catalog.matter', matter.code, { hallId: null, data: matter });
  host = await startOwnHost(hallTodayAt(10), { demo: true, idCardReader: { kind: 'simulated', file: 'card.json' } });
  fs.writeFileSync(path.join(host.dataDir, 'card.json'), JSON.stringify([CARD]));
  hall = new HallApi(await playwright.request.newContext({ baseURL: host.url }));
  await hall.call('admin', 'sync.enroll', {
    centralUrl: central.url,
    code: await central.admin.code(hallId, 'counter'),
  });
  const use = testInfo.project.use;
  context = await browser.newContext({ baseURL: host.url, locale: use.locale, viewport: use.viewport ?? undefined });
});

test.afterAll(async () => {
  await context?.close();
  await host?.stop();
  await central?.stop();
  pagesDir.remove();
});

test('ID card, two camera pages, accept, the receipt counts them, and the department handler sees them in the console', async ({
  browser,
}) => {
  const applicant = await hall.registerPerson(CARD.card!.name, CARD.card!.idNumber);
  await hall.calendarsFor('PSB-003');
  const page = await context.newPage();
  await signIn(page);
  await byTest(page, 'tab-intake').click();
  await byTest(page, 'idcard-read').click();
  // The card's number went into the lookup, which found the applicant: the lookup form gives way to the
  // applicant's card at once, so its input is no state to wait for.
  await expect(byTest(page, 'idcard-name')).toHaveText(CARD.card!.name);
  await expect(byTest(page, 'applicant-name')).toHaveText(applicant.name);
  await expect(byTest(page, 'applicant-id')).toHaveText(applicant.idMasked);
  await chooseMatter(page, '身份证换领', 'PSB-003');

  const row = page.locator('[data-test="material-row"][data-id="old-card"]');
  const added = page.waitForRequest((r) => r.url().includes('attachment.page.add'));
  await row.locator('[data-test="material-page-camera"]').click();
  const camera = row.locator('[data-test="document-camera"]');
  await camera.locator('[data-test="camera-shoot"]').click();
  await expect(row.locator('[data-test="material-page"]')).toHaveCount(1);
  const { draftId } = (await added).postDataJSON() as { draftId: string };
  await camera.locator('[data-test="camera-shoot"]').click();
  await expect(row.locator('[data-test="material-page"]')).toHaveCount(2);
  await camera.locator('[data-test="camera-done"]').click();
  await setMaterial(page, 'old-card', 'received');
  await setMaterial(page, 'hukou', 'received');
  await byTest(page, 'outcome-accept').click();
  const result = byTest(page, 'intake-result');
  await expect(byTest(page, 'result-state')).toHaveText(/^(已受理|已分办)$/);
  const caseId = (await result.getAttribute('data-case-id'))!;
  const scanned = await hall.call<ScannedPage[]>('counter', 'attachment.page.list', { draftId });
  expect(scanned.map((p) => p.position)).toEqual([0, 1]);

  // The receipt counts the scanned pages of each material.
  const printer = await context.newPage();
  await sharePageSession(page, printer);
  const receipt = await printToPdf(printer, `/print/case/${caseId}/a4`, `receipt-pages-${caseId}`);
  const oldCard = printer.locator('tr', { hasText: '原居民身份证' });
  await expect(oldCard.locator('[data-test="print-received-pages"]')).toHaveText('2 页');
  expect(squash(receipt.text)).toContain('扫描页数');

  // The case and its pages' names reach central by the outbox; the pages themselves are held back.
  await expect
    .poll(async () => (await central.pool.query('SELECT 1 FROM case_pages WHERE case_id = $1', [caseId])).rowCount, {
      timeout: 60_000,
    })
    .toBe(2);
  const handler = await createPerson(central, {
    login: 'psb.pages',
    name: '钱经办',
    roles: ['department_handler'],
    hallIds: [],
    departmentIds: ['psb'],
  });
  const consolePage = await (
    await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 900 } })
  ).newPage();
  await consoleSignIn(consolePage, central, handler, `/console/cases/${caseId}`);
  const panel = byTest(consolePage, 'case-pages');
  await expect(byTest(panel, 'case-pages-arriving')).toContainText('2');
  await expect(byTest(panel, 'case-page-pending')).toHaveCount(2);
  await panel.screenshot({ path: screenPath('console-case-pages-arriving') });

  // Central takes chunks again: the counter's uploader sends both pages, and the handler's refresh shows them.
  await central.restart(centralOpts(false));
  await expect(async () => {
    await byTest(panel, 'case-pages-arriving').getByRole('button').click();
    await expect(byTest(panel, 'case-pages-arriving')).toHaveCount(0, { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  const material = byTest(panel, 'case-pages-material');
  await expect(material).toHaveCount(1);
  await expect(material.locator('h3')).toHaveText('原居民身份证');
  await expect(material.locator('[data-test^="case-page-"] [data-test="case-page-view"]')).toHaveCount(2);
  await expect(byTest(panel, 'case-page-pending')).toHaveCount(0);
  await panel.screenshot({ path: screenPath('console-case-pages') });

  // The second page opens as the picture the camera took.
  await byTest(panel, 'case-page-1').locator('[data-test="case-page-view"]').click();
  const shown = consolePage.getByRole('dialog').locator('img');
  await expect(shown).toBeVisible();
  expect(await shown.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await consolePage.screenshot({ path: screenPath('console-case-page-view'), animations: 'disabled' });
});
