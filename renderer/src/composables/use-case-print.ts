import { ref } from 'vue';
import { useErrorText } from '../components/use-error-text';
import { usePrinter } from './use-printer';

export const CASE_PAPERS = ['a4', '80mm'] as const;
export type CasePaper = (typeof CASE_PAPERS)[number];

/** Paper widths the printer is told: A4 sheets and the 80 mm roll of the counter's receipt printer. */
export const PAPER_WIDTH_MM: Record<CasePaper, number> = { a4: 210, '80mm': 80 };

export const casePrintRoute = (caseId: string, paper: CasePaper) => `/print/case/${caseId}/${paper}`;

/**
 * Prints a case's receipt, notice or rejection letter. Inside Electron the main process also keeps the PDF
 * of what it printed in the device archive.
 */
export function useCasePrint() {
  const printer = usePrinter();
  const errorText = useErrorText();
  /** `${caseId}/${paper}` while that job is being printed: one job at a time per document. */
  const printing = ref<string | null>(null);
  const failure = ref<string | null>(null);
  const printed = ref<string | null>(null);

  async function print(caseId: string, paper: CasePaper) {
    if (printing.value) return;
    const job = `${caseId}/${paper}`;
    printing.value = job;
    failure.value = null;
    printed.value = null;
    try {
      await printer.print(casePrintRoute(caseId, paper), PAPER_WIDTH_MM[paper]);
      printed.value = job;
    } catch (e) {
      failure.value = errorText(e);
    } finally {
      printing.value = null;
    }
  }

  return { print, printing, failure, printed };
}
