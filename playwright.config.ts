import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig, type Project } from '@playwright/test';

/**
 * `web` and `web-b`: the renderer in Chromium against a browser host (same contract over HTTP/WebSocket), two
 * hosts side by side (E2E_PORT and the port after it), each project's specs one after another.
 * `electron`: the real app through Playwright's _electron; skips where no Electron binary can be had.
 */
const port = Number(process.env.E2E_PORT ?? 5290);
const dataDir = process.env.E2E_DATA_DIR ?? path.join(os.tmpdir(), `onewindow-e2e-${process.pid}`);
/**
 * `CHROMIUM_PATH`, else Debian's Chromium where it is installed, else Playwright's own (a Windows PC or a
 * Mac, after `npx playwright install chromium`): never downloaded by the tests themselves.
 */
const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const chromium = process.env.CHROMIUM_PATH || (fs.existsSync(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : undefined);
/** Hall specs on the second shared host: about half of the hall's test time (counted from a run's report). */
const HALL_B = [
  '**/counter.spec.ts',
  '**/intake.spec.ts',
  '**/kiosk.spec.ts',
  '**/hall-profile.spec.ts',
  '**/feedback.spec.ts',
  '**/dashboard.spec.ts',
];
/** Specs that start a browser host and a central of their own and never use a shared host. */
const OWN_HOSTS = [
  '**/console/*.spec.ts',
  '**/casework.spec.ts',
  '**/intake-pages-console.spec.ts',
  '**/idcard.spec.ts',
  '**/tracking.spec.ts',
];
/**
 * The browser host's clock starts at 10:00 in the demo hall (Asia/Shanghai) on today's date there and runs
 * on: the demo queues (08:30–17:30) are open and no run meets midnight or the 03:00 reset, whatever the hour.
 * Pages never compare their own clock with the core's, so only the hour of day differs from the PC's; tests
 * take the hall's date from the same start (helpers.ts `hallToday`), never from the PC's clock.
 */
const hallToday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
const clockStart = process.env.E2E_CLOCK_START ?? `${hallToday}T10:00:00+08:00`;
// For the workers, which load this file again later (perhaps after midnight): the tests' "today" is the hosts'.
process.env.E2E_CLOCK_START = clockStart;

export default defineConfig({
  testDir: 'tests/e2e',
  // Screenshots for people live in test-results/screens; Playwright empties its own folder each run.
  outputDir: 'test-results/pw',
  fullyParallel: false,
  // One per project (see webProject).
  workers: 2,
  retries: 0,
  timeout: 30_000,
  // A bound for a state that never comes, not a speed limit: on CI's two cores, shared with vitest, a page's
  // first load (bundle, session, hall) has outlasted Playwright's default 5 s (a CI run's disk-full spec
  // waiting for the admin page's sign-in badge; an earlier one's kiosk-sms count).
  expect: { timeout: 15_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  projects: [
    // The hall's pages against the run's shared browser host: specs of one project run one after another, as
    // they share the host's queue and accounts; the two projects run side by side, each on a host of its own.
    webProject('web', 0, { testIgnore: [...HALL_B, ...OWN_HOSTS] }),
    // The rest of the hall's specs, then those that start a host and a central of their own.
    webProject('web-b', 1, { testMatch: [...HALL_B, ...OWN_HOSTS] }),
    { name: 'electron', testDir: 'tests/e2e/electron' },
  ],
  webServer: [0, 1].map((n) => ({
    // Quoted: a temp folder may hold spaces (a Windows user name).
    command: `node out/host/browser-host.mjs --demo --port ${port + n} --data-dir "${dataDir}-${n}" --clock-start ${clockStart}`,
    url: `http://127.0.0.1:${port + n}/`,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: 'pipe' as const,
  })),
});

function webProject(name: string, host: number, files: Pick<Project, 'testMatch' | 'testIgnore'>): Project {
  return {
    name,
    testDir: 'tests/e2e/web',
    workers: 1,
    ...files,
    use: {
      baseURL: `http://127.0.0.1:${port + host}`,
      browserName: 'chromium',
      locale: 'zh-CN',
      viewport: { width: 1280, height: 800 },
      launchOptions: {
        executablePath: chromium,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          // The display tests need Chromium's autoplay rule as a fresh hall screen meets it: without these,
          // media engagement earned by earlier tests on the same origin may let audio start without a click.
          '--disable-features=MediaEngagementBypassAutoplayPolicies,PreloadMediaEngagementData',
        ],
      },
    },
  };
}
