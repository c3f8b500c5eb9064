import type { WebSocket } from 'ws';
import {
  MAX_BODY_BYTES,
  MAX_INPUT_BYTES,
  SOCKET_CLOSE,
  describeIssues,
  err,
  eventsForRole,
  inputLimitOf,
  methodsForRole,
  socketClientMessageSchema,
  type SocketServerMessage,
} from '@shared/api';
import type { Dispatch } from '../api/dispatch';
import type { EventBus } from '../api/event-bus';
import { eventReaches } from '../api/event-filter';
import type { Authenticator, Session } from './authenticator';

const HELLO_TIMEOUT_MS = 5000;
/** What a `call` frame adds around its input: type, id and a method name of at most 100 characters. */
const CALL_ENVELOPE_BYTES = 256;
/** The largest frame the socket reads at all; ws closes the connection (1009) on anything bigger. */
export const SOCKET_MAX_FRAME_BYTES = MAX_INPUT_BYTES + CALL_ENVELOPE_BYTES;

/**
 * One WebSocket connection: it must say `hello` with its token first (browsers cannot set headers on
 * a WebSocket), then may call methods and receives the events its role may see.
 */
export function attachSocket(socket: WebSocket, deps: { auth: Authenticator; dispatch: Dispatch; bus: EventBus }) {
  let session: Session | undefined;
  let token: string | undefined;
  let unsubscribe: (() => void) | undefined;
  let unwatch: (() => void) | undefined;
  // A token revoked after hello ends the socket: it must not keep the rights it was opened with.
  const revoked = () => {
    if (token === undefined || deps.auth.authenticate(token)) return false;
    socket.close(SOCKET_CLOSE.revoked, 'revoked');
    return true;
  };
  let frameLimit = MAX_BODY_BYTES;
  const out = (msg: SocketServerMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(msg));
  };
  const helloTimer = setTimeout(() => socket.close(SOCKET_CLOSE.helloTimeout, 'hello expected'), HELLO_TIMEOUT_MS);

  socket.on('message', (data, isBinary) => {
    const text = isBinary ? undefined : String(data);
    const size = text === undefined ? 0 : Buffer.byteLength(text);
    // Nothing bigger than the largest call this socket's role may make is parsed at all.
    if (size > frameLimit) {
      out({ type: 'error', error: err('PAYLOAD_TOO_LARGE', `message exceeds ${frameLimit} bytes`).error });
      return;
    }
    let raw: unknown;
    try {
      raw = text === undefined ? undefined : JSON.parse(text);
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
      frameLimit = Math.max(...methodsForRole(found.role).map(inputLimitOf)) + CALL_ENVELOPE_BYTES;
      const allowed = new Set<string>(eventsForRole(found.role));
      token = msg.token;
      const helloToken = msg.token;
      unwatch?.();
      unwatch = deps.auth.onChange?.(revoked);
      unsubscribe?.();
      unsubscribe = deps.bus.subscribe((name, payload) => {
        if (!allowed.has(name)) return;
        const who = { role: found.role, binding: () => deps.auth.authenticate(helloToken)?.device };
        if (eventReaches(who, name, payload)) out({ type: 'event', name, payload });
      });
      out({ type: 'welcome', role: found.role });
      return;
    }
    if (!session) {
      out({ type: 'result', id: msg.id, result: err('UNAUTHENTICATED', 'say hello with a token first') });
      return;
    }
    if (revoked()) return;
    const limit = inputLimitOf(msg.method);
    if (size > limit + CALL_ENVELOPE_BYTES) {
      out({ type: 'result', id: msg.id, result: err('PAYLOAD_TOO_LARGE', `input exceeds ${limit} bytes`) });
      return;
    }
    const caller = { role: session.role, transport: 'ws' as const, origin: session.id, device: session.device };
    void deps.dispatch(caller, msg.method, msg.input).then((result) => out({ type: 'result', id: msg.id, result }));
  });

  socket.on('close', () => {
    clearTimeout(helloTimer);
    unsubscribe?.();
    unwatch?.();
  });
}
