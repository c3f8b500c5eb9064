import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMutationRegistry } from '@shared/sync/registry';
import { buildCentral } from '../../central/src/server';
import { runCentral } from '../../central/src/run-central';
import { centralTlsFromEnv } from '../../central/src/tls/central-tls';
import { CA_KEY_FILE, loadOrCreateSelfManagedTls } from '../../tls/self-managed-ca';
import { spkiPin } from '../../tls/spki-pin';
import { AppError } from '@shared/api';
import { SyncError } from '../../electron/core/sync/central-client';
import { centralAdminSignIn, createCentralAdminClient } from '../../electron/core/sync/central-admin-client';
import { centralFetch } from '../../electron/core/sync/central-link';
import { openSyncDevice, type SyncDevice } from '../fixtures/central-device';
import { testNote } from '../fixtures/central-mutations';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { tempDir } from '../fixtures/temp-dir';

const HOSTS = ['localhost', '127.0.0.1'];

describe('central over HTTPS, pinned by its devices', () => {
  let central: TestCentral;
  let hallId: string;
  const keys = tempDir('ow-tls-central-');
  const otherKeys = tempDir('ow-tls-impostor-');
  let genuine: { cert: string; key: string; pin: string };
  let impostor: { cert: string; key: string; pin: string };
  const servers: FastifyInstance[] = [];
  const devices: SyncDevice[] = [];

  /** A central over HTTPS on the test database (the admin side stays on the fixture's loopback http). */
  async function serve(tls: { cert: string; key: string; pin: string }, port = 0) {
    const app = await buildCentral({
      pool: central.pool,
      registry: createMutationRegistry([testNote]),
      rateLimitPerMinute: 100_000,
      demo: true,
      nudges: false,
      tls,
    });
    servers.push(app);
    await app.listen({ host: '127.0.0.1', port });
    return { app, url: `https://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
  }
  async function device(name: string) {
    const dir = tempDir(`ow-tls-${name}-`);
    const d = await openSyncDevice({ dataDir: dir.dir, name });
    devices.push(d);
    return d;
  }
  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => 'enrolled',
      (e: unknown) => (e as SyncError).code,
    );

  beforeAll(async () => {
    central = await startCentral();
    hallId = (await central.admin.createHall('TLS1')).id;
    const own = await loadOrCreateSelfManagedTls(keys.dir, HOSTS);
    genuine = { cert: own.cert, key: own.key, pin: spkiPin(own.caCert) };
    // A man in the middle: the same host names, a certificate from a CA of his own.
    const other = await loadOrCreateSelfManagedTls(otherKeys.dir, HOSTS);
    impostor = { cert: other.cert, key: other.key, pin: spkiPin(other.caCert) };
  });
  afterAll(async () => {
    for (const d of devices) await d.close();
    for (const s of servers) await s.close();
    await central?.stop();
    keys.remove();
    otherKeys.remove();
  });

  it('keeps its CA key readable by central only, and the same CA across starts', async () => {
    expect(fs.statSync(path.join(keys.dir, CA_KEY_FILE)).mode & 0o777).toBe(0o600);
    const again = await loadOrCreateSelfManagedTls(keys.dir, HOSTS);
    expect(spkiPin(again.caCert)).toBe(genuine.pin);
  });

  it('refuses plain http:// to a LAN address before anything is sent', async () => {
    const sent: string[] = [];
    const dir = tempDir('ow-tls-lan-');
    const d = await openSyncDevice({
      dataDir: dir.dir,
      name: 'lan',
      fetch: (input) => {
        sent.push(String(input));
        return Promise.reject(new Error('no network here'));
      },
    });
    devices.push(d);
    const code = await central.admin.code(hallId, 'counter');
    expect(await refusal(d.engine.enroll('http://192.0.2.10:5190', code))).toBe('INSECURE_CENTRAL_URL');
    expect(sent).toEqual([]);
  });

  it('refuses https:// without a pin', async () => {
    const { url } = await serve(genuine);
    const d = await device('nopin');
    const code = await central.admin.code(hallId, 'counter');
    expect(await refusal(d.engine.enroll(url, code))).toBe('CENTRAL_PIN_REQUIRED');
  });

  it('enrols with the right pin and syncs; a server with another key is refused at enrolment and later', async () => {
    const code = await central.admin.code(hallId, 'counter');
    const d = await device('pinned');
    // The man in the middle first: the code never reaches him, so it still enrols with central after.
    const mitm = await serve(impostor);
    expect(await refusal(d.engine.enroll(mitm.url, code, { pin: genuine.pin }))).toBe('CENTRAL_PIN_MISMATCH');
    expect(d.engine.status().enrolled).toBe(false);

    const real = await serve(genuine);
    await d.engine.enroll(real.url, code, { pin: genuine.pin });
    expect(d.state.get().enrollment?.centralPin).toBe(genuine.pin);
    d.write(3);
    const first = await d.engine.runOnce();
    expect(d.engine.status().lastError).toBeNull();
    expect(first).toBe('ok');
    expect(d.engine.status().pendingCount).toBe(0);

    // Later, the same address answered by another key: nothing goes out.
    const port = Number(new URL(real.url).port);
    await real.app.close();
    await serve(impostor, port);
    d.write(1);
    // The first round may still meet the kept-alive connection the old server closed (NETWORK); the
    // next one connects anew.
    for (let round = 0; round < 3 && !/^CENTRAL_PIN/.test(d.engine.status().lastError ?? ''); round++) {
      expect(await d.engine.runOnce()).toBe('failed');
    }
    expect(d.engine.status().lastError).toMatch(/^CENTRAL_PIN_MISMATCH/);
    expect(d.engine.status().pendingCount).toBe(1);
  });

  it('streams a request body (a scanned page upload) through the pinned link whole', async () => {
    // The uploader sends the rest of a page as a stream (duplex: 'half'): the pinned agent must carry it.
    const app = (await import('fastify')).default({
      https: { cert: genuine.cert, key: genuine.key },
      bodyLimit: 8 * 1024 * 1024,
    });
    app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    app.put('/echo', async (req) => ({ bytes: (req.body as Buffer).length }));
    servers.push(app);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const url = `https://127.0.0.1:${(app.server.address() as AddressInfo).port}/echo`;
    const piece = new Uint8Array(256 * 1024).fill(7);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 12) return controller.close();
        sent++;
        controller.enqueue(piece);
      },
    });
    const res = await centralFetch(genuine.pin)(url, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ bytes: 12 * 256 * 1024 });
  });

  it('refuses the genuine central under a wrong pin', async () => {
    const { url } = await serve(genuine);
    const d = await device('wrongpin');
    const code = await central.admin.code(hallId, 'counter');
    expect(await refusal(d.engine.enroll(url, code, { pin: impostor.pin }))).toBe('CENTRAL_PIN_MISMATCH');
  });

  it('hands out its pin with each enrolment code', async () => {
    const { url } = await serve(genuine);
    const code = async (base: string, via: typeof fetch) => {
      const res = await via(`${base}/admin/v1/halls/${hallId}/enrollment-codes`, {
        method: 'POST',
        headers: { authorization: `Bearer ${central.adminSession.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'counter', leaderId: null }),
      });
      expect(res.status).toBe(201);
      return ((await res.json()) as { centralPin: string | null }).centralPin;
    };
    expect(await code(url, centralFetch(genuine.pin))).toBe(genuine.pin);
    // Central over loopback http has no pin to give.
    expect(await code(central.url, fetch)).toBeNull();
  });

  it('the admin page reaches central under the same rules: no password over LAN http://, the pin over https://', async () => {
    const sent: string[] = [];
    const recording: typeof fetch = (input) => {
      sent.push(String(input));
      return Promise.reject(new Error('no network here'));
    };
    const signIn = { centralUrl: 'http://192.0.2.10:5190', login: 'admin', password: 'secret', totp: '123456' };
    const lan = await centralAdminSignIn(signIn, recording).catch((e: unknown) => e as AppError);
    expect((lan as AppError).details).toMatchObject({ reason: 'INSECURE_CENTRAL_URL' });
    expect(sent).toEqual([]);

    const { url } = await serve(genuine);
    const as = (pin: string) =>
      createCentralAdminClient({ centralUrl: url, sessionToken: central.adminSession.token, pin });
    expect((await as(genuine.pin).halls()).map((h) => h.id)).toContain(hallId);
    const mitm = await as(impostor.pin)
      .halls()
      .catch((e: unknown) => e as AppError);
    expect(mitm).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'CENTRAL_PIN_MISMATCH' } });
  });

  it('central refuses to serve plain HTTP beyond loopback', async () => {
    await expect(runCentral({ HOST: '0.0.0.0', CENTRAL_TLS: 'off' })).rejects.toThrow(/loopback only/);
    // By default beyond loopback it serves HTTPS from its own CA (and wants the names devices use).
    await expect(centralTlsFromEnv({}, otherKeys.dir, '0.0.0.0')).rejects.toThrow(/CENTRAL_TLS_HOSTS/);
    const tls = await centralTlsFromEnv({ CENTRAL_TLS_HOSTS: HOSTS.join(',') }, otherKeys.dir, '0.0.0.0');
    expect(tls?.pin).toBe(impostor.pin);
    expect(await centralTlsFromEnv({}, otherKeys.dir, '127.0.0.1')).toBeNull();
  });
});
