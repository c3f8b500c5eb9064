import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CONSOLE_API } from '@shared/console/session';
import { TRACKING_PATH } from '@shared/console/tracking';
import { INSIGHT_INTAKE_PATH, INSIGHT_TICKETS_PATH } from '@shared/sync/insight-queries';
import { zoneReaches, type SecurityZone } from '@shared/sync/zones';
import type { Device } from '../store/hall-store';
import { CONSOLE_PREFIX } from '../routes/console-routes';
import { UPDATES_PREFIX } from '../routes/update-routes';

/**
 * The security zone of every central endpoint, by path prefix (the longest one that matches wins): the
 * lowest zone whose devices or people may use it. A device's requests are held to it (`deviceZoneGate`);
 * the console's people reach central from the zone their network is in, which the deployment's firewall
 * keeps to what is listed here (docs/ARCHITECTURE.md, "Security zones").
 */
export const ENDPOINT_ZONES: readonly { prefix: string; zone: SecurityZone }[] = [
  // What anyone may read: health, the tracking page, the Open311 read API, signed updates.
  { prefix: '/healthz', zone: 'public' },
  { prefix: TRACKING_PATH, zone: 'public' },
  { prefix: '/open311', zone: 'public' },
  { prefix: UPDATES_PREFIX.replace(/\/$/, ''), zone: 'public' },
  // Every enrolled device syncs; what each may pull is decided kind by kind (shared/sync/zones.ts).
  { prefix: '/sync/v1', zone: 'public' },
  // An applicant's cross-hall profile and the hall's dashboard figures.
  { prefix: '/sync/v1/applicants', zone: 'government' },
  { prefix: INSIGHT_INTAKE_PATH, zone: 'government' },
  { prefix: INSIGHT_TICKETS_PATH, zone: 'government' },
  // The admin API and the console, for central's and the halls' staff.
  { prefix: '/admin/v1', zone: 'government' },
  { prefix: CONSOLE_PREFIX, zone: 'government' },
  { prefix: CONSOLE_API, zone: 'government' },
  // Leader content: the leader's office and a leader's 批示.
  { prefix: `${CONSOLE_API}/office`, zone: 'core' },
  { prefix: '/admin/v1/leaders', zone: 'core' },
];

const covers = (prefix: string, url: string) =>
  url === prefix || url.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);

/** The zone of a route (its path as registered); undefined: none, which central refuses to start with. */
export function endpointZone(url: string): SecurityZone | undefined {
  let best: { prefix: string; zone: SecurityZone } | undefined;
  for (const e of ENDPOINT_ZONES) {
    if (covers(e.prefix, url) && (!best || e.prefix.length > best.prefix.length)) best = e;
  }
  return best?.zone;
}

/** Register before any route: a route added without a zone stops central from starting. */
export function requireEndpointZones(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (!endpointZone(route.url)) throw new Error(`central route ${route.url} has no security zone (ENDPOINT_ZONES)`);
  });
}

/**
 * 403 ZONE_FORBIDDEN for a device whose zone is below its route's: a counter moved onto the public network
 * loses the applicant lookup, whatever its role.
 */
export async function deviceZoneGate(req: FastifyRequest, reply: FastifyReply, device: Device) {
  const needed = endpointZone(req.routeOptions.url ?? '') ?? 'core';
  if (!zoneReaches(device.zone, needed)) {
    return reply.code(403).send({ error: 'ZONE_FORBIDDEN', zone: device.zone, needed });
  }
}
