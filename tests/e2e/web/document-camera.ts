import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from '@playwright/test';

/** The sample video's frame. */
export const FRAME = { width: 640, height: 480 };
const { width: WIDTH, height: HEIGHT } = FRAME;
const FRAMES = 24;
/** The sample page: its size and how far it lies turned (clockwise), as a page put down by hand does. */
export const SAMPLE_PAGE = { width: 300, height: 400, turnedDeg: 4 };

/**
 * A sample document video for Chromium's fake camera, standing in for the 高拍仪: a white A4-like page with
 * dark lines of "text", lying a little turned on a grey desk, in raw Y4M (which Chromium reads), and a marker
 * that moves from frame to frame so two photos are never the same bytes (the store keeps identical bytes as
 * one page).
 */
function documentVideo(): string {
  const { width: pw, height: ph, turnedDeg } = SAMPLE_PAGE;
  const file = path.join(os.tmpdir(), `onewindow-document-${WIDTH}x${HEIGHT}-${FRAMES}-${pw}x${ph}-${turnedDeg}.y4m`);
  if (fs.existsSync(file)) return file;
  const ySize = WIDTH * HEIGHT;
  const cSize = (WIDTH / 2) * (HEIGHT / 2);
  const header = Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F10:1 Ip A1:1 C420jpeg\n`);
  const parts: Buffer[] = [header];
  const [cos, sin] = [Math.cos((turnedDeg * Math.PI) / 180), Math.sin((turnedDeg * Math.PI) / 180)];
  /** A pixel's grey: desk, paper, a line of text or the marker, by where it falls on the turned page. */
  const grey = (x: number, y: number, f: number) => {
    const dx = x + 0.5 - WIDTH / 2;
    const dy = y + 0.5 - HEIGHT / 2;
    // From the page's top left corner, along its own sides.
    const u = dx * cos + dy * sin + pw / 2;
    const v = -dx * sin + dy * cos + ph / 2;
    if (u < 0 || u >= pw || v < 0 || v >= ph) return 110; // the desk
    const line = Math.floor((v - 40) / 18);
    // A title and lines of text, with a short last line per paragraph.
    if (line >= 0 && line < 19 && (v - 40) % 18 < (line === 0 ? 10 : 6)) {
      if (u >= 30 && u < (line % 6 === 5 ? 180 : pw - 30)) return 40;
    }
    // The moving marker: a small block along the bottom margin.
    if (v >= ph - 24 && v < ph - 14 && u >= 30 + f * 10 && u < 40 + f * 10) return 20;
    return 235;
  };
  for (let f = 0; f < FRAMES; f++) {
    const y = Buffer.alloc(ySize);
    for (let row = 0; row < HEIGHT; row++) for (let x = 0; x < WIDTH; x++) y[row * WIDTH + x] = grey(x, row, f);
    const chroma = Buffer.alloc(cSize, 128);
    parts.push(Buffer.from('FRAME\n'), y, chroma, chroma);
  }
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, Buffer.concat(parts));
  fs.renameSync(tmp, file);
  return file;
}

/** Call at a spec's top level: Chromium with the fake camera showing the sample document; fake UI grants it. */
export function useDocumentCamera(): void {
  test.use({
    launchOptions: [
      async ({ launchOptions }, use) =>
        use({
          ...launchOptions,
          args: [
            ...(launchOptions.args ?? []),
            '--use-fake-device-for-media-stream',
            '--use-fake-ui-for-media-stream',
            `--use-file-for-fake-video-capture=${documentVideo()}`,
          ],
        }),
      { scope: 'worker' },
    ],
  });
}
