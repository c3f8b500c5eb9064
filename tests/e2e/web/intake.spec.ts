import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import QRCode from 'qrcode';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { CalendarYear, Case, CaseDocument, Feedback, HallProfile, Matter, Queue, Rating } from '@shared/api';
import { calendarDueYear } from '@shared/intake/calendar-due';
import { jpeg } from '../../fixtures/pages';
import {
  hallToday,
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
  mutationId,
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
  await hall.calendarsFor('PSB-001');
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
  // The receipt, then the applicant's 承诺书 for the tolerated material on a sheet of its own.
  expect(a4.pages).toBe(2);
  expect(a4.widthPt).toBeCloseTo(595.3, 0);
  const pledgeText = squash(execFileSync('pdftotext', ['-f', '2', '-l', '2', a4.file, '-'], { encoding: 'utf8' }));
  for (const s of [
    '容缺受理承诺书',
    name,
    caseNumber,
    '就业或就读证明',
    `于${toleranceDue}前（含当日）补齐`,
    '承诺人（签字）',
  ]) {
    expect(pledgeText).toContain(squash(s));
  }
  expect(pledgeText).toContain(squash(`不晚于承诺办结日${promised}`));
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
    // The catalog's wording of the matter and its legal basis.
    '受理意见',
    '您提交的申请符合受理条件，本机关决定予以受理。',
    '办理依据：《居住证暂行条例》',
    // Each material as received: its form and copies.
    '申请人居民身份证原件及复印件1',
  ]) {
    expect(a4Text, a4.text).toContain(squash(s));
  }
  expect(a4Text).toContain('申请人签字');
  expect(a4Text).not.toContain(idNumber);
  for (const s of ['12345', '示范市人民路1号', trackingUrl]) expect(a4Text, a4.text).toContain(squash(s));
  // The QR code is exactly the document's tracking text (same encoder and settings as the page).
  const doc = await hall.call<CaseDocument>('counter', 'case.document', { caseId });
  expect(doc.qrText).toBe(`${trackingUrl}/${encodeURIComponent(caseNumber)}?code=${doc.queryCode}`);
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

  // The intake started the service (no F3 needed); 完成办理 asks the customer screen for the rating.
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
  // 完成办理 cleared the intake: the next customer never sees this applicant's card.
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

test('the receipt counts the pages scanned of each material received', async ({ page }) => {
  const applicant = await hall.registerPerson(`钱多${unique()}`, newResidentId());
  await hall.calendarsFor('PSB-001');
  const draftId = crypto.randomUUID();
  for (const seed of [1, 2]) {
    await hall.call('counter', 'attachment.page.add', {
      draftId,
      materialId: 'id-card',
      dataBase64: jpeg(800, seed + Date.now()).toString('base64'),
    });
  }
  const matter = (await hall.call<Matter[]>('counter', 'catalog.matters', { query: 'PSB-001' })).find(
    (m) => m.code === 'PSB-001',
  )!;
  const accepted = await hall.call<Case>('counter', 'case.intake', {
    mutationId: crypto.randomUUID(),
    counterId: 'w12',
    ticketId: null,
    applicantId: applicant.id,
    matterCode: 'PSB-001',
    materials: matter.materials.map((m) => ({ materialId: m.id, status: 'received' })),
    outcome: 'accept',
    attachmentDraftId: draftId,
  });
  await hall.shareCounterSession(page);
  const receipt = await printToPdf(page, `/print/case/${accepted.id}/a4`, `receipt-pages-${accepted.caseNumber}`);
  await expect(byTest(page, 'print-received-pages')).toHaveText(['2 页', '0 页', '0 页', '0 页']);
  expect(squash(receipt.text)).toContain(squash('扫描页数'));
  expect(squash(receipt.text)).toContain(squash('申请人居民身份证 原件及复印件 1 2 页'));
});

