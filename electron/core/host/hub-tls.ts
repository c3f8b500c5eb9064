import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isLoopbackHost } from '@shared/sync/central-pin';
import { loadOrCreateCa, loadOrCreateSelfManagedTls } from '../../../tls/self-managed-ca';
import { pemCertificates, spkiPin } from '../../../tls/spki-pin';

/** Where a hub keeps its own CA and server certificate, in its data folder (0700, files 0600). */
export const HUB_TLS_DIR = 'hub-tls';
const CA_NAME = 'OneWindow hall hub CA';

export interface HubTlsOptions {
  /** auto: HTTPS unless the hub listens on loopback; on: always; off: plain HTTP, on loopback only. */
  mode: 'auto' | 'on' | 'off';
  /** The address the hub listens on. */
  bindHost: string;
  /** A hall's own certificate (PEM, with its chain up to the CA devices pin: the file's last) and its key. */
  certFile?: string;
  keyFile?: string;
  /** Names and addresses devices use; default: the listening address, or this PC's name and LAN addresses. */
  hosts?: readonly string[];
}

/** What the hub serves: HTTPS with its certificate and the pin devices are paired with, or plain HTTP. */
export type HubTls = { cert: string; key: string; pin: string } | null;

const BIND_ALL = ['0.0.0.0', '::', ''];

/** This PC's name and its addresses on the LAN: what a device may type to reach a hub bound to all of them. */
function lanNames(): string[] {
  const addresses = Object.values(os.networkInterfaces())
    .flat()
    .filter((a) => a && !a.internal && !a.address.toLowerCase().startsWith('fe80:'))
    .map((a) => a!.address);
  return [...new Set([os.hostname(), ...addresses])];
}

/** Refuses what would put device tokens on the LAN in clear, or a certificate without its key. */
function checked(o: HubTlsOptions): { certFile: string; keyFile: string } | 'off' | 'self' {
  if (!o.certFile !== !o.keyFile) throw new Error('a hub certificate and its key go together (--tls-cert, --tls-key)');
  if (o.mode === 'off') {
    if (!isLoopbackHost(o.bindHost)) {
      throw new Error(`--tls off serves plain HTTP, which the hub does on loopback only, not on ${o.bindHost}`);
    }
    return 'off';
  }
  if (o.certFile && o.keyFile) return { certFile: o.certFile, keyFile: o.keyFile };
  return o.mode === 'auto' && isLoopbackHost(o.bindHost) ? 'off' : 'self';
}

function fromFiles(certFile: string, keyFile: string): { cert: string; key: string; pin: string } {
  const cert = fs.readFileSync(certFile, 'utf8');
  const chain = pemCertificates(cert);
  if (chain.length === 0) throw new Error(`the hub certificate file holds no PEM certificate: ${certFile}`);
  return { cert, key: fs.readFileSync(keyFile, 'utf8'), pin: spkiPin(chain[chain.length - 1]!) };
}

/**
 * The hub's TLS, checked before it listens: the hall's certificate from files, or else its own CA in
 * `dataDir` (made on first start and kept: the pin never changes) with a server certificate for
 * `hosts`, made again when they change. Plain HTTP only on loopback (the tests, a developer's hub).
 */
export async function hubTls(dataDir: string, o: HubTlsOptions): Promise<HubTls> {
  const how = checked(o);
  if (how === 'off') return null;
  if (how !== 'self') return fromFiles(how.certFile, how.keyFile);
  const hosts = o.hosts?.length ? o.hosts : BIND_ALL.includes(o.bindHost) ? lanNames() : [o.bindHost];
  const tls = await loadOrCreateSelfManagedTls(path.join(dataDir, HUB_TLS_DIR), hosts, CA_NAME);
  return { cert: tls.cert, key: tls.key, pin: spkiPin(tls.caCert) };
}

/** The pin devices are paired with (null for a plain-HTTP loopback hub), without making a server certificate. */
export async function hubPin(dataDir: string, o: HubTlsOptions): Promise<string | null> {
  const how = checked(o);
  if (how === 'off') return null;
  if (how !== 'self') return fromFiles(how.certFile, how.keyFile).pin;
  return spkiPin(await loadOrCreateCa(path.join(dataDir, HUB_TLS_DIR), CA_NAME));
}
