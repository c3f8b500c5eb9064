import WebSocket from 'ws';
import {
  ACTING_HEADER,
  HTTP_API,
  err,
  events,
  resultSchema,
  socketServerMessageSchema,
  type EventName,
  type Result,
} from '@shared/api';
import type { EventBus } from './event-bus';
import { hubLink, hubLinkErrorIn } from './hub-link';

const RECONNECT_MAX_MS = 15_000;

/**
 * A device whose hall queue (and staff accounts) live on the hall hub: the local dispatcher checks each
 * call, then `call` sends it to the hub over HTTP with this device's token. The hub's queue events are
 * relayed onto the local bus over a WebSocket that reconnects by itself; each reconnect is announced as
 * a `queue.changed` so pages re-fetch. A hub that cannot be reached answers UNAVAILABLE, never a guess.
 * Both go only to the hub paired with `pin` (hub-link.ts); an address it refuses throws its HubLinkError
 * here, before anything is sent.
 */
export function createHubForwarding(opts: { url: string; pin?: string; token: string; bus: EventBus }) {
  const base = opts.url.replace(/\/$/, '');
  const link = hubLink(base, opts.pin);
  /** `actingStaffId`: the person this device's core signed in, so the hub records who acted. */
  const call = async (method: string, input: unknown, actingStaffId?: string): Promise<Result<unknown>> => {
    try {
      const res = await link.fetch(`${base}${HTTP_API.call(method)}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${opts.token}`,
          ...(actingStaffId ? { [ACTING_HEADER]: actingStaffId } : {}),
        },
        body: JSON.stringify(input ?? null),
        signal: AbortSignal.timeout(10_000),
      });
      const parsed = resultSchema.safeParse(await res.json());
      return parsed.success
        ? (parsed.data as Result<unknown>)
        : err('UNAVAILABLE', 'the hall hub answered outside the contract');
    } catch (e) {
      const refused = hubLinkErrorIn(e);
      if (refused) return err('UNAVAILABLE', refused.message, { reason: refused.code });
      return err('UNAVAILABLE', 'the hall hub cannot be reached');
    }
  };

  let socket: WebSocket | undefined;
  let attempt = 0;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  const connect = () => {
    if (closed) return;
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}${HTTP_API.socket}`, link.socket);
    socket = ws;
    ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', token: opts.token })));
    ws.on('message', (data) => {
      let raw: unknown;
      try {
        raw = JSON.parse(String(data));
      } catch {
        return;
      }
      const msg = socketServerMessageSchema.safeParse(raw);
      if (!msg.success) return;
      if (msg.data.type === 'welcome') {
        attempt = 0;
        opts.bus.publish('queue.changed', { hallDay: '' });
      } else if (msg.data.type === 'event' && msg.data.name.startsWith('queue.') && msg.data.name in events) {
        const name = msg.data.name as EventName;
        const payload = events[name].payload.safeParse(msg.data.payload);
        if (payload.success) opts.bus.publish(name, payload.data as never);
      }
    });
    ws.on('error', () => undefined);
    ws.on('close', () => {
      if (closed) return;
      const delay = Math.min(RECONNECT_MAX_MS, 500 * 2 ** attempt) * (0.5 + Math.random() / 2);
      attempt += 1;
      timer = setTimeout(connect, delay);
    });
  };
  connect();

  return {
    call,
    close() {
      closed = true;
      clearTimeout(timer);
      socket?.close();
    },
  };
}
