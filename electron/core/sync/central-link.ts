import type { TLSSocket } from 'node:tls';
import { type Agent, fetch as undiciFetch } from 'undici';
import { isLoopbackHost } from '@shared/sync/central-pin';
import { pinnedAgent, pinnedChainProblem } from '../../../tls/pinned-connection';

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

/** Why central did not prove it holds the pinned key, as the typed error its caller gets. */
export function checkPinnedChain(socket: TLSSocket, host: string, pin: string): Error | undefined {
  const why = pinnedChainProblem(socket, host, pin, 'central');
  return why === undefined ? undefined : new CentralLinkError('CENTRAL_PIN_MISMATCH', why);
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
      if (!agent) agents.set(pin!, (agent = pinnedAgent((socket, host) => checkPinnedChain(socket, host, pin!))));
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
