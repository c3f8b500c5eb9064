import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { tempDir } from '../fixtures/temp-dir';

/** Central's `/updates/`: the devices' electron-updater feed, read-only, no way out of its folder. */
describe('central: /updates/', () => {
  let central: TestCentral;
  const tmp = tempDir('ow-central-updates-');
  const updates = path.join(tmp.dir, 'updates');
  const latest = 'version: 0.2.0\nfiles:\n  - url: OneWindow-Setup-0.2.0.exe\n    sha512: abc\n';
  const signature = `${Buffer.alloc(64, 1).toString('base64')}\n`;

  beforeAll(async () => {
    fs.mkdirSync(updates);
    fs.writeFileSync(path.join(updates, 'latest.yml'), latest);
    fs.writeFileSync(path.join(updates, 'latest.yml.sig'), signature);
    fs.writeFileSync(path.join(updates, 'OneWindow-Setup-0.2.0.exe'), Buffer.alloc(4096, 7));
    fs.writeFileSync(path.join(updates, '.env'), 'SECRET=1');
    fs.writeFileSync(path.join(tmp.dir, 'outside.txt'), 'not for devices');
    central = await startCentral({ updatesDir: updates });
  });
  afterAll(async () => {
    await central.stop();
    tmp.remove();
  });

  const get = (p: string, init?: RequestInit) => fetch(`${central.url}${p}`, init);

  it('serves latest.yml and its signature uncached and an installer byte for byte, without a token', async () => {
    const yml = await get('/updates/latest.yml');
    expect(yml.status).toBe(200);
    expect(yml.headers.get('cache-control')).toBe('no-cache');
    expect(await yml.text()).toBe(latest);
    const sig = await get('/updates/latest.yml.sig');
    expect(sig.status).toBe(200);
    expect(sig.headers.get('cache-control')).toBe('no-cache');
    expect(await sig.text()).toBe(signature);
    const exe = await get('/updates/OneWindow-Setup-0.2.0.exe');
    expect(exe.status).toBe(200);
    expect(Buffer.from(await exe.arrayBuffer()).equals(Buffer.alloc(4096, 7))).toBe(true);
    // electron-updater resumes and verifies with ranges.
    const part = await get('/updates/OneWindow-Setup-0.2.0.exe', { headers: { range: 'bytes=0-9' } });
    expect(part.status).toBe(206);
    expect((await part.arrayBuffer()).byteLength).toBe(10);
  });

  it('answers 404 for a missing file and lists no folder', async () => {
    expect((await get('/updates/latest-linux.yml')).status).toBe(404);
    const folder = await get('/updates/');
    expect([403, 404]).toContain(folder.status);
    expect(await folder.text()).not.toContain('latest.yml');
  });

  it('refuses paths that leave the folder, and dotfiles', async () => {
    for (const p of [
      '/updates/../outside.txt',
      '/updates/%2e%2e/outside.txt',
      '/updates/..%2foutside.txt',
      '/updates/.env',
    ]) {
      const res = await get(p);
      expect([403, 404], p).toContain(res.status);
      expect(await res.text(), p).not.toMatch(/not for devices|SECRET/);
    }
  });

  it('is read-only', async () => {
    for (const method of ['PUT', 'POST', 'DELETE']) {
      const res = await get('/updates/latest.yml', { method, body: method === 'DELETE' ? undefined : 'x' });
      expect(res.status, method).toBe(404);
    }
    expect(fs.readFileSync(path.join(updates, 'latest.yml'), 'utf8')).toBe(latest);
  });
});
