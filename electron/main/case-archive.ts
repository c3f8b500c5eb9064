import { err, type Result } from '@shared/api';
import type { Dispatch } from '../core/api/dispatch';

export type CasePaper = 'a4' | '80mm';

const CASE_ROUTE = /^\/print\/case\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/(a4|80mm)$/i;
const MM_PER_INCH = 25.4;
/** Widths from here up print on A4 sheets; narrower ones on a roll cut to the page's measured height. */
const SHEET_MIN_WIDTH_MM = 200;

/** The case and paper of a case document's print route (`/print/case/<id>/<paper>`), else null. */
export function caseDocumentTarget(route: string): { caseId: string; paper: CasePaper } | null {
  const m = CASE_ROUTE.exec(route);
  return m ? { caseId: m[1]!.toLowerCase(), paper: m[2] as CasePaper } : null;
}

/** What the printer is told: A4 for sheets; for a roll, its width and the printed height, bounded. */
export function printPageSize(widthMm: number, heightMm: number): 'A4' | { width: number; height: number } {
  if (widthMm >= SHEET_MIN_WIDTH_MM) return 'A4';
  const height = Math.min(Math.max(heightMm, 40), 600);
  return { width: Math.round(widthMm * 1000), height: Math.round(height * 1000) };
}

/** printToPDF options for the same page and paper (its page size is in inches, the printer's in microns). */
export function pdfOptions(paper: CasePaper, heightMm: number) {
  if (paper === 'a4') return { pageSize: 'A4' as const, printBackground: true, preferCSSPageSize: true };
  const height = Math.min(Math.max(heightMm, 40), 600);
  return {
    pageSize: { width: 80 / MM_PER_INCH, height: height / MM_PER_INCH },
    margins: { top: 0, bottom: 0, left: 0, right: 0 },
    printBackground: true,
    preferCSSPageSize: true,
  };
}

/**
 * Keeps the PDF of a printed case document in the device archive through the core, as the counter role:
 * the same check, validation and storage as any other call.
 */
export async function archiveCaseDocument(
  deps: { dispatch: Dispatch; printToPdf: () => Promise<Buffer>; origin: string },
  target: { caseId: string; paper: CasePaper },
): Promise<Result<unknown>> {
  let pdf: Buffer;
  try {
    pdf = await deps.printToPdf();
  } catch (e) {
    return err('UNAVAILABLE', `the PDF could not be made: ${(e as Error).message}`);
  }
  return deps.dispatch({ role: 'counter', transport: 'ipc', origin: deps.origin }, 'case.document.archive', {
    caseId: target.caseId,
    paper: target.paper,
    pdfBase64: pdf.toString('base64'),
  });
}
