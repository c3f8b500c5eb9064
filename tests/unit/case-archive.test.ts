import { describe, expect, it, vi } from 'vitest';
import { err, ok } from '@shared/api';
import { archiveCaseDocument, caseDocumentTarget, pdfOptions, printPageSize } from '../../electron/main/case-archive';
import { customerDisplay } from '../../electron/main/customer-screen';

const CASE_ID = '0b0d5f7e-8c1a-4c35-9a1e-2f4b6d8e0a11';

describe('case document print route', () => {
  it('names the case and the paper of a case document', () => {
    expect(caseDocumentTarget(`/print/case/${CASE_ID}/a4`)).toEqual({ caseId: CASE_ID, paper: 'a4' });
    expect(caseDocumentTarget(`/print/case/${CASE_ID.toUpperCase()}/80mm`)).toEqual({ caseId: CASE_ID, paper: '80mm' });
  });

  it.each([
    `/print/ticket/${CASE_ID}`,
    `/print/case/${CASE_ID}`,
    `/print/case/${CASE_ID}/a5`,
    `/print/case/not-a-uuid/a4`,
    `/print/case/${CASE_ID}/a4/extra`,
  ])('is not a case document: %s', (route) => {
    expect(caseDocumentTarget(route)).toBeNull();
  });
});

describe('paper sizes', () => {
  it('prints wide pages on A4 and rolls at the measured height, in microns, bounded', () => {
    expect(printPageSize(210, 200)).toBe('A4');
    expect(printPageSize(80, 123.4)).toEqual({ width: 80_000, height: 123_400 });
    expect(printPageSize(80, 5)).toEqual({ width: 80_000, height: 40_000 });
    expect(printPageSize(80, 5000)).toEqual({ width: 80_000, height: 600_000 });
  });

  it('makes the archived PDF the same paper as the print, in inches', () => {
    expect(pdfOptions('a4', 0)).toMatchObject({ pageSize: 'A4', preferCSSPageSize: true });
    const roll = pdfOptions('80mm', 254);
    expect(roll.pageSize).toEqual({ width: 80 / 25.4, height: 10 });
  });
});

describe('archiving a printed case document', () => {
  it('sends the PDF as base64 to case.document.archive as the counter', async () => {
    const dispatch = vi.fn(async () => ok({ file: 'x.pdf', sha256: 'ab', bytes: 4 }));
    const result = await archiveCaseDocument(
      { dispatch, printToPdf: async () => Buffer.from('%PDF'), origin: 'window-counter-3' },
      { caseId: CASE_ID, paper: '80mm' },
    );
    expect(result).toEqual(ok({ file: 'x.pdf', sha256: 'ab', bytes: 4 }));
    expect(dispatch).toHaveBeenCalledWith(
      { role: 'counter', transport: 'ipc', origin: 'window-counter-3' },
      'case.document.archive',
      { caseId: CASE_ID, paper: '80mm', pdfBase64: Buffer.from('%PDF').toString('base64') },
    );
  });

  it('passes a refusal of the core on', async () => {
    const refusal = err('NOT_FOUND', 'no such case');
    const result = await archiveCaseDocument(
      { dispatch: async () => refusal, printToPdf: async () => Buffer.from('%PDF'), origin: 'w' },
      { caseId: CASE_ID, paper: 'a4' },
    );
    expect(result).toEqual(refusal);
  });

  it('does not call the core when no PDF could be made', async () => {
    const dispatch = vi.fn();
    const result = await archiveCaseDocument(
      {
        dispatch,
        printToPdf: async () => {
          throw new Error('renderer gone');
        },
        origin: 'w',
      },
      { caseId: CASE_ID, paper: 'a4' },
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('UNAVAILABLE');
    expect(dispatch).not.toHaveBeenCalled();
  });
});

describe('customer screen display', () => {
  const d = (id: number) => ({ id, bounds: { x: id * 1920, y: 0, width: 1920, height: 1080 } });
  it('uses the first display that is not the primary one', () => {
    expect(customerDisplay([d(1), d(2), d(3)], 1)).toEqual(d(2));
    expect(customerDisplay([d(2), d(1)], 1)).toEqual(d(2));
  });
  it('has none on a single-display counter', () => {
    expect(customerDisplay([d(1)], 1)).toBeNull();
  });
});
