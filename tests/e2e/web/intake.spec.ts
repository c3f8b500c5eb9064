import QRCode from 'qrcode';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { Case, CaseDocument, Feedback, HallProfile, Queue, Rating } from '@shared/api';
import {
  SUPERVISOR_LOGIN,
  byTest,
  editable,
  getProfile,
  putProfile,
  screenPath,
  signInCounterForm,
  unique,
  watchPage,
} from './helpers';
import {
  HallApi,
  chooseMatter,
  lookUp,
  masked,
  newCreditCode,
  newResidentId,
  openRatingScreen,
  pairRatingScreen,
  pick,
  PIN,
  printToPdf,
  sharePageSession,
  setMaterial,
  signIn,
  squash,
  withWrongCheckDigit,
} from './intake-helpers';

/**
 * The one-window intake at the counter page, end to end against the browser host: a walk-in from ticket to
 * rating, the one-time notice, and markup in a name. PDFs of the print pages are checked by their text.
 */
test.describe.configure({ timeout: 90_000 });

let hall: HallApi;
let originalQueues: Queue[] = [];

/** Page errors, leaving out the browser's own log line for each refused call (a 4xx answer is expected). */
const unexpected = (errors: string[]) => errors.filter((e) => !/Failed to load resource: .* status of 4\d\d/.test(e));

test.beforeAll(async ({ playwright }, testInfo) => {
  hall = new HallApi(await playwright.request.newContext({ baseURL: testInfo.project.use.baseURL }));
  originalQueues = await hall.openQueuesAllDay();
});

test.afterAll(async () => {
  await hall.resetHall();
  await hall.restoreQueues(originalQueues);
});

test.beforeEach(async () => {
  await hall.resetHall();
});

async function casesOf(applicantId: string): Promise<Case[]> {
  return hall.call<Case[]>('counter', 'case.list', { applicantId, limit: 50 });
}

/** Registers an applicant through the form after a lookup that found nobody. */
async function registerInForm(page: Page, name: string, idNumber: string) {
  await lookUp(page, idNumber);
  await expect(byTest(page, 'register')).toBeVisible();
  await byTest(page, 'register-name').fill(name);
  await byTest(page, 'register-phone').fill('13800138000');
  await byTest(page, 'register-submit').click();
  await expect(byTest(page, 'applicant-card')).toBeVisible();
}

test('a walk-in: ticket, call, register, 容缺 acceptance, A4 and 80 mm receipts, finish, a bad rating with its follow-up', async ({
  page,
  context,
  browser,
  request,
}) => {
  const watched = watchPage(page);
  // The receipt prints the hall's enquiry phone, address and tracking address from its profile.
  const profile: HallProfile = await getProfile(request);
  const trackingUrl = `https://zwfw.example.gov.cn/track/${unique()}`;
  await putProfile(request, {
    ...editable(profile),
    address: '示范市人民路1号',
    enquiryPhone: '12345',
    trackingUrl,
  });
  try {
    await walkIn(page, context, browser, watched, trackingUrl);
  } finally {
    await putProfile(request, editable(profile));
  }
});

