// `npm test`: every check, in order, each step's output streamed. All steps run even after a failure so
// one run shows everything that is wrong; the exit code is non-zero if any step failed. Ends with a
// plain "N passed, N failed, N skipped" line counting the vitest and Playwright tests.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const results = path.join(root, 'test-results');
fs.mkdirSync(results, { recursive: true });
// Counts come from these reports; a stale one from an earlier run must not be counted.
for (const f of ['vitest.json', 'playwright.json']) fs.rmSync(path.join(results, f), { force: true });

const npx = (args) => ['npx', ['--no-install', ...args]];
const steps = [
  ['lint', ...npx(['eslint', '.', '--max-warnings', '0'])],
  ['format', ...npx(['prettier', '--check', '.'])],
  ['typecheck (node)', ...npx(['tsc', '-p', 'tsconfig.node.json', '--noEmit'])],
  ['typecheck (e2e)', ...npx(['tsc', '-p', 'tsconfig.e2e.json', '--noEmit'])],
  ['typecheck (web)', ...npx(['vue-tsc', '-p', 'tsconfig.web.json', '--noEmit'])],
  ['build', 'node', ['scripts/build.mjs']],
  [
    'vitest (unit + integration)',
    ...npx([
      'vitest',
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${path.join(results, 'vitest.json')}`,
    ]),
  ],
  ['electronegativity', 'node', ['scripts/electronegativity.mjs']],
  ['playwright (web + electron)', ...npx(['playwright', 'test'])],
];

const outcomes = [];
for (const [name, cmd, args] of steps) {
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  outcomes.push({ name, ok: r.status === 0, seconds: ((Date.now() - started) / 1000).toFixed(1) });
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(path.join(results, file), 'utf8'));
  } catch {
    return undefined;
  }
}
const counts = { passed: 0, failed: 0, skipped: 0 };
const vitest = readJson('vitest.json');
if (vitest) {
  counts.passed += vitest.numPassedTests;
  counts.failed += vitest.numFailedTests;
  counts.skipped += vitest.numPendingTests + (vitest.numTodoTests ?? 0);
}
const playwright = readJson('playwright.json');
if (playwright?.stats) {
  counts.passed += playwright.stats.expected + (playwright.stats.flaky ?? 0);
  counts.failed += playwright.stats.unexpected;
  counts.skipped += playwright.stats.skipped;
}

console.log('\n=== summary');
for (const o of outcomes) console.log(`${o.ok ? 'ok  ' : 'FAIL'} ${o.name} (${o.seconds}s)`);
const stepsFailed = outcomes.filter((o) => !o.ok).length;
console.log(`${counts.passed} passed, ${counts.failed + stepsFailed} failed, ${counts.skipped} skipped`);
process.exit(stepsFailed > 0 ? 1 : 0);
