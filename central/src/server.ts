import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type pg from 'pg';
import { createMutationRegistry, type MutationRegistry } from '@shared/sync/registry';
import { mutationDefs } from '@shared/sync/mutations';
import { SYNC_SCHEMA_VERSION } from '@shared/sync/version';
import { identityRoutes } from './identity/identity-routes';
import { adminRoutes } from './routes/admin-routes';
import { bearer } from './routes/auth';
import { deviceRoutes } from './routes/device-routes';
import { insightIntakeRoute } from './routes/insight-intake-route';
import { insightTicketsRoute } from './routes/insight-tickets-route';
import { DEFAULT_NUDGE_OPTIONS, nudgeRoute, type NudgeOptions } from './routes/nudge-route';
import { updateRoutes } from './routes/update-routes';
import { sha256 } from './store/hall-store';
import { identityAppliers } from './identity/identity-appliers';
import { defaultAppliers, type Applier } from './sync/appliers';

export interface CentralOptions {
  pool: pg.Pool;
  /**
   * The shared admin token of deployments from before staff accounts (CENTRAL_ADMIN_TOKEN): it only
   * exchanges, once, for the first central administrator. Absent or blank: no exchange.
   */
  adminToken?: string;
  registry?: MutationRegistry;
  appliers?: Record<string, Applier>;
  /** The sync schema versions accepted; others get 426. */
  schema?: { min: number; max: number };
  /** Requests per minute per token (or per address without one). */
  rateLimitPerMinute?: number;
  logger?: FastifyServerOptions['logger'];
  /** Folder served read-only at `/updates/` for the devices' updater; absent: no `/updates/`. */
  updatesDir?: string;
  /**
   * The devices' live nudge streams (on unless false). They need a LISTEN connection beside the pool, so
   * the embedded single-backend PostgreSQL runs without them (its devices poll).
   */
  nudges?: false | Partial<NudgeOptions>;
}

/** 4 MiB: a full push batch of large mutations fits; anything bigger is refused with 413 before parsing. */
export const CENTRAL_BODY_LIMIT = 4 * 1024 * 1024;

export async function buildCentral(opts: CentralOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: CENTRAL_BODY_LIMIT });
  await app.register(rateLimit, {
    max: opts.rateLimitPerMinute ?? 600,
    timeWindow: 60_000,
    // Per device (its token's hash), so one chatty device cannot starve a hall behind the same NAT.
    keyGenerator: (req) => {
      const token = bearer(req);
      return token ? sha256(token) : req.ip;
    },
  });
  const deps = {
    pool: opts.pool,
    registry: opts.registry ?? createMutationRegistry(mutationDefs),
    appliers: opts.appliers ?? { ...defaultAppliers, ...identityAppliers },
    schema: opts.schema ?? { min: 1, max: SYNC_SCHEMA_VERSION },
  };
  app.get('/healthz', async () => ({ ok: true }));
  deviceRoutes(app, deps);
  insightIntakeRoute(app, opts.pool);
  insightTicketsRoute(app, opts.pool);
  identityRoutes(app, opts.pool, opts.adminToken);
  adminRoutes(app, opts.pool);
  if (opts.updatesDir) await updateRoutes(app, opts.updatesDir);
  if (opts.nudges !== false) await nudgeRoute(app, opts.pool, { ...DEFAULT_NUDGE_OPTIONS, ...opts.nudges });
  return app;
}
