import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type pg from 'pg';
import { createMutationRegistry, type MutationRegistry } from '@shared/sync/registry';
import { mutationDefs } from '@shared/sync/mutations';
import { SYNC_SCHEMA_VERSION } from '@shared/sync/version';
import { TRACKING_PATH } from '@shared/console/tracking';
import { attachmentRoutes, type AttachmentOptions } from './attachments/attachment-routes';
import { analysisRoutes } from './analysis/analysis-routes';
import { alarmConsoleRoutes } from './audit-anchor/alarm-console-routes';
import { administrationRoutes } from './administration/administration-routes';
import { caseworkRoutes, type CaseworkOptions } from './casework/casework-routes';
import { catalogRoutes } from './catalog/catalog-routes';
import { identityRoutes } from './identity/identity-routes';
import { officeRoutes } from './office/office-routes';
import { open311Routes } from './open311/open311-routes';
import { adminRoutes } from './routes/admin-routes';
import { consoleRoutes } from './routes/console-routes';
import { deviceRoutes } from './routes/device-routes';
import { insightIntakeRoute } from './routes/insight-intake-route';
import { insightTicketsRoute } from './routes/insight-tickets-route';
import { DEFAULT_NUDGE_OPTIONS, nudgeRoute, type NudgeOptions } from './routes/nudge-route';
import { rateLimitKey } from './routes/rate-key';
import { updateRoutes } from './routes/update-routes';
import { trackingRoutes } from './tracking/tracking-routes';
import { identityAppliers } from './identity/identity-appliers';
import { noticeRoutes } from './notices/notice-routes';
import type { NoticeWorkerOptions } from './notices/notice-worker';
import { defaultAppliers, type Applier } from './sync/appliers';
import { requireEndpointZones } from './zones/endpoint-zones';
import { leaderAppliers } from './sync/leader-appliers';
import { ephemeralLeaderSealKey, type LeaderSealKey } from './sync/leader-seal';

export interface CentralOptions {
  pool: pg.Pool;
  /**
   * The shared admin token of deployments from before staff accounts (CENTRAL_ADMIN_TOKEN): it only
   * exchanges, once, for the first central administrator. Absent: no exchange; shorter than
   * ADMIN_SECRET_MIN_LENGTH: central refuses to start.
   */
  adminToken?: string;
  registry?: MutationRegistry;
  appliers?: Record<string, Applier>;
  /** The sync schema versions accepted; others get 426. */
  schema?: { min: number; max: number };
  /** Requests per minute per token (or per address without one). */
  rateLimitPerMinute?: number;
  /**
   * Central's address as the public reaches it (CENTRAL_PUBLIC_URL, no trailing slash): devices learn the
   * tracking page's address from it at enrolment; Open311's discovery names it. Absent: devices get none.
   */
  publicUrl?: string;
  /**
   * The proxies in front of central (CENTRAL_TRUST_PROXY: addresses or subnets, comma-separated), whose
   * X-Forwarded-For names the client: the public pages' limits are per client address.
   */
  trustProxy?: string;
  logger?: FastifyServerOptions['logger'];
  /** Folder served read-only at `/updates/` for the devices' updater; absent: no `/updates/`. */
  updatesDir?: string;
  /**
   * The devices' live nudge streams (on unless false). They need a LISTEN connection beside the pool, so
   * the embedded single-backend PostgreSQL runs without them (its devices poll).
   */
  nudges?: false | Partial<NudgeOptions>;
  /**
   * Central's key pair for what leader devices seal for it (their 批示), from its key folder; absent: one
   * made in memory, which dies with the process (tests and tools only).
   */
  leaderSeal?: LeaderSealKey;
  /** The built web console (`out/console/`) served at `/console/`; absent: no console. */
  consoleDir?: string;
  /** The console's casework (its clock, the daily feedback escalation). */
  casework?: CaseworkOptions;
  /** Scanned pages from the counters and the console's view of them; absent: no attachment routes. */
  attachments?: AttachmentOptions;
  /**
   * The worker sending the applicants' SMS notices (its provider, retries); absent: notices queue in the
   * outbox and none is sent.
   */
  notices?: Omit<NoticeWorkerOptions, 'publicUrl'>;
  /**
   * A demo central (CENTRAL_DEMO=1): devices still on the public demo `idHashKey` may enrol with it.
   * Otherwise they are refused, so no hall's applicant hashes are made under a key anyone has.
   */
  demo?: boolean;
  /**
   * Central's certificate and key (PEM) and the pin devices enrol with (tls/central-tls.ts), shown with
   * every enrolment code; absent: plain HTTP, which run-central allows on loopback only.
   */
  tls?: { cert: string; key: string; pin: string };
}

