import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

/**
 * `web`: the renderer in Debian's Chromium against the browser host (same contract over HTTP/WebSocket).
 * `electron`: the real app through Playwright's _electron; skips where no Electron binary can be had.
 */
const port = Number(process.env.E2E_PORT ?? 5290);
const dataDir = process.env.E2E_DATA_DIR ?? path.join(os.tmpdir(), `onewindow-e2e-${process.pid}`);

export default defineConfig({
  testDir: 'tests/e2e',
  // Screenshots for people live in test-results/screens; Playwright empties its own folder each run.
  outputDir: 'test-results/pw',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  projects: [
    {
      name: 'web',
      testDir: 'tests/e2e/web',
      use: {
        baseURL: `http://127.0.0.1:${port}`,
        browserName: 'chromium',
        locale: 'zh-CN',
        viewport: { width: 1280, height: 800 },
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
    { name: 'electron', testDir: 'tests/e2e/electron' },
  ],
  webServer: {
    command: `node out/host/browser-host.mjs --port ${port} --data-dir ${dataDir}`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: 'pipe',
  },
});
