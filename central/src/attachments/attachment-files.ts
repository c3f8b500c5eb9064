import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sniffPageMime, type PageMime } from '@shared/attachments/magic';

export type Finished = { ok: true; mime: PageMime } | { ok: false; reason: 'HASH_MISMATCH' | 'NOT_A_PAGE' };
/**
 * How far an upload got after one request: with `sha256` (its hash, computed while writing) once whole
 * and fsync'd; `cut` when the request broke off, `tooLong` when it ran past the page's size.
 */
export type Received = { received: number; sha256?: string; cut?: true; tooLong?: true };

/**
 * Central's page files: `<dir>/<first two hex>/<sha256>`, written once and never changed, and each
 * device's upload in progress as `<dir>/partial/<device>.<sha256>` (per device, so two counters sending
 * the same page never write into one file). A partial file's size is how far its upload got: it
 * survives a restart, and the device resumes from there.
 */
export function createCentralPageFiles(dir: string) {
  const partialDir = path.join(dir, 'partial');
  fs.mkdirSync(partialDir, { recursive: true, mode: 0o700 });
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

  return {
    fileOf,
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
        // Durable before it is named: the rename below must never show a page whose bytes are not on disk.
        await fd.sync();
        return { received, sha256: hash.digest('hex') };
      } finally {
        await fd.close();
      }
    },
    /**
     * The upload is whole and fsync'd: checked against its name (by the hash `receive` computed, or by
     * reading it back when central stopped before its check) and sniffed, then moved under its name
     * (rename, fsync of the folder), or dropped when it is not the page it claims to be.
     */
    async finish(deviceId: string, sha256: string, hashed?: string): Promise<Finished> {
      const partial = partialOf(deviceId, sha256);
      let digest = hashed;
      if (digest === undefined) {
        const hash = crypto.createHash('sha256');
        for await (const chunk of fs.createReadStream(partial)) hash.update(chunk as Buffer);
        digest = hash.digest('hex');
      }
      const head = Buffer.alloc(8);
      const fd = await fs.promises.open(partial, 'r');
      let mime: PageMime | null;
      try {
        await fd.read(head, 0, 8, 0);
        if (digest !== sha256) {
          await fs.promises.rm(partial, { force: true });
          return { ok: false, reason: 'HASH_MISMATCH' };
        }
        mime = sniffPageMime(head);
        if (!mime) {
          await fs.promises.rm(partial, { force: true });
          return { ok: false, reason: 'NOT_A_PAGE' };
        }
        if (hashed === undefined) await fd.sync();
      } finally {
        await fd.close();
      }
      const target = fileOf(sha256);
      await fs.promises.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
      await fs.promises.rename(partial, target);
      const dirFd = await fs.promises.open(path.dirname(target), 'r');
      await dirFd.sync().finally(() => dirFd.close());
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
    /** Drops uploads nobody continued for `maxAgeMs` (a device reset, a page deleted before it went). */
    sweepStale(maxAgeMs: number, now = Date.now()) {
      for (const name of fs.readdirSync(partialDir)) {
        const file = path.join(partialDir, name);
        try {
          if (now - fs.statSync(file).mtimeMs > maxAgeMs) fs.rmSync(file, { force: true });
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        }
      }
    },
    exists: (sha256: string) => fs.existsSync(fileOf(sha256)),
  };
}
export type CentralPageFiles = ReturnType<typeof createCentralPageFiles>;
