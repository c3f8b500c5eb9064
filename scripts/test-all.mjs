// `npm test`: every check, in order, each step's output streamed. All steps run even after a failure so
// one run shows everything that is wrong; the exit code is non-zero if any step failed. Ends with a
// plain "N passed, N failed, N skipped" line counting the vitest and Playwright tests, and how many of the
// skipped ones need a PostgreSQL server (vitest tag `postgres`, skipped on the embedded database).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const results = path.join(root, 'test-results');
fs.mkdirSync(results, { recursive: true });
// Counts come from these reports; a stale one from an earlier run must not be counted.
for (const f of ['vitest.json', 'playwright.json']) fs.rmSync(path.join(results, f), { force: true });

/**
 * A package's command run by this Node itself, not through npx: on Windows npx is a .cmd file, which
 * spawnSync cannot start without a shell.
 */
function tool(pkg, command, args) {
  const dir = path.join(root, 'node_modules', pkg);
  const { bin } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  return [process.execPath, [path.join(dir, typeof bin === 'string' ? bin : bin[command]), ...args]];
}
const steps = [
  ['lint', ...tool('eslint', 'eslint', ['.', '--max-warnings', '0'])],
  ['format', ...tool('prettier', 'prettier', ['--check', '.'])],
  ['typecheck (node)', ...tool('typescript', 'tsc', ['-p', 'tsconfig.node.json', '--noEmit'])],
  ['typecheck (e2e)', ...tool('typescript', 'tsc', ['-p', 'tsconfig.e2e.json', '--noEmit'])],
  ['typecheck (web)', ...tool('vue-tsc', 'vue-tsc', ['-p', 'tsconfig.web.json', '--noEmit'])],
  ['typecheck (console)', ...tool('vue-tsc', 'vue-tsc', ['-p', 'tsconfig.console.json', '--noEmit'])],
  ['build', process.execPath, ['scripts/build.mjs']],
  // Each public route's gzip size against its budget (issue 18), from the renderer just built.
  ['route sizes', process.execPath, ['scripts/route-sizes.mjs']],
  [
    'vitest (unit + integration)',
    ...tool('vitest', 'vitest', [
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${path.join(results, 'vitest.json')}`,
    ]),
  ],
  ['electronegativity', process.execPath, ['scripts/electronegativity.mjs']],
  ['playwright (web + electron)', ...tool('@playwright/test', 'playwright', ['test'])],
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
const counts = { passed: 0, failed: 0, skipped: 0, needPostgres: 0 };
const vitest = readJson('vitest.json');
if (vitest) {
  counts.passed += vitest.numPassedTests;
  counts.failed += vitest.numFailedTests;
  counts.skipped += vitest.numPendingTests + (vitest.numTodoTests ?? 0);
  counts.needPostgres = vitest.testResults
    .flatMap((file) => file.assertionResults)
    .filter((t) => t.status === 'skipped' && t.tags?.includes('postgres')).length;
}
const playwright = readJson('playwright.json');
if (playwright?.stats) {
  counts.passed += playwright.stats.expected + (playwright.stats.flaky ?? 0);
  counts.failed += playwright.stats.unexpected;
  counts.skipped += playwright.stats.skipped;
}

// The CI record keeps only the tail of the output: name every failed test there, with the first line of
// its error, so a failure under load is known without the full log.
const failures = [];
for (const file of vitest?.testResults ?? []) {
  const rel = path.relative(root, file.name);
  for (const t of file.assertionResults) {
    if (t.status === 'failed') failures.push(`vitest ${rel} › ${t.fullName}: ${firstLine(t.failureMessages?.[0])}`);
  }
  // A failed beforeAll/afterAll fails the file with no failed test, and the JSON report carries no message.
  if (file.status === 'failed' && !file.assertionResults.some((t) => t.status === 'failed')) {
    failures.push(`vitest ${rel}: ${file.message ? firstLine(file.message) : 'a hook failed (see its FAIL above)'}`);
  }
}
function playwrightFailures(suite, titles) {
  for (const child of suite.suites ?? []) playwrightFailures(child, [...titles, child.title]);
  for (const spec of suite.specs ?? []) {
    for (const test of spec.tests ?? []) {
      if (test.status !== 'unexpected') continue;
      const error = test.results?.at(-1)?.error?.message;
      failures.push(
        `playwright [${test.projectName}] ${[...titles, spec.title].filter(Boolean).join(' › ')}: ${firstLine(error)}`,
      );
    }
  }
}
for (const suite of playwright?.suites ?? []) playwrightFailures(suite, [suite.title]);
function firstLine(text) {
  // eslint-disable-next-line no-control-regex
  const plain = String(text ?? '').replace(/\u001b\[[0-9;]*m/g, '');
  return (plain.split('\n').find((l) => l.trim()) ?? '(no message)').trim().slice(0, 300);
}

console.log('\n=== summary');
if (failures.length) {
  console.log('failed tests:');
  for (const f of failures) console.log(`  ${f}`);
}
for (const o of outcomes) console.log(`${o.ok ? 'ok  ' : 'FAIL'} ${o.name} (${o.seconds}s)`);
const stepsFailed = outcomes.filter((o) => !o.ok).length;
const needPostgres = counts.needPostgres ? ` (${counts.needPostgres} need PostgreSQL: set PGTEST_ADMIN_URL)` : '';
console.log(`${counts.passed} passed, ${counts.failed + stepsFailed} failed, ${counts.skipped} skipped${needPostgres}`);
process.exit(stepsFailed > 0 ? 1 : 0);
