import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  REQUIRED_FUSES,
  builderConfigProblems,
  checkBuilderConfig,
  loadBuilderConfig,
} from '../../scripts/builder-config.mjs';
import { tempDir } from '../fixtures/temp-dir';

/** electron-builder.yml as `npm run dist` checks it: a change that drops a target, a fuse or the feed fails here. */
describe('electron-builder.yml', () => {
  const root = path.resolve('.');
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
  const tmp = tempDir('ow-builder-config-');

  it('passes electron-builder’s own schema and every packaging rule', async () => {
    const config = await checkBuilderConfig(root);
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.electronFuses).toMatchObject(REQUIRED_FUSES);
    expect(config.publish).toMatchObject({ provider: 'generic', url: expect.stringMatching(/\/updates\/$/) });
  });

  it('names each broken rule', async () => {
    const good = await loadBuilderConfig(root);
    const broken = {
      ...good,
      linux: { ...good.linux, target: ['AppImage'] },
      electronFuses: { ...good.electronFuses, runAsNode: true, onlyLoadAppFromAsar: undefined },
      publish: { provider: 'github' as const, owner: 'x', repo: 'y' },
      npmRebuild: true,
    };
    const withHook = { ...pkg, scripts: { postinstall: 'electron-builder install-app-deps' } };
    expect(builderConfigProblems(broken, withHook)).toEqual([
      'linux.target lacks deb',
      'electronFuses.runAsNode must be false',
      'electronFuses.onlyLoadAppFromAsar must be true',
      'publish must be exactly one generic provider (central /updates/)',
      'npmRebuild must be false: dist.mjs rebuilds with install-app-deps',
      'package.json "postinstall" rebuilds for Electron; only npm run dist may',
    ]);
    const wrongFeed = { ...good, publish: { provider: 'generic' as const, url: 'http://central.lan/' } };
    expect(builderConfigProblems(wrongFeed, pkg)).toEqual([
      "publish.url must end in /updates/ (central's update folder), not http://central.lan/",
    ]);
  });

  it('is refused by electron-builder when a key is misspelt', async () => {
    const file = path.join(tmp.dir, 'electron-builder.yml');
    const text = fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8');
    fs.writeFileSync(file, text.replace('electronFuses:', 'electronFuse:'));
    await expect(loadBuilderConfig(root, file)).rejects.toThrow(/electronFuse/);
  });
});
