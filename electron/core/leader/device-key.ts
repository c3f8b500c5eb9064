import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { open, seal } from './crypto';

/**
 * The device's own secret, which wraps the leader data key a second time so content can arrive (sync,
 * import) while the pane is locked. Electron backs it with `safeStorage` (the OS keychain); elsewhere
 * a key file readable by this user only.
 */
export interface DeviceKey {
  protect(plain: Buffer): Buffer;
  unprotect(sealed: Buffer): Buffer;
}

const AAD = 'onewindow-device-secret';

/** A random 256-bit key kept in `file` (mode 0600), created on first use. */
export function createFileDeviceKey(file: string): DeviceKey {
  let key: Buffer | undefined;
  const load = (): Buffer => {
    if (key) return key;
    if (!fs.existsSync(file)) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      // 'wx': two processes racing to create it cannot both win and leave different keys behind.
      try {
        fs.writeFileSync(file, crypto.randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
    const read = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
    if (read.length !== 32) throw new Error(`device key file ${file} is damaged`);
    key = read;
    return key;
  };
  return {
    protect: (plain) => seal(load(), plain, AAD),
    unprotect: (sealed) => open(load(), sealed, AAD),
  };
}
