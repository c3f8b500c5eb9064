import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { departmentSchema, matterSchema } from '@shared/api/methods/intake';
import { CN_CALENDARS } from '@shared/intake/cn-calendar';
import { DEMO_DEPARTMENTS, DEMO_MATTERS } from '../../electron/core/intake/demo-catalog';
import { startIntakeCore, type IntakeCore } from '../fixtures/intake-core';

let t: IntakeCore;
beforeEach(async () => {
  t = await startIntakeCore();
});
afterEach(() => t.stop());

async function accepted(overrides: Record<string, 'received' | 'missing' | 'tolerated'> = {}, outcome = 'accept') {
  const ticket = await t.calledTicket();
  const applicant = await t.person();
  return t.call('case.intake', {
    mutationId: t.m(),
    counterId: 'w1',
    ticketId: ticket.id,
    applicantId: applicant.id,
    matterCode: 'RE-001',
    materials: await t.tick('RE-001', 'received', overrides),
    outcome: outcome as 'accept',
  });
}

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
    expect(doc).toEqual({
      kind: 'receipt',
      hallName: '福州市鼓楼区政务服务中心',
      hallAddress: '福州市鼓楼区湖东路 1 号',
      enquiryPhone: '0591-12345',
      trackingUrl: 'https://zwfw.example.gov.cn/track',
      caseNumber: 'HALL01-20260302-C01-0001',
      qrText: 'https://zwfw.example.gov.cn/track?case=HALL01-20260302-C01-0001',
      applicantName: '张三',
      applicantIdMasked: '110105********002X',
      matterNameZh: '国有建设用地使用权及房屋所有权转移登记',
      departmentNameZh: '不动产登记中心',
      received: ['不动产登记申请书', '申请人居民身份证', '不动产权证书', '房屋买卖合同', '契税完税证明'],
      pending: ['婚姻状况证明'],
      missing: [],
      feeFen: 8000,
      issuedAt: '2026-03-02T02:00:00.000Z',
      promisedDate: '2026-03-09',
      toleranceDueDate: '2026-03-09',
      rejectReason: null,
      clerkName: '王丽',
      counterNumber: 1,
    });
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
    expect(await t.call('catalog.admin.matters.upsert', matter, t.admin)).toEqual(matter);
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

  it('serves the calendars, takes a new year, and warns when it counts a year without one', async () => {
    expect(await t.call('calendar.get', { year: 2026 })).toEqual(CN_CALENDARS[1]);
    expect(await t.call('calendar.get', { year: 2030 })).toEqual({ year: 2030, holidays: [], workdays: [] });
    expect(await t.call('calendar.addWorkingDays', { from: '2026-12-31', days: 1 })).toEqual({ date: '2027-01-01' });
    expect(t.warnings).toEqual([{ year: 2027, from: '2026-12-31', days: 1 }]);
    await t.call('calendar.admin.put', { year: 2027, holidays: ['2027-01-01'], workdays: [] }, t.admin);
    expect(await t.call('calendar.addWorkingDays', { from: '2026-12-31', days: 1 })).toEqual({ date: '2027-01-04' });
    expect(t.warnings).toHaveLength(1);
    const bad = await t.refusal('calendar.admin.put', { year: 2027, holidays: ['2028-01-01'], workdays: [] }, t.admin);
    expect(bad.code).toBe('INVALID_INPUT');
  });
});