/** 4 MiB: a full push batch of large mutations fits; anything bigger is refused with 413 before parsing. */
export const CENTRAL_BODY_LIMIT = 4 * 1024 * 1024;

/** An admin secret anyone could guess or brute-force online (OWASP ASVS 2.9/6.2: at least 128 bits). */
export const ADMIN_SECRET_MIN_LENGTH = 32;

/** Throws, naming `source`, when the admin secret is too short to guard the first administrator's creation. */
export function checkAdminSecret(token: string, source = 'the admin token'): void {
  if (token.trim().length < ADMIN_SECRET_MIN_LENGTH) {
    throw new Error(
      `${source} must be at least ${ADMIN_SECRET_MIN_LENGTH} characters (it has ${token.trim().length}); ` +
        'unset it, or set a random one, e.g. `openssl rand -base64 32`',
    );
  }
}

export async function buildCentral(opts: CentralOptions): Promise<FastifyInstance> {
  if (opts.adminToken !== undefined) checkAdminSecret(opts.adminToken);
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: CENTRAL_BODY_LIMIT,
    ...(opts.trustProxy ? { trustProxy: opts.trustProxy } : {}),
    ...(opts.tls ? { https: { cert: opts.tls.cert, key: opts.tls.key } } : {}),
    // The routes never touch the raw server, so its HTTPS flavour changes no type they see.
  }) as unknown as FastifyInstance;
  requireEndpointZones(app);
  await app.register(rateLimit, {
    max: opts.rateLimitPerMinute ?? 600,
    timeWindow: 60_000,
    keyGenerator: rateLimitKey(opts.pool),
  });
  const leaderSeal = opts.leaderSeal ?? ephemeralLeaderSealKey();
  const deps = {
    pool: opts.pool,
    registry: opts.registry ?? createMutationRegistry(mutationDefs),
    appliers: opts.appliers ?? { ...defaultAppliers, ...identityAppliers, ...leaderAppliers(leaderSeal) },
    schema: opts.schema ?? { min: 1, max: SYNC_SCHEMA_VERSION },
  };
  app.get('/healthz', async () => ({ ok: true }));
  const publicUrl = opts.publicUrl?.replace(/\/+$/, '') || null;
  deviceRoutes(app, deps, {
    trackingUrl: publicUrl && `${publicUrl}${TRACKING_PATH}`,
    leaderSealKey: leaderSeal.publicKeyBase64,
    demo: opts.demo ?? false,
  });
  insightIntakeRoute(app, opts.pool);
  insightTicketsRoute(app, opts.pool);
  identityRoutes(app, opts.pool, opts.adminToken);
  const centralPin = opts.tls?.pin ?? null;
  adminRoutes(app, opts.pool, centralPin);
  trackingRoutes(app, opts.pool);
  open311Routes(app, opts.pool, { publicUrl });
  caseworkRoutes(app, opts.pool, opts.casework);
  officeRoutes(app, opts.pool);
  analysisRoutes(app, opts.pool, opts.casework?.clock);
  catalogRoutes(app, opts.pool, opts.casework?.clock);
  administrationRoutes(app, opts.pool, centralPin);
  alarmConsoleRoutes(app, opts.pool);
  if (opts.attachments) attachmentRoutes(app, opts.pool, { clock: opts.casework?.clock, ...opts.attachments });
  noticeRoutes(app, opts.pool, { worker: opts.notices, publicUrl });
  if (opts.updatesDir) await updateRoutes(app, opts.updatesDir);
  if (opts.consoleDir) await consoleRoutes(app, opts.consoleDir);
  if (opts.nudges !== false) await nudgeRoute(app, opts.pool, { ...DEFAULT_NUDGE_OPTIONS, ...opts.nudges });
  return app;
}
