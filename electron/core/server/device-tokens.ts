import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { describeIssues } from '@shared/api';
import { roleSchema } from '@shared/api/role-schema';
import type { Role } from '@shared/api';
import type { Authenticator } from './authenticator';

/** The hub's list of enrolled LAN devices; only token hashes are kept on disk. */
const deviceListSchema = z.array(
  z
    .object({
      id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/),
      role: roleSchema,
      tokenSha256: z.string().regex(/^[0-9a-f]{64}$/),
      revoked: z.boolean().default(false),
      /** The counters a counter PC may open (its window); absent: any counter, as before devices were bound. */
      counters: z
        .array(z.string().regex(/^[A-Za-z0-9_-]{1,40}$/))
        .min(1)
        .optional(),
    })
    .strict(),
);
export type DeviceEntry = z.infer<typeof deviceListSchema>[number];

const sha256 = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

function parseDeviceList(file: string, text: string): DeviceEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not JSON (${(e as Error).message})`);
  }
  const parsed = deviceListSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      `${file}: ${describeIssues(parsed.error)
        .map((i) => `${i.path} ${i.message}`)
        .join('; ')}`,
    );
  }
  return parsed.data;
}

export function readDeviceList(file: string): DeviceEntry[] {
  if (!fs.existsSync(file)) return [];
  return parseDeviceList(file, fs.readFileSync(file, 'utf8'));
}

/** The hub's current device list, re-read when the file changes; `onChange` after each new list. */
export interface DeviceListSource {
  (): DeviceEntry[];
  onChange(listener: () => void): () => void;
  close(): void;
}

/**
 * Reads hub-devices.json once and again only when its stat changes (it was read and validated on every
 * request), and checks for a change every `pollMs` too, so a revocation closes the device's sockets without
 * waiting for its next call. A file that does not parse (an editor's half-written save) keeps the last good
 * list and says why once per bad version: a hub that crashed on it would stop the whole hall.
 */
export function watchDeviceList(
  file: string,
  opts: { warn: (message: string) => void; pollMs?: number },
): DeviceListSource {
  let list: DeviceEntry[] = [];
  let seen = '';
  const listeners = new Set<() => void>();
  const refresh = () => {
    let stamp: string;
    try {
      const st = fs.statSync(file);
      stamp = `${st.ino}:${st.size}:${st.mtimeMs}`;
    } catch {
      stamp = 'absent';
    }
    if (stamp === seen) return;
    seen = stamp;
    try {
      const next = stamp === 'absent' ? [] : parseDeviceList(file, fs.readFileSync(file, 'utf8'));
      list = next;
      for (const l of listeners) l();
    } catch (e) {
      opts.warn(`${(e as Error).message}; keeping the last good list of ${list.length} devices`);
    }
  };
  refresh();
  const timer = setInterval(refresh, opts.pollMs ?? 1000);
  timer.unref();
  const source = () => {
    refresh();
    return list;
  };
  source.onChange = (listener: () => void) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };
  source.close = () => clearInterval(timer);
  return source;
}

/** Adds (or replaces) a device and returns its new token, which is shown once and never stored. */
export function addDevice(file: string, id: string, role: Role, counters?: readonly string[]): string {
  const token = crypto.randomBytes(32).toString('base64url');
  const list = readDeviceList(file).filter((d) => d.id !== id);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  list.push({ id, role, tokenSha256: sha256(token), revoked: false, ...(counters ? { counters: [...counters] } : {}) });
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(list, null, 2) + '\n', { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
  return token;
}

/** Device-token authentication for the hall hub: the caller's role is the one the device was enrolled with. */
export function createDeviceTokenAuthenticator(
  devices: (() => DeviceEntry[]) & { onChange?: DeviceListSource['onChange'] },
): Authenticator {
  return {
    onChange: devices.onChange,
    authenticate(token) {
      const hash = Buffer.from(sha256(token), 'hex');
      const found = devices().find(
        (d) => !d.revoked && crypto.timingSafeEqual(Buffer.from(d.tokenSha256, 'hex'), hash),
      );
      return (
        found && {
          role: found.role,
          id: found.id,
          device: { id: found.id, counterIds: found.counters ?? null, delegated: true },
        }
      );
    },
  };
}
