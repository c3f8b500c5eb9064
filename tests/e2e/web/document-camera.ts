import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from '@playwright/test';

const WIDTH = 640;
const HEIGHT = 480;
const FRAMES = 24;

/**
 * A sample document video for Chromium's fake camera, standing in for the 高拍仪: a white A4-like page with
 * dark lines of "text" on a grey desk, in raw Y4M (which Chromium reads), and a marker that moves from frame to
 * frame so two photos are never the same bytes (the store keeps identical bytes as one page).
 */
function documentVideo(): string {
  const file = path.join(os.tmpdir(), `onewindow-document-${WIDTH}x${HEIGHT}-${FRAMES}.y4m`);
  if (fs.existsSync(file)) return file;
  const ySize = WIDTH * HEIGHT;
  const cSize = (WIDTH / 2) * (HEIGHT / 2);
  const header = Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F10:1 Ip A1:1 C420jpeg\n`);
  const parts: Buffer[] = [header];
  const page = { x0: 150, x1: 490, y0: 20, y1: 460 };
  for (let f = 0; f < FRAMES; f++) {
    const y = Buffer.alloc(ySize, 110); // the desk
    for (let row = page.y0; row < page.y1; row++) y.fill(235, row * WIDTH + page.x0, row * WIDTH + page.x1);
    // A title and lines of text, with a short last line per paragraph.
    for (let line = 0; line < 22; line++) {
      const top = page.y0 + 40 + line * 18;
      const right = line % 6 === 5 ? page.x0 + 180 : page.x1 - 30;
      const height = line === 0 ? 10 : 6;
      for (let row = top; row < top + height; row++) y.fill(40, row * WIDTH + page.x0 + 30, row * WIDTH + right);
    }
    // The moving marker: a small block along the bottom margin.
    const mx = page.x0 + 30 + f * 12;
    for (let row = page.y1 - 24; row < page.y1 - 14; row++) y.fill(20, row * WIDTH + mx, row * WIDTH + mx + 10);
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
