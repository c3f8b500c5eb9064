import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { sniffPageMime, type PageMime } from '@shared/attachments/magic';
import { isSealed, openPage, pageSealer, sealPage, type PageSealing } from './page-sealing';

export type Finished = { ok: true; mime: PageMime } | { ok: false; reason: 'HASH_MISMATCH' | 'NOT_A_PAGE' };
/** A page sealed as it arrived: the sealed file's bytes in order, and the page's first bytes (its kind). */
export type HeldPage = { sealed: Buffer[]; head: Buffer };
/**
 * How far an upload got after one request: with `sha256` (its hash, computed while writing) once whole;
 * with `held` too when this request carried the whole page (sealed as it came, never read back);
 * `cut` when the request broke off, `tooLong` when it ran past the page's size.
 */
export type Received = { received: number; sha256?: string; held?: HeldPage; cut?: true; tooLong?: true };

/**
 * A page up to this size sent whole in one request is held in memory, and sealed as it arrives, never
 * written to `partial/`: central's uploads at once (8) times twice this (the page and its sealed bytes)
 * bounds what that holds. Bigger pages go through `partial/` and are read back from there.
 */
export const HELD_PAGE_BYTES = 4 * 1024 * 1024;

const fsync = promisify(fs.fsync);
/** How long `partial/` seen empty is taken to be empty still (see partialBytes). */
const PARTIALS_EMPTY_TRUST_MS = 5000;

/**
 * Central's page files: `<dir>/<first two hex>/<sha256>`, sealed (page-sealing.ts) and written whole (in
 * `<dir>/sealing/`, fsync'd, then renamed), and each device's upload in progress as
 * `<dir>/partial/<device>.<sha256>` (per device, so two counters sending the same page never write into one
 * file). A partial file's size is how far its upload got: it survives a restart, and the device resumes
 * from there. It is in clear until whole, checked and sealed, then removed. A page held in memory
 * (HELD_PAGE_BYTES) gets one only when its request ends before the page does.
 *
 * Opening, writing into the page cache, renaming and removing run on the event loop: they are shorter than
 * a hop to the thread pool, whose four threads are often all waiting on other uploads' fsyncs. Only the
 * fsyncs, which wait on the disk, go there.
 */
