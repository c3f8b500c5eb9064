import QRCode from 'qrcode';
import { onBeforeUnmount, onMounted } from 'vue';

/**
 * The print-page protocol every printer waits on (Electron's silent print, the browser print frame, the
 * tests): the `print-page` class on <html>, one `@page` rule, and on <body> `data-print-ready` once all is
 * laid out, `data-print-error` when the page cannot be printed, and `data-print-height-mm` for a roll.
 */
export function usePrintPage() {
  const body = document.body.dataset;
  let pageStyle: HTMLStyleElement | undefined;

  onMounted(() => document.documentElement.classList.add('print-page'));
  onBeforeUnmount(() => {
    document.documentElement.classList.remove('print-page');
    delete body.printReady;
    delete body.printError;
    delete body.printHeightMm;
    pageStyle?.remove();
  });

  /** `pageOf`, when given, is a footer like "第 {page} 页 共 {pages} 页", numbered by the printer. */
  function setPage(size: string, margin: string, pageOf?: string) {
    pageStyle ??= document.head.appendChild(document.createElement('style'));
    const footer = pageOf
      ? ` @bottom-center { content: ${pageCounterContent(pageOf)}; font-size: 9pt; color: #000; }`
      : '';
    pageStyle.textContent = `@page { size: ${size}; margin: ${margin};${footer} }`;
  }

  /**
   * CSS has no "as long as the content" page height (Chromium drops `size: 80mm auto`), so once the roll
   * is laid out the page is sized to it: the printer cuts right under the last line. The height is also
   * left in `data-print-height-mm` for a printer that sets the paper size itself.
   */
  function fitRoll(el: HTMLElement | null, widthMm: number) {
    const px = el?.getBoundingClientRect().height ?? 0;
    if (px <= 0) return;
    const mm = Math.ceil((px * 25.4) / 96) + 2;
    setPage(`${widthMm}mm ${mm}mm`, '0');
    body.printHeightMm = String(mm);
  }

  return {
    setPage,
    fitRoll,
    ready: () => (body.printReady = '1'),
    failed: () => (body.printError = '1'),
  };
}

/**
 * A CSS `content` value for a page footer: the text with `{page}` and `{pages}` as the printer's page
 * counters (@page margin boxes, which Chromium prints), e.g. "第 " counter(page) " 页 共 " counter(pages) " 页".
 */
export function pageCounterContent(template: string): string {
  const quote = (text: string) => JSON.stringify(text);
  return template
    .split(/(\{pages?\})/)
    .filter(Boolean)
    .map((part) => (part === '{page}' ? 'counter(page)' : part === '{pages}' ? 'counter(pages)' : quote(part)))
    .join(' ');
}

/** A QR code as an SVG data URL: sharp at any printer resolution, no canvas needed. */
export async function qrDataUrl(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', margin: 0, errorCorrectionLevel: 'M' });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
