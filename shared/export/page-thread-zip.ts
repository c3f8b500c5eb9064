import { zipSync, type Zippable } from 'fflate';

/**
 * fflate's `zip` as write-excel-file calls it, done on the page's thread. fflate's own deflates every part
 * of 160 kB or more in a worker made from a blob: URL; the pages' CSP (script-src 'self') blocks such a
 * worker without an error fflate ever hears, so a large workbook would never be finished. An export is a
 * few megabytes at most: zipping it here takes a moment. vite.config.ts points write-excel-file here.
 */
export function zip(data: Zippable, done: (error: unknown, archive: Uint8Array | null) => void): void {
  let archive: Uint8Array;
  try {
    archive = zipSync(data);
  } catch (e) {
    done(e, null);
    return;
  }
  done(null, archive);
}
