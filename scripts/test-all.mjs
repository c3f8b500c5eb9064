// `npm test`: every check, each step's output streamed with its name on every line. All steps run even after a failure so
// one run shows everything that is wrong; the exit code is non-zero if any step failed. Ends with a
// plain "N passed, N failed, N skipped" line counting the vitest and Playwright tests, and how many of the
// skipped ones need a PostgreSQL server (vitest tag `postgres`, skipped on the embedded database).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const results = path.join(root, 'test-results');
fs.mkdirSync(results, { recursive: true });
// Counts come from these reports; a stale one from an earlier run must not be counted.
for (const f of ['vitest.json', 'playwright.json']) fs.rmSync(path.join(results, f), { force: true });

/**
 * A package's command run by this Node itself, not through npx: on Windows npx is a .cmd file, which
 * spawn cannot start without a shell.
 */
function tool(pkg, command, args) {
  const dir = path.join(root, 'node_modules', pkg);
  const { bin } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  return [process.execPath, [path.join(dir, typeof bin === 'string' ? bin : bin[command]), ...args]];
}
/**
 * The steps, and what each must wait for. On a 2-core machine the run is bound by two long steps, vitest and
 * Playwright, which both spend much of their time waiting (fsync, PostgreSQL, a page's next frame): they run
 * side by side from the start (Playwright once the build is done), the short checks one at a time beside them,
 * so the run takes about as long as its longest step instead of the sum of all. Tests are written to pass on a
 * loaded machine. Earlier steps in the list start first.
 */
const steps = [
  { name: 'build', run: [process.execPath, ['scripts/build.mjs']] },
  { name: 'lint', run: tool('eslint', 'eslint', ['.', '--max-warnings', '0']) },
  { name: 'format', run: tool('prettier', 'prettier', ['--check', '.']) },
  { name: 'typecheck (node)', run: tool('typescript', 'tsc', ['-p', 'tsconfig.node.json', '--noEmit']) },
  { name: 'typecheck (e2e)', run: tool('typescript', 'tsc', ['-p', 'tsconfig.e2e.json', '--noEmit']) },
  { name: 'typecheck (web)', run: tool('vue-tsc', 'vue-tsc', ['-p', 'tsconfig.web.json', '--noEmit']) },
  { name: 'typecheck (console)', run: tool('vue-tsc', 'vue-tsc', ['-p', 'tsconfig.console.json', '--noEmit']) },
  // Each public route's gzip size against its budget (issue 18), from the renderer just built.
  { name: 'route sizes', after: ['build'], run: [process.execPath, ['scripts/route-sizes.mjs']] },
  {
    name: 'vitest (unit + integration)',
    long: true,
    // The hub its tests start is the one just built (see tests/fixtures/global-setup.ts).
    after: ['build'],
    env: { ONEWINDOW_BUILT: '1' },
    run: tool('vitest', 'vitest', [
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${path.join(results, 'vitest.json')}`,
    ]),
  },
  { name: 'electronegativity', run: [process.execPath, ['scripts/electronegativity.mjs']] },
  {
    name: 'playwright (web + electron)',
    long: true,
    after: ['build'],
    run: tool('@playwright/test', 'playwright', ['test']),
  },
];
/** Short steps at once beside the long ones: the two cores are already shared by vitest and Playwright. */
const SHORT_AT_ONCE = 1;

/** Runs one step with its output streamed line by line, each line prefixed with the step's name. */
function runStep(step) {
  const [cmd, args] = step.run;
  console.log(`\n=== ${step.name}: ${cmd} ${args.join(' ')}`);
  const started = Date.now();
  return new Promise((resolve) => {
    const env = { ...process.env, ...step.env };
    const child = spawn(cmd, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [child.stdout, child.stderr]) {
      readline.createInterface({ input: stream }).on('line', (line) => console.log(`[${step.name}] ${line}`));
    }
    child.on('error', (err) => console.log(`[${step.name}] cannot start: ${err.message}`));
    child.on('close', (code) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      console.log(`=== ${step.name}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`} after ${seconds}s`);
      resolve({ name: step.name, ok: code === 0, seconds });
    });
  });
}

/** Every step runs, even after a failure: one run shows everything that is wrong. */
async function runAll() {
  const finished = new Map();
  const running = new Map();
  const waiting = [...steps];
  const runStarted = Date.now();
  while (waiting.length > 0 || running.size > 0) {
    const ready = waiting.filter((s) => (s.after ?? []).every((name) => finished.has(name)));
    for (const step of ready) {
      if (!step.long && [...running.keys()].filter((s) => !s.long).length >= SHORT_AT_ONCE) continue;
      waiting.splice(waiting.indexOf(step), 1);
      running.set(
        step,
        runStep(step).then((outcome) => {
          finished.set(step.name, outcome);
          running.delete(step);
        }),
      );
    }
    if (running.size === 0) throw new Error(`steps that can never start: ${waiting.map((s) => s.name).join(', ')}`);
    await Promise.race(running.values());
  }
  console.log(`\n=== all steps done after ${((Date.now() - runStarted) / 1000).toFixed(1)}s`);
  return steps.map((s) => finished.get(s.name));
}
const outcomes = await runAll();

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
      failures.push(
        `playwright [${test.projectName}] ${[...titles, spec.title].filter(Boolean).join(' › ')}: ${assertionOf(test.results?.at(-1))}`,
      );
    }
  }
}
for (const suite of playwright?.suites ?? []) playwrightFailures(suite, [suite.title]);
/**
 * An expect's first line alone does not say which of a test's assertions failed: add the locator, what was
 * expected and received, and the spec line.
 */
function assertionOf(result) {
  const error = result?.error;
  const lines = plainText(error?.message).split('\n');
  const facts = lines.filter((l) => /^(Locator|Expected|Received)\b/.test(l.trim())).map((l) => l.trim());
  const at = error?.location ?? result?.errorLocation;
  const where = at ? `${path.relative(root, at.file)}:${at.line}` : undefined;
  return [firstLine(error?.message), ...facts, where].filter(Boolean).join(' | ');
}
function plainText(text) {
  // eslint-disable-next-line no-control-regex
  return String(text ?? '').replace(/\u001b\[[0-9;]*m/g, '');
}
function firstLine(text) {
  return (
    plainText(text)
      .split('\n')
      .find((l) => l.trim()) ?? '(no message)'
  )
    .trim()
    .slice(0, 300);
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
