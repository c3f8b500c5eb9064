import crypto from 'node:crypto';
import { expect, test, type Browser, type Locator } from '@playwright/test';
import type { Classification } from '@shared/api';
import { byTest, screenPath, watchPage } from './helpers';
import { NAME, codeNow, enrolLeader, signIn } from './leader-fixture';

const PAGES = ['关于加强政务服务中心作风建设的通报', '第二部分　整改要求', '第三部分　责任分工'];

/** A real three-page PDF with Chinese text, printed by Chromium itself: black on white, no red anywhere. */
async function chinesePdf(browser: Browser): Promise<Buffer> {
  const page = await browser.newPage();
  const body = PAGES.map(
    (title, i) => `<section style="page-break-after: always">
      <h1 style="font-size: 30px">${title}</h1>
      ${'<p style="font-size: 18px; line-height: 2">各科室、各窗口：为进一步提升群众办事满意度，现将有关事项通报如下，请认真贯彻落实。</p>'.repeat(6)}
      <p style="font-size: 14px">第 ${i + 1} 页</p>
    </section>`,
  ).join('');
  await page.setContent(
    `<html><body style="font-family: 'Noto Sans CJK SC', 'Noto Serif CJK SC', sans-serif; color: #000">${body}</body></html>`,
  );
  const pdf = await page.pdf({ format: 'A4' });
  await page.close();
  return pdf;
}

/**
 * A one-page PDF whose Chinese text uses a font that is not embedded (STSong-Light, UniGB-UCS2-H), as
 * many office PDFs do: pdf.js needs the predefined CMap to read it, which it must fetch from our origin.
 */
