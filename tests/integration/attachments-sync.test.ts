import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTACHMENT_UPLOAD_PATH, PAGE_MAX_BYTES } from '@shared/attachments/attachments';
import type { CasePages } from '@shared/attachments/console';
import { CONSOLE_API } from '@shared/console/session';
import { mutationDefs } from '@shared/sync/mutations';
import { PIECE_BYTES } from '../../electron/core/attachments/attachment-uploader';
import { createAttachments, type Attachments } from '../../electron/core/attachments/create-attachments';
import { createFileSecretStore } from '../../electron/core/sync/secret-store';
import { HELD_PAGE_BYTES } from '../../central/src/attachments/attachment-files';
import { openPage } from '../../central/src/attachments/page-sealing';
import { caseMutations, pageSealing } from '../fixtures/central-case-pages';
import { consoleSession } from '../fixtures/central-identity';
import { consoleClient, hallDevice, mutation } from '../fixtures/central-console';
import { openSyncDevice, type SyncDevice } from '../fixtures/central-device';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { startPageCutProxy } from '../fixtures/page-cut-proxy';
import { tempDir } from '../fixtures/temp-dir';
import { jpeg } from '../fixtures/pages';
import { DEMO_DEPARTMENTS } from '../../electron/core/intake/demo-catalog';

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
const MiB = 1024 * 1024;

/** Polls a state (never a fixed wait) until it holds; the test's timeout is the bound. */
async function until(holds: () => boolean) {
  while (!holds()) await new Promise((r) => setTimeout(r, 2));
}

