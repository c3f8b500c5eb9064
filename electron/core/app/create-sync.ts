import type { Database } from 'better-sqlite3';
import type { MethodName } from '@shared/api';
import { DEMO_ID_HASH_KEY, type DeviceConfig } from '@shared/config';
import type { Handlers } from '../api/dispatch';
import type { EventBus } from '../api/event-bus';
import { createAttachments } from '../attachments/create-attachments';
import type { AuditLog } from '../identity/audit-log';
import type { IdentityService } from '../identity/identity-service';
import type { LeaderService } from '../services/leader-service';
import type { QueueService } from '../services/queue-service';
import { createSyncService } from '../services/sync-service';
import type { OutboxStore } from '../store/outbox-store';
import type { SyncStateStore } from '../store/sync-state-store';
import { centralAdminSignIn, createCentralAdminClient } from '../sync/central-admin-client';
import { centralFetch } from '../sync/central-link';
import { createIntakePullAppliers } from '../sync/intake-pull-appliers';
import { createPullAppliers } from '../sync/pull-appliers';
import type { SecretStore } from '../sync/secret-store';
import { CENTRAL_TOKEN_SECRET, createSyncEngine, type SyncEngine, type SyncTiming } from '../sync/sync-engine';
import type { Intake } from './create-intake';

type Log = { error(obj: object, msg: string): void; warn?(obj: object, msg: string): void };
const warnOf = (log?: Log) => ({
  warn: (obj: object, msg: string) => (log?.warn ? log.warn(obj, msg) : log?.error(obj, msg)),
});

/**
 * Scanned pages go to central on their own channel, with the same enrolment (address and token) as the
 * outbox, and wait for the sync round in progress.
 */
export function createAttachmentUpload(deps: {
  db: Database;
  dataDir: string;
  secrets: SecretStore;
  config: DeviceConfig;
  syncState: SyncStateStore;
  /** The sync round in progress, if any: the outbox goes first. */
  syncBusy(): Promise<unknown> | undefined;
  now: () => Date;
  fetch?: typeof fetch;
  log?: Log;
}) {
  const { secrets, syncState } = deps;
  return createAttachments({
    db: deps.db,
    dataDir: deps.dataDir,
    secrets,
    crypto: deps.config.crypto,
    retentionDays: deps.config.attachments.retentionDays,
    connection: () => {
      const e = syncState.get().enrollment;
      const token = secrets.get(CENTRAL_TOKEN_SECRET);
      return e && token ? { url: e.centralUrl, token } : undefined;
    },
    syncBusy: deps.syncBusy,
    now: deps.now,
    // Through the enrolment's pin, as every call to central (sync/central-link.ts).
    fetch: (input, init) => centralFetch(syncState.get().enrollment?.centralPin ?? null, deps.fetch)(input, init),
    log: warnOf(deps.log),
  });
}

/**
 * Sync with central: the engine that pushes the outbox and applies what central sends to identity, the
 * queue's zone, the leader pane and the intake, and the pruning of the outbox rows central acknowledged.
 */
