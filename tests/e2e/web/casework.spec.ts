import QRCode from 'qrcode';
import { expect, test, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import type { Applicant, Case, CaseDocument } from '@shared/api';
import { DEFAULT_APPEAL_ROUTE_ZH } from '@shared/intake/case-outcome';
import { QUERY_CODE_PATTERN } from '@shared/intake/query-code';
import { mutationDefs } from '@shared/sync/mutations';
import { startCentral, type TestCentral } from '../../fixtures/central-server';
import { expectAccessible } from './axe-check';
import { startOwnHost } from './casework-host';
import { byTest, hallTodayAt, openAdminPage, screenPath, watchPage } from './helpers';
import { HallApi, mutationId, newResidentId, printToPdf, sharePageSession, signIn, squash } from './intake-helpers';

/**
 * The counter's side of casework: a browser host of its own, enrolled with a real central (Fastify and the
 * test PostgreSQL), where the department's steps are put as central's admin API puts them; the device
 * pulls them as in the hall, and the counter page shows them.
 */
test.describe.configure({ timeout: 90_000 });

/** Central's address as the public reaches it: devices learn its tracking page at enrolment. */
const PUBLIC_URL = 'https://zwfw.example.gov.cn';

let central: TestCentral;
let hallId: string;
let host: Awaited<ReturnType<typeof startOwnHost>>;
let hall: HallApi;
let context: BrowserContext;

test.beforeAll(async ({ playwright, browser }, testInfo) => {
  central = await startCentral({ mutations: [...mutationDefs], publicUrl: PUBLIC_URL });
  hallId = (await central.admin.createHall('E2ECASE')).id;
  host = await startOwnHost(hallTodayAt(10));
  hall = new HallApi(await playwright.request.newContext({ baseURL: host.url }));
  await hall.call('admin', 'sync.enroll', {
    centralUrl: central.url,
    code: await central.admin.code(hallId, 'counter'),
  });
  context = await newContext(browser, testInfo.project.use);
});

test.afterAll(async () => {
  await context?.close();
  await host?.stop();
  await central?.stop();
});

/** A browser context on the own host, as the project configures the shared one. */
function newContext(browser: Browser, use: { locale?: string; viewport?: { width: number; height: number } | null }) {
  return browser.newContext({ baseURL: host.url, locale: use.locale, viewport: use.viewport ?? undefined });
}

/** A case accepted at w12 (by the API's clerk) for a new applicant: PSB-001 with every material received. */
async function acceptedCase(name: string): Promise<Case> {
  const applicant = await hall.call<Applicant>('counter', 'applicant.register', {
    mutationId: mutationId(),
    applicant: { kind: 'person', name, idType: 'resident_id', idNumber: newResidentId(), phone: '13800138000' },
  });
  await hall.calendarsFor('PSB-001');
  return hall.call<Case>('counter', 'case.intake', {
    mutationId: mutationId(),
    counterId: 'w12',
    ticketId: null,
    applicantId: applicant.id,
    matterCode: 'PSB-001',
    materials: ['id-card', 'residence-proof', 'work-proof', 'photo'].map((materialId) => ({
      materialId,
      status: 'received',
    })),
    outcome: 'accept',
  });
}

const putStatus = (caseId: string, data: Record<string, unknown>) =>
  central.admin.putRef('case.status', caseId, { hallId, data: { caseId, note: null, ...data } });

/** The device's state of a case, once its sync pulled central's status (a nudge starts the pull). */
const stateOf = async (caseId: string) =>
  (await hall.call<{ case: Case }>('counter', 'case.get', { caseId })).case.state;

async function counterOnCases(): Promise<Page> {
  const page = await context.newPage();
  await signIn(page);
  await byTest(page, 'tab-cases').click();
  await expect(byTest(page, 'case-list')).toBeVisible();
  return page;
}
/** No snake_case identifier among what the page shows: states, methods and outcomes are named. */
async function expectNoRawCodes(scope: Page | Locator, where: string) {
  const text = await ('goto' in scope ? scope.locator('body') : scope).innerText();
  expect(text.match(/\b[a-z]+_[a-z_]+\b/g) ?? [], `${where}:\n${text}`).toEqual([]);
}

const rowOf = (page: Page, c: Case) => page.locator(`[data-test="case-row"][data-number="${c.caseNumber}"]`);

test('a case in 补正: the banner counts it, the row says what it needs, the 补正告知书 prints, the clerk records the receipt', async () => {
  const c = await acceptedCase('补正甲');
  await putStatus(c.id, {
    status: 'supplement_requested',
    at: new Date().toISOString(),
    note: '居住证明需近三个月内开具',
    missing: [
      { materialId: 'residence-proof', name: '居住证明', note: '近三个月内' },
      { materialId: null, name: '社保缴纳证明', note: '近六个月' },
    ],
  });
  await expect.poll(() => stateOf(c.id)).toBe('supplement_requested');

  const page = await counterOnCases();
  const watched = watchPage(page);
  await expect(byTest(page, 'supplement-banner')).toContainText('待补正 1 件');
  await byTest(page, 'supplement-show').click();
  const row = rowOf(page, c);
  await expect(byTest(row, 'case-state')).toHaveText('待补正');
  await expect(byTest(row, 'case-missing-item')).toHaveText(['居住证明（近三个月内）', '社保缴纳证明（近六个月）']);
  await expect(byTest(row, 'case-central-note')).toHaveText('居住证明需近三个月内开具');
  await expect(byTest(row, 'case-query-code')).toHaveText(c.queryCode!);
  await page.screenshot({ path: screenPath('casework-supplement-list'), fullPage: true });
  await expectNoRawCodes(page, 'cases awaiting 补正');
  await expectAccessible(page, 'cases awaiting 补正');

  // The 补正告知书, on paper for the applicant: what to bring, the case number, the query code, the hall's phone.
  const printer = await context.newPage();
  await sharePageSession(page, printer);
  const notice = await printToPdf(printer, `/print/case/${c.id}/a4`, `supplement-a4-${c.caseNumber}`);
  const text = squash(notice.text);
  for (const s of [
    '补正告知书',
    c.caseNumber,
    `查询码：${c.queryCode}`,
    '居住证明',
    '社保缴纳证明',
    '近六个月',
    '复印件',
  ]) {
    expect(text, notice.text).toContain(squash(s));
  }
  expect(text).toContain(squash('居住证明需近三个月内开具'));
  await printer.screenshot({ path: screenPath('casework-supplement-notice'), fullPage: true });
  await printer.close();

  await byTest(row, 'supplement-receive').click();
  const dialog = byTest(page, 'supplement-dialog');
  await expect(dialog).toBeVisible();
  // Both start ticked; the applicant has only the 社保 proof with them today… then finds the other.
  const items = byTest(dialog, 'supplement-item');
  await expect(items).toHaveCount(2);
  await items.nth(0).click();
  await items.nth(1).click();
  await byTest(dialog, 'supplement-submit').click();
  await expect(dialog).toContainText('请至少选择一项已收到的材料');
  await items.nth(0).click();
  await expect(dialog).not.toContainText('请至少选择一项已收到的材料');
  await items.nth(1).click();
  await byTest(dialog, 'supplement-note').fill('原件已核验');
  await page.screenshot({ path: screenPath('casework-supplement-dialog') });
  await expectAccessible(page, '补正 received dialog');
  await byTest(dialog, 'supplement-submit').click();
  await expect(dialog).toBeHidden();
  await expect(byTest(page, 'supplement-banner')).toHaveCount(0);
  await expect.poll(() => stateOf(c.id)).toBe('in_progress');
  await byTest(page, 'cases-scope-all').click();
  await expect(byTest(rowOf(page, c), 'case-state')).toHaveText('办理中');

  // Central has it: the row went out with the device's next push.
  await expect
    .poll(async () => {
      const { rows } = await central.pool.query(
        "SELECT args FROM mutations WHERE name = 'case.supplement.receive' AND entity_id = $1",
        [c.id],
      );
      return rows.map((r: { args: unknown }) => r.args);
    })
    .toEqual([
      expect.objectContaining({
        caseId: c.id,
        materialIds: ['residence-proof'],
        note: '已收：社保缴纳证明；原件已核验',
      }),
    ]);
  expect(watched.errors).toEqual([]);
  await page.close();
});

test('a completed case shows the decision with its appeal route and the pickup, in the list and its details', async () => {
  const denied = await acceptedCase('办结乙');
  const approved = await acceptedCase('办结丙');
  await putStatus(denied.id, {
    status: 'completed',
    at: new Date().toISOString(),
    decision: { outcome: 'denied', reason: '居住证明与实际居住地不符', appealRoute: DEFAULT_APPEAL_ROUTE_ZH },
    pickup: { method: 'post', carrier: 'EMS', trackingNumber: 'EA123456789CN' },
  });
  await putStatus(approved.id, {
    status: 'completed',
    at: new Date().toISOString(),
    decision: { outcome: 'approved', reason: '', appealRoute: '' },
    pickup: { method: 'counter', carrier: '', trackingNumber: '' },
  });
  await expect.poll(() => stateOf(denied.id)).toBe('completed');
  await expect.poll(() => stateOf(approved.id)).toBe('completed');

  const page = await counterOnCases();
  await byTest(page, 'cases-scope-all').click();
  const row = rowOf(page, denied);
  await expect(byTest(row, 'case-state')).toHaveText('已办结');
  await expect(byTest(row, 'case-decision-outcome')).toHaveText('不予');
  await expect(byTest(row, 'case-decision-reason')).toContainText('居住证明与实际居住地不符');
  await expect(byTest(row, 'case-appeal-route')).toContainText('行政复议');
  await expect(byTest(row, 'case-pickup-method')).toHaveText('邮寄');
  await expect(byTest(row, 'case-carrier')).toHaveText('EMS');
  await expect(byTest(row, 'case-tracking-number')).toHaveText('EA123456789CN');
  const other = rowOf(page, approved);
  await expect(byTest(other, 'case-decision-outcome')).toHaveText('准予');
  await expect(byTest(other, 'case-pickup-method')).toHaveText('窗口领取');
  await expect(byTest(other, 'case-tracking-number')).toHaveCount(0);
  await page.screenshot({ path: screenPath('casework-completed-list'), fullPage: true });
  await expectNoRawCodes(page, 'completed cases');
  await expectAccessible(page, 'completed cases');

  // The details: the steps the department took, named, never as codes.
  await byTest(row, 'case-open').click();
  const detail = byTest(page, 'case-detail');
  await expect(byTest(detail, 'case-detail-state')).toHaveText('已办结');
  await expect(byTest(detail, 'case-history-item').locator('strong')).toHaveText([
    '已受理',
    '已分办',
    '办理中',
    '已办结',
  ]);
  await expect(byTest(detail, 'case-decision-outcome')).toHaveText('不予');
  await page.screenshot({ path: screenPath('casework-case-detail') });
  await expectNoRawCodes(page, 'case details');
  await expectAccessible(page, 'case details');

  await byTest(detail, 'case-detail-close').click();

  // In English the same facts, by name.
  await byTest(page, 'locale-switch').click();
  await expect(byTest(row, 'case-state')).toHaveText('Completed');
  await expect(byTest(row, 'case-decision-outcome')).toHaveText('Denied');
  await expect(byTest(row, 'case-pickup-method')).toHaveText('By post');
  await byTest(page, 'locale-switch').click();
  await expect(byTest(row, 'case-state')).toHaveText('已办结');
  await page.close();
});

test('the receipt prints the query code, and its QR carries the tracking link with it', async () => {
  const c = await acceptedCase('回执丁');
  expect(c.queryCode).toMatch(QUERY_CODE_PATTERN);
  const doc = await hall.call<CaseDocument>('counter', 'case.document', { caseId: c.id });
  // Enrolled, and no tracking URL in the hall profile: central's tracking page, as central told it.
  expect(doc.trackingUrl).toBe(`${PUBLIC_URL}/track`);
  expect(doc.qrText).toBe(`${PUBLIC_URL}/track/${c.caseNumber}?code=${c.queryCode}`);

  const page = await counterOnCases();
  const printer = await context.newPage();
  await sharePageSession(page, printer);
  const receipt = await printToPdf(printer, `/print/case/${c.id}/80mm`, `receipt-query-code-${c.caseNumber}`);
  expect(squash(receipt.text), receipt.text).toContain(squash(`查询码：${c.queryCode}`));
  expect(squash(receipt.text)).toContain(squash(`${PUBLIC_URL}/track`));
  const src = (await byTest(printer, 'print-qr').getAttribute('src')) ?? '';
  const svg = await QRCode.toString(doc.qrText, { type: 'svg', margin: 0, errorCorrectionLevel: 'M' });
  expect(decodeURIComponent(src.slice('data:image/svg+xml;charset=utf-8,'.length))).toBe(svg);
  await printer.screenshot({ path: screenPath('casework-receipt-80mm'), fullPage: true });
  await printer.close();
  await page.close();
});

test('the hall dashboard reminds of a complaint due within a working day and of the cases in 补正', async () => {
  const waiting = await acceptedCase('看板戊');
  await putStatus(waiting.id, {
    status: 'supplement_requested',
    at: new Date().toISOString(),
    missing: [{ materialId: null, name: '社保缴纳证明', note: '' }],
  });
  await expect.poll(() => stateOf(waiting.id)).toBe('supplement_requested');
  // Due today in the hall (the own host's clock starts at 10:00 there): within one working day.
  const today = hallTodayAt(10).slice(0, 10);
  const complaint = await hall.call<{ number: string }>('counter', 'feedback.create', {
    mutationId: mutationId(),
    kind: 'complaint',
    channel: 'phone',
    category: 'efficiency',
    content: '等候时间过长',
    dueDate: today,
  });

  const page = await context.newPage();
  await openAdminPage(page, '#/admin/dashboard');
  const reminders = byTest(page, 'hall-reminders');
  await expect(reminders.locator(`[data-test="reminder-feedback"][data-number="${complaint.number}"]`)).toContainText(
    '1个工作日内到期',
  );
  await expect(
    reminders.locator(`[data-test="reminder-supplement"][data-number="${waiting.caseNumber}"]`),
  ).toContainText('社保缴纳证明');
  await page.screenshot({ path: screenPath('casework-dashboard-reminders'), fullPage: true });
  await expectNoRawCodes(byTest(page, 'hall-reminders'), 'dashboard reminders');
  await expectAccessible(page, 'dashboard with reminders');
  await page.close();
});
