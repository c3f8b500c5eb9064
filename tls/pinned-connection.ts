import crypto from 'node:crypto';
import type { ClientRequestArgs } from 'node:http';
import type { Socket } from 'node:net';
import net from 'node:net';
import tls, { type PeerCertificate, type TLSSocket } from 'node:tls';
import { Agent, buildConnector } from 'undici';
import { spkiPin } from './spki-pin';

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
 * Why the server `who` did not prove it holds the pinned key, or undefined when it did: its certificate
 * names `host` and is in date, and it, or a certificate up the chain it sent, has the pinned key, each one
 * signed by the next. The TLS handshake already proved the server holds its certificate's key; the
 * signatures prove the pinned key vouched for it. No system CA counts: a certificate any public or
 * corporate CA issued is refused.
 */
export function pinnedChainProblem(socket: TLSSocket, host: string, pin: string, who: string): string | undefined {
  const chain = presentedChain(socket);
  const leaf = chain[0];
  if (!leaf) return `${who} presented no certificate`;
  const wrongName = tls.checkServerIdentity(host, leaf);
  if (wrongName) return `${who}'s certificate: ${wrongName.message}`;
  const now = Date.now();
  for (let i = 0; i < chain.length; i++) {
    const cert = new crypto.X509Certificate(chain[i]!.raw);
    if (now < Date.parse(cert.validFrom) || now > Date.parse(cert.validTo)) break;
    if (spkiPin(chain[i]!.raw) === pin) return undefined;
    const issuer = chain[i + 1] && new crypto.X509Certificate(chain[i + 1]!.raw);
    if (!issuer?.ca || !cert.checkIssued(issuer) || !cert.verify(issuer.publicKey)) break;
  }
  return `${who} at ${host} did not present a certificate chain to the pinned key ${pin}: refused`;
}

/** Turns the reason a connection was refused into the caller's typed error. */
export type Refusal = (socket: TLSSocket, host: string) => Error | undefined;

/**
 * An undici agent (for fetch) that completes a connection only when `refusal` finds nothing: the system's
 * CAs are not asked, the pin decides, before any byte of a request. No session is resumed: a resumed
 * handshake shows no certificate to check.
 */
export function pinnedAgent(refusal: Refusal): Agent {
  const connectTls = buildConnector({ rejectUnauthorized: false, maxCachedSessions: 0 });
  return new Agent({
    connect(options, callback) {
      connectTls(options, (err, socket) => {
        if (err) return callback(err, null);
        const refused = refusal(socket as TLSSocket, options.hostname);
        if (!refused) return callback(null, socket!);
        socket!.destroy();
        callback(refused, null);
      });
    },
  });
}

/**
 * The same for node:http clients (the `ws` WebSocket): a `createConnection` that hands the request its
 * socket only once `refusal` finds nothing, so not even the upgrade request reaches anyone else.
 */
export function pinnedCreateConnection(refusal: Refusal) {
  return (options: ClientRequestArgs, done: (err: Error | null, socket?: Socket) => void): undefined => {
    const host = String(options.hostname ?? options.host ?? '').replace(/^\[|\]$/g, '');
    const socket = tls.connect({
      host,
      port: Number(options.port),
      servername: net.isIP(host) ? undefined : host,
      rejectUnauthorized: false,
    });
    let settled = false;
    const settle = (err: Error | null) => {
      if (settled) return;
      settled = true;
      socket.off('error', settle);
      if (err) socket.destroy();
      done(err, err ? undefined : socket);
    };
    socket.once('secureConnect', () => settle(refusal(socket, host) ?? null));
    socket.once('error', settle);
    return undefined;
  };
}
