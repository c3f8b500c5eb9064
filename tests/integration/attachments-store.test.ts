import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '@shared/api';
import { CRYPTO_PROFILES, type CryptoProfileName } from '@shared/crypto/profile';
import { PAGE_MAX_BYTES } from '@shared/attachments/attachments';
import { openDatabase } from '../../electron/core/db/open';
import { deviceMigrations } from '../../electron/core/db/migrations';
import { ATTACHMENTS_FOLDER } from '../../electron/core/attachments/attachments-folder';
import { createAttachments } from '../../electron/core/attachments/create-attachments';
import type { PageFs } from '../../electron/core/attachments/attachment-files';
import { createFileSecretStore } from '../../electron/core/sync/secret-store';
import { jpeg } from '../fixtures/pages';
import { tempDir } from '../fixtures/temp-dir';

/** The format byte a sealed blob starts with: 1 AES-256-GCM, 2 SM4-GCM. */
const SEALED_BY = { default: 1, sm: 2 } as const;

const PDF = Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const EXE = Buffer.concat([Buffer.from('MZ\x90\x00'), Buffer.alloc(200)]);

const dirs: { remove(): void }[] = [];
const closers: (() => void)[] = [];
afterEach(() => {
  for (const c of closers.splice(0)) c();
  for (const d of dirs.splice(0)) d.remove();
});

async function open(opts: { fs?: PageFs; dir?: string; now?: () => Date; crypto?: CryptoProfileName } = {}) {
  const dir = opts.dir ?? tempDir('ow-att-').dir;
  if (!opts.dir) dirs.push({ remove: () => fs.rmSync(dir, { recursive: true, force: true }) });
  const now = opts.now ?? (() => new Date());
  const { db } = await openDatabase({ file: path.join(dir, 'device.sqlite'), migrations: deviceMigrations, now });
  const att = createAttachments({
    db,
    dataDir: dir,
    secrets: createFileSecretStore(path.join(dir, 'secrets')),
    crypto: opts.crypto,
    retentionDays: 30,
    connection: () => undefined,
    now,
    fs: opts.fs,
  });
  closers.push(() => db.close());
  return { dir, db, att, service: att.service };
}

const reasonOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return ((e as AppError).details as { reason: string }).reason;
  }
  throw new Error('expected a refusal');
};
const filesUnder = (dir: string) =>
  fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()) : [];

