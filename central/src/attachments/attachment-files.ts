import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sniffPageMime, type PageMime } from '@shared/attachments/magic';

export type Finished = { ok: true; mime: PageMime } | { ok: false; reason: 'HASH_MISMATCH' | 'NOT_A_PAGE' };

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
    async append(deviceId: string, sha256: string, chunk: Buffer) {
      await fs.promises.appendFile(partialOf(deviceId, sha256), chunk, { mode: 0o600 });
    },
    /**
     * The upload is whole: hashed and sniffed, then moved under its name (fsync, rename, fsync of the
     * folder), or dropped when it is not the page it claims to be.
     */
    async finish(deviceId: string, sha256: string): Promise<Finished> {
      const partial = partialOf(deviceId, sha256);
      const hash = crypto.createHash('sha256');
      for await (const chunk of fs.createReadStream(partial)) hash.update(chunk as Buffer);
      const head = Buffer.alloc(8);
      const fd = await fs.promises.open(partial, 'r');
      try {
        await fd.read(head, 0, 8, 0);
        if (hash.digest('hex') !== sha256) {
          await fs.promises.rm(partial, { force: true });
          return { ok: false, reason: 'HASH_MISMATCH' };
        }
        const mime = sniffPageMime(head);
        if (!mime) {
          await fs.promises.rm(partial, { force: true });
          return { ok: false, reason: 'NOT_A_PAGE' };
        }
        await fd.sync();
        const target = fileOf(sha256);
        await fs.promises.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
        await fs.promises.rename(partial, target);
        const dirFd = await fs.promises.open(path.dirname(target), 'r');
        await dirFd.sync().finally(() => dirFd.close());
        return { ok: true, mime };
      } finally {
        await fd.close();
      }
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
