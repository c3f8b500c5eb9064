// `node scripts/route-sizes.mjs [out/renderer]`: after `node scripts/build.mjs`, the gzip size of what a
// browser downloads to show each renderer route on a cold start, from Vite's manifest. Prints a table and
// exits 1 when a route is over its budget (issue 18: a kiosk, hall screen or rating screen is often a
// small machine on the hall's LAN, and the whole bundle used to be 476 KB gzip).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

/** The words of the language every page opens in (zh-CN): fetched at start by router.ts (renderer/src/i18n). */
const OPENING_LOCALE = 'src/i18n/zh-CN/locale.ts';

/**
 * Every route's budget in KB (1,000 bytes) of gzip, null where the size is only reported. `loads` are the
 * manifest keys (sources under renderer/) the page fetches on a cold start besides the entry: its view and
 * the words of its language (tests/e2e/web/route-sizes.spec.ts checks these against what a browser fetches).
 */
export const ROUTES = [
  { route: 'kiosk', loads: ['src/views/KioskHome.vue', OPENING_LOCALE], budgetKB: 250 },
  { route: 'display', loads: ['src/views/DisplayHome.vue', OPENING_LOCALE], budgetKB: 200 },
  { route: 'rate', loads: ['src/views/RateScreen.vue', OPENING_LOCALE], budgetKB: 200 },
  { route: 'counter', loads: ['src/views/CounterHome.vue', OPENING_LOCALE], budgetKB: null },
  { route: 'admin', loads: ['src/views/AdminHome.vue', OPENING_LOCALE], budgetKB: null },
  { route: 'leader', loads: ['src/views/LeaderHome.vue', OPENING_LOCALE], budgetKB: null },
];

/**
 * The files (JS and CSS, paths relative to the build folder) a browser fetches for `keys`: each chunk, the
 * chunks it imports statically (the browser fetches those before running it), and their CSS. Dynamic
 * imports are not followed: they load only when the code asks, and the route names the ones it asks for at
 * start in `loads`.
 */
export function filesOf(manifest, keys) {
  const files = new Set();
  const seen = new Set();
  const visit = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`${key} is not in the Vite manifest: was it renamed? (scripts/route-sizes.mjs)`);
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const k of chunk.imports ?? []) visit(k);
  };
  for (const key of keys) visit(key);
  return files;
}

/** The manifest key of the page's entry (index.html). */
export function entryKey(manifest) {
  const keys = Object.keys(manifest).filter((k) => manifest[k].isEntry && k.endsWith('.html'));
  if (keys.length !== 1) throw new Error(`expected one HTML entry in the Vite manifest, found ${keys.length}`);
  return keys[0];
}

/**
 * Each route's files and their total size, `sizeOf(file)` giving one file's bytes (gzip in the build
 * check); `over` when the total passes the budget.
 */
export function routeSizes(manifest, routes, sizeOf) {
  const entry = entryKey(manifest);
  return routes.map(({ route, loads, budgetKB }) => {
    const files = [...filesOf(manifest, [entry, ...loads])].sort();
    const bytes = files.reduce((n, f) => n + sizeOf(f), 0);
    const js = files.filter((f) => !f.endsWith('.css')).reduce((n, f) => n + sizeOf(f), 0);
    const over = budgetKB !== null && bytes > budgetKB * 1000;
    return { route, files, bytes, jsBytes: js, cssBytes: bytes - js, budgetKB, over };
  });
}

/** A plain-text table: each route's JS, CSS and total KB, its budget, and OVER beside each route past it. */
export function formatTable(rows) {
  const kb = (n) => (n / 1000).toFixed(1);
  const lines = [['route', 'JS KB', 'CSS KB', 'total KB', 'budget KB', '']];
  for (const r of rows) {
    const verdict = r.budgetKB === null ? '' : r.over ? 'OVER' : 'ok';
    lines.push([
      r.route,
      kb(r.jsBytes),
      kb(r.cssBytes),
      kb(r.bytes),
      r.budgetKB === null ? '-' : String(r.budgetKB),
      verdict,
    ]);
  }
  const widths = lines[0].map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  return lines
    .map((l) =>
      l
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Gzip size (level 9, as a server compressing static files ahead of time would) of each file, read once. */
export function gzipSizer(dir) {
  const cache = new Map();
  return (file) => {
    if (!cache.has(file)) cache.set(file, zlib.gzipSync(fs.readFileSync(path.join(dir, file)), { level: 9 }).length);
    return cache.get(file);
  };
}

/** The rows of the build in `dir` (out/renderer): its Vite manifest and the gzip size of each file. */
export function checkRouteSizes(dir) {
  const file = path.join(dir, '.vite/manifest.json');
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: build the renderer first (node scripts/build.mjs)`);
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  return routeSizes(manifest, ROUTES, gzipSizer(dir));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const dir = path.resolve(root, process.argv[2] ?? 'out/renderer');
  const rows = checkRouteSizes(dir);
  console.log(`gzip size of each route on a cold start, in KB of 1,000 bytes (${path.relative(root, dir) || dir}):`);
  console.log(formatTable(rows));
  const over = rows.filter((r) => r.over);
  if (over.length) {
    console.error(
      `\nover budget: ${over.map((r) => `${r.route} (${(r.bytes / 1000).toFixed(1)} > ${r.budgetKB} KB)`).join(', ')}`,
    );
    console.error('budgets: ROUTES in scripts/route-sizes.mjs');
    process.exit(1);
  }
}
