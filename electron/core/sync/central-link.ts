import crypto from 'node:crypto';
import tls, { type PeerCertificate, type TLSSocket } from 'node:tls';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';
import { isLoopbackHost } from '@shared/sync/central-pin';

export type CentralLinkErrorCode = 'INSECURE_CENTRAL_URL' | 'CENTRAL_PIN_REQUIRED' | 'CENTRAL_PIN_MISMATCH';

/** Why the device would not talk to that central at all; no request was sent. */
export class CentralLinkError extends Error {
  constructor(
    readonly code: CentralLinkErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CentralLinkError';
  }
}

const spkiPinOf = (der: Buffer) =>
  `sha256/${crypto
    .createHash('sha256')
    .update(new crypto.X509Certificate(der).publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64')}`;

/** The chain as the server sent it, server certificate first. */
function presentedChain(socket: TLSSocket): PeerCertificate[] {
  const chain: PeerCertificate[] = [];
  let c: tls.DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  while (c?.raw && !chain.some((x) => x.raw.equals(c!.raw))) {
    chain.push(c);
    c = c.issuerCertificate;
  }
  return chain;
}

/**
 * Whether the server proved it is the pinned central: its certificate names `host` and is in date, and
 * it, or a certificate up the chain it sent, has the pinned key, each one signed by the next. The TLS
 * handshake already proved the server holds its certificate's key; the signatures prove the pinned key
 * vouched for it. No system CA counts: a certificate any public or corporate CA issued is refused.
 */
export function checkPinnedChain(socket: TLSSocket, host: string, pin: string): Error | undefined {
  const chain = presentedChain(socket);
  const leaf = chain[0];
  if (!leaf) return new CentralLinkError('CENTRAL_PIN_MISMATCH', 'central presented no certificate');
  const wrongName = tls.checkServerIdentity(host, leaf);
  if (wrongName) return new CentralLinkError('CENTRAL_PIN_MISMATCH', `central's certificate: ${wrongName.message}`);
  const now = Date.now();
  for (let i = 0; i < chain.length; i++) {
    const cert = new crypto.X509Certificate(chain[i]!.raw);
    if (now < Date.parse(cert.validFrom) || now > Date.parse(cert.validTo)) break;
    if (spkiPinOf(chain[i]!.raw) === pin) return undefined;
    const issuer = chain[i + 1] && new crypto.X509Certificate(chain[i + 1]!.raw);
    if (!issuer?.ca || !cert.checkIssued(issuer) || !cert.verify(issuer.publicKey)) break;
  }
  return new CentralLinkError(
    'CENTRAL_PIN_MISMATCH',
    `central at ${host} did not present a certificate chain to the pinned key ${pin}: refused`,
  );
}

/** An HTTPS agent that completes a connection only to the holder of `pin`. */
function pinnedAgent(pin: string): Agent {
  // The system's CAs are not asked: the pin decides, checked below before any byte of a request. No
  // session is resumed: a resumed handshake shows no certificate to check.
  const connectTls = buildConnector({ rejectUnauthorized: false, maxCachedSessions: 0 });
  return new Agent({
    connect(options, callback) {
      connectTls(options, (err, socket) => {
        if (err) return callback(err, null);
        const refused = checkPinnedChain(socket as TLSSocket, options.hostname, pin);
        if (!refused) return callback(null, socket!);
        socket!.destroy();
        callback(refused, null);
      });
    },
  });
}

const agents = new Map<string, Agent>();

/** The CentralLinkError under a failed fetch (undici wraps a refused connection in a TypeError). */
export function linkErrorIn(e: unknown): CentralLinkError | undefined {
  for (let c = e; c instanceof Error; c = c.cause) if (c instanceof CentralLinkError) return c;
  return undefined;
}

/** Refuses a central URL the device must not send anything to: plain `http://` beyond loopback. */
export function checkCentralUrl(url: string, pin: string | null): void {
  const u = new URL(url);
  if (u.protocol === 'http:' && !isLoopbackHost(u.hostname)) {
    throw new CentralLinkError(
      'INSECURE_CENTRAL_URL',
      `central at ${u.host} over plain http:// is refused: only loopback may be; use https:// and its pin`,
    );
  }
  if (u.protocol === 'https:' && !pin) {
    throw new CentralLinkError('CENTRAL_PIN_REQUIRED', 'central over https:// needs its pin, shown beside the code');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new CentralLinkError('INSECURE_CENTRAL_URL', `central at ${url}: not an http(s) address`);
  }
}

/**
 * The fetch every call to central goes through: it checks the address (checkCentralUrl), sends
 * https:// only over a connection to the holder of `pin`, and turns a refused connection into its
 * CentralLinkError. `fetch`: a test's transport, which then replaces the network (the checks still run).
 */
export function centralFetch(pin: string | null, injected?: typeof fetch): typeof fetch {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    checkCentralUrl(url, pin);
    try {
      if (injected) return await injected(input, init);
      if (!url.startsWith('https:')) return await fetch(input, init);
      let agent = agents.get(pin!);
      if (!agent) agents.set(pin!, (agent = pinnedAgent(pin!)));
      // undici's own fetch, as the dispatcher must be its Agent; the two Response types are the same at run time.
      return (await undiciFetch(url, {
        ...(init as Parameters<typeof undiciFetch>[1]),
        dispatcher: agent,
      })) as unknown as Response;
    } catch (e) {
      throw linkErrorIn(e) ?? e;
    }
  };
}
