import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  ACTING_HEADER,
  HTTP_API,
  MAX_BODY_BYTES,
  contract,
  describeIssues,
  err,
  httpStatusOf,
  sessionRequestSchema,
  UNKNOWN_SESSION,
  type Err,
  type Result,
} from '@shared/api';
import { staffIdSchema } from '@shared/identity/staff';
import type { Dispatch } from '../api/dispatch';
import type { EventBus } from '../api/event-bus';
import { securityHeaders } from '../security/csp';
import type { Authenticator } from './authenticator';
import { SOCKET_MAX_FRAME_BYTES, attachSocket } from './socket-session';

export interface ApiServerOptions {
  dispatch: Dispatch;
  bus: EventBus;
  auth: Authenticator;
  /** Built renderer to serve at `/`; omitted on a hub that serves only the API. */
  staticDir?: string;
  host: string;
  port: number;
  /** HTTPS and WSS with this certificate (and its chain) and key; plain HTTP without (loopback only, see hub-tls.ts). */
  tls?: { cert: string; key: string };
  /** When listening on loopback, requests must name a loopback host (defeats DNS rebinding). */
  loopbackOnly?: boolean;
  logger?: boolean;
}

export interface ApiServer {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7) : undefined;
}

function send(reply: FastifyReply, result: Result<unknown>) {
  return reply.code(result.ok ? 200 : httpStatusOf(result.error.code)).send(result);
}

/** Fastify's own request errors (body too large, malformed JSON…) in the contract's envelope. */
function envelopeOf(error: { code?: string; statusCode?: number; message: string }, bodyLimit: number): Err {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.statusCode === 413) {
    return err('PAYLOAD_TOO_LARGE', `request body exceeds ${bodyLimit} bytes`);
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return err('INVALID_INPUT', `malformed request: ${error.message}`);
  }
  return err('INTERNAL', 'the server failed to handle the request');
}

/**
 * The contract over HTTP (`POST /api/v1/call/:method`) and WebSocket (`/api/v1/ws`), plus the built
 * renderer. Used by the browser host and, with device tokens, by the hall hub.
 */
export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const common = { logger: opts.logger ?? false, bodyLimit: MAX_BODY_BYTES };
  // Fastify types an HTTPS instance apart; the routes and hooks below are the same on both.
  const app = opts.tls
    ? (Fastify({ ...common, https: { cert: opts.tls.cert, key: opts.tls.key } }) as unknown as FastifyInstance)
    : Fastify(common);

  app.setErrorHandler((error: { code?: string; statusCode?: number; message: string }, req, reply) => {
    const envelope = envelopeOf(error, req.routeOptions.bodyLimit ?? MAX_BODY_BYTES);
    if (envelope.error.code === 'INTERNAL') req.log.error(error);
    return send(reply, envelope);
  });

  if (opts.loopbackOnly) {
    app.addHook('onRequest', async (req, reply) => {
      const host = (req.headers.host ?? '').replace(/:\d+$/, '');
      if (!LOOPBACK_HOSTS.has(host)) return send(reply, err('FORBIDDEN', 'this host answers loopback names only'));
    });
  }

  app.addHook('onSend', async (_req, reply) => {
    reply.headers(securityHeaders());
  });

  // A socket frame is read whole before its method is known: each call is held to its own limit later.
  await app.register(fastifyWebsocket, { options: { maxPayload: SOCKET_MAX_FRAME_BYTES } });

  const call = (method: string) => async (req: FastifyRequest, reply: FastifyReply) => {
    const token = bearer(req);
    const session = token === undefined ? undefined : opts.auth.authenticate(token);
    if (!session) {
      return send(reply, err('UNAUTHENTICATED', 'a valid bearer token is required', { reason: UNKNOWN_SESSION }));
    }
    const acting = staffIdSchema.safeParse(req.headers[ACTING_HEADER]);
    const device =
      session.device?.delegated && acting.success ? { ...session.device, actingStaffId: acting.data } : session.device;
    const result = await opts.dispatch(
      { role: session.role, transport: 'http', origin: session.id, device },
      method,
      req.body,
    );
    return send(reply, result);
  };
  app.post<{ Params: { method: string } }>(HTTP_API.callRoute, (req, reply) => call(req.params.method)(req, reply));
  // Methods that carry files get a route of their own, so Fastify counts their bodies against their
  // own limit while every other call keeps the default one (a static route wins over `:method`).
  for (const [method, def] of Object.entries(contract)) {
    const bodyLimit: number | undefined = def.maxInputBytes;
    if (bodyLimit !== undefined) app.post(HTTP_API.call(method), { bodyLimit }, call(method));
  }

  if (opts.auth.openSession) {
    const openSession = opts.auth.openSession;
    app.post(HTTP_API.session, async (req, reply) => {
      const parsed = sessionRequestSchema.safeParse(req.body);
      if (!parsed.success) {
        return send(reply, err('INVALID_INPUT', 'invalid session request', { issues: describeIssues(parsed.error) }));
      }
      try {
        const { token, session } = openSession(parsed.data.role);
        return reply.send({ ok: true, value: { token, role: session.role } });
      } catch (e) {
        return send(reply, err('FORBIDDEN', (e as Error).message));
      }
    });
  }

  app.get(HTTP_API.socket, { websocket: true }, (socket) => {
    attachSocket(socket, { auth: opts.auth, dispatch: opts.dispatch, bus: opts.bus });
  });

  if (opts.staticDir) {
    if (!fs.existsSync(opts.staticDir))
      throw new Error(`renderer build not found at ${opts.staticDir}; run npm run build`);
    await app.register(fastifyStatic, { root: opts.staticDir, prefix: '/', index: ['index.html'] });
  }

  await app.listen({ host: opts.host, port: opts.port });
  const { port } = app.server.address() as AddressInfo;
  const shownHost = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  const scheme = opts.tls ? 'https' : 'http';
  return { app, url: `${scheme}://${shownHost}:${port}`, close: () => app.close() };
}
