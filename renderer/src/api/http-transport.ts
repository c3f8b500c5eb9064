import {
  HTTP_API,
  SOCKET_CLOSE,
  UNKNOWN_SESSION,
  err,
  resultSchema,
  sessionResponseSchema,
  socketServerMessageSchema,
  type Result,
  type Role,
} from '@shared/api';
import { readScreenToken } from './screen-token';
import type { ConnectionState, Transport } from './transport';

const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 15_000;

/**
 * The contract over HTTP (calls) and WebSocket (events) to the browser host or hall hub. The socket
 * reconnects by itself with backoff and jitter; listeners hear 'online' again and re-fetch state.
 */
const DEVICE_TOKEN_KEY = 'onewindow.deviceToken';

function readDeviceToken(): string | null {
  const fromUrl = new URLSearchParams(window.location.hash.split('?')[1] ?? '').get('token');
  if (fromUrl) window.localStorage.setItem(DEVICE_TOKEN_KEY, fromUrl);
  return fromUrl ?? window.localStorage.getItem(DEVICE_TOKEN_KEY);
}

export function createHttpTransport(role: Role, base = window.location.origin): Transport {
  let token: Promise<string> | undefined;
  const eventListeners = new Set<(name: string, payload: unknown) => void>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = 'connecting';
  let socket: WebSocket | undefined;
  let attempt = 0;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const setState = (next: ConnectionState) => {
    state = next;
    for (const l of connectionListeners) l(next);
  };

  async function openSession(): Promise<string> {
    const res = await fetch(`${base}${HTTP_API.session}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role }),
    });
    const body = resultSchema.parse(await res.json());
    if (!body.ok) throw new Error(body.error.message);
    return sessionResponseSchema.parse(body.value).token;
  }
  // A browser-only device on the hall hub (e.g. a hall screen) carries the device token it was enrolled
  // with: once in the URL (`#/display?token=…`), then remembered. Without one, a local session is opened.
  // A paired rating screen's bearer is its screen token (renderer/src/api/screen-token.ts).
  const deviceToken = role === 'rate' ? readScreenToken() : readDeviceToken();
  // The person signed in on a session stays with it: a reload of the tab, or the print frame it opens,
  // keeps the tab's session (sessionStorage is per tab and shared with same-origin frames).
  const remembered = `onewindow.session.${role}`;
  const session = (renew = false) => {
    if (deviceToken) return Promise.resolve(deviceToken);
    if (!renew && !token) {
      const kept = window.sessionStorage.getItem(remembered);
      if (kept) token = Promise.resolve(kept);
    }
    if (renew || !token) {
      token = openSession();
      token.then(
        (t) => window.sessionStorage.setItem(remembered, t),
        () => (token = undefined),
      );
    }
    return token;
  };

  async function post(method: string, input: unknown, renew: boolean): Promise<Result<unknown>> {
    const res = await fetch(`${base}${HTTP_API.call(method)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await session(renew)}` },
      body: JSON.stringify(input ?? null),
    });
    const parsed = resultSchema.safeParse(await res.json());
    return parsed.success
      ? (parsed.data as Result<unknown>)
      : err('INTERNAL', 'the server answered outside the contract');
  }

  function scheduleReconnect() {
    if (closed) return;
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** attempt) * (0.5 + Math.random() / 2);
    attempt += 1;
    timer = setTimeout(() => void connect(), delay);
  }

  async function connect(renew = false) {
    if (closed) return;
    let t: string;
    try {
      t = await session(renew);
    } catch {
      if (state !== 'offline') setState('offline');
      scheduleReconnect();
      return;
    }
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}${HTTP_API.socket}`);
    socket = ws;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', token: t }));
    ws.onmessage = (e) => {
      const msg = socketServerMessageSchema.safeParse(JSON.parse(String(e.data)));
      if (!msg.success) return;
      if (msg.data.type === 'welcome') {
        attempt = 0;
        setState('online');
      } else if (msg.data.type === 'event') {
        for (const l of eventListeners) l(msg.data.name, msg.data.payload);
      }
    };
    ws.onclose = (e) => {
      if (socket !== ws || closed) return;
      if (state !== 'offline') setState('offline');
      // The host restarted and forgot our session: open a new one before reconnecting.
      if (e.code === SOCKET_CLOSE.unauthenticated) token = undefined;
      scheduleReconnect();
    };
  }
  void connect();

  return {
    kind: 'http',
    async call(method, input) {
      try {
        const first = await post(method, input, false);
        // Only the host forgetting this tab's session calls for a new one: a new session has nobody signed
        // in, so renewing on a refusal relayed from elsewhere (central refusing a person) would sign the page out.
        const unknown = (first.ok ? undefined : (first.error.details as { reason?: unknown } | undefined))?.reason;
        if (!first.ok && first.error.code === 'UNAUTHENTICATED' && unknown === UNKNOWN_SESSION) {
          return await post(method, input, true);
        }
        return first;
      } catch {
        return err('UNAVAILABLE', 'the OneWindow host cannot be reached');
      }
    },
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      listener(state);
      return () => connectionListeners.delete(listener);
    },
    close() {
      closed = true;
      clearTimeout(timer);
      socket?.close();
    },
  };
}
