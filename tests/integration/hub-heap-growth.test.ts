import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../fixtures/temp-dir';

const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

/**
 * The old generation's limits V8 set after each full collection in a run of the built hub (out/host/hub.mjs,
 * as `npm run hub` starts it: no launch flag of ours), as the factor over what survived: V8 prints them with
 * --trace-gc-verbose, and --gc-interval makes full collections come while the hub loads.
 */
function hubHeapGrowthFactors(): number[] {
  const tmp = tempDir('ow-heap-');
  dirs.push(tmp);
  const hubArgs = ['--data-dir', tmp.dir, '--host', '127.0.0.1', '--tls', 'off'];
  const run = spawnSync(
    process.execPath,
    [
      '--trace-gc-verbose',
      '--gc-interval=200000',
      path.resolve('out/host/hub.mjs'),
      ...hubArgs,
      '--add-device',
      'k1',
      '--role',
      'kiosk',
    ],
    { encoding: 'utf8', timeout: 50_000 },
  );
  expect(run.status, run.stderr).toBe(0);
  return [...run.stdout.matchAll(/\[HeapController\] Limit: .* \(([\d.]+)\)$/gm)].map((m) => Number(m[1]));
}

describe('the hub’s heap growth', () => {
  it('lets the old generation grow to half again what survived a full collection, not V8’s four times', () => {
    const factors = hubHeapGrowthFactors();
    expect(factors.length).toBeGreaterThan(0);
    // The last: any before it may come from Node's own start-up, before the hub's first module ran.
    expect(factors.at(-1)).toBe(1.5);
  });

  it('is applied first by every entry point that runs the core, Electron’s main process included', () => {
    for (const entry of ['electron/core/host/hub.ts', 'electron/core/host/browser-host.ts', 'electron/main/main.ts']) {
      const firstImport = fs
        .readFileSync(entry, 'utf8')
        .split('\n')
        .find((line) => line.startsWith('import '));
      expect(firstImport, entry).toMatch(/^import '(\.\/|\.\.\/core\/host\/)heap-growth';$/);
    }
  });
});