describe('pages reach central on their own channel', () => {
  let central: TestCentral;
  let proxy: Awaited<ReturnType<typeof startPageCutProxy>>;
  let device: SyncDevice;
  let att: Attachments;
  let hallId: string;
  const centralDir = tempDir('ow-att-central-');
  const deviceDir = tempDir('ow-att-device-');
  const atRest = pageSealing();
  const centralOpts = () => ({
    mutations: [...mutationDefs],
    casework: { escalation: false },
    attachments: { dir: centralDir.dir, atRest },
  });
  /** The counter's attachments as the hall wires them, to central through the cutting proxy unless `over` says otherwise. */
  const deviceAttachments = (over: Partial<Parameters<typeof createAttachments>[0]> = {}) =>
    createAttachments({
      db: device.db,
      dataDir: deviceDir.dir,
      secrets: createFileSecretStore(path.join(deviceDir.dir, 'secrets')),
      retentionDays: 30,
      connection: () => ({ url: proxy.url, token: device.token() }),
      now: () => new Date(),
      timing: { idleMs: 50, baseBackoffMs: 20, maxBackoffMs: 200, requestTimeoutMs: 10_000 },
      ...over,
    });
  beforeAll(async () => {
    central = await startCentral(centralOpts());
    proxy = await startPageCutProxy(central.url);
    hallId = (await central.admin.createHall('ATT1')).id;
    for (const d of DEMO_DEPARTMENTS) await central.admin.putRef('catalog.department', d.id, { hallId: null, data: d });
    device = await openSyncDevice({ dataDir: deviceDir.dir, name: 'att-counter' });
    await device.engine.enroll(central.url, await central.admin.code(hallId, 'counter'));
    att = deviceAttachments();
  });
  afterAll(async () => {
    await att?.stop();
    await device?.close();
    await proxy?.stop();
    await central?.stop();
    centralDir.remove();
    deviceDir.remove();
  });

  const addCase = (pages: Buffer[]) => {
    const draftId = crypto.randomUUID();
    for (const content of pages) att.service.add({ draftId, materialId: 'scan', content });
    const caseId = crypto.randomUUID();
    att.service.bindDraft(draftId, caseId, new Set(['scan']));
    return caseId;
  };
  const unconfirmed = () =>
    (device.db.prepare('SELECT count(*) AS n FROM attachment_blobs WHERE confirmed_at IS NULL').get() as { n: number })
      .n;
  const centralFileOk = (content: Buffer) => {
    const h = sha(content);
    const file = path.join(centralDir.dir, h.slice(0, 2), h);
    return fs.existsSync(file) && sha(openPage(atRest, h, fs.readFileSync(file))) === h;
  };

  it('a 20 MiB page cut 10 times and tampered with once still arrives whole', async () => {
    const big = jpeg(PAGE_MAX_BYTES, 77);
    const h = sha(big);
    // Each cut after about 1 MiB of a PUT: the page goes on from a further offset every time.
    proxy.cutPuts(h, 10);
    proxy.tamperOnce(h);
    addCase([big]);
    const result = await (async () => {
      for (let round = 0; round < 100; round++) {
        await att.uploader.runOnce();
        if (unconfirmed() === 0) return round;
      }
      return -1;
    })();
    // Every cut and the flipped byte happened, and the page still arrived. How many rounds that took is the
    // machine's: a cut usually ends its round, but central may answer what it got before the break reaches
    // the device, which then goes on in the same round (the last gate saw 10 rounds for 10 cuts).
    expect(result).toBeGreaterThanOrEqual(0);
    expect(proxy.stats).toMatchObject({ cut: 10, tampered: 1 });
    expect(centralFileOk(big)).toBe(true);
  }, 60_000);

  it('a page central holds in memory keeps what arrived before a cut: the device goes on from there', async () => {
    const page = jpeg(3 * MiB, 79);
    const h = sha(page);
    const deviceId = device.state.get().enrollment!.deviceId;
    const partial = path.join(centralDir.dir, 'partial', `${deviceId}.${h}`);
    const offsets: number[] = [];
    const watched = deviceAttachments({
      fetch: (input, init) => {
        const at = new URL(String(input)).searchParams.get('offset');
        if (init?.method === 'PUT' && at !== null) offsets.push(Number(at));
        return fetch(input, init);
      },
    });
    expect(page.length).toBeLessThanOrEqual(HELD_PAGE_BYTES);
    proxy.cutPuts(h, 1);
    addCase([page]);
    for (let round = 0; round < 20 && unconfirmed() > 0; round++) await watched.uploader.runOnce();
    expect(unconfirmed()).toBe(0);
    expect(proxy.stats.cut).toBeGreaterThanOrEqual(1);
    // The first PUT from the first byte, cut after about 1 MiB; the next from where central's copy ended.
    expect(offsets[0]).toBe(0);
    expect(offsets.slice(1).some((o) => o > 0 && o < page.length)).toBe(true);
    expect(centralFileOk(page)).toBe(true);
    expect(fs.existsSync(partial)).toBe(false);
  });

  it('a page waits for the sync round in progress: before its first request and between pieces of its body', async () => {
    // Past what central holds in memory, so its partial file shows how many pieces arrived.
    const page = jpeg(HELD_PAGE_BYTES + MiB, 4711);
    const deviceId = device.state.get().enrollment!.deviceId;
    const partial = path.join(centralDir.dir, 'partial', `${deviceId}.${sha(page)}`);
    const partialSize = () => (fs.existsSync(partial) ? fs.statSync(partial).size : 0);
    let requests = 0;
    const held = () => {
      let resolve!: () => void;
      return { promise: new Promise<void>((r) => (resolve = r)), resolve: () => resolve() };
    };
    const first = held();
    const second = held();
    // The uploader asks before the page (1, then 2 once that round ended) and before each piece of its
    // body (3, 4, ...): a round is in progress at the first question and again before the third piece.
    let asked = 0;
    const gated = deviceAttachments({
      connection: () => ({ url: central.url, token: device.token() }),
      syncBusy: () => {
        asked++;
        return asked === 1 ? first.promise : asked === 5 ? second.promise : undefined;
      },
      fetch: (input, init) => {
        requests++;
        return fetch(input, init);
      },
    });
    addCase([page]);
    const sending = gated.uploader.runOnce();
    await until(() => asked === 1);
    expect(requests).toBe(0);
    first.resolve();
    await until(() => asked === 5);
    await until(() => partialSize() >= 2 * PIECE_BYTES);
    // Two pieces at central and the device waiting on the round: nothing more goes until it ends.
    expect(partialSize()).toBe(2 * PIECE_BYTES);
    expect(asked).toBe(5);
    expect(requests).toBe(1); // the page's one PUT: a page not tried before goes without a status question
    expect(unconfirmed()).toBe(1);
    second.resolve();
    expect(await sending).toBe('sent');
    expect(requests).toBe(1);
    expect(unconfirmed()).toBe(0);
    expect(centralFileOk(page)).toBe(true);
  });

  it('central refuses a page whose bytes are not its hash, and one that is not a page', async () => {
    const url = `${central.url}${ATTACHMENT_UPLOAD_PATH}`;
    const auth = { authorization: `Bearer ${device.token()}`, 'content-type': 'application/octet-stream' };
    const page = jpeg(1000, 5);
    const wrong = sha(jpeg(1000, 6));
    const r = await fetch(`${url}/${wrong}?offset=0&total=1000`, { method: 'PUT', headers: auth, body: page });
    expect(r.status).toBe(422);
    const after = await fetch(`${url}/${wrong}`, { headers: auth });
    expect(await after.json()).toEqual({ received: 0, complete: false });
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(998)]);
    const r2 = await fetch(`${url}/${sha(exe)}?offset=0&total=1000`, { method: 'PUT', headers: auth, body: exe });
    expect(r2.status).toBe(415);
    // A body longer than the page it announces is cut off at the page's size and refused.
    const long = await fetch(`${url}/${sha(page)}?offset=0&total=500`, { method: 'PUT', headers: auth, body: page });
    expect(long.status).toBe(400);
    expect(await long.json()).toMatchObject({ error: 'BAD_BODY', received: 0 });
    const noToken = await fetch(`${url}/${sha(page)}`, {});
    expect(noToken.status).toBe(401);
  });

  it('a case named before its pages shows them arriving, then viewable by its department only', async () => {
    const counter = await hallDevice(central, hallId);
    const caseId = crypto.randomUUID();
    const page = jpeg(300_000, 4242);
    const outcomes = await counter.push(
      ...caseMutations({ caseId, caseNumber: 'ATT1-20260302-C01-0001' }),
      mutation('case.pages.attach@1', {
        caseId,
        pages: [{ materialId: 'scan', position: 0, sha256: sha(page), bytes: page.length, mime: 'image/jpeg' }],
      }),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['applied', 'applied', 'applied']);
    const token = central.adminSession.token;
    const psbToken = (
      await consoleSession(central.url, token, {
        login: 'psb-att',
        roles: ['department_handler'],
        departmentIds: ['psb'],
      })
    ).token;
    const taxToken = (
      await consoleSession(central.url, token, {
        login: 'tax-att',
        roles: ['department_handler'],
        departmentIds: ['tax'],
      })
    ).token;
    const psb = consoleClient(central.url, psbToken);
    const tax = consoleClient(central.url, taxToken);

    const before = await psb<CasePages>('GET', `/cases/${caseId}/pages`);
    expect(before.status).toBe(200);
    expect(before.json).toMatchObject({ arriving: 1, pages: [{ sha256: sha(page), arrived: false }] });
    expect((await tax('GET', `/cases/${caseId}/pages`)).status).toBe(404);

    // The counter sends the page on the attachment channel, as its uploader does.
    const url = `${central.url}${ATTACHMENT_UPLOAD_PATH}/${sha(page)}?offset=0&total=${page.length}`;
    const sent = await fetch(url, {
      method: 'PUT',
      headers: { authorization: `Bearer ${device.token()}`, 'content-type': 'application/octet-stream' },
      body: page,
    });
    expect(await sent.json()).toEqual({ received: page.length, complete: true });
    const after = await psb<CasePages>('GET', `/cases/${caseId}/pages`);
    expect(after.json).toMatchObject({ arriving: 0, pages: [{ arrived: true }] });

    const view = (t: string) =>
      fetch(`${central.url}${CONSOLE_API}/cases/${caseId}/pages/${sha(page)}`, {
        headers: { authorization: `Bearer ${t}` },
      });
    const got = await view(psbToken);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await got.arrayBuffer()).equals(page)).toBe(true);
    expect((await view(taxToken)).status).toBe(404);
  });

  it('holds a device to its daily quota (507) and sheds load past its upload limit (503, Retry-After)', async () => {
    const url = `${central.url}${ATTACHMENT_UPLOAD_PATH}`;
    const auth = { authorization: `Bearer ${device.token()}`, 'content-type': 'application/octet-stream' };
    const page = jpeg(2000, 31337);
    // This device already stored far more than 1 MiB today.
    await central.restart({
      ...centralOpts(),
      attachments: { dir: centralDir.dir, atRest, deviceDailyQuotaBytes: MiB },
    });
    const over = await fetch(`${url}/${sha(page)}?offset=0&total=2000`, { method: 'PUT', headers: auth, body: page });
    expect(over.status).toBe(507);
    await central.restart({ ...centralOpts(), attachments: { dir: centralDir.dir, atRest, maxConcurrentUploads: 0 } });
    const busy = await fetch(`${url}/${sha(page)}?offset=0&total=2000`, { method: 'PUT', headers: auth, body: page });
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('1');
    // The page is still waiting on the device, not lost; once central takes chunks again it goes.
    addCase([page]);
    expect(await att.uploader.runOnce()).toBe('failed');
    expect(unconfirmed()).toBe(1);
    await central.restart(centralOpts());
    expect(await att.uploader.runOnce()).toBe('sent');
    expect(unconfirmed()).toBe(0);
    expect(centralFileOk(page)).toBe(true);
  });

  it('a page part of which central holds from before (a device restart) goes on from there', async () => {
    const page = jpeg(3 * MiB, 556);
    const deviceId = device.state.get().enrollment!.deviceId;
    const partial = path.join(centralDir.dir, 'partial', `${deviceId}.${sha(page)}`);
    fs.writeFileSync(partial, page.subarray(0, MiB + 17));
    addCase([page]);
    // Sent from its first byte (never tried by this uploader): central answers 409 with what it holds.
    expect(await att.uploader.runOnce()).toBe('sent');
    expect(unconfirmed()).toBe(0);
    expect(centralFileOk(page)).toBe(true);
    expect(fs.existsSync(partial)).toBe(false);
  });

  it('a page central holds whole but never checked (stopped in between) is checked and kept', async () => {
    const page = jpeg(3 * MiB, 555);
    const deviceId = device.state.get().enrollment!.deviceId;
    fs.writeFileSync(path.join(centralDir.dir, 'partial', `${deviceId}.${sha(page)}`), page);
    addCase([page]);
    expect(await att.uploader.runOnce()).toBe('sent');
    expect(unconfirmed()).toBe(0);
    expect(centralFileOk(page)).toBe(true);
  });
});
