// Runs Doyensec's Electronegativity over the built Electron output and fails on any HIGH finding,
// or when a file could not be parsed (a scanner that read nothing would pass everything).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'out');
const stage = path.join(root, '.tmp', 'electronegativity');

for (const part of ['main/main.cjs', 'preload/kiosk.cjs', 'renderer/index.html']) {
  if (!fs.existsSync(path.join(out, part))) {
    console.error(`electronegativity: out/${part} is missing; run npm run build first`);
    process.exit(1);
  }
}

// The scanner reads .js/.html only: stage the bundles under names it reads.
fs.rmSync(stage, { recursive: true, force: true });
fs.mkdirSync(stage, { recursive: true });
const copy = (from, to) => {
  fs.mkdirSync(path.dirname(path.join(stage, to)), { recursive: true });
  fs.copyFileSync(path.join(out, from), path.join(stage, to));
};
copy('main/main.cjs', 'main/main.js');
for (const f of fs.readdirSync(path.join(out, 'preload')).filter((f) => f.endsWith('.cjs'))) {
  copy(`preload/${f}`, `preload/${f.replace(/\.cjs$/, '.js')}`);
}
copy('renderer/index.html', 'renderer/index.html');
fs.copyFileSync(path.join(root, 'package.json'), path.join(stage, 'package.json'));

const electronVersion = JSON.parse(
  fs.readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8'),
).version;

const { issues, errors } = await run({
  input: stage,
  isRelative: true,
  isVerbose: false,
  // This check downloads Electron's release list; it cannot run offline and the version is pinned here anyway.
  excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
  electronVersionOverride: electronVersion,
  parserPlugins: [],
});

const rows = issues.map((i) => ({
  id: i.id,
  severity: i.severity.name,
  confidence: i.confidence.name,
  file: i.file,
  at: `${i.location.line}:${i.location.column}`,
  review: i.manualReview ? 'review' : '',
}));
console.table(rows);

const high = rows.filter((r) => r.severity === 'HIGH');
const failed = [];
if (errors.length > 0)
  failed.push(`${errors.length} file(s) could not be parsed: ${JSON.stringify(errors).slice(0, 500)}`);
if (high.length > 0) failed.push(`${high.length} HIGH finding(s): ${high.map((h) => `${h.id} ${h.file}`).join(', ')}`);

if (failed.length > 0) {
  console.error(`electronegativity: ${failed.join('; ')}`);
  process.exit(1);
}
console.log(`electronegativity: ${rows.length} finding(s), none HIGH, on Electron ${electronVersion}`);