test('a 不予受理 notice states the appeal route in default words when the catalog has none', async ({
  page,
  context,
}) => {
  const matter: Matter = {
    code: 'E2E-REJ-001',
    nameZh: '不予受理测试事项',
    nameEn: 'Rejection test matter',
    departmentId: 'hrss',
    applicantTypes: ['person'],
    materials: [
      {
        id: 'id-card',
        nameZh: '申请人居民身份证',
        nameEn: 'ID card',
        requirement: 'required',
        form: 'original',
        copies: 1,
        note: '',
      },
    ],
    feeFen: 0,
    legalDays: 20,
    promisedDays: 10,
    keywords: [],
    active: true,
    legalBasis: '《测试条例》第三条',
    acceptanceText: '',
    rejectionText: '',
  };
  await hall.call('admin', 'catalog.admin.matters.upsert', matter);
  try {
    const idNumber = newResidentId();
    const applicant = await hall.registerPerson(`周平${unique()}`, idNumber);
    await signIn(page);
    await lookUp(page, idNumber);
    await expect(byTest(page, 'applicant-name')).toHaveText(applicant.name);
    await chooseMatter(page, '不予受理测试', matter.code);
    await setMaterial(page, 'id-card', 'received');
    await byTest(page, 'outcome-reject').click();
    await page.locator('.el-message-box textarea').fill('申请事项不属于本机关职权范围');
    await page.locator('.el-message-box .el-button--primary').click();
    await expect(byTest(page, 'result-state')).toHaveText('不予受理');
    const caseId = (await byTest(page, 'intake-result').getAttribute('data-case-id'))!;
    const caseNumber = (await byTest(page, 'result-case-number').textContent())!.trim();

    const printer = await context.newPage();
    await sharePageSession(page, printer);
    const letter = await printToPdf(printer, `/print/case/${caseId}/a4`, `rejection-a4-${caseNumber}`);
    const text = squash(letter.text);
    for (const s of [
      '不予受理通知书',
      '申请事项不属于本机关职权范围',
      '办理依据：《测试条例》第三条',
      '救济途径',
      '六十日内依法申请行政复议',
      '六个月内依法向人民法院提起行政诉讼',
    ]) {
      expect(text, letter.text).toContain(squash(s));
    }
    await printer.close();
  } finally {
    await hall.call('admin', 'catalog.admin.matters.upsert', { ...matter, active: false });
  }
});

