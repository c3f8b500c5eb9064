import { hallStamp } from '@shared/format/hall-time';

/** The watermark line: who is looking, and when (the server's time of the view, on the hall's clock). */
export const watermarkText = (viewer: string, at: string, timeZone: string): string =>
  `${viewer} ${hallStamp(at, timeZone)}`;

const TILE_W = 320;
const TILE_H = 180;
const ANGLE = -Math.PI / 7;

function drawLine(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, alpha: number) {
  ctx.save();
  ctx.translate(x, y);
  ctx.rotate(ANGLE);
  ctx.font = '600 20px "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillStyle = `rgba(200, 16, 46, ${alpha})`;
  ctx.fillText(text, 0, 0);
  ctx.restore();
}

/**
 * Burns the watermark into the picture itself, tiled across all of it, so any photo or screenshot of
 * the content carries the viewer's name and time.
 */
export function drawWatermark(ctx: CanvasRenderingContext2D, width: number, height: number, text: string): void {
  for (let y = TILE_H / 2; y < height + TILE_H; y += TILE_H) {
    const shift = (Math.round(y / TILE_H) % 2) * (TILE_W / 2);
    for (let x = TILE_W / 2 - shift; x < width + TILE_W; x += TILE_W) drawLine(ctx, text, x, y, 0.3);
  }
}

/** The same watermark as a tile for CSS, laid over text (briefings) that is not drawn on a canvas. */
export function watermarkTile(text: string): string {
  const canvas = document.createElement('canvas');
  canvas.width = TILE_W;
  canvas.height = TILE_H;
  const ctx = canvas.getContext('2d');
  if (!ctx) return '';
  drawLine(ctx, text, TILE_W / 2, TILE_H / 2, 0.16);
  return canvas.toDataURL('image/png');
}
