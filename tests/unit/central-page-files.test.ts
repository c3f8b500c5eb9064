import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { HELD_PAGE_BYTES, createCentralPageFiles } from '../../central/src/attachments/attachment-files';
import { openPage } from '../../central/src/attachments/page-sealing';
import { pageSealing } from '../fixtures/central-case-pages';
import { jpeg } from '../fixtures/pages';
import { tempDir } from '../fixtures/temp-dir';

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

/** Central's page folder: a page taken whole in one request, checked and kept under its name. */
describe("central's page files", () => {
  const tmp = tempDir('ow-central-pages-');
  const atRest = pageSealing();
  afterAll(() => tmp.remove());

  async function store(files: ReturnType<typeof createCentralPageFiles>, page: Buffer) {
    const h = sha(page);
    const got = await files.receive('dev1', h, { offset: 0, total: page.length, body: Readable.from([page]) });
    expect(got.sha256).toBe(h);
    return files.finish('dev1', h, { sha256: got.sha256!, held: got.held });
  }

  it('keeps a page whose two-hex folder an operator removed while central ran', async () => {
    const files = createCentralPageFiles(tmp.dir, atRest);
    const page = jpeg(64 * 1024, 7);
    const h = sha(page);
    expect(await store(files, page)).toEqual({ ok: true, mime: 'image/jpeg' });
    fs.rmSync(path.join(tmp.dir, h.slice(0, 2)), { recursive: true });

    // The same page sent again (the device still had it) lands in a folder made anew.
    expect(await store(files, page)).toEqual({ ok: true, mime: 'image/jpeg' });
    expect(openPage(atRest, h, await fs.promises.readFile(path.join(tmp.dir, h.slice(0, 2), h)))).toEqual(page);
    expect(fs.readdirSync(path.join(tmp.dir, 'sealing'))).toEqual([]);
  });

  it('leaves nothing in sealing/ when the page cannot be named (its folder is not a folder)', async () => {
    const dir = path.join(tmp.dir, 'blocked');
    const files = createCentralPageFiles(dir, atRest);
    const page = jpeg(64 * 1024, 8);
    // A file where the page's two-hex folder should be: the rename fails.
    fs.rmdirSync(path.join(dir, sha(page).slice(0, 2)));
    fs.writeFileSync(path.join(dir, sha(page).slice(0, 2)), 'not a folder');
    await expect(store(files, page)).rejects.toThrow(/EEXIST|ENOTDIR/);
    expect(fs.readdirSync(path.join(dir, 'sealing'))).toEqual([]);
  });

  it("counts a device's uploads cut short against its quota, also right after none were left", async () => {
    const files = createCentralPageFiles(path.join(tmp.dir, 'quota'), atRest);
    expect(files.partialBytes('dev1')).toBe(0);
    // Too big to hold in memory, so it is written to partial/ as it comes; the line drops after 1 MiB.
    const page = jpeg(HELD_PAGE_BYTES + 1024, 9);
    async function* cut() {
      yield page.subarray(0, 1024 * 1024);
      throw new Error('connection reset');
    }
    const got = await files.receive('dev1', sha(page), { offset: 0, total: page.length, body: cut() });
    expect(got).toEqual({ received: 1024 * 1024, cut: true });
    expect(files.partialBytes('dev1')).toBe(1024 * 1024);
    expect(files.partialBytes('dev2')).toBe(0);
  });
});
