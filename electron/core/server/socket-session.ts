import type { WebSocket } from 'ws';
import {
  SOCKET_CLOSE,
  describeIssues,
  err,
  eventsForRole,
  socketClientMessageSchema,
  type SocketServerMessage,
} from '@shared/api';
import type { Dispatch } from '../api/dispatch';
import type { EventBus } from '../api/event-bus';
import type { Authenticator, Session } from './authenticator';

const HELLO_TIMEOUT_MS = 5000;

/**
 * One WebSocket connection: it must say `hello` with its token first (browsers cannot set headers on
 * a WebSocket), then may call methods and receives the events its role may see.
 */
export function attachSocket(socket: WebSocket, deps: { auth: Authenticator; dispatch: Dispatch; bus: EventBus }) {
  let session: Session | undefined;
  let unsubscribe: (() => void) | undefined;
  const out = (msg: SocketServerMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(msg));
  };
  const helloTimer = setTimeout(() => socket.close(SOCKET_CLOSE.helloTimeout, 'hello expected'), HELLO_TIMEOUT_MS);

  socket.on('message', (data, isBinary) => {
    let raw: unknown;
    try {
      raw = isBinary ? undefined : JSON.parse(String(data));
    } catch {
      raw = undefined;
    }
    const parsed = socketClientMessageSchema.safeParse(raw);
    if (!parsed.success) {
      out({
        type: 'error',
        error: err('INVALID_INPUT', 'malformed message', { issues: describeIssues(parsed.error) }).error,
      });
      return;
    }
    const msg = parsed.data;
    if (msg.type === 'hello') {
      const found = deps.auth.authenticate(msg.token);
      if (!found) {
        socket.close(SOCKET_CLOSE.unauthenticated, 'unauthenticated');
        return;
      }
      clearTimeout(helloTimer);
      session = found;
      const allowed = new Set<string>(eventsForRole(found.role));
      unsubscribe?.();
      unsubscribe = deps.bus.subscribe((name, payload) => {
        if (allowed.has(name)) out({ type: 'event', name, payload });
      });
      out({ type: 'welcome', role: found.role });
      return;
    }
    if (!session) {
      out({ type: 'result', id: msg.id, result: err('UNAUTHENTICATED', 'say hello with a token first') });
      return;
    }
    const caller = { role: session.role, transport: 'ws' as const, origin: session.id };
    void deps.dispatch(caller, msg.method, msg.input).then((result) => out({ type: 'result', id: msg.id, result }));
  });

  socket.on('close', () => {
    clearTimeout(helloTimer);
    unsubscribe?.();
  });
}