test('markup in a name is text in the card, the case list and the receipt; nothing runs', async ({ page, context }) => {
  const watched = watchPage(page);
  const name = '<script>alert(1)</script>';
  const idNumber = newResidentId('440106');
  await signIn(page);
  await registerInForm(page, name, idNumber);
  await expect(byTest(page, 'applicant-name')).toHaveText(name);

  await hall.calendarsFor('PSB-003');
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

test('a promise that would count into a year without a holiday calendar is refused until central sends it', async ({
  page,
  context,
}) => {
  const watched = watchPage(page);
  // A year and a half of working days from today ends in a year whose calendar central has not sent.
  const matter: Matter = {
    code: 'E2E-CAL-365',
    nameZh: '长时限测试事项',
    nameEn: 'Long promise test matter',
    departmentId: 'hrss',
    applicantTypes: ['person'],
    materials: [
      {
        id: 'id-card',
        nameZh: '申请人居民身份证',
        nameEn: 'ID card',
        requirement: 'required',
        form: 'original',
        copies: 1,
        note: '',
      },
    ],
    feeFen: 0,
    legalDays: 365,
    promisedDays: 365,
    keywords: [],
    active: true,
    legalBasis: '',
    acceptanceText: '',
    rejectionText: '',
  };
  await hall.call('admin', 'catalog.admin.matters.upsert', matter);
  const hallDay = hallToday();
  const preview = await hall.call<{ date: string; yearsWithoutCalendar: number[] }>(
    'counter',
    'calendar.addWorkingDays',
    { from: hallDay, days: 365 },
  );
  expect(preview.yearsWithoutCalendar.length, 'the demo hall has no calendar that far ahead').toBeGreaterThan(0);
  const held = await Promise.all(
    preview.yearsWithoutCalendar.map((year) => hall.call<CalendarYear>('admin', 'calendar.get', { year })),
  );
  try {
    const years = preview.yearsWithoutCalendar.join('、');
    const idNumber = newResidentId();
    const applicant = await hall.registerPerson(`韩梅${unique()}`, idNumber);
    await signIn(page);
    await lookUp(page, idNumber);
    await expect(byTest(page, 'applicant-name')).toHaveText(applicant.name);
    // From 1 November the counter warns while next year's calendar is missing.
    const due = calendarDueYear(hallDay);
    if (due !== null && preview.yearsWithoutCalendar.includes(due)) {
      await expect(byTest(page, 'calendar-due')).toContainText(`中心尚未下发 ${due} 年的节假日安排`);
      await page.screenshot({ path: screenPath('intake-calendar-due') });
    } else {
      await expect(byTest(page, 'calendar-due')).toHaveCount(0);
    }
    await chooseMatter(page, '长时限测试', matter.code);
    await setMaterial(page, 'id-card', 'received');
    await expect(byTest(page, 'calendar-missing')).toContainText(
      `中心尚未下发 ${years} 年的节假日安排，无法计算承诺办结日，暂不能受理。`,
    );
    // No date counted Monday to Friday only is shown as a promise.
    await expect(byTest(page, 'promised-preview')).toHaveCount(0);
    await expect(byTest(page, 'outcome-hint')).toHaveCount(0);
    await expect(byTest(page, 'outcome-accept')).toBeDisabled();
    await expect(byTest(page, 'outcome-notice')).toBeDisabled();
    await expect(byTest(page, 'outcome-reject')).toBeEnabled();
    await page.screenshot({ path: screenPath('intake-calendar-missing') });
    await byTest(page, 'locale-switch').click();
    await expect(byTest(page, 'calendar-missing')).toContainText(
      `Central has not sent the holiday calendar of ${preview.yearsWithoutCalendar.join(', ')}: the promised date cannot be counted`,
    );
    await page.screenshot({ path: screenPath('intake-calendar-missing-en') });
    await byTest(page, 'locale-switch').click();
    // The core refuses it too, whatever a page sends.
    const refused = await hall.raw('counter', 'case.intake', {
      mutationId: mutationId(),
      counterId: 'w12',
      ticketId: null,
      applicantId: applicant.id,
      matterCode: matter.code,
      materials: [{ materialId: 'id-card', status: 'received' }],
      outcome: 'accept',
    });
    expect(refused.error).toMatchObject({
      code: 'CONFLICT',
      details: { reason: 'CALENDAR_MISSING', years: preview.yearsWithoutCalendar },
    });

    // Central sends the calendars (here each with its 元旦): choosing the matter again promises a date.
    for (const c of held) await hall.call('admin', 'calendar.admin.put', { ...c, holidays: [`${c.year}-01-01`] });
    const counted = await hall.call<{ date: string; yearsWithoutCalendar: number[] }>(
      'counter',
      'calendar.addWorkingDays',
      { from: hallDay, days: 365 },
    );
    expect(counted.yearsWithoutCalendar).toEqual([]);
    await byTest(page, 'chosen-change').click();
    await chooseMatter(page, '长时限测试', matter.code);
    await setMaterial(page, 'id-card', 'received');
    await expect(byTest(page, 'calendar-missing')).toHaveCount(0);
    await expect(byTest(page, 'calendar-due')).toHaveCount(0);
    await expect(byTest(page, 'promised-preview')).toHaveText(`今日受理承诺办结日：${counted.date}`);
    await byTest(page, 'outcome-accept').click();
    await expect(byTest(page, 'result-promised')).toHaveText(counted.date);
    const caseId = (await byTest(page, 'intake-result').getAttribute('data-case-id'))!;
    const caseNumber = (await byTest(page, 'result-case-number').textContent())!.trim();

    const printer = await context.newPage();
    await sharePageSession(page, printer);
    const receipt = await printToPdf(printer, `/print/case/${caseId}/a4`, `receipt-calendar-${caseNumber}`);
    expect(squash(receipt.text)).toContain(squash(counted.date));
    await printer.close();
    expect(unexpected(watched.errors)).toEqual([]);
  } finally {
    await hall.call('admin', 'catalog.admin.matters.upsert', { ...matter, active: false });
    // The years go back to having no calendar, for the next run.
    for (const c of held) await hall.call('admin', 'calendar.admin.put', c);
  }
});

test('an organisation registers by its credit code after a wrong check character is refused; an oversize name stores nothing', async ({
  page,
  context,
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
  // A credit code is public: shown in full, unlike a person's ID.
  await expect(byTest(page, 'applicant-id')).toHaveText(code);
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

  // 发票领用 (即办件): the receipt prints the credit code in full too.
  await chooseMatter(page, '发票领用', 'TAX-002');
  for (const m of ['agent-id', 'tax-ukey', 'seal']) await setMaterial(page, m, 'received');
  await byTest(page, 'outcome-accept').click();
  const caseId = (await byTest(page, 'intake-result').getAttribute('data-case-id'))!;
  const caseNumber = (await byTest(page, 'result-case-number').textContent())!.trim();
  await byTest(page, 'tab-cases').click();
  await expect(page.locator(`[data-test="case-row"][data-number="${caseNumber}"]`)).toContainText(code);
  const printer = await context.newPage();
  await sharePageSession(page, printer);
  const receipt = await printToPdf(printer, `/print/case/${caseId}/a4`, `receipt-organisation-${caseNumber}`);
  await expect(byTest(printer, 'print-id')).toHaveText(code);
  expect(squash(receipt.text)).toContain(code);
  // Who came for the organisation, and how to reach them.
  await expect(byTest(printer, 'print-agent')).toHaveText('周敏');
  await expect(byTest(printer, 'print-agent-phone')).toHaveText('010-12345678');
  expect(squash(receipt.text)).toContain(squash('单位经办人周敏'));
  await printer.screenshot({ path: screenPath('print-receipt-organisation'), fullPage: true });
  await printer.close();
});

test('the print page of an unknown case says so and never claims to be ready', async ({ page }) => {
  await hall.shareCounterSession(page);
  await page.goto('/#/print/case/0b0d5f7e-8c1a-4c35-9a1e-2f4b6d8e0a11/a4');
  await expect(byTest(page, 'print-failed')).toHaveText('文书无法生成：未找到相关记录');
  await expect(page.locator('body')).toHaveAttribute('data-print-error', '1');
  await expect(page.locator('body')).not.toHaveAttribute('data-print-ready', /.*/);
});
