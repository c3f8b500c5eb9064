import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { departmentSchema, matterSchema } from '@shared/api/methods/intake';
import { CN_CALENDARS } from '@shared/intake/cn-calendar';
import { QUERY_CODE_PATTERN } from '@shared/intake/query-code';
import { DEMO_DEPARTMENTS, DEMO_MATTERS } from '../../electron/core/intake/demo-catalog';
import { startIntakeCore, type IntakeCore } from '../fixtures/intake-core';
import { jpeg } from '../fixtures/pages';

let t: IntakeCore;
beforeEach(async () => {
  t = await startIntakeCore();
});
afterEach(() => t.stop());

/** A case registered at counter w1 for RE-001: accepted unless asked otherwise (a rejection gives its reason). */
async function accepted(
  overrides: Record<string, 'received' | 'missing' | 'tolerated'> = {},
  outcome: 'accept' | 'notice' | 'reject' = 'accept',
) {
  const ticket = await t.calledTicket();
  const applicant = await t.person();
  return t.call('case.intake', {
    mutationId: t.m(),
    counterId: 'w1',
    ticketId: ticket.id,
    applicantId: applicant.id,
    matterCode: 'RE-001',
    materials: await t.tick('RE-001', 'received', overrides),
    outcome,
    ...(outcome === 'reject' ? { rejectReason: '不属于本机关职权范围' } : {}),
  });
}
const rejected = () => accepted({}, 'reject');

const pdf = (body = 'hello') => Buffer.from(`%PDF-1.7\n${body}\n%%EOF\n`);