export function createSync(deps: {
  db: Database;
  outbox: OutboxStore;
  syncState: SyncStateStore;
  secrets: SecretStore;
  audit: Pick<AuditLog, 'head'>;
  identity: Pick<IdentityService, 'applyPulled' | 'disableAll'>;
  queue: Pick<QueueService, 'endClerk' | 'adoptZone'>;
  /** The leader pane, opened after the engine is made; asked only once rounds run. */
  leader(): Pick<
    LeaderService,
    'auditHead' | 'hasAccount' | 'importLeaderContent' | 'dropPulledContent' | 'dropOrphanActions' | 'learnCentralKey'
  >;
  intake: Pick<Intake, 'catalog' | 'progress' | 'feedback'>;
  /** Served by a hub, this device follows the hub's clock (which takes central's zone itself). */
  hubServed: boolean;
  bus: EventBus;
  config: DeviceConfig;
  now: () => Date;
  fetch?: typeof fetch;
  timing?: Partial<SyncTiming>;
  log?: Log;
}) {
  const { db, outbox, syncState, audit, identity, queue, leader, intake, config, now, log } = deps;
  const enrolledLeaderId = () => syncState.get().enrollment?.leaderId ?? null;
  const engine = createSyncEngine({
    db,
    outbox,
    state: syncState,
    secrets: deps.secrets,
    // Every push anchors both audit chains' heads at central, which checks each extends the last.
    auditHeads: () => [audit.head(), leader().auditHead()].filter((h) => h !== null),
    // Leader content goes to the leader pane's encrypted store.
    appliers: createPullAppliers(
      {
        identity: {
          // A person disabled at central leaves the counter they hold, not only their sessions here.
          applyPulled: (id, data) => {
            identity.applyPulled(id, data);
            if (!data?.enabled) queue.endClerk(id);
          },
          disableAll: () => identity.disableAll(),
        },
        leader: {
          hasAccount: (id) => leader().hasAccount(id),
          importLeaderContent: (id, content) => leader().importLeaderContent(id, content),
          dropPulledContent: (id, kind, opts) => leader().dropPulledContent(id, kind, opts),
          dropOrphanActions: (id) => leader().dropOrphanActions(id),
        },
        enrolledLeaderId,
        hallZone: { adoptZone: (timeZone) => (deps.hubServed ? undefined : queue.adoptZone(timeZone)) },
      },
      createIntakePullAppliers({
        catalog: intake.catalog,
        cases: { applyCentralStatus: (s) => intake.progress.applyCentralStatus(s) },
        feedback: { applyCentralStatus: (s) => intake.feedback.applyCentralStatus(s) },
        log: warnOf(log),
      }),
    ),
    // A case status applied in a pull page announces itself once the page has committed.
    afterCommit: (transaction) => deps.bus.hold(transaction),
    // Central's key for the leader's 批示 (the leader store is opened before any enrolment can run).
    enrolled: (r) => leader().learnCentralKey(r.leaderSealKey ? Buffer.from(r.leaderSealKey, 'base64') : null),

    deviceName: `${config.hall.code}-${config.deviceCode}`,
    demoIdHashKey: !config.idHashKey || config.idHashKey.toLowerCase() === DEMO_ID_HASH_KEY,
    now,
    fetch: deps.fetch,
    timing: deps.timing,
    log: { warn: (obj, msg) => log?.error(obj, msg) },
  });
  const pruneOutbox = () => outbox.pruneAcknowledged(new Date(now().getTime() - config.outboxKeepDays * 86_400_000));
  pruneOutbox();
  const outboxRetentionTimer = setInterval(pruneOutbox, 60 * 60 * 1000);
  outboxRetentionTimer.unref();
  return { engine, enrolledLeaderId, close: () => clearInterval(outboxRetentionTimer) };
}

type SyncMethod = Extract<MethodName, `sync.${string}` | `central.admin.${string}`>;

/** The contract's sync methods and the central administration pages' calls through this device. */
export function syncHandlers(deps: {
  engine: SyncEngine;
  syncState: SyncStateStore;
  identity: Pick<IdentityService, 'requireEnrolmentRight'>;
  fetch?: typeof fetch;
}): Pick<Handlers, SyncMethod> {
  const { engine, syncState } = deps;
  const sync = createSyncService(engine);
  /**
   * The pin the device enrolled with, for the same central only: the admin page reaches another central
   * over loopback http:// or not at all (central-link.ts).
   */
  const pinFor = (centralUrl: string) => {
    const e = syncState.get().enrollment;
    return e && new URL(e.centralUrl).origin === new URL(centralUrl).origin ? e.centralPin : null;
  };
  const centralAdmin = (a: { centralUrl: string; sessionToken: string }) =>
    createCentralAdminClient({ ...a, pin: pinFor(a.centralUrl), fetch: deps.fetch });
  return {
    'sync.status': () => sync.status(),
    'sync.enroll': (input, caller) => {
      deps.identity.requireEnrolmentRight(caller, engine.status().enrolled);
      return sync.enroll(input);
    },
    'sync.now': () => sync.now(),
    'sync.applicant.lookup': (input) => sync.lookupApplicant(input.idHash),
    'central.admin.signIn': (input) => centralAdminSignIn(input, deps.fetch, pinFor(input.centralUrl)),
    'central.admin.halls': (input) => centralAdmin(input).halls(),
    'central.admin.createHall': (input) => centralAdmin(input).createHall({ code: input.code, name: input.name }),
    'central.admin.enrollmentCode': (input) =>
      centralAdmin(input).enrollmentCode(input.hallId, { role: input.role, leaderId: input.leaderId }),
    'central.admin.putRef': (input) => centralAdmin(input).putRef(input),
    'central.admin.putClerk': (input) => centralAdmin(input).putClerk(input),
  };
}