async function walkIn(
  page: Page,
  context: BrowserContext,
  browser: Browser,
  watched: ReturnType<typeof watchPage>,
  trackingUrl: string,
) {
  const issued = await hall.issue('general');

  await signIn(page);
  // The counter's rating screen, a tablet of its own, paired with it by the code the counter shows.
  const screen = await openRatingScreen(browser);
  const screenWatch = watchPage(screen);
  await pairRatingScreen(page, screen);
  await byTest(page, 'action-callNext').click();
  await expect(byTest(page, 'current-number')).toHaveText(issued.ticket.number);

  // A typo in the check digit is refused with words, before anything is sent.
  const idNumber = newResidentId();
  await byTest(page, 'tab-intake').click();
  await expect(byTest(page, 'intake-ticket')).toHaveText(`关联号票 ${issued.ticket.number}`);
  await byTest(page, 'lookup-number').fill(withWrongCheckDigit(idNumber));
  await expect(byTest(page, 'lookup-problem')).toHaveText('身份证号校验位不正确，请核对后重新输入');
  await byTest(page, 'lookup-submit').click();
  await expect(byTest(page, 'register')).toHaveCount(0);
  await page.screenshot({ path: screenPath('intake-bad-id') });

  const name = `陈静${unique()}`;
  await registerInForm(page, name, idNumber);
  await expect(byTest(page, 'applicant-name')).toHaveText(name);
  await expect(byTest(page, 'applicant-id')).toHaveText(masked(idNumber));
  await expect(byTest(page, 'applicant-segment')).toHaveText('个人');

  // 居住证申领: ID card, proof of residence and photos on the desk, proof of work to follow (容缺).
  await chooseMatter(page, '居住证', 'PSB-001');
  await expect(byTest(page, 'outcome-accept')).toBeDisabled();
  await expect(byTest(page, 'outcome-hint')).toContainText('缺少必要材料 3 项');
  for (const m of ['id-card', 'residence-proof', 'photo']) await setMaterial(page, m, 'received');
  await expect(byTest(page, 'outcome-hint')).toContainText('可容缺材料 1 项未收');
  await setMaterial(page, 'work-proof', 'tolerated');
  await expect(byTest(page, 'outcome-hint')).toContainText('容缺受理：1 项材料须在');
  await expect(byTest(page, 'outcome-accept')).toBeEnabled();
  await page.screenshot({ path: screenPath('intake-materials') });

  // A double click is one case.
  await byTest(page, 'outcome-accept').dblclick();
  const result = byTest(page, 'intake-result');
  await expect(result).toBeVisible();
  // Accepted cases go on to their department at once (分办); the card shows the state from the core.
  await expect(byTest(page, 'result-state')).toHaveText(/^(已受理|已分办)$/);
  const caseNumber = (await byTest(page, 'result-case-number').textContent())!.trim();
  const promised = (await byTest(page, 'result-promised').textContent())!.trim();
  const toleranceDue = (await byTest(page, 'result-tolerance').textContent())!.trim();
  expect(promised).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(toleranceDue).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  const caseId = (await result.getAttribute('data-case-id'))!;
  await page.screenshot({ path: screenPath('intake-accepted') });
  const stored = (await hall.call<{ case: Case }>('counter', 'case.get', { caseId })).case;
  expect(['accepted', 'dispatched']).toContain(stored.state);
  expect(stored).toMatchObject({ caseNumber, ticketId: issued.ticket.id, promisedDate: promised });
  expect((await casesOf(stored.applicantId)).map((c) => c.id)).toEqual([caseId]);

  // The receipts, as the printer gets them.
  const printer = await context.newPage();
  await sharePageSession(page, printer);
  const a4 = await printToPdf(printer, `/print/case/${caseId}/a4`, `receipt-a4-${caseNumber}`);
  await printer.screenshot({ path: screenPath('print-receipt-a4'), fullPage: true });
  expect(a4.pages).toBe(1);
  expect(a4.widthPt).toBeCloseTo(595.3, 0);
  const a4Text = squash(a4.text);
  for (const s of [
    '受理回执',
    caseNumber,
    name,
    masked(idNumber),
    '居住证申领',
    promised,
    '就业或就读证明',
    toleranceDue,
  ]) {
    expect(a4Text, a4.text).toContain(squash(s));
  }
  expect(a4Text).toContain('申请人签字');
  expect(a4Text).not.toContain(idNumber);
  for (const s of ['12345', '示范市人民路1号', trackingUrl]) expect(a4Text, a4.text).toContain(squash(s));
  // The QR code is exactly the document's tracking text (same encoder and settings as the page).
  const doc = await hall.call<CaseDocument>('counter', 'case.document', { caseId });
  expect(doc.qrText).toBe(`${trackingUrl}?case=${encodeURIComponent(caseNumber)}`);
  const src = (await byTest(printer, 'print-qr').getAttribute('src')) ?? '';
  const svg = await QRCode.toString(doc.qrText, { type: 'svg', margin: 0, errorCorrectionLevel: 'M' });
  expect(decodeURIComponent(src.slice('data:image/svg+xml;charset=utf-8,'.length))).toBe(svg);

  const roll = await printToPdf(printer, `/print/case/${caseId}/80mm`, `receipt-80mm-${caseNumber}`);
  await printer.screenshot({ path: screenPath('print-receipt-80mm'), fullPage: true });
  expect(roll.pages).toBe(1);
  expect(roll.widthPt).toBeCloseTo(226.77, 0);
  const rollText = squash(roll.text);
  for (const s of [caseNumber, masked(idNumber), '居住证申领', promised, '就业或就读证明']) {
    expect(rollText, roll.text).toContain(squash(s));
  }
  await printer.close();

  // The intake started the service (no F3 needed); 办结 asks the customer screen for the rating.
  await expect(byTest(page, 'current-state')).toHaveText('办理中');
  await byTest(page, 'action-finish').click();
  await expect(byTest(page, 'rating-waiting')).toBeVisible();

  await expect(byTest(screen, 'rate-ask')).toBeVisible();
  await expect(byTest(screen, 'rate-who')).toContainText('1号窗口 · 工作人员 王丽');
  await screen.screenshot({ path: screenPath('rate-ask') });

  // 不满意 without a reason is not sent; with one it is, and opens the rectification.
  await byTest(screen, 'rate-level-2').click();
  await byTest(screen, 'rate-submit').click();
  await expect(byTest(screen, 'rate-reason-needed')).toHaveText('请至少选择一项原因或填写意见');
  await screen.screenshot({ path: screenPath('rate-reason-needed') });
  // The hall administrator's list holds every clerk's ratings (a clerk's holds their own).
  const before = await hall.call<Rating[]>('admin', 'rating.list', { limit: 500 });
  await byTest(screen, 'rate-reason-long_wait').click();
  await byTest(screen, 'rate-submit').click();
  await expect(byTest(screen, 'rate-thanks')).toHaveText('感谢您的评价，我们将认真整改并回访');
  await screen.screenshot({ path: screenPath('rate-thanks') });
  const after = await hall.call<Rating[]>('admin', 'rating.list', { limit: 500 });
  expect(after.length).toBe(before.length + 1);
  const rating = after[0]!;
  expect(rating).toMatchObject({ level: 2, reasons: ['long_wait'] });
  expect(rating.rectificationId).not.toBeNull();

  await expect(byTest(page, 'rating-result')).toHaveText('本次评价：不满意');
  // 办结 cleared the intake: the next customer never sees this applicant's card.
  await byTest(page, 'tab-intake').click();
  await expect(byTest(page, 'applicant-history')).toHaveCount(0);
  await screen.context().close();

  // The rectification is the supervisors' to follow up, not the rated clerk's: 赵刚 (super01), on duty at
  // counter 2, finds it in his feedback book with who was rated.
  const supervisor = await context.newPage();
  const supervisorWatch = watchPage(supervisor);
  await supervisor.goto('/#/counter');
  await expect(byTest(supervisor, 'connection')).toHaveText('已连接');
  await signInCounterForm(supervisor, '2号 综合窗口2', SUPERVISOR_LOGIN, PIN);
  await expect(byTest(supervisor, 'counter-main')).toBeVisible();
  await byTest(supervisor, 'tab-feedback').click();
  const items = await hall.call<Feedback[]>('admin', 'feedback.list', { limit: 50 });
  const opened = items.find((f) => f.id === rating.rectificationId)!;
  const rectification = supervisor.locator(
    `[data-test="feedback-row"][data-channel="rating"][data-number="${opened.number}"]`,
  );
  await expect(rectification).toContainText('被评价人：王丽');
  expect(opened).toMatchObject({ channel: 'rating', ratingId: rating.id });
  // The rating screen promised a return visit: it is scheduled, due with the rectification.
  expect(opened.returnVisits).toEqual([expect.objectContaining({ scheduledFor: opened.dueDate, doneAt: null })]);
  await supervisor.screenshot({ path: screenPath('intake-feedback-rectification') });

  expect(unexpected(watched.errors)).toEqual([]);
  expect(unexpected(screenWatch.errors)).toEqual([]);
  expect(unexpected(supervisorWatch.errors)).toEqual([]);
  await supervisor.close();
}

