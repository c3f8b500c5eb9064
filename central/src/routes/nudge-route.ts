import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { NUDGE_EVENT, NUDGES_PATH } from '@shared/sync/nudges';
import type { Db } from '../db/pool';
import { createNudgeHub, type NudgeHub } from '../sync/nudge-hub';
import { startNudgeListener } from '../sync/nudge-listener';
import { requireDevice } from './auth';

export interface NudgeOptions {
  /** Comment written on an idle stream, so proxies keep it open. */
  heartbeatMs: number;
  maxStreamsPerDevice: number;
  /** Pause before the LISTEN connection is opened again after it was lost. */
  listenRetryMs: number;
}

export const DEFAULT_NUDGE_OPTIONS: NudgeOptions = {
  heartbeatMs: 25_000,
  maxStreamsPerDevice: 2,
  listenRetryMs: 2_000,
};

/** Live nudges: this process's streams, fed by its LISTEN connection, and the route that opens them. */
export async function nudgeRoute(app: FastifyInstance, db: Db, options: NudgeOptions) {
  const hub = createNudgeHub(options);
  const listener = await startNudgeListener({
    config: db.options,
    hub,
    retryMs: options.listenRetryMs,
    log: app.log,
  });
  streamRoute(app, db, hub, options.heartbeatMs);
  // Open streams would hold the server's close forever. So would a connection that never sent a request
  // (fetch opens a spare one when a device aborts its stream), which Node's closeIdleConnections skips.
  const unused = new Set<Socket>();
  app.server.on('connection', (socket: Socket) => {
    unused.add(socket);
    socket.once('close', () => unused.delete(socket));
  });
  app.server.on('request', (req: IncomingMessage) => unused.delete(req.socket));
  app.addHook('preClose', async () => {
    hub.closeAll();
    for (const socket of unused) socket.destroy();
  });
  app.addHook('onClose', async () => listener.close());
}

/**
 * The device's nudge stream (Server-Sent Events): data-free "pull" events, and a comment every
 * `heartbeatMs` so proxies keep an idle stream open and the device notices a dead one.
 */
function streamRoute(app: FastifyInstance, db: Db, hub: NudgeHub, heartbeatMs: number) {
  app.get(NUDGES_PATH, { preHandler: requireDevice(db) }, (req, reply) => {
    const device = req.device!;
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      // nginx would otherwise buffer the stream and hold the events back.
      'x-accel-buffering': 'no',
    });
    res.write(': open\n\n');
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
    const detach = hub.attach({
      deviceId: device.id,
      hallId: device.hallId,
      leaderId: device.leaderId,
      nudge: () => res.write(`event: ${NUDGE_EVENT}\ndata:\n\n`),
      close: () => res.end(),
    });
    res.on('close', () => {
      clearInterval(heartbeat);
      detach();
    });
  });
}
