import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAttachments, type Attachments } from '../../electron/core/attachments/create-attachments';
import { createFileSecretStore } from '../../electron/core/sync/secret-store';
import { openPage } from '../../central/src/attachments/page-sealing';
import { pageSealing } from '../fixtures/central-case-pages';
import { createTestDatabase, type TestDatabase } from '../fixtures/central-db';
import { openSyncDevice, type SyncDevice } from '../fixtures/central-device';
import { centralAdmin } from '../fixtures/central-server';
import { centralProcess, freePort } from '../fixtures/crash-processes';
import { jpeg } from '../fixtures/pages';
import { tempDir } from '../fixtures/temp-dir';

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
const MiB = 1024 * 1024;
const PAGES = 50;
const CASES = 10;

/** Polls a state (never a fixed wait) until it holds; the test's timeout is the bound. */
async function until(holds: () => Promise<boolean> | boolean) {
  while (!(await holds())) await new Promise((r) => setTimeout(r, 5));
}

/**
 * The figure: 50 pages of 2 MiB across 10 cases reach central exactly once, verified, while central
 * (its own OS process) is killed -9 three times with uploads in flight and started again on the same
 * database and folder.
 */
// Central as its own process holds a pool and a LISTEN connection: a PostgreSQL server only (tag `postgres`).
describe('pages through kill -9 of central', { tags: ['postgres'] }, () => {
  const centralDir = tempDir('ow-att-kill-central-');
  const deviceDir = tempDir('ow-att-kill-device-');
  const pagesDir = path.join(centralDir.dir, 'attachments');
  const partialDir = path.join(pagesDir, 'partial');
  // Given by the environment, as a cluster's nodes share it.
  const atRest = pageSealing('default');
  let database: TestDatabase;
  let central: ReturnType<typeof centralProcess>;
  let device: SyncDevice;
  let att: Attachments;

  beforeAll(async () => {
    database = await createTestDatabase();
    central = centralProcess(database.url, await freePort(), {
      CENTRAL_ATTACHMENTS_DIR: pagesDir,
      CENTRAL_CRYPTO: atRest.profile,
      CENTRAL_ATTACHMENTS_KEY: atRest.key.toString('base64'),
      CENTRAL_KEYS_DIR: path.join(centralDir.dir, 'keys'),
      CENTRAL_UPDATES_DIR: path.join(centralDir.dir, 'updates'),
    });
    await central.start();
    const admin = centralAdmin(central.url);
    const hall = await admin.createHall('ATTKILL');
    device = await openSyncDevice({ dataDir: deviceDir.dir, name: 'att-kill-counter' });
    await device.engine.enroll(central.url, await admin.code(hall.id, 'counter'));
    att = createAttachments({
      db: device.db,
      dataDir: deviceDir.dir,
      secrets: createFileSecretStore(path.join(deviceDir.dir, 'secrets')),
      retentionDays: 30,
      connection: () => ({ url: central.url, token: device.token() }),
      fetch: watchingFetch,
      now: () => new Date(),
      timing: { idleMs: 50, baseBackoffMs: 20, maxBackoffMs: 200, requestTimeoutMs: 20_000 },
    });
  }, 120_000);
  afterAll(async () => {
    await att?.stop();
    await device?.close();
    await central?.kill('SIGTERM');
    await database?.drop();
    centralDir.remove();
    deviceDir.remove();
  });

  /**
   * Pages whose body the device has begun to send and that central has not answered yet: a kill then lands
   * on a page being received or sealed (central holds a 2 MiB page in memory until it is sealed, so no
   * file shows how far one got).
   */
  let unanswered = 0;
  const watchingFetch: typeof fetch = (input, init) => {
    const body = init?.body;
    if (!(body instanceof ReadableStream)) return fetch(input, init);
    let begun = false;
    const watched = body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(piece, out) {
          if (!begun) unanswered++;
          begun = true;
          out.enqueue(piece);
        },
      }),
    );
    return fetch(input, { ...init, body: watched }).finally(() => {
      if (begun) unanswered--;
    });
  };
  const pageDirs = () => fs.readdirSync(pagesDir).filter((d) => /^[0-9a-f]{2}$/.test(d));
  const pageCount = () => pageDirs().reduce((n, d) => n + fs.readdirSync(path.join(pagesDir, d)).length, 0);
  /** Every file central shows as a page, by its place `<xx>/<sha256>`, with the page it holds. */
  const completeFiles = () =>
    pageDirs()
      .flatMap((d) => fs.readdirSync(path.join(pagesDir, d)).map((name) => ({ d, name })))
      .map(({ d, name }) => ({ name, content: openPage(atRest, name, fs.readFileSync(path.join(pagesDir, d, name))) }));
  const unconfirmed = () =>
    (device.db.prepare('SELECT count(*) AS n FROM attachment_blobs WHERE confirmed_at IS NULL').get() as { n: number })
      .n;
  const storedAtCentral = async () => {
    const pool = database.createPool(1);
    try {
      return (await pool.query<{ sha256: string; bytes: number }>('SELECT sha256, bytes FROM attachment_blobs')).rows;
    } finally {
      await pool.end();
    }
  };

  it('50 pages of 2 MiB across 10 cases arrive exactly once, verified, though central is killed three times', async () => {
    const pages = Array.from({ length: PAGES }, (_, i) => jpeg(2 * MiB, 9000 + i));
    const perCase = PAGES / CASES;
    for (let c = 0; c < CASES; c++) {
      const draftId = crypto.randomUUID();
      for (const content of pages.slice(c * perCase, (c + 1) * perCase))
        att.service.add({ draftId, materialId: 'scan', content });
      att.service.bindDraft(draftId, crypto.randomUUID(), new Set(['scan']));
    }
    att.uploader.start();

    let kills = 0;
    // Spread over the run: each kill waits for more pages whole at central, then for a page sent and not answered yet.
    for (const whole of [8, 22, 36]) {
      await until(() => pageCount() >= whole);
      await until(() => unanswered > 0);
      await central.kill('SIGKILL');
      kills++;
      // Killed mid-upload: whatever central shows as a page is whole and is the page its name says.
      for (const f of completeFiles()) expect(sha(f.content), `a torn page shown as ${f.name}`).toBe(f.name);
      await central.start();
    }

    await until(() => unconfirmed() === 0);
    await att.uploader.stop();

    expect(kills).toBe(3);
    const rows = await storedAtCentral();
    expect(rows).toHaveLength(PAGES);
    expect(new Set(rows.map((r) => r.sha256))).toEqual(new Set(pages.map(sha)));
    expect(rows.every((r) => r.bytes === 2 * MiB)).toBe(true);
    const files = completeFiles();
    expect(files).toHaveLength(PAGES);
    for (const f of files) expect(sha(f.content)).toBe(f.name);
    expect(fs.readdirSync(partialDir)).toEqual([]);
    // Sealed, every one: no page is kept in clear.
    expect(files.every((f) => fs.readFileSync(path.join(pagesDir, f.name.slice(0, 2), f.name))[0] === 1)).toBe(true);
  }, 150_000);
});
