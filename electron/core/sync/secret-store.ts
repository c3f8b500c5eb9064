import fs from 'node:fs';
import path from 'node:path';

/**
 * Where the device keeps secrets such as its central token. Electron main backs it with `safeStorage`
 * (the OS keychain); the browser host, the headless hub and tests use owner-only files.
 */
export interface SecretStore {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
  delete(name: string): void;
}

const NAME = /^[a-z0-9-]{1,40}$/;

/** Secrets as files in `dir`, each readable by this user only (0600), replaced atomically. */
export function createFileSecretStore(
  dir: string,
  codec: { encode(s: string): Buffer; decode(b: Buffer): string } = {
    encode: (s) => Buffer.from(s, 'utf8'),
    decode: (b) => b.toString('utf8'),
  },
): SecretStore {
  const file = (name: string) => {
    if (!NAME.test(name)) throw new Error(`bad secret name "${name}"`);
    return path.join(dir, `${name}.secret`);
  };
  return {
    get(name) {
      try {
        return codec.decode(fs.readFileSync(file(name)));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
    },
    set(name, value) {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      const tmp = `${file(name)}.tmp`;
      fs.writeFileSync(tmp, codec.encode(value), { mode: 0o600 });
      fs.renameSync(tmp, file(name));
    },
    delete(name) {
      fs.rmSync(file(name), { force: true });
    },
  };
}