describe('case documents', () => {
  it('the receipt carries the hall, the case, the applicant, the materials, the fee, the promise and the clerk', async () => {
    await t.call(
      'hall.profile.update',
      {
        name: '福州市鼓楼区政务服务中心',
        address: '福州市鼓楼区湖东路 1 号',
        enquiryPhone: '0591-12345',
        trackingUrl: 'https://zwfw.example.gov.cn/track',
      },
      t.admin,
    );
    const c = await accepted({ marriage: 'tolerated' });
    const doc = await t.call('case.document', { caseId: c.id });
    expect(doc.queryCode).toMatch(QUERY_CODE_PATTERN);
    expect(doc.queryCode).toBe(c.queryCode);
    expect(doc).toEqual({
      kind: 'receipt',
      hallName: '福州市鼓楼区政务服务中心',
      hallAddress: '福州市鼓楼区湖东路 1 号',
      enquiryPhone: '0591-12345',
      trackingUrl: 'https://zwfw.example.gov.cn/track',
      caseNumber: 'HALL01-20260302-C01-0001',
      queryCode: doc.queryCode,
      // The form central's /track serves: the case number in the path, the query code as `code`.
      qrText: `https://zwfw.example.gov.cn/track/HALL01-20260302-C01-0001?code=${doc.queryCode}`,
      applicantName: '张三',
      applicantIdMasked: '110105********002X',
      matterNameZh: '国有建设用地使用权及房屋所有权转移登记',
      departmentNameZh: '不动产登记中心',
      // Each as the catalog asked for it when received (原件/复印件, 份数), no page scanned at this counter.
      received: DEMO_MATTERS.find((m) => m.code === 'RE-001')!
        .materials.filter((m) => m.id !== 'marriage')
        .map((m) => ({ name: m.nameZh, form: m.form, copies: m.copies, pages: 0 })),
      agent: null,
      pending: ['婚姻状况证明'],
      missing: [],
      centralNote: null,
      feeFen: 8000,
      issuedAt: '2026-03-02T02:00:00.000Z',
      promisedDate: '2026-03-09',
      toleranceDueDate: '2026-03-09',
      rejectReason: null,
      // The catalog's wording of the matter (the demo catalog's).
      legalBasis: '《不动产登记暂行条例》',
      decisionText: '您提交的申请符合受理条件，本机关决定予以受理。',
      clerkName: '王丽',
      counterNumber: 1,
    });
  });

  it('lists the form and copies as received then, not as the catalog says later', async () => {
    const c = await accepted();
    const matter = (await t.call('catalog.matters', { query: 'RE-001' }, t.admin)).find((m) => m.code === 'RE-001')!;
    await t.call(
      'catalog.admin.matters.upsert',
      { ...matter, materials: matter.materials.map((m) => ({ ...m, form: 'electronic' as const, copies: 9 })) },
      t.admin,
    );
    const doc = await t.call('case.document', { caseId: c.id });
    expect(doc.received.some((m) => m.form === 'electronic' || m.copies === 9)).toBe(false);
  });

  it('counts the scanned pages of each material received', async () => {
    const draftId = crypto.randomUUID();
    const [first, second] = await t.tick('PSB-001');
    for (const [materialId, n] of [
      [first!.materialId, 2],
      [second!.materialId, 1],
    ] as const) {
      for (let i = 0; i < n; i++) {
        await t.call('attachment.page.add', {
          draftId,
          materialId,
          dataBase64: jpeg(600, i + (materialId === first!.materialId ? 0 : 10)).toString('base64'),
        });
      }
    }
    const c = await t.intake({ attachmentDraftId: draftId });
    const doc = await t.call('case.document', { caseId: c.id });
    expect(doc.received.map((m) => m.pages)).toEqual([2, 1, ...doc.received.slice(2).map(() => 0)]);
  });

  it("an organisation's receipt names its agent at the counter and the agent's phone", async () => {
    const org = await t.organisation();
    const c = await t.intake({ matterCode: 'SAMR-001', applicantId: org.id });
    const doc = await t.call('case.document', { caseId: c.id });
    expect(doc.agent).toEqual({ name: '李四', phone: '0591-87654321' });
    expect(doc.applicantName).toBe('福州示范科技有限公司');
  });

  it('the rejection carries the legal basis and the catalog wording of the appeal route', async () => {
    const c = await rejected();
    const doc = await t.call('case.document', { caseId: c.id });
    expect(doc).toMatchObject({ kind: 'rejection', legalBasis: '《不动产登记暂行条例》', promisedDate: null });
    expect(doc.decisionText).toContain('六十日内依法申请行政复议');
    expect(doc.decisionText).toContain('六个月内依法提起行政诉讼');
  });

  it('a reprint says what the applicant was given: the decision wording kept when the case was registered', async () => {
    const refused = await rejected();
    const acceptedCase = await accepted();
    const first = await t.call('case.document', { caseId: refused.id });
    const firstReceipt = await t.call('case.document', { caseId: acceptedCase.id });
    const matter = (await t.call('catalog.matters', { query: 'RE-001' }, t.admin)).find((m) => m.code === 'RE-001')!;
    await t.call(
      'catalog.admin.matters.upsert',
      { ...matter, legalBasis: '《新条例》', rejectionText: '新的不予受理文字', acceptanceText: '新的受理文字' },
      t.admin,
    );
    const reprint = await t.call('case.document', { caseId: refused.id });
    expect(reprint.legalBasis).toBe(first.legalBasis);
    expect(reprint.decisionText).toBe(first.decisionText);
    expect(reprint.decisionText).toContain('六十日内依法申请行政复议');
    expect((await t.call('case.document', { caseId: acceptedCase.id })).decisionText).toBe(firstReceipt.decisionText);
    // A case registered now gets the new wording.
    const later = await accepted();
    expect((await t.call('case.document', { caseId: later.id })).decisionText).toBe('新的受理文字');
  });

  it('a 容缺 due date is never after the promised date: refused when asked, capped by default', async () => {
    const ticket = await t.calledTicket();
    const applicant = await t.person();
    const input = {
      counterId: 'w1',
      ticketId: ticket.id,
      applicantId: applicant.id,
      matterCode: 'RE-001',
      materials: await t.tick('RE-001', 'received', { marriage: 'tolerated' }),
      outcome: 'accept' as const,
    };
    const late = await t.refusal('case.intake', { ...input, mutationId: t.m(), toleranceDueDate: '2026-03-10' });
    expect(late).toMatchObject({ code: 'INVALID_INPUT', reason: 'TOLERANCE_DUE_AFTER_PROMISED' });
    const matter = (await t.call('catalog.matters', { query: 'RE-001' }, t.admin)).find((m) => m.code === 'RE-001')!;
    // Promised in 2 working days, shorter than the default 5 of 容缺: the pledge runs to the promised date.
    await t.call('catalog.admin.matters.upsert', { ...matter, promisedDays: 2 }, t.admin);
    const c = await t.call('case.intake', { ...input, mutationId: t.m() });
    expect(c).toMatchObject({ promisedDate: '2026-03-04', toleranceDueDate: '2026-03-04' });
  });

  it('without a tracking URL the QR holds the case number alone', async () => {
    const c = await accepted();
    expect((await t.call('case.document', { caseId: c.id })).qrText).toBe(c.caseNumber);
  });

  it('an unknown case has no document', async () => {
    const res = await t.refusal('case.document', { caseId: crypto.randomUUID() });
    expect(res).toMatchObject({ code: 'NOT_FOUND', reason: 'UNKNOWN_CASE' });
  });
});