test('the one-time notice prints every missing material with the form to bring', async ({ page, context }) => {
  const idNumber = newResidentId('310104');
  const applicant = await hall.registerPerson(`刘洋${unique()}`, idNumber);
  await signIn(page);
  await lookUp(page, idNumber);
  await expect(byTest(page, 'applicant-name')).toHaveText(applicant.name);

  // 户口迁入: only the ID card is on the desk.
  await chooseMatter(page, '户口迁入', 'PSB-002');
  await setMaterial(page, 'id-card', 'received');
  await expect(byTest(page, 'outcome-accept')).toBeDisabled();
  await byTest(page, 'outcome-notice').click();
  await expect(byTest(page, 'result-state')).toHaveText('已一次性告知');
  await expect(byTest(page, 'result-promised')).toHaveCount(0);
  const caseId = (await byTest(page, 'intake-result').getAttribute('data-case-id'))!;
  const caseNumber = (await byTest(page, 'result-case-number').textContent())!.trim();

  const printer = await context.newPage();
  await sharePageSession(page, printer);
  const notice = await printToPdf(printer, `/print/case/${caseId}/a4`, `notice-a4-${caseNumber}`);
  await printer.screenshot({ path: screenPath('print-notice-a4'), fullPage: true });
  const text = squash(notice.text);
  expect(text).toContain('一次性告知书');
  expect(text).toContain(caseNumber);
  for (const s of ['居民户口簿', '原件', '亲属关系证明', '原件及复印件', '合法固定住所证明', '复印件']) {
    expect(text, notice.text).toContain(s);
  }
  expect(text).not.toContain('受理回执');
  const roll = await printToPdf(printer, `/print/case/${caseId}/80mm`, `notice-80mm-${caseNumber}`);
  await printer.screenshot({ path: screenPath('print-notice-80mm'), fullPage: true });
  for (const s of ['居民户口簿', '亲属关系证明', '合法固定住所证明']) expect(squash(roll.text)).toContain(s);
});

