/**
 * Where the page lies in a document camera's frame, for auto-crop and deskew: the smallest rectangle, at any
 * angle, around the regions that stand out from the desk. Pure arithmetic on a small grey image
 * (the caller scales the frame down first), so it runs in a few milliseconds and is tested without a browser.
 *
 * Written here rather than taken from a library: the maintained ones (jscanify and others on opencv.js)
 * bring about 10 MB of WebAssembly and need `wasm-unsafe-eval` in the counter's content security policy,
 * for what a 高拍仪 needs: one light page on a darker base, or the reverse.
 */
export interface PageOutline {
  /** The page's centre, in the grey image's pixels. */
  cx: number;
  cy: number;
  /** Its sides, along and across its own axes. */
  width: number;
  height: number;
  /** How far the page is turned clockwise, in degrees, in (-45, 45]: rotate by its negative to straighten it. */
  angleDeg: number;
}

/** Less than this share of the frame is not a page (a stray object); more is the page filling the frame. */
const MIN_SHARE = 0.1;
const MAX_SHARE = 0.92;
/** A part of the page (cut off by dark print) counts from this share of the frame; less is noise. */
const PART_SHARE = 0.01;
/**
 * A page fills most of its outline; lines of print on a page that fills the view (the base is then the
 * paper) fill a third of theirs, and are not a page to cut out.
 */
const MIN_SOLIDITY = 0.8;
/** Page and desk must differ by at least this much grey on average, or nothing stands out. */
const MIN_CONTRAST = 30;

/** Otsu's threshold: the grey level that best splits the image into two classes. */
function otsu(gray: Uint8Array): number {
  const hist = new Float64Array(256);
  for (const v of gray) hist[v]!++;
  let sum = 0;
  for (let i = 0; i < 256; i++) sum += i * hist[i]!;
  let below = 0;
  let belowSum = 0;
  let best = 0;
  let at = 128;
  for (let t = 0; t < 256; t++) {
    below += hist[t]!;
    if (below === 0) continue;
    const above = gray.length - below;
    if (above === 0) break;
    belowSum += t * hist[t]!;
    const d = belowSum / below - (sum - belowSum) / above;
    const between = below * above * d * d;
    if (between > best) {
      best = between;
      at = t;
    }
  }
  return at;
}

/** The median grey of the frame's outermost pixels: the desk, which a page on a 高拍仪 does not cover. */
function borderMedian(gray: Uint8Array, w: number, h: number): number {
  const ring: number[] = [];
  for (let x = 0; x < w; x++) ring.push(gray[x]!, gray[(h - 1) * w + x]!);
  for (let y = 1; y < h - 1; y++) ring.push(gray[y * w]!, gray[y * w + w - 1]!);
  ring.sort((a, b) => a - b);
  return ring[ring.length >> 1]!;
}

/**
 * A 4-connected flood fill on a grid `w` wide and `stack.length` pixels: from `seeds`, each pixel `enter`
 * takes (it marks it and answers true) spreads to its neighbours. Answers how many it took.
 */
function flood(stack: Int32Array, w: number, seeds: Iterable<number>, enter: (p: number) => boolean): number {
  let top = 0;
  let taken = 0;
  const take = (p: number) => {
    if (enter(p)) stack[top++] = p;
  };
  for (const p of seeds) take(p);
  while (top > 0) {
    const p = stack[--top]!;
    taken++;
    const x = p % w;
    if (x > 0) take(p - 1);
    if (x < w - 1) take(p + 1);
    if (p >= w) take(p - w);
    if (p < stack.length - w) take(p + w);
  }
  return taken;
}

/** The pixels on the frame's edge. */
function* edge(w: number, h: number) {
  for (let x = 0; x < w; x++) yield* [x, (h - 1) * w + x];
  for (let y = 1; y < h - 1; y++) yield* [y * w, y * w + w - 1];
}

/**
 * The 4-connected regions of `mask` of at least `minSize` pixels, together: each row's leftmost and rightmost
 * pixel of them (the outline's convex hull needs only those), their size, and whether one reaches the frame's
 * edge. Together, since print as dark as the base can cut a page in parts (a rule that runs off its edges).
 */
function bigRegions(mask: Uint8Array, w: number, h: number, minSize: number) {
  const label = new Int32Array(w * h);
  const stack = new Int32Array(w * h);
  const big = new Set<number>();
  let size = 0;
  let id = 0;
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || label[start]) continue;
    id++;
    const n = flood(stack, w, [start], (p) => {
      if (!mask[p] || label[p]) return false;
      label[p] = id;
      return true;
    });
    if (n >= minSize) {
      big.add(id);
      size += n;
    }
  }
  const rows: { y: number; left: number; right: number }[] = [];
  let atEdge = false;
  for (let y = 0; y < h; y++) {
    let left = -1;
    let right = -1;
    for (let x = 0; x < w; x++) {
      if (!big.has(label[y * w + x]!)) continue;
      if (left < 0) left = x;
      right = x;
    }
    if (left < 0) continue;
    rows.push({ y, left, right });
    if (y === 0 || y === h - 1 || left === 0 || right === w - 1) atEdge = true;
  }
  return { size, rows, atEdge };
}

