import type { FastifyInstance } from 'fastify';
import { NUDGE_EVENT, NUDGES_PATH } from '@shared/sync/nudges';
import type { Db } from '../db/pool';
import type { NudgeHub } from '../sync/nudge-hub';
import { requireDevice } from './auth';

/**
 * The device's nudge stream (Server-Sent Events): data-free "pull" events, and a comment every
 * `heartbeatMs` so proxies keep an idle stream open and the device notices a dead one.
 */
export function nudgeRoute(app: FastifyInstance, db: Db, hub: NudgeHub, heartbeatMs: number) {
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
