import { describe, expect, it } from 'vitest';
import { findPageOutline } from '../../renderer/src/components/intake/page-outline';

const W = 400;
const H = 300;

/**
 * A document camera's frame, grey: a page of `pw`×`ph` centred at (cx, cy), turned `deg` clockwise, with
 * lines of print and (optionally) a rule from edge to edge, on a desk with some noise.
 */
function frame(o: {
  cx?: number;
  cy?: number;
  pw?: number;
  ph?: number;
  deg?: number;
  page?: number;
  desk?: number;
  ink?: number;
  rule?: boolean;
}) {
  const { cx = 200, cy = 150, pw = 170, ph = 230, deg = 0, page = 235, desk = 110, ink = 40 } = o;
  const a = (deg * Math.PI) / 180;
  const gray = new Uint8Array(W * H);
  let seed = 7;
  const noise = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % 13) - 6;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const dx = x + 0.5 - cx;
      const dy = y + 0.5 - cy;
      const u = dx * Math.cos(a) + dy * Math.sin(a);
      const v = -dx * Math.sin(a) + dy * Math.cos(a);
      let g = desk;
      if (Math.abs(u) < pw / 2 && Math.abs(v) < ph / 2) {
        g = page;
        const line = Math.floor((v + ph / 2) / 12);
        const inLine = (v + ph / 2) % 12 < 4 && line > 1 && line < ph / 12 - 2;
        if (inLine && Math.abs(u) < pw / 2 - 15) g = ink;
        // A table's rule drawn across the whole page.
        if (o.rule && Math.abs(v) < 1.5) g = ink;
      }
      gray[y * W + x] = Math.max(0, Math.min(255, g + noise()));
    }
  }
  return gray;
}

describe('finding the page in a document camera frame (auto-crop and deskew)', () => {
  it('finds an upright page: its centre and sides within a pixel or two, not turned', () => {
    const o = findPageOutline(frame({}), W, H)!;
    expect(o.angleDeg).toBeCloseTo(0, 0);
    expect(Math.abs(o.cx - 200)).toBeLessThan(1.5);
    expect(Math.abs(o.cy - 150)).toBeLessThan(1.5);
    expect(Math.abs(o.width - 170)).toBeLessThan(2.5);
    expect(Math.abs(o.height - 230)).toBeLessThan(2.5);
  });

  it.each([7, -12, 3, 30])('finds a page turned %s° and how far it is turned', (deg) => {
    const o = findPageOutline(frame({ deg, cx: 190, cy: 160, pw: 150, ph: 200 }), W, H)!;
    expect(Math.abs(o.angleDeg - deg)).toBeLessThan(0.6);
    expect(Math.abs(o.cx - 190)).toBeLessThan(1.5);
    expect(Math.abs(o.cy - 160)).toBeLessThan(1.5);
    expect(Math.abs(o.width - 150)).toBeLessThan(3);
    expect(Math.abs(o.height - 200)).toBeLessThan(3);
  });

  it('names a page turned past 45° by its nearer side: a landscape page, not a portrait one turned far', () => {
    const o = findPageOutline(frame({ deg: 80, pw: 150, ph: 200 }), W, H)!;
    expect(Math.abs(o.angleDeg - -10)).toBeLessThan(0.6);
    expect(Math.abs(o.width - 200)).toBeLessThan(3);
    expect(Math.abs(o.height - 150)).toBeLessThan(3);
  });

  it('keeps a page whole that a rule crosses from edge to edge, and a dark page on a light base', () => {
    const ruled = findPageOutline(frame({ rule: true, deg: 5 }), W, H)!;
    expect(Math.abs(ruled.height - 230)).toBeLessThan(3);
    const dark = findPageOutline(frame({ page: 60, desk: 200, ink: 230, deg: -4 }), W, H)!;
    expect(Math.abs(dark.angleDeg - -4)).toBeLessThan(0.6);
    expect(Math.abs(dark.width - 170)).toBeLessThan(3);
  });

  it('keeps a page whole whose print is as dark as the base and whose rule runs off both its edges', () => {
    const o = findPageOutline(frame({ rule: true, deg: 5, desk: 40, ink: 40 }), W, H)!;
    expect(Math.abs(o.angleDeg - 5)).toBeLessThan(0.6);
    expect(Math.abs(o.width - 170)).toBeLessThan(3);
    expect(Math.abs(o.height - 230)).toBeLessThan(3);
  });

  it('keeps the whole frame for a page that runs off it: it cannot be cut out whole', () => {
    expect(findPageOutline(frame({ cx: 330, deg: 4 }), W, H)).toBeNull();
    expect(findPageOutline(frame({ ph: 320 }), W, H)).toBeNull();
  });

  it('crops nothing when nothing stands out, the page fills the frame, or what stands out is too small', () => {
    expect(findPageOutline(frame({ page: 120 }), W, H)).toBeNull();
    // Filling the view, the paper is the base: its lines of print are not a page.
    expect(findPageOutline(frame({ pw: 420, ph: 320 }), W, H)).toBeNull();
    expect(findPageOutline(frame({ pw: 420, ph: 320, deg: 3 }), W, H)).toBeNull();
    expect(findPageOutline(frame({ pw: 40, ph: 50 }), W, H)).toBeNull();
    expect(findPageOutline(new Uint8Array(W * H).fill(128), W, H)).toBeNull();
    expect(findPageOutline(new Uint8Array(10), W, H)).toBeNull();
  });
});