export function createCentralPageFiles(dir: string, sealing: PageSealing) {
  const partialDir = path.join(dir, 'partial');
  const sealingDir = path.join(dir, 'sealing');
  fs.mkdirSync(partialDir, { recursive: true, mode: 0o700 });
  fs.mkdirSync(sealingDir, { recursive: true, mode: 0o700 });
  const fileOf = (sha256: string) => path.join(dir, sha256.slice(0, 2), sha256);
  const partialOf = (deviceId: string, sha256: string) => path.join(partialDir, `${deviceId}.${sha256}`);
  // When `partial/` was last seen empty, unless this process started a partial file since: pages that arrive
  // whole leave none, and listing the folder for each upload's quota waited on the disk behind other pages'
  // fsyncs. Trusted for a few seconds only, as another central process sharing the folder may start one.
  let partialsSeenEmptyAt = -Infinity;
  const openPartial = (partial: string) => {
    partialsSeenEmptyAt = -Infinity;
    return fs.openSync(partial, 'a', 0o600);
  };
  const sizeOf = (file: string) => {
    try {
      return fs.statSync(file).size;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw e;
    }
  };
  const writeAll = (fd: number, bytes: Buffer) => {
    for (let at = 0; at < bytes.length;) at += fs.writeSync(fd, bytes, at, bytes.length - at);
  };

  const syncFolder = async (folder: string) => {
    const fd = fs.openSync(folder, 'r');
    try {
      await fsync(fd);
    } finally {
      fs.closeSync(fd);
    }
  };

  // The 256 two-hex folders, made at start and made durable in the pages folder with one fsync (a crash must
  // not lose a folder whose pages were confirmed). Made per page instead, a mkdir on the event loop waited
  // for the folder's lock, which another page's folder fsync held, and a folder's first page paid an fsync
  // of the pages folder too.
  for (let i = 0; i < 256; i++)
    fs.mkdirSync(path.join(dir, i.toString(16).padStart(2, '0')), { mode: 0o700, recursive: true });
  const dirFd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(dirFd);
  } finally {
    fs.closeSync(dirFd);
  }

  /** `bytes` under the page's name, whole or not at all: a crash leaves at most a file in `sealing/`. */
  async function writeSealed(sha256: string, bytes: readonly Buffer[]) {
    const target = fileOf(sha256);
    const temp = path.join(sealingDir, `${sha256}.${crypto.randomUUID()}`);
    const fd = fs.openSync(temp, 'wx', 0o600);
    try {
      for (const piece of bytes) writeAll(fd, piece);
      // Durable before it is named: the rename below must never show a page whose bytes are not on disk.
      await fsync(fd);
    } finally {
      fs.closeSync(fd);
    }
    const folder = path.dirname(target);
    try {
      try {
        fs.renameSync(temp, target);
      } catch (e) {
        // The folder went away under a running central (an operator's cleanup): made again, durably, once.
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || !fs.existsSync(temp)) throw e;
        fs.mkdirSync(folder, { mode: 0o700, recursive: true });
        await syncFolder(dir);
        fs.renameSync(temp, target);
      }
      await syncFolder(folder);
    } catch (e) {
      // A page not kept leaves nothing in `sealing/`: the device sends it again.
      fs.rmSync(temp, { force: true });
      throw e;
    }
  }

  return {
    received: (deviceId: string, sha256: string) => sizeOf(partialOf(deviceId, sha256)),
    /**
     * Appends what `body` brings to the upload, which holds `offset` bytes now, hashing as it writes (what
     * an earlier request left is hashed from the file first). A body cut short keeps what arrived: the
     * device resumes from there. Past `total` nothing more is written and `tooLong` says so.
     */
    async receive(
      deviceId: string,
      sha256: string,
      r: { offset: number; total: number; body: AsyncIterable<Buffer> },
    ): Promise<Received> {
      const partial = partialOf(deviceId, sha256);
      const hash = crypto.createHash('sha256');
      if (r.offset > 0)
        for await (const piece of fs.createReadStream(partial, { end: r.offset - 1 })) hash.update(piece as Buffer);
      // A page small enough to hold, coming from its first byte, stays in memory and is sealed as it comes:
      // no partial file to write, read back and remove, unless the request ends before the page does.
      const held =
        r.offset === 0 && r.total <= HELD_PAGE_BYTES
          ? { pieces: [] as Buffer[], sealer: pageSealer(sealing, sha256) }
          : undefined;
      let fd = held ? undefined : openPartial(partial);
      let received = r.offset;
      let whole = false;
      try {
        const pieces = r.body[Symbol.asyncIterator]();
        for (;;) {
          let next: IteratorResult<Buffer>;
          try {
            next = await pieces.next();
          } catch {
            return { received, cut: true };
          }
          if (next.done) break;
          const piece = next.value;
          if (received + piece.length > r.total) return { received, tooLong: true };
          if (held) {
            held.pieces.push(piece);
            held.sealer.update(piece);
          } else writeAll(fd!, piece);
          hash.update(piece);
          received += piece.length;
        }
        if (received < r.total) return { received };
        whole = true;
        const digest = hash.digest('hex');
        if (!held) return { received, sha256: digest };
        const head = Buffer.concat(held.pieces.slice(0, 8)).subarray(0, 8);
        return { received, sha256: digest, held: { sealed: held.sealer.final(), head } };
      } finally {
        // A held page whose request ended early is kept as if written as it came: the device resumes there.
        if (held && !whole && received > 0) {
          fd = openPartial(partial);
          writeAll(fd, Buffer.concat(held.pieces, received));
        }
        if (fd !== undefined) fs.closeSync(fd);
      }
    },
    /**
     * The upload is whole: checked against its name (by the hash `receive` computed, or by hashing it now
     * when central stopped before its check) and sniffed, then kept under its name (as `receive` sealed
     * it, else read back from the partial file and sealed) and the partial file removed; or dropped when
     * it is not the page it claims to be.
     */
    async finish(deviceId: string, sha256: string, got?: { sha256: string; held?: HeldPage }): Promise<Finished> {
      const partial = partialOf(deviceId, sha256);
      const keep = async (digest: string, head: Buffer, sealed: () => Buffer[]): Promise<Finished> => {
        const mime = sniffPageMime(head);
        const result: Finished =
          digest !== sha256
            ? { ok: false, reason: 'HASH_MISMATCH' }
            : mime
              ? { ok: true, mime }
              : { ok: false, reason: 'NOT_A_PAGE' };
        if (result.ok) await writeSealed(sha256, sealed());
        fs.rmSync(partial, { force: true });
        return result;
      };
      const held = got?.held;
      if (held) return keep(got.sha256, held.head, () => held.sealed);
      const plain = await fs.promises.readFile(partial);
      const digest = got?.sha256 ?? crypto.createHash('sha256').update(plain).digest('hex');
      return keep(digest, plain.subarray(0, 8), () => [sealPage(sealing, sha256, plain)]);
    },
    drop: (deviceId: string, sha256: string) => fs.promises.rm(partialOf(deviceId, sha256), { force: true }),
    /** Bytes of this device's uploads in progress: counted against its quota with what it stored. */
    partialBytes(deviceId: string): number {
      if (performance.now() - partialsSeenEmptyAt < PARTIALS_EMPTY_TRUST_MS) return 0;
      const names = fs.readdirSync(partialDir);
      if (names.length === 0) partialsSeenEmptyAt = performance.now();
      let n = 0;
      for (const name of names) if (name.startsWith(`${deviceId}.`)) n += sizeOf(path.join(partialDir, name));
      return n;
    },
    /**
     * Drops uploads nobody continued for `maxAgeMs` (a device reset, a page deleted before it went), and
     * what a crash left of a page being sealed.
     */
    sweepStale(maxAgeMs: number, now = Date.now()) {
      const files = [partialDir, sealingDir].flatMap((d) => fs.readdirSync(d).map((name) => path.join(d, name)));
      for (const file of files) {
        try {
          if (now - fs.statSync(file).mtimeMs > maxAgeMs) fs.rmSync(file, { force: true });
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        }
      }
    },
    exists: (sha256: string) => fs.existsSync(fileOf(sha256)),
    /** The page in clear, whichever way its file holds it; throws PageUnreadableError for a damaged one. */
    read: async (sha256: string) => openPage(sealing, sha256, await fs.promises.readFile(fileOf(sha256))),
    /**
     * Seals every page stored in clear before central sealed pages, one at a time (each written whole, so a
     * crash leaves it in clear or sealed, and a run after it goes on). A file that is not the page its name
     * says is left as it is and named in `damaged`. Stops between two files once `stop` says so.
     */
    async sealStoredInClear(stop: () => boolean): Promise<{ sealed: number; damaged: string[] }> {
      let sealed = 0;
      const damaged: string[] = [];
      for (const sub of await fs.promises.readdir(dir)) {
        if (!/^[0-9a-f]{2}$/.test(sub)) continue;
        for (const name of await fs.promises.readdir(path.join(dir, sub))) {
          if (stop()) return { sealed, damaged };
          if (!/^[0-9a-f]{64}$/.test(name)) continue;
          const at = path.join(dir, sub, name);
          // The first byte tells a sealed file: a start after this one reads no more of any page.
          const head = Buffer.alloc(1);
          const fd = await fs.promises.open(at, 'r');
          await fd.read(head, 0, 1, 0).finally(() => fd.close());
          if (isSealed(head)) continue;
          const file = await fs.promises.readFile(at);
          if (crypto.createHash('sha256').update(file).digest('hex') !== name) {
            damaged.push(name);
            continue;
          }
          await writeSealed(name, [sealPage(sealing, name, file)]);
          sealed++;
        }
      }
      return { sealed, damaged };
    },
  };
}
export type CentralPageFiles = ReturnType<typeof createCentralPageFiles>;
