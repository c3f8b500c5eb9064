import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sniffPageMime, type PageMime } from '@shared/attachments/magic';
import { isSealed, openPage, sealPage, type PageSealing } from './page-sealing';

export type Finished = { ok: true; mime: PageMime } | { ok: false; reason: 'HASH_MISMATCH' | 'NOT_A_PAGE' };
/**
 * How far an upload got after one request: with `sha256` (its hash, computed while writing) once whole
 * and fsync'd; `cut` when the request broke off, `tooLong` when it ran past the page's size.
 */
export type Received = { received: number; sha256?: string; cut?: true; tooLong?: true };

/**
 * Central's page files: `<dir>/<first two hex>/<sha256>`, sealed (page-sealing.ts) and written whole (in
 * `<dir>/sealing/`, fsync'd, then renamed), and each device's upload in progress as
 * `<dir>/partial/<device>.<sha256>` (per device, so two counters sending the same page never write into one
 * file). A partial file's size is how far its upload got: it survives a restart, and the device resumes
 * from there. It is in clear until whole, checked and sealed, then removed.
 */
export function createCentralPageFiles(dir: string, sealing: PageSealing) {
  const partialDir = path.join(dir, 'partial');
  const sealingDir = path.join(dir, 'sealing');
  fs.mkdirSync(partialDir, { recursive: true, mode: 0o700 });
  fs.mkdirSync(sealingDir, { recursive: true, mode: 0o700 });
  const fileOf = (sha256: string) => path.join(dir, sha256.slice(0, 2), sha256);
  const partialOf = (deviceId: string, sha256: string) => path.join(partialDir, `${deviceId}.${sha256}`);
  const sizeOf = (file: string) => {
    try {
      return fs.statSync(file).size;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw e;
    }
  };

  /** `bytes` under the page's name, whole or not at all: a crash leaves at most a file in `sealing/`. */
  async function writeSealed(sha256: string, bytes: Buffer) {
    const target = fileOf(sha256);
    const temp = path.join(sealingDir, `${sha256}.${crypto.randomUUID()}`);
    await fs.promises.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    const fd = await fs.promises.open(temp, 'wx', 0o600);
    try {
      await fd.writeFile(bytes);
      // Durable before it is named: the rename below must never show a page whose bytes are not on disk.
      await fd.sync();
    } finally {
      await fd.close();
    }
    await fs.promises.rename(temp, target);
    const dirFd = await fs.promises.open(path.dirname(target), 'r');
    await dirFd.sync().finally(() => dirFd.close());
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
      const fd = await fs.promises.open(partial, 'a', 0o600);
      let received = r.offset;
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
          // Into the page cache at once: shorter than a hop to the thread pool, which on a busy machine
          // costs more than the write. The fsync, which waits on the disk, stays off the event loop.
          for (let at = 0; at < piece.length;) at += fs.writeSync(fd.fd, piece, at, piece.length - at);
          hash.update(piece);
          received += piece.length;
        }
        if (received < r.total) return { received };
        return { received, sha256: hash.digest('hex') };
      } finally {
        await fd.close();
      }
    },
    /**
     * The upload is whole: checked against its name (by the hash `receive` computed, or by hashing it now
     * when central stopped before its check) and sniffed, then sealed under its name and the partial file
     * removed; or dropped when it is not the page it claims to be.
     */
    async finish(deviceId: string, sha256: string, hashed?: string): Promise<Finished> {
      const partial = partialOf(deviceId, sha256);
      const plain = await fs.promises.readFile(partial);
      const digest = hashed ?? crypto.createHash('sha256').update(plain).digest('hex');
      if (digest !== sha256) {
        await fs.promises.rm(partial, { force: true });
        return { ok: false, reason: 'HASH_MISMATCH' };
      }
      const mime = sniffPageMime(plain.subarray(0, 8));
      if (!mime) {
        await fs.promises.rm(partial, { force: true });
        return { ok: false, reason: 'NOT_A_PAGE' };
      }
      await writeSealed(sha256, sealPage(sealing, sha256, plain));
      await fs.promises.rm(partial, { force: true });
      return { ok: true, mime };
    },
    drop: (deviceId: string, sha256: string) => fs.promises.rm(partialOf(deviceId, sha256), { force: true }),
    /** Bytes of this device's uploads in progress: counted against its quota with what it stored. */
    partialBytes(deviceId: string): number {
      let n = 0;
      for (const name of fs.readdirSync(partialDir))
        if (name.startsWith(`${deviceId}.`)) n += sizeOf(path.join(partialDir, name));
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
          await writeSealed(name, sealPage(sealing, name, file));
          sealed++;
        }
      }
      return { sealed, damaged };
    },
  };
}
export type CentralPageFiles = ReturnType<typeof createCentralPageFiles>;