test('markup in a name is text in the card, the case list and the receipt; nothing runs', async ({ page, context }) => {
  const watched = watchPage(page);
  const name = '<script>alert(1)</script>';
  const idNumber = newResidentId('440106');
  await signIn(page);
  await registerInForm(page, name, idNumber);
  await expect(byTest(page, 'applicant-name')).toHaveText(name);

  await chooseMatter(page, '身份证换领', 'PSB-003');
  await setMaterial(page, 'old-card', 'received');
  await setMaterial(page, 'hukou', 'received');
  await byTest(page, 'outcome-accept').click();
  await expect(byTest(page, 'result-state')).toHaveText(/^(已受理|已分办)$/);
  const caseId = (await byTest(page, 'intake-result').getAttribute('data-case-id'))!;
  const caseNumber = (await byTest(page, 'result-case-number').textContent())!.trim();

  await byTest(page, 'tab-cases').click();
  const row = page.locator(`[data-test="case-row"][data-number="${caseNumber}"]`);
  await expect(row.locator('[data-test="case-applicant"]')).toHaveText(name);
  await page.screenshot({ path: screenPath('intake-case-list') });
  // A case just accepted is not overdue: the overdue filter leaves it out.
  await byTest(page, 'cases-scope-overdue').click();
  await expect(row).toHaveCount(0);
  await byTest(page, 'cases-scope-today').click();
  await expect(row).toHaveCount(1);

  const printer = await context.newPage();
  await sharePageSession(page, printer);
  const printerWatch = watchPage(printer);
  const receipt = await printToPdf(printer, `/print/case/${caseId}/a4`, `receipt-markup-${caseNumber}`);
  expect(receipt.text).toContain(name);
  await expect(byTest(printer, 'print-applicant')).toHaveText(name);
  expect(await printer.locator('script:text("alert(1)")').count()).toBe(0);

  expect(watched.dialogs).toEqual([]);
  expect(printerWatch.dialogs).toEqual([]);
  expect(unexpected(watched.errors)).toEqual([]);
});