type Point = { x: number; y: number };
const cross = (o: Point, a: Point, b: Point) => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);

/** Andrew's monotone chain: the convex hull, counter-clockwise, of points sorted by x then y. */
function hull(points: Point[]): Point[] {
  const p = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  const lower: Point[] = [];
  for (const q of p) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, q) <= 0) lower.pop();
    lower.push(q);
  }
  const upper: Point[] = [];
  for (let i = p.length - 1; i >= 0; i--) {
    const q = p[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, q) <= 0) upper.pop();
    upper.push(q);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

/** The smallest-area rectangle around a convex hull: one of its sides lies along an edge of the hull. */
function minAreaRect(h: Point[]): PageOutline {
  let best: (PageOutline & { area: number }) | undefined;
  for (let i = 0; i < h.length; i++) {
    const a = h[i]!;
    const b = h[(i + 1) % h.length]!;
    const len = Math.hypot(b.x - a.x, b.y - a.y);
    if (len === 0) continue;
    const ux = (b.x - a.x) / len;
    const uy = (b.y - a.y) / len;
    let [minU, maxU, minV, maxV] = [Infinity, -Infinity, Infinity, -Infinity];
    for (const q of h) {
      const u = q.x * ux + q.y * uy;
      const v = -q.x * uy + q.y * ux;
      minU = Math.min(minU, u);
      maxU = Math.max(maxU, u);
      minV = Math.min(minV, v);
      maxV = Math.max(maxV, v);
    }
    const area = (maxU - minU) * (maxV - minV);
    if (best && area >= best.area) continue;
    const mu = (minU + maxU) / 2;
    const mv = (minV + maxV) / 2;
    let angleDeg = (Math.atan2(uy, ux) * 180) / Math.PI;
    let [width, height] = [maxU - minU, maxV - minV];
    // The same rectangle named from the side nearest the x axis: turned by less than 45° either way.
    while (angleDeg > 45) [angleDeg, width, height] = [angleDeg - 90, height, width];
    while (angleDeg <= -45) [angleDeg, width, height] = [angleDeg + 90, height, width];
    best = { cx: mu * ux - mv * uy, cy: mu * uy + mv * ux, width, height, angleDeg, area };
  }
  const { area: _area, ...outline } = best!;
  return outline;
}

/**
 * The page in a grey image `w`×`h` (one byte a pixel, row by row), or null when there is nothing to crop:
 * no region stands out from the desk, it is too small to be a page, the page already fills the frame, or
 * it runs off the frame.
 */
export function findPageOutline(gray: Uint8Array, w: number, h: number): PageOutline | null {
  if (w < 8 || h < 8 || gray.length !== w * h) return null;
  const t = otsu(gray);
  const desk = borderMedian(gray, w, h);
  // The page is the class the desk is not in: light paper on a dark base, or dark on light.
  const lightPage = desk <= t;
  let [pageSum, pageN, deskSum] = [0, 0, 0];
  for (const v of gray) {
    if (lightPage ? v > t : v <= t) {
      pageSum += v;
      pageN++;
    } else deskSum += v;
  }
  if (pageN === 0 || pageN === gray.length) return null;
  const paper = pageSum / pageN;
  if (Math.abs(paper - deskSum / (gray.length - pageN)) < MIN_CONTRAST) return null;
  // Desk is what is nearer the desk's grey than the paper's: print darker than a grey desk is not desk.
  const deskLike = new Uint8Array(w * h);
  const near = Math.abs(paper - desk) / 2;
  for (let i = 0; i < gray.length; i++) if (Math.abs(gray[i]! - desk) < near) deskLike[i] = 1;
  // The page is what the desk, reached from the frame's edge, does not surround: its print stays part of it,
  // even print as dark as a dark desk, unless that runs off the page's edge (then bigRegions joins the parts).
  const mask = new Uint8Array(w * h).fill(1);
  flood(new Int32Array(w * h), w, edge(w, h), (p) => {
    if (!deskLike[p] || !mask[p]) return false;
    mask[p] = 0;
    return true;
  });
  const region = bigRegions(mask, w, h, PART_SHARE * w * h);
  const share = region.size / (w * h);
  if (share < MIN_SHARE || share > MAX_SHARE) return null;
  // A page running off the frame cannot be cut out whole: the frame is kept as it is.
  if (region.atEdge) return null;
  // Each row's ends as pixel corners, so the outline holds the pixels whole.
  const points = region.rows.flatMap(({ y, left, right }) => [
    { x: left, y },
    { x: left, y: y + 1 },
    { x: right + 1, y },
    { x: right + 1, y: y + 1 },
  ]);
  const outline = minAreaRect(hull(points));
  return region.size >= MIN_SOLIDITY * outline.width * outline.height ? outline : null;
}
