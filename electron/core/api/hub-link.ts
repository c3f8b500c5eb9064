import type { TLSSocket } from 'node:tls';
import { fetch as undiciFetch } from 'undici';
import type { ClientOptions } from 'ws';
import { isLoopbackHost } from '@shared/sync/central-pin';
import { pinnedAgent, pinnedChainProblem, pinnedCreateConnection } from '../../../tls/pinned-connection';

export type HubLinkErrorCode = 'INSECURE_HUB_URL' | 'HUB_PIN_REQUIRED' | 'HUB_PIN_MISMATCH';

/** Why the device would not talk to that hub at all; nothing was sent, not even its token. */
export class HubLinkError extends Error {
  constructor(
    readonly code: HubLinkErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HubLinkError';
  }
}

/** The HubLinkError under a failed fetch or socket (undici wraps a refused connection in a TypeError). */
export function hubLinkErrorIn(e: unknown): HubLinkError | undefined {
  for (let c = e; c instanceof Error; c = c.cause) if (c instanceof HubLinkError) return c;
  return undefined;
}

/**
 * Refuses a hub address the device must not send its token to: plain `http://` beyond loopback (the
 * browser host and tests only), or `https://` without the pin it was paired with. Its own pin, not the
 * system's CAs: a hall's certificate is its own CA's, or its government CA's, and either is pinned.
 */
export function checkHubUrl(url: string, pin: string | undefined): void {
  const u = new URL(url);
  if (u.protocol === 'http:' && !isLoopbackHost(u.hostname)) {
    throw new HubLinkError(
      'INSECURE_HUB_URL',
      `the hall hub at ${u.host} over plain http:// is refused: only loopback may be; use https:// and its pin`,
    );
  }
  if (u.protocol === 'https:' && !pin) {
    throw new HubLinkError('HUB_PIN_REQUIRED', 'the hall hub over https:// needs its pin, printed with the token');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new HubLinkError('INSECURE_HUB_URL', `the hall hub at ${url}: not an http(s) address`);
  }
}

const refusal = (pin: string) => (socket: TLSSocket, host: string) => {
  const why = pinnedChainProblem(socket, host, pin, 'the hall hub');
  return why === undefined ? undefined : new HubLinkError('HUB_PIN_MISMATCH', why);
};

/**
 * How a device reaches its hub, once checkHubUrl let the address through: a fetch and WebSocket options
 * that, over https://, complete a connection only to the holder of `pin` before a byte of a request (or
 * the upgrade) is sent. A refused connection surfaces as its HubLinkError (see hubLinkErrorIn).
 */
export function hubLink(url: string, pin: string | undefined): { fetch: typeof fetch; socket: ClientOptions } {
  checkHubUrl(url, pin);
  if (!url.startsWith('https:')) return { fetch, socket: {} };
  const agent = pinnedAgent(refusal(pin!));
  return {
    fetch: async (input, init) => {
      try {
        // undici's own fetch, as the dispatcher must be its Agent; the two Response types are the same at run time.
        return (await undiciFetch(input instanceof Request ? input.url : String(input), {
          ...(init as Parameters<typeof undiciFetch>[1]),
          dispatcher: agent,
        })) as unknown as Response;
      } catch (e) {
        throw hubLinkErrorIn(e) ?? e;
      }
    },
    // node:http takes a createConnection that answers through its callback; ws's type knows only the other form.
    socket: { createConnection: pinnedCreateConnection(refusal(pin!)) as unknown as ClientOptions['createConnection'] },
  };
}
