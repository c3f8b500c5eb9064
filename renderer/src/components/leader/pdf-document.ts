import type { PDFDocumentLoadingTask, PDFDocumentProxy, RenderTask } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

/** A decrypted PDF held by pdf.js in memory: its pages are drawn onto canvases, never handed to a viewer. */
export interface PdfDocument {
  pageCount: number;
  /** Page size in CSS pixels at scale 1 (1/72 inch each), for fitting it to the pane. */
  pageWidth(pageNumber: number): Promise<number>;
  /**
   * Draws one page at `scale` device pixels per PDF point; false when a newer call on the same canvas
   * cancelled this one (the canvas then belongs to that call).
   */
  render(pageNumber: number, canvas: HTMLCanvasElement, scale: number): Promise<boolean>;
  /** Drops the document in the page and in the worker, bytes included. */
  destroy(): Promise<void>;
}

/** The PDF cannot be opened (damaged, not a PDF, or encrypted with a password). */
export class PdfUnreadableError extends Error {}

// Same-origin copies written by the build (vite.config.ts), so no font or CMap ever comes from elsewhere.
const assetUrl = (dir: string) => new URL(`pdfjs/${dir}/`, document.baseURI).href;

/**
 * Opens PDF bytes with pdf.js. The library is loaded on first use (it is large); its worker is a
 * bundled same-origin module, which `script-src 'self'` already allows.
 */
export async function openPdf(bytes: Uint8Array): Promise<PdfDocument> {
  const pdfjs = await import('pdfjs-dist');
  pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;
  const task: PDFDocumentLoadingTask = pdfjs.getDocument({
    data: bytes,
    // The CSP has no 'unsafe-eval': pdf.js must not compile fonts into functions.
    isEvalSupported: false,
    cMapUrl: assetUrl('cmaps'),
    cMapPacked: true,
    standardFontDataUrl: assetUrl('standard_fonts'),
  });
  let doc: PDFDocumentProxy;
  try {
    doc = await task.promise;
  } catch (e) {
    await task.destroy();
    throw new PdfUnreadableError((e as Error).message);
  }
  const running = new WeakMap<HTMLCanvasElement, RenderTask>();
  const latest = new WeakMap<HTMLCanvasElement, object>();
  return {
    pageCount: doc.numPages,
    async pageWidth(pageNumber) {
      const page = await doc.getPage(pageNumber);
      return page.getViewport({ scale: 1 }).width;
    },
    async render(pageNumber, canvas, scale) {
      const turn = {};
      latest.set(canvas, turn);
      running.get(canvas)?.cancel();
      const page = await doc.getPage(pageNumber);
      if (latest.get(canvas) !== turn) return false;
      const viewport = page.getViewport({ scale });
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new PdfUnreadableError('no 2D canvas');
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      const task = page.render({ canvasContext: ctx, viewport, background: '#ffffff' });
      running.set(canvas, task);
      try {
        await task.promise;
        return true;
      } catch (e) {
        if (e instanceof pdfjs.RenderingCancelledException) return false;
        throw e;
      } finally {
        if (running.get(canvas) === task) running.delete(canvas);
      }
    },
    destroy: () => task.destroy(),
  };
}
