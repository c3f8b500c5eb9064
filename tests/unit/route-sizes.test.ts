import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  filesOf,
  formatTable,
  ROUTES,
  routeSizes,
  type Manifest,
  type RouteBudget,
} from '../../scripts/route-sizes.mjs';
import { tempDir } from '../fixtures/temp-dir';

/**
 * The build check of issue 18 (scripts/route-sizes.mjs): what a route costs is the entry, the chunks the
 * route loads at start, everything those import statically, and their CSS — each file once; a chunk only
 * imported dynamically is not counted.
 */
describe('route sizes', () => {
  // As Vite writes it: the entry shares `vue` with the views and loads the views and the words lazily.
  const manifest: Manifest = {
    'index.html': {
      file: 'assets/index.js',
      isEntry: true,
      imports: ['_vue.js'],
      dynamicImports: ['src/views/Kiosk.vue', 'src/views/Counter.vue', 'src/i18n/zh.ts'],
      css: ['assets/index.css'],
    },
    '_vue.js': { file: 'assets/vue.js' },
    '_button.js': { file: 'assets/button.js', imports: ['_vue.js'], css: ['assets/button.css'] },
    '_table.js': { file: 'assets/table.js', imports: ['_vue.js', '_button.js'], css: ['assets/table.css'] },
    'src/i18n/zh.ts': { file: 'assets/zh.js', isDynamicEntry: true },
    'src/views/Kiosk.vue': {
      file: 'assets/Kiosk.js',
      isDynamicEntry: true,
      imports: ['index.html', '_vue.js', '_button.js'],
      dynamicImports: ['src/views/Print.vue'],
      css: ['assets/Kiosk.css'],
    },
    'src/views/Print.vue': { file: 'assets/Print.js', isDynamicEntry: true, imports: ['_table.js'] },
    'src/views/Counter.vue': { file: 'assets/Counter.js', isDynamicEntry: true, imports: ['index.html', '_table.js'] },
  };
  const size: Record<string, number> = {
    'assets/index.js': 40_000,
    'assets/index.css': 1_000,
    'assets/vue.js': 100_000,
    'assets/button.js': 10_000,
    'assets/button.css': 2_000,
    'assets/table.js': 30_000,
    'assets/table.css': 5_000,
    'assets/zh.js': 20_000,
    'assets/Kiosk.js': 6_000,
    'assets/Kiosk.css': 500,
    'assets/Print.js': 90_000,
    'assets/Counter.js': 50_000,
  };
  const sizeOf = (file: string) => size[file]!;
  const routes: RouteBudget[] = [
    { route: 'kiosk', loads: ['src/views/Kiosk.vue', 'src/i18n/zh.ts'], budgetKB: 180 },
    { route: 'counter', loads: ['src/views/Counter.vue', 'src/i18n/zh.ts'], budgetKB: null },
  ];

  it('walks static imports and their CSS, each file once, and leaves dynamic imports out', () => {
    expect([...filesOf(manifest, ['index.html', 'src/views/Kiosk.vue'])].sort()).toEqual([
      'assets/Kiosk.css',
      'assets/Kiosk.js',
      'assets/button.css',
      'assets/button.js',
      'assets/index.css',
      'assets/index.js',
      'assets/vue.js',
    ]);
  });

  it('adds up a route: entry, its loads and what they import; over only past a budget', () => {
    const [kiosk, counter] = routeSizes(manifest, routes, sizeOf);
    // 40 + 1 + 100 + 10 + 2 + 20 + 6 + 0.5 KB: vue counted once though three chunks import it.
    expect(kiosk).toMatchObject({ route: 'kiosk', bytes: 179_500, jsBytes: 176_000, cssBytes: 3_500, over: false });
    // The entry, the table and the button it imports, the words and the view: 40 + 1 + 100 + 30 + 5 + 10 + 2
    // + 20 + 50 KB, reported with no budget.
    expect(counter).toMatchObject({ route: 'counter', bytes: 258_000, budgetKB: null, over: false });

    const tighter = routes.map((r) => (r.route === 'kiosk' ? { ...r, budgetKB: 179 } : r));
    const rows = routeSizes(manifest, tighter, sizeOf);
    expect(rows[0]!.over).toBe(true);
    expect(formatTable(rows).split('\n')).toEqual([
      'route    JS KB  CSS KB  total KB  budget KB',
      'kiosk    176.0     3.5     179.5        179  OVER',
      'counter  250.0     8.0     258.0          -',
    ]);
  });

  it('refuses a route whose chunk the build no longer has, by name', () => {
    const renamed = [{ route: 'kiosk', loads: ['src/views/KioskHome.vue'], budgetKB: 250 }];
    expect(() => routeSizes(manifest, renamed, sizeOf)).toThrow(
      /src\/views\/KioskHome\.vue is not in the Vite manifest/,
    );
  });

  it('as a command, prints the table and fails when a public route is over its budget', () => {
    const tmp = tempDir('ow-route-sizes-');
    try {
      // A build where every route loads one incompressible file: the public routes' budgets (200 KB and
      // more) hold for 150 KB and not for 260 KB.
      const build = (dir: string, bytes: number) => {
        fs.mkdirSync(path.join(dir, '.vite'), { recursive: true });
        fs.writeFileSync(path.join(dir, 'index.js'), '');
        fs.writeFileSync(path.join(dir, 'big.js'), crypto.randomBytes(bytes));
        const fake: Manifest = { 'index.html': { file: 'index.js', isEntry: true } };
        for (const key of ROUTES.flatMap((r) => r.loads)) fake[key] = { file: 'index.js', imports: ['_big.js'] };
        fake['_big.js'] = { file: 'big.js' };
        fs.writeFileSync(path.join(dir, '.vite/manifest.json'), JSON.stringify(fake));
        return spawnSync(process.execPath, ['scripts/route-sizes.mjs', dir], { encoding: 'utf8' });
      };
      const small = build(path.join(tmp.dir, 'small'), 150_000);
      expect(small.status).toBe(0);
      expect(small.stdout).toMatch(/^kiosk\s.*\s250\s+ok$/m);

      const large = build(path.join(tmp.dir, 'large'), 260_000);
      expect(large.status).toBe(1);
      expect(large.stdout).toMatch(/^rate\s.*\s200\s+OVER$/m);
      expect(large.stderr).toMatch(/over budget: kiosk \(26\d\.\d > 250 KB\), display .*, rate /);
    } finally {
      tmp.remove();
    }
  });
});
