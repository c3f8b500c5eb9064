import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The file operations a page write needs: tests swap in ones that fail like a full disk. */
export interface PageFs {
  openSync: typeof fs.openSync;
  writeSync: (fd: number, buffer: Buffer, offset: number, length: number) => number;
  fsyncSync: typeof fs.fsyncSync;
  closeSync: typeof fs.closeSync;
  renameSync: typeof fs.renameSync;
}
const nodeFs: PageFs = {
  openSync: fs.openSync,
  writeSync: (fd, buffer, offset, length) => fs.writeSync(fd, buffer, offset, length),
  fsyncSync: fs.fsyncSync,
  closeSync: fs.closeSync,
  renameSync: fs.renameSync,
};

/**
 * The content files under `<dataDir>/attachments`: `<first two hex>/<sha256>`, each written whole or not
 * at all (a temporary file, fsync, rename, fsync of the folder), so a crash or a full disk never leaves a
 * file under a page's name that is not that page.
 */
export function createPageFiles(root: string, ops: PageFs = nodeFs) {
  const tmpDir = path.join(root, 'tmp');
  const fileOf = (sha256: string) => path.join(root, sha256.slice(0, 2), sha256);
  // What an interrupted write left: nothing refers to a temporary file, so all of them go at start.
  fs.rmSync(tmpDir, { recursive: true, force: true });

  function fsyncDir(dir: string) {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }

  return {
    fileOf,
    exists: (sha256: string) => fs.existsSync(fileOf(sha256)),
    /** Writes `content` under `sha256`'s name; an existing file there is the same page, kept as it is. */
    write(sha256: string, content: Buffer) {
      const target = fileOf(sha256);
      if (fs.existsSync(target)) return;
      fs.mkdirSync(tmpDir, { recursive: true, mode: 0o700 });
      fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
      const tmp = path.join(tmpDir, crypto.randomUUID());
      let fd: number | undefined;
      try {
        fd = ops.openSync(tmp, 'wx', 0o600);
        for (let at = 0; at < content.length;) at += ops.writeSync(fd, content, at, content.length - at);
        ops.fsyncSync(fd);
        ops.closeSync(fd);
        fd = undefined;
        ops.renameSync(tmp, target);
      } catch (e) {
        if (fd !== undefined) fs.closeSync(fd);
        fs.rmSync(tmp, { force: true });
        throw e;
      }
      fsyncDir(path.dirname(target));
    },
    read: (sha256: string) => fs.readFileSync(fileOf(sha256)),
    /**
     * The file's bytes in `scratch` when they fit, else in a new buffer: for a caller that is done with them
     * before it reads the next file (the uploader opens each page at once), so pages do not each allocate
     * one more page-sized buffer for the garbage collector to chase.
     */
    readInto(sha256: string, scratch: Buffer): Buffer {
      const fd = fs.openSync(fileOf(sha256), 'r');
      try {
        const size = fs.fstatSync(fd).size;
        const into = size <= scratch.length ? scratch : Buffer.allocUnsafeSlow(size);
        let at = 0;
        for (let n = 1; at < size && n > 0; at += n) n = fs.readSync(fd, into, at, size - at, at);
        return into.subarray(0, at);
      } finally {
        fs.closeSync(fd);
      }
    },
    remove: (sha256: string) => fs.rmSync(fileOf(sha256), { force: true }),
  };
}
export type PageFiles = ReturnType<typeof createPageFiles>;