describe.each(CRYPTO_PROFILES)('the device page store (%s profile)', (profile) => {
  const draftId = crypto.randomUUID();

  it('keeps each page once by hash, sealed on disk, and gives the bytes back', async () => {
    const { dir, service } = await open({ crypto: profile });
    const page = jpeg(50_000);
    const a = service.add({ draftId, materialId: 'id-card', content: page });
    const again = service.add({ draftId, materialId: 'id-card', content: page });
    expect(again.id).toBe(a.id);
    expect(a.sha256).toBe(crypto.createHash('sha256').update(page).digest('hex'));
    expect(a).toMatchObject({ mime: 'image/jpeg', bytes: 50_000, position: 0, caseId: null });
    // The same bytes under another material are another page of the same file.
    const other = service.add({ draftId, materialId: 'licence', content: page });
    expect(other.id).not.toBe(a.id);
    const stored = filesUnder(path.join(dir, ATTACHMENTS_FOLDER));
    expect(stored).toHaveLength(1);
    const onDisk = fs.readFileSync(path.join(stored[0]!.parentPath, stored[0]!.name));
    expect(onDisk.includes(page.subarray(0, 64))).toBe(false);
    // The file names its cipher: AES-256-GCM under the default profile, SM4-GCM under `sm`.
    expect(onDisk[0]).toBe(SEALED_BY[profile]);
    expect(service.read(a.id).content.equals(page)).toBe(true);
    expect(service.add({ draftId, materialId: 'licence', content: PDF }).mime).toBe('application/pdf');
  });

  it('refuses an EXE named as a JPEG, a 0-byte scan and an oversized file, storing nothing', async () => {
    const { dir, service, db } = await open({ crypto: profile });
    expect(reasonOf(() => service.add({ draftId, materialId: 'm', content: EXE }))).toBe('NOT_A_PAGE');
    expect(reasonOf(() => service.add({ draftId, materialId: 'm', content: Buffer.alloc(0) }))).toBe('EMPTY_PAGE');
    expect(reasonOf(() => service.add({ draftId, materialId: 'm', content: jpeg(PAGE_MAX_BYTES + 1) }))).toBe(
      'PAGE_TOO_LARGE',
    );
    expect(filesUnder(path.join(dir, ATTACHMENTS_FOLDER))).toHaveLength(0);
    expect(db.prepare('SELECT count(*) AS n FROM attachment_blobs').get()).toEqual({ n: 0 });
  });

  it('a disk that fills mid-write leaves no file and no row, says STORAGE_FULL, and the next try works', async () => {
    let failNext = true;
    const fullDisk: PageFs = {
      openSync: fs.openSync,
      writeSync: (fd, buffer, offset, length) => {
        if (failNext && offset > 0) {
          failNext = false;
          throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        }
        // Half of what was asked, so the write is under way when the disk fills.
        return fs.writeSync(fd, buffer, offset, Math.min(length, Math.ceil(buffer.length / 2)));
      },
      fsyncSync: fs.fsyncSync,
      closeSync: fs.closeSync,
      renameSync: fs.renameSync,
    };
    const { dir, service, db } = await open({ fs: fullDisk, crypto: profile });
    const page = jpeg(100_000, 7);
    expect(reasonOf(() => service.add({ draftId, materialId: 'm', content: page }))).toBe('STORAGE_FULL');
    expect(filesUnder(path.join(dir, ATTACHMENTS_FOLDER))).toHaveLength(0);
    expect(db.prepare('SELECT count(*) AS n FROM attachment_pages').get()).toEqual({ n: 0 });
    const p = service.add({ draftId, materialId: 'm', content: page });
    expect(service.read(p.id).content.equals(page)).toBe(true);
  });

  it('a crash that left a temporary file behind is cleaned at the next start, pages kept', async () => {
    const first = await open({ crypto: profile });
    const p = first.service.add({ draftId, materialId: 'm', content: jpeg(10_000, 3) });
    const tmp = path.join(first.dir, ATTACHMENTS_FOLDER, 'tmp');
    fs.mkdirSync(tmp, { recursive: true });
    fs.writeFileSync(path.join(tmp, 'half-written'), Buffer.alloc(5000));
    closers.pop()!();
    first.db.close();
    const again = await open({ dir: first.dir, crypto: profile });
    expect(fs.existsSync(tmp)).toBe(false);
    expect(again.service.read(p.id).content.length).toBe(10_000);
  });

  it('reorders and deletes before acceptance, and not after', async () => {
    const { service, dir } = await open({ crypto: profile });
    const pages = [1, 2, 3].map((i) => service.add({ draftId, materialId: 'm', content: jpeg(1000, i) }));
    const order = [pages[2]!.id, pages[0]!.id, pages[1]!.id];
    expect(service.reorder({ draftId, materialId: 'm', pageIds: order }).map((p) => p.id)).toEqual(order);
    expect(reasonOf(() => service.reorder({ draftId, materialId: 'm', pageIds: order.slice(1) }))).toBe(
      'ORDER_MISMATCH',
    );
    const left = service.delete({ draftId, pageId: pages[2]!.id });
    expect(left.map((p) => [p.id, p.position])).toEqual([
      [pages[0]!.id, 0],
      [pages[1]!.id, 1],
    ]);
    expect(filesUnder(path.join(dir, ATTACHMENTS_FOLDER))).toHaveLength(2);
    const caseId = crypto.randomUUID();
    const refs = service.bindDraft(draftId, caseId, new Set(['m']));
    expect(refs.map((r) => r.position)).toEqual([0, 1]);
    expect(reasonOf(() => service.delete({ draftId, pageId: pages[0]!.id }))).toBe('DRAFT_ACCEPTED');
    expect(reasonOf(() => service.add({ draftId, materialId: 'm', content: jpeg(1000, 9) }))).toBe('DRAFT_ACCEPTED');
  });

  it('prunes a page only once central confirmed it and the retention period passed', async () => {
    let t = new Date('2026-01-01T00:00:00Z');
    const { service, db } = await open({ now: () => t, crypto: profile });
    const p = service.add({ draftId, materialId: 'm', content: jpeg(1000, 11) });
    const caseId = crypto.randomUUID();
    service.bindDraft(draftId, caseId, new Set(['m']));
    t = new Date('2026-03-01T00:00:00Z');
    expect(service.prune()).toEqual([]);
    db.prepare('UPDATE attachment_blobs SET confirmed_at = ?').run('2026-02-15T00:00:00.000Z');
    expect(service.prune()).toEqual([]);
    t = new Date('2026-03-20T00:00:00Z');
    expect(service.prune()).toEqual([p.sha256]);
    expect(reasonOf(() => service.read(p.id))).toBe('PAGE_PRUNED');
    // The case still lists its page: only the local copy went.
    expect(service.casePages(caseId).map((x) => x.sha256)).toEqual([p.sha256]);
  });

  it('drops the pages of a draft nobody took in once the retention period passed', async () => {
    let t = new Date('2026-01-01T00:00:00Z');
    const { service, dir } = await open({ now: () => t, crypto: profile });
    const abandoned = crypto.randomUUID();
    const kept = crypto.randomUUID();
    const shared = jpeg(1000, 21);
    service.add({ draftId: abandoned, materialId: 'm', content: shared });
    service.add({ draftId: abandoned, materialId: 'm', content: jpeg(1000, 22) });
    t = new Date('2026-01-25T00:00:00Z');
    // The same scan in a draft still being worked on keeps its file.
    service.add({ draftId: kept, materialId: 'm', content: shared });
    t = new Date('2026-02-05T00:00:00Z');
    expect(service.prune()).toHaveLength(1);
    expect(service.list(abandoned)).toEqual([]);
    expect(service.list(kept)).toHaveLength(1);
    expect(filesUnder(path.join(dir, ATTACHMENTS_FOLDER))).toHaveLength(1);
  });
});
