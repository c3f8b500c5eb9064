// What `npm run dist` checks before it downloads or builds anything: electron-builder.yml as electron-builder
// itself reads and validates it (its JSON schema), then this project's rules for hall installers, so the
// config cannot rot silently (tests/unit/builder-config.test.ts runs the same checks).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** The fuses every packaged binary must have (electron-builder's `electronFuses`). */
export const REQUIRED_FUSES = Object.freeze({
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
});

/** Targets per platform: hall PCs run Windows or a Linux desktop (UOS/Kylin-style Debian derivatives). */
export const REQUIRED_TARGETS = Object.freeze({ linux: ['AppImage', 'deb'], win: ['nsis'] });

/** Lifecycle scripts npm runs on every install: none of them may rebuild native modules for Electron. */
const INSTALL_HOOKS = ['preinstall', 'install', 'postinstall', 'prepare'];

/** electron-builder.yml merged and schema-checked by electron-builder; throws its own error when invalid. */
export async function loadBuilderConfig(root, file = path.join(root, 'electron-builder.yml')) {
  const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config');
  const { DebugLogger } = require('builder-util');
  const config = await getConfig(root, file, null);
  await validateConfiguration(config, new DebugLogger(false));
  return config;
}

const targetNames = (platform) => [platform?.target ?? []].flat().map((t) => (typeof t === 'string' ? t : t.target));

/** This project's rules on a loaded config and package.json; an empty list when all hold. */
export function builderConfigProblems(config, pkg) {
  const problems = [];
  for (const [platform, wanted] of Object.entries(REQUIRED_TARGETS)) {
    const have = targetNames(config[platform]);
    for (const t of wanted) if (!have.includes(t)) problems.push(`${platform}.target lacks ${t}`);
  }
  const fuses = config.electronFuses ?? {};
  for (const [fuse, value] of Object.entries(REQUIRED_FUSES)) {
    if (fuses[fuse] !== value) problems.push(`electronFuses.${fuse} must be ${value}`);
  }
  const publish = [config.publish ?? []].flat();
  const generic = publish.find((p) => p && typeof p === 'object' && p.provider === 'generic');
  if (publish.length !== 1 || !generic) {
    problems.push('publish must be exactly one generic provider (central /updates/)');
  } else if (!/^https?:\/\/[^/]+\/updates\/$/.test(generic.url ?? '')) {
    problems.push(`publish.url must end in /updates/ (central's update folder), not ${generic.url}`);
  }
  if (config.npmRebuild !== false) problems.push('npmRebuild must be false: dist.mjs rebuilds with install-app-deps');
  if (config.asar === false) problems.push('asar must stay on (onlyLoadAppFromAsar)');
  if (![config.asarUnpack ?? []].flat().some((p) => p.includes('better-sqlite3'))) {
    problems.push('asarUnpack must hold better-sqlite3 (a native module cannot load from inside the asar)');
  }
  for (const hook of INSTALL_HOOKS) {
    const script = pkg.scripts?.[hook] ?? '';
    if (/install-app-deps|electron-rebuild|@electron\/rebuild/.test(script)) {
      problems.push(`package.json "${hook}" rebuilds for Electron; only npm run dist may`);
    }
  }
  if (!pkg.dependencies?.['electron-updater']) problems.push('electron-updater must be a runtime dependency');
  return problems;
}

/** Loads and checks; returns the config or throws with every problem listed. */
export async function checkBuilderConfig(root) {
  const config = await loadBuilderConfig(root);
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const problems = builderConfigProblems(config, pkg);
  if (problems.length) throw new Error(`electron-builder.yml: ${problems.join('; ')}`);
  return config;
}