describe('the PDF archive', () => {
  const archive = (caseId: string, bytes: Buffer | string, paper: 'a4' | '80mm' = 'a4') =>
    t.raw(t.clerk, 'case.document.archive', {
      caseId,
      paper,
      pdfBase64: typeof bytes === 'string' ? bytes : bytes.toString('base64'),
    });

  it('keeps the PDF under archive/<year>/ with its hash, replacing an earlier print', async () => {
    const c = await accepted();
    const first = await t.call('case.document.archive', {
      caseId: c.id,
      paper: 'a4',
      pdfBase64: pdf('one').toString('base64'),
    });
    expect(first.file).toBe('archive/2026/HALL01-20260302-C01-0001-receipt-a4.pdf');
    const content = pdf('two');
    const second = await t.call('case.document.archive', {
      caseId: c.id,
      paper: 'a4',
      pdfBase64: content.toString('base64'),
    });
    expect(second).toEqual({
      file: first.file,
      sha256: crypto.createHash('sha256').update(content).digest('hex'),
      bytes: content.length,
    });
    expect(fs.readFileSync(path.join(t.dataDir, second.file))).toEqual(content);
    await t.call('case.document.archive', { caseId: c.id, paper: '80mm', pdfBase64: content.toString('base64') });
    expect(fs.readdirSync(path.join(t.dataDir, 'archive/2026')).sort()).toEqual([
      'HALL01-20260302-C01-0001-receipt-80mm.pdf',
      'HALL01-20260302-C01-0001-receipt-a4.pdf',
    ]);
    expect(t.peek.prepare('SELECT kind, paper, sha256 FROM case_documents ORDER BY paper').all()).toEqual([
      { kind: 'receipt', paper: '80mm', sha256: second.sha256 },
      { kind: 'receipt', paper: 'a4', sha256: second.sha256 },
    ]);
  });

  it('names a notice as a notice', async () => {
    const c = await accepted({ contract: 'missing' }, 'notice');
    const res = await t.call('case.document.archive', {
      caseId: c.id,
      paper: '80mm',
      pdfBase64: pdf().toString('base64'),
    });
    expect(res.file).toBe('archive/2026/HALL01-20260302-C01-0001-notice-80mm.pdf');
  });

  it('refuses bad base64, a file that is not a PDF and one over 4 MiB, writing nothing', async () => {
    const c = await accepted();
    expect(await archive(c.id, 'ab=c')).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await archive(c.id, 'JVBER')).toMatchObject({ ok: false, error: { details: { reason: 'BAD_BASE64' } } });
    expect(await archive(c.id, Buffer.from('<html>not a pdf</html>'))).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: { reason: 'NOT_A_PDF' } },
    });
    const big = Buffer.concat([pdf(), Buffer.alloc(4 * 1024 * 1024)]);
    expect(await archive(c.id, big)).toMatchObject({
      ok: false,
      error: { code: 'PAYLOAD_TOO_LARGE', details: { reason: 'PDF_TOO_LARGE' } },
    });
    expect(fs.existsSync(path.join(t.dataDir, 'archive'))).toBe(false);
    expect(t.count('case_documents')).toBe(0);
  });

  it('never lets a case number name a file outside the archive', async () => {
    const c = await accepted();
    for (const bad of ['../../../../tmp/evil', 'HALL01-20260302-C01-0001/../../x', 'HALL01-2026..02-C01-0001']) {
      t.peek.prepare('UPDATE cases SET case_number = ? WHERE id = ?').run(bad, c.id);
      expect(await archive(c.id, pdf())).toMatchObject({
        ok: false,
        error: { code: 'CONFLICT', details: { reason: 'BAD_CASE_NUMBER' } },
      });
    }
    expect(fs.existsSync(path.join(t.dataDir, 'archive'))).toBe(false);
    expect(fs.existsSync('/tmp/evil-receipt-a4.pdf')).toBe(false);
  });
});

