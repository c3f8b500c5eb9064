import fs from 'node:fs';
import { isLoopbackHost } from '@shared/sync/central-pin';
import { loadOrCreateSelfManagedTls } from '../../../tls/self-managed-ca';
import { pemCertificates, spkiPin } from '../../../tls/spki-pin';

/** What central serves: HTTPS with its certificate and the pin devices enrol with, or plain HTTP. */
export type CentralTls = { cert: string; key: string; pin: string } | null;

/**
 * Central's TLS from the environment, checked before anything starts:
 * - CENTRAL_TLS_CERT and CENTRAL_TLS_KEY, PEM files: that certificate (with its chain, up to the CA
 *   the devices pin, which is the file's last certificate);
 * - otherwise its self-managed CA in `keysDir`, with a server certificate for CENTRAL_TLS_HOSTS
 *   (comma-separated names and addresses; default: HOST);
 * - CENTRAL_TLS=auto (default) serves plain HTTP on a loopback HOST only, =on always HTTPS, =off never:
 *   it refuses any HOST but loopback, so no device token or case data crosses a network in clear.
 */
export async function centralTlsFromEnv(env: NodeJS.ProcessEnv, keysDir: string, host: string): Promise<CentralTls> {
  const mode = env.CENTRAL_TLS?.trim() || 'auto';
  if (!['auto', 'on', 'off'].includes(mode)) throw new Error(`CENTRAL_TLS is auto, on or off, not ${mode}`);
  const certFile = env.CENTRAL_TLS_CERT?.trim();
  const keyFile = env.CENTRAL_TLS_KEY?.trim();
  if (!certFile !== !keyFile) throw new Error('CENTRAL_TLS_CERT and CENTRAL_TLS_KEY go together');
  if (mode === 'off') {
    if (!isLoopbackHost(host)) {
      throw new Error(`CENTRAL_TLS=off serves plain HTTP, which central does on loopback only, not on HOST=${host}`);
    }
    return null;
  }
  if (certFile && keyFile) {
    const cert = fs.readFileSync(certFile, 'utf8');
    const chain = pemCertificates(cert);
    if (chain.length === 0) throw new Error(`CENTRAL_TLS_CERT holds no PEM certificate: ${certFile}`);
    return { cert, key: fs.readFileSync(keyFile, 'utf8'), pin: spkiPin(chain[chain.length - 1]!) };
  }
  if (mode === 'auto' && isLoopbackHost(host)) return null;
  const hosts = (env.CENTRAL_TLS_HOSTS ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  if (hosts.length === 0) {
    if (['0.0.0.0', '::'].includes(host)) {
      throw new Error(`HOST=${host} binds every address: name the ones devices use in CENTRAL_TLS_HOSTS`);
    }
    hosts.push(host);
  }
  const tls = await loadOrCreateSelfManagedTls(keysDir, hosts, 'OneWindow central CA');
  return { cert: tls.cert, key: tls.key, pin: spkiPin(tls.caCert) };
}