test('an organisation registers by its credit code after a wrong check character is refused; an oversize name stores nothing', async ({
  page,
}) => {
  const code = newCreditCode();
  await signIn(page);
  await byTest(page, 'tab-intake').click();
  await pick(page, 'lookup-idtype', '统一社会信用代码');
  await byTest(page, 'lookup-number').fill(code.slice(0, 17) + (code[17] === '0' ? '1' : '0'));
  await expect(byTest(page, 'lookup-problem')).toHaveText('统一社会信用代码校验位不正确，请核对后重新输入');
  await byTest(page, 'lookup-number').fill(code);
  await expect(byTest(page, 'lookup-valid')).toBeVisible();
  await byTest(page, 'lookup-submit').click();
  await expect(byTest(page, 'register')).toBeVisible();

  // 101 characters: longer than the contract allows; the form says so and nothing is stored.
  await byTest(page, 'register-name').fill('很'.repeat(101));
  await byTest(page, 'register-contact').fill('周敏');
  await byTest(page, 'register-phone').fill('010-12345678');
  await byTest(page, 'register-submit').click();
  await expect(page.locator('.el-form-item', { has: byTest(page, 'register-name') })).toContainText(
    '请填写名称（不超过100字）',
  );
  const lookup = await hall.raw<unknown>('counter', 'applicant.lookup', { idType: 'uscc', idNumber: code });
  expect(lookup).toEqual({ ok: true, value: null });

  const name = `示范科技有限公司${unique()}`;
  await byTest(page, 'register-name').fill(name);
  await pick(page, 'register-orgtype', '企业');
  await byTest(page, 'register-submit').click();
  await expect(byTest(page, 'applicant-name')).toHaveText(name);
  await expect(byTest(page, 'applicant-segment')).toHaveText('企业');
  await expect(byTest(page, 'applicant-id')).toHaveText(`${code.slice(0, 6)}${'*'.repeat(8)}${code.slice(14)}`);
  // Organisations see the matters for organisations only: 公司变更登记 yes, 个体工商户设立 no.
  await byTest(page, 'matter-search').fill('登记');
  await expect(page.locator('[data-test="matter-option"][data-code="SAMR-002"]')).toBeVisible();
  await expect(page.locator('[data-test="matter-option"][data-code="SAMR-004"]')).toHaveCount(0);
  await page.screenshot({ path: screenPath('intake-organisation') });
  // The long list scrolls inside its tab; the counter page itself stays put.
  expect(await page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight)).toBe(true);

  await byTest(page, 'locale-switch').click();
  await expect(byTest(page, 'applicant-segment')).toHaveText('Enterprise');
  await expect(byTest(page, 'tab-intake')).toHaveText('Intake');
  await expect(page.locator('[data-test="matter-option"][data-code="SAMR-002"]')).toContainText(
    'Company change registration',
  );
  await page.screenshot({ path: screenPath('intake-organisation-en') });
  await byTest(page, 'locale-switch').click();
});

test('the print page of an unknown case says so and never claims to be ready', async ({ page }) => {
  await hall.shareCounterSession(page);
  await page.goto('/#/print/case/0b0d5f7e-8c1a-4c35-9a1e-2f4b6d8e0a11/a4');
  await expect(byTest(page, 'print-failed')).toHaveText('文书无法生成：未找到相关记录');
  await expect(page.locator('body')).toHaveAttribute('data-print-error', '1');
  await expect(page.locator('body')).not.toHaveAttribute('data-print-ready', /.*/);
});
