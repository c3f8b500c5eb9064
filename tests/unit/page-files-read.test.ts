import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPageFiles } from '../../electron/core/attachments/attachment-files';

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('page files: readInto', () => {
  it("reads a page into the caller's buffer when it fits, and into a new one when it does not", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ow-page-files-'));
    dirs.push(root);
    const files = createPageFiles(root);
    const small = crypto.randomBytes(3000);
    const big = crypto.randomBytes(5000);
    files.write(sha(small), small);
    files.write(sha(big), big);
    const scratch = Buffer.alloc(4096, 7);

    const read = files.readInto(sha(small), scratch);
    expect(read.equals(small)).toBe(true);
    expect(read.buffer).toBe(scratch.buffer);

    const other = files.readInto(sha(big), scratch);
    expect(other.equals(big)).toBe(true);
    expect(other.buffer).not.toBe(scratch.buffer);
    // The caller's buffer still holds the first page: a page that did not fit wrote nothing into it.
    expect(scratch.subarray(0, small.length).equals(small)).toBe(true);
  });
});