function pdfWithoutEmbeddedFont(): Buffer {
  const text = Buffer.from('政务服务通报'.repeat(2), 'utf16le').swap16().toString('hex').toUpperCase();
  const lines = [0, 1, 2, 3, 4, 5].map((i) => `BT /F1 36 Tf 40 ${760 - i * 60} Td <${text}> Tj ET`).join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 7 0 R >>',
    '<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [5 0 R] >>',
    '<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 6 0 R /DW 1000 >>',
    '<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>',
    `<< /Length ${lines.length} >>\nstream\n${lines}\nendstream`,
  ];
  let body = '%PDF-1.7\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(body));
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) body += `${String(off).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

const pdfFile = (name: string, bytes: Buffer, classification: Classification = 'top_secret') => ({
  id: crypto.randomUUID(),
  name,
  mime: 'application/pdf' as const,
  classification,
  publishedAt: new Date().toISOString(),
  dataBase64: bytes.toString('base64'),
});

/** Pixels of the drawn page: how many are dark (text) and how many red (the watermark; the PDF has none). */
const inks = (canvas: Locator) =>
  canvas.evaluate((c: HTMLCanvasElement) => {
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let dark = 0;
    let red = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
      if (r < 90 && g < 90 && b < 90) dark++;
      if (r > g + 40 && r > b + 40) red++;
    }
    return { dark, red, width: c.width, height: c.height };
  });

test('a 机密 PDF renders page by page on a canvas under the watermark; zoom works, copying is blocked', async ({
  page,
  request,
  browser,
}) => {
  const watch = watchPage(page);
  const file = pdfFile('作风建设通报.pdf', await chinesePdf(browser));
  const { login, secret } = await enrolLeader(request, [file]);
  await page.goto('/#/leader');
  await signIn(page, login, await codeNow(request, secret));
  await page.getByRole('tab', { name: '机要文件' }).click();
  const row = byTest(page, 'file-list').locator('tr', { hasText: '作风建设通报.pdf' });
  await expect(row.locator('[data-test="classification"]')).toHaveText('机密');
  await row.locator('[data-test="file-view"]').click();

  const canvas = byTest(page, 'file-canvas');
  await expect(canvas).toHaveAttribute('data-rendered', 'true');
  await expect(byTest(page, 'pdf-page')).toHaveText('第 1 / 3 页');
  await expect(byTest(page, 'file-no-print')).toContainText('本文件密级为机密，不得打印、保存或复制');
  await expect(byTest(page, 'file-print')).toHaveCount(0);
  await expect(byTest(page, 'file-save')).toHaveCount(0);
  const first = await inks(canvas);
  expect(first.dark, 'the page text is drawn').toBeGreaterThan(3000);
  expect(first.red, 'the watermark is burned into the page').toBeGreaterThan(3000);
  await page.screenshot({ path: screenPath('leader-pdf-page1') });

  await byTest(page, 'pdf-next').click();
  await expect(canvas).toHaveAttribute('data-page', '2');
  await expect(canvas).toHaveAttribute('data-rendered', 'true');
  await expect(byTest(page, 'pdf-page')).toHaveText('第 2 / 3 页');
  expect((await inks(canvas)).red).toBeGreaterThan(3000);
  await byTest(page, 'pdf-next').click();
  await expect(canvas).toHaveAttribute('data-page', '3');
  await expect(byTest(page, 'pdf-next')).toBeDisabled();

  await byTest(page, 'pdf-zoom-in').click();
  await expect(byTest(page, 'pdf-zoom')).toHaveText('125%');
  await expect(canvas).toHaveAttribute('data-rendered', 'true');
  const zoomed = await inks(canvas);
  expect(zoomed.width).toBeGreaterThan(first.width * 1.2);
  expect(zoomed.red).toBeGreaterThan(3000);

  const copyBlocked = await byTest(page, 'leader-pane').evaluate((pane) => {
    const e = new Event('copy', { bubbles: true, cancelable: true });
    pane.dispatchEvent(e);
    return e.defaultPrevented;
  });
  expect(copyBlocked).toBe(true);
  // No text layer: nothing of the page exists as selectable text in the document.
  expect(await page.evaluate(() => document.body.innerText.includes('各科室、各窗口'))).toBe(false);
  expect(await page.locator('embed, iframe, object').count()).toBe(0);

  // Locking drops the viewer and its document.
  await byTest(page, 'leader-lock').click();
  await expect(byTest(page, 'leader-login')).toBeVisible();
  await expect(byTest(page, 'pdf-viewer')).toHaveCount(0);
  expect(watch.errors).toEqual([]);
});

test('a damaged PDF says so instead of showing a blank page', async ({ page, request }) => {
  const broken = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n%%EOF\n');
  const { login, secret } = await enrolLeader(request, [pdfFile('损坏的文件.pdf', broken)]);
  await page.goto('/#/leader');
  await signIn(page, login, await codeNow(request, secret));
  await page.getByRole('tab', { name: '机要文件' }).click();
  await byTest(page, 'file-list')
    .locator('tr', { hasText: '损坏的文件.pdf' })
    .locator('[data-test="file-view"]')
    .click();
  await expect(byTest(page, 'pdf-broken')).toContainText('文件已损坏或不是有效的 PDF');
  await expect(byTest(page, 'file-canvas')).toHaveCount(0);
  await expect(byTest(page, 'file-watermark')).toContainText(NAME);
});

test('an internal PDF whose Chinese font is not embedded reads its CMap from our origin and may be printed', async ({
  page,
  request,
  baseURL,
}) => {
  const watch = watchPage(page);
  const { login, secret } = await enrolLeader(request, [
    pdfFile('未嵌入字体.pdf', pdfWithoutEmbeddedFont(), 'internal'),
  ]);
  const foreign: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(baseURL!) && !r.url().startsWith('data:')) foreign.push(r.url());
  });
  await page.goto('/#/leader');
  await signIn(page, login, await codeNow(request, secret));
  await page.getByRole('tab', { name: '机要文件' }).click();
  const cmap = page.waitForResponse((r) => r.url().endsWith('/pdfjs/cmaps/UniGB-UCS2-H.bcmap'));
  await byTest(page, 'file-list')
    .locator('tr', { hasText: '未嵌入字体.pdf' })
    .locator('[data-test="file-view"]')
    .click();
  expect((await cmap).status()).toBe(200);
  const canvas = byTest(page, 'file-canvas');
  await expect(canvas).toHaveAttribute('data-rendered', 'true');
  const { dark, red } = await inks(canvas);
  expect(dark, 'the Chinese text is drawn with a substitute font').toBeGreaterThan(3000);
  expect(red).toBeGreaterThan(3000);
  await page.screenshot({ path: screenPath('leader-pdf-cmap') });
  await expect(byTest(page, 'file-print')).toBeVisible();
  await expect(byTest(page, 'file-save')).toBeVisible();
  await expect(byTest(page, 'file-no-print')).toHaveCount(0);
  await expect(byTest(page, 'leader-pane')).toHaveClass(/printable/);
  expect(foreign).toEqual([]);
  expect(watch.errors).toEqual([]);
});
