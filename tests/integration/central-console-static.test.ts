import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { tempDir } from '../fixtures/temp-dir';

/** Central serves the built web console at /console/: SPA fallback, CSP, caching; 503 when not built. */
describe('central: /console/', () => {
  let central: TestCentral;
  const tmp = tempDir('ow-central-console-');
  const built = path.join(tmp.dir, 'console');
  const index =
    '<!doctype html><html><head><script type="module" src="/console/assets/index-abc123.js"></script></head></html>';

  beforeAll(async () => {
    central = await startCentral({ consoleDir: built });
  });
  afterAll(async () => {
    await central.stop();
    tmp.remove();
  });

  const get = (p: string) => fetch(`${central.url}${p}`, { redirect: 'manual' });

  it('answers 503 with what to do while the console is not built, then serves it once built', async () => {
    const missing = await get('/console/');
    expect(missing.status).toBe(503);
    expect(missing.headers.get('content-type')).toContain('text/html');
    expect(await missing.text()).toContain('npm run build');
    expect((await get('/console/cases/123')).status).toBe(503);

    fs.mkdirSync(path.join(built, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(built, 'index.html'), index);
    fs.writeFileSync(path.join(built, 'assets', 'index-abc123.js'), 'console.log(1);');
    const res = await get('/console/');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(index);
  });

  it('sends index.html uncached with a strict CSP, and hashed assets cached for good', async () => {
    const res = await get('/console/');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');

    const asset = await get('/console/assets/index-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect(asset.headers.get('content-security-policy')).toBe(csp);
  });

  it("answers the app's routes with index.html and a missing asset with 404", async () => {
    for (const route of [
      '/console/cases',
      '/console/cases/6c0b8a7e-1d2f-4a51-9a36-0f1c2d3e4f50',
      '/console/sign-in?redirect=%2Fcases',
    ]) {
      const res = await get(route);
      expect(res.status, route).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toBe(index);
    }
    const gone = await get('/console/assets/index-old999.js');
    expect(gone.status).toBe(404);
    expect(await gone.text()).not.toContain('<html');
  });

  it('redirects /console to /console/ and keeps paths inside the folder', async () => {
    const bare = await get('/console');
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/console/');
    fs.writeFileSync(path.join(tmp.dir, 'secret.txt'), 'not for browsers');
    const out = await get('/console/..%2fsecret.txt');
    expect([400, 403, 404]).toContain(out.status);
    expect(await out.text()).not.toContain('not for browsers');
  });

  it('leaves the API and the other routes alone', async () => {
    expect((await get('/healthz')).status).toBe(200);
  });
});
