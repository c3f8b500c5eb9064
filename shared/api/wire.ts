import { z } from 'zod';
import { roleSchema } from './role-schema';
import { apiErrorSchema, resultSchema, type ErrorCode } from './result';

/** Paths of the HTTP/WebSocket transport, shared by server and clients. */
/**
 * On a call a hall device forwards to its hub: the staff id of the person its core signed in. Only a
 * device token's word is taken for it (the hub looks the person up in its own accounts); a page's
 * session never sets who it is this way.
 */
export const ACTING_HEADER = 'x-onewindow-acting';

export const HTTP_API = {
  call: (method: string) => `/api/v1/call/${encodeURIComponent(method)}`,
  callRoute: '/api/v1/call/:method',
  session: '/api/v1/session',
  socket: '/api/v1/ws',
} as const;

/** Largest input a method accepts unless it declares its own `maxInputBytes`; bigger is refused before parsing. */
export const MAX_BODY_BYTES = 1024 * 1024;

export const sessionRequestSchema = z.object({ role: roleSchema }).strict();
export const sessionResponseSchema = z.object({ token: z.string(), role: roleSchema });

/** Client → server over the WebSocket. The first message must be `hello`. */
export const socketClientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), token: z.string().min(1).max(200) }).strict(),
  z
    .object({
      type: z.literal('call'),
      id: z.number().int().nonnegative(),
      method: z.string().min(1).max(100),
      input: z.unknown(),
    })
    .strict(),
]);
export type SocketClientMessage = z.infer<typeof socketClientMessageSchema>;

/** Server → client over the WebSocket. */
export const socketServerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('welcome'), role: roleSchema }),
  z.object({ type: z.literal('result'), id: z.number(), result: resultSchema }),
  z.object({ type: z.literal('event'), name: z.string(), payload: z.unknown() }),
  z.object({ type: z.literal('error'), error: apiErrorSchema }),
]);
export type SocketServerMessage = z.infer<typeof socketServerMessageSchema>;

/**
 * `details.reason` of the host's own refusal of a bearer it does not know (a restart, an evicted session):
 * the one UNAUTHENTICATED after which a page opens a new session. A refusal the core relays from
 * elsewhere (central refusing a person's sign-in) says nothing about the page's own session.
 */
export const UNKNOWN_SESSION = 'UNKNOWN_SESSION';

/** WebSocket close codes (4000–4999 are the application's). */
/** `revoked`: the token that opened the socket no longer authenticates (the device was revoked or removed). */
export const SOCKET_CLOSE = { unauthenticated: 4401, revoked: 4403, helloTimeout: 4408, serverClosing: 4503 } as const;

const HTTP_STATUS: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  SIGN_IN_REQUIRED: 401,
  FORBIDDEN: 403,
  UNKNOWN_METHOD: 404,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};
/** HTTP status for an error code; the body is always the result envelope. */
export const httpStatusOf = (code: ErrorCode) => HTTP_STATUS[code];