describe('catalog and calendar', () => {
  it('seeds a realistic demo catalog: 20+ matters of 5+ departments, promises within the law', async () => {
    for (const d of DEMO_DEPARTMENTS) expect(departmentSchema.strict().parse(d)).toEqual(d);
    for (const m of DEMO_MATTERS) expect(matterSchema.strict().parse(m)).toEqual(m);
    const departments = await t.call('catalog.departments', {});
    const matters = await t.call('catalog.matters', {}, t.admin);
    expect(departments.length).toBeGreaterThanOrEqual(5);
    expect(matters.length).toBeGreaterThanOrEqual(20);
    for (const d of departments)
      expect(
        matters.some((m) => m.departmentId === d.id),
        d.id,
      ).toBe(true);
    for (const m of matters) {
      expect(m.promisedDays).toBeLessThanOrEqual(m.legalDays);
      expect(new Set(m.materials.map((x) => x.id)).size).toBe(m.materials.length);
    }
    const forOrgs = await t.call('catalog.matters', { applicantType: 'organisation' });
    expect(forOrgs.every((m) => m.applicantTypes.includes('organisation'))).toBe(true);
    expect((await t.call('catalog.matters', { query: '居住证' })).map((m) => m.code)).toEqual(['PSB-001']);
    expect((await t.call('catalog.matters', { departmentId: 'tax' })).length).toBe(3);
  });

  it('finds a matter by the names people use and by pinyin initials, not only by its catalogue name', async () => {
    const codes = async (query: string) => (await t.call('catalog.matters', { query })).map((m) => m.code);
    // 社保卡 is what people say for 社会保障卡申领.
    expect(await codes('社保卡')).toEqual(['HRSS-002']);
    // The initials of 社保卡 (and of 社保开户, another matter's other name).
    expect(await codes('sbk')).toContain('HRSS-002');
    expect(await codes('shbzk')).toEqual(['HRSS-002']);
    expect(await codes('过户')).toContain('RE-001');
    expect(await codes('gjjtq')).toEqual(['HPF-001']);
    // Names and codes as before; a query of letters that no initials hold finds nothing.
    expect(await codes('社会保障卡')).toEqual(['HRSS-002']);
    expect(await codes('HRSS-002')).toEqual(['HRSS-002']);
    expect(await codes('qqqqx')).toEqual([]);
  });

  it('lets the administrator add departments and matters, refusing an unknown department or repeated material ids', async () => {
    await t.call(
      'catalog.admin.departments.upsert',
      { id: 'civil', nameZh: '民政局', nameEn: 'Civil Affairs', phone: '' },
      t.admin,
    );
    const matter = {
      code: 'CIV-001',
      nameZh: '婚姻登记预约',
      nameEn: 'Marriage registration booking',
      departmentId: 'civil',
      applicantTypes: ['person' as const],
      materials: [
        {
          id: 'id-card',
          nameZh: '身份证',
          nameEn: 'ID card',
          requirement: 'required' as const,
          form: 'original' as const,
          copies: 1,
          note: '',
        },
      ],
      feeFen: 0,
      legalDays: 1,
      promisedDays: 0,
      active: true,
    };
    // Without other names, legal basis or wording given (a matter from before they existed), it has none.
    const none = { keywords: [], legalBasis: '', acceptanceText: '', rejectionText: '' };
    expect(await t.call('catalog.admin.matters.upsert', matter, t.admin)).toEqual({ ...matter, ...none });
    const named = { ...matter, ...none, code: 'CIV-002', nameZh: '收养登记', keywords: ['收养证', '领养'] };
    expect(await t.call('catalog.admin.matters.upsert', named, t.admin)).toEqual(named);
    // Found by another name, by the pinyin initials of its name (sydj) and of another name (syz).
    for (const query of ['领养', 'sydj', 'SYZ']) {
      expect(
        (await t.call('catalog.matters', { query })).map((m) => m.code),
        query,
      ).toEqual(['CIV-002']);
    }
    expect(await t.refusal('catalog.admin.matters.upsert', { ...matter, departmentId: 'nope' }, t.admin)).toMatchObject(
      {
        code: 'NOT_FOUND',
        reason: 'UNKNOWN_DEPARTMENT',
      },
    );
    expect(
      await t.refusal(
        'catalog.admin.matters.upsert',
        { ...matter, materials: [...matter.materials, ...matter.materials] },
        t.admin,
      ),
    ).toMatchObject({ code: 'INVALID_INPUT', reason: 'DUPLICATE_MATERIAL' });
    expect((await t.refusal('catalog.admin.matters.upsert', { ...matter, promisedDays: 2 }, t.admin)).code).toBe(
      'INVALID_INPUT',
    );
    expect((await t.refusal('catalog.admin.matters.upsert', matter)).code).toBe('FORBIDDEN');
  });

  it('serves the calendars, takes a new year, and names the years it counted without one', async () => {
    expect(await t.call('calendar.get', { year: 2026 })).toEqual(CN_CALENDARS[1]);
    expect(await t.call('calendar.get', { year: 2030 })).toEqual({ year: 2030, holidays: [], workdays: [] });
    expect(await t.call('calendar.addWorkingDays', { from: '2026-12-31', days: 1 })).toEqual({
      date: '2027-01-01',
      yearsWithoutCalendar: [2027],
    });
    // The hall's own due dates (a complaint's, here) count on, with a warning in the log.
    t.setNow('2026-12-30T02:00:00.000Z');
    await t.call('feedback.create', {
      mutationId: t.m(),
      kind: 'complaint',
      channel: 'phone',
      category: 'other',
      content: '年底的投诉',
    });
    expect(t.warnings).toEqual([{ year: 2027, from: '2026-12-30', days: 5 }]);
    await t.signInAdmin();
    await t.call('calendar.admin.put', { year: 2027, holidays: ['2027-01-01'], workdays: [] }, t.admin);
    expect(await t.call('calendar.addWorkingDays', { from: '2026-12-31', days: 1 })).toEqual({
      date: '2027-01-04',
      yearsWithoutCalendar: [],
    });
    const bad = await t.refusal('calendar.admin.put', { year: 2027, holidays: ['2028-01-01'], workdays: [] }, t.admin);
    expect(bad.code).toBe('INVALID_INPUT');
  });
});
