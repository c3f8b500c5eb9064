import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Role } from '@shared/api';
import { entryKey, filesOf, ROUTES, type Manifest } from '../../../scripts/route-sizes.mjs';
import { byTest, ROLE_TITLE_ZH } from './helpers';

/**
 * scripts/route-sizes.mjs weighs each route by walking the Vite manifest from the entry and the chunks the
 * route names as loaded at start. These pages, opened cold in a fresh browser context, must fetch exactly
 * those JS and CSS files: a page that fetched more at start would be over its budget unseen.
 */
const manifest = JSON.parse(fs.readFileSync(path.resolve('out/renderer/.vite/manifest.json'), 'utf8')) as Manifest;

for (const { route, loads } of ROUTES) {
  test(`a cold ${route} page fetches the files its size is counted from`, async ({ browser }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const fetched = new Set<string>();
    page.on('request', (r) => {
      const { pathname } = new URL(r.url());
      if (/\.(m?js|css)$/.test(pathname)) fetched.add(pathname.slice(1));
    });
    await page.goto(`/#/${route}`);
    // Shown, in its words: the view, its chunks and the language's chunk have all arrived.
    if (route === 'rate') await expect(byTest(page, 'rate-pairing')).toContainText('评价器配对');
    else
      await expect(byTest(page.locator(`[data-role="${route}"]`), 'role-name')).toHaveText(
        ROLE_TITLE_ZH[route as Role],
      );

    expect([...fetched].sort()).toEqual([...filesOf(manifest, [entryKey(manifest), ...loads])].sort());
    await context.close();
  });
}
