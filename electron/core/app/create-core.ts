import path from 'node:path';
import type { DeviceConfig } from '@shared/config';
import fs from 'node:fs';
import { createDispatcher, type Dispatch, type DispatchLog } from '../api/dispatch';
import { createHubForwarding } from '../api/remote-dispatch';
import { createEventBus, type EventBus } from '../api/event-bus';
import { DATABASE_FILE_NAME } from '../config/paths';
import { scheduleDailyBackup } from '../db/daily-backup';
import { deviceMigrations } from '../db/migrations';
import { openDatabase } from '../db/open';
import { DEMO_CLERKS, DEMO_COUNTERS, DEMO_QUEUES } from '../queue/demo-hall';
import { createHallService } from '../services/hall-service';
import { createQueueService } from '../services/queue-service';
import { createSyncService } from '../services/sync-service';
import { createSystemService } from '../services/system-service';
import { createHallProfileStore } from '../store/hall-profile-store';
import { createLeaderContentStore } from '../store/leader-content-store';
import { createOutboxStore } from '../store/outbox-store';
import { createQueueStore } from '../store/queue-store';
import { createSyncStateStore } from '../store/sync-state-store';
import { createCentralAdminClient } from '../sync/central-admin-client';
import { createPullAppliers } from '../sync/pull-appliers';
import { createFileSecretStore, type SecretStore } from '../sync/secret-store';
import { createSyncEngine, type SyncEngine, type SyncTiming } from '../sync/sync-engine';

export interface CoreOptions {
  dataDir: string;
  config: DeviceConfig;
  appVersion: string;
  now?: () => Date;
  log?: DispatchLog;
  /** Where the central token is kept: Electron passes a safeStorage store; default owner-only files. */
  secrets?: SecretStore;
  /** Sync with central: off for tests that drive rounds themselves. */
  sync?: { autoStart?: boolean; timing?: Partial<SyncTiming>; fetch?: typeof fetch };
}

export interface Core {
  dispatch: Dispatch;
  bus: EventBus;
  config: DeviceConfig;
  schemaVersion: number;
  sync: SyncEngine;
  close(): void;
}

/** Opens the device database and wires stores, services and the contract handlers. */
export async function createCore(opts: CoreOptions): Promise<Core> {
  const now = opts.now ?? (() => new Date());
  const backupDir = path.join(opts.dataDir, 'backups');
  const { db, schemaVersion } = await openDatabase({
    file: path.join(opts.dataDir, DATABASE_FILE_NAME),
    migrations: deviceMigrations,
    backupDir,
    now,
  });
  const stopBackups = scheduleDailyBackup(db, {
    dir: backupDir,
    keep: opts.config.backupsToKeep,
    now,
    onError: (e) => opts.log?.error({ err: e }, 'daily backup failed'),
  });

  const bus = createEventBus();
  const hall = createHallService({ store: createHallProfileStore(db), bus, config: opts.config, now });
  const system = createSystemService({
    appVersion: opts.appVersion,
    schemaVersion,
    config: opts.config,
    hall,
    now,
  });

  const queueStore = createQueueStore(db);
  const isNewHall = queueStore.queues().length === 0;
  const queue = createQueueService({ store: queueStore, bus, now });
  if (opts.config.demo && isNewHall) {
    for (const q of DEMO_QUEUES) queue.upsertQueue(q);
    for (const c of DEMO_COUNTERS) queue.upsertCounter(c);
    for (const c of DEMO_CLERKS) queue.upsertClerk(c);
  }
  queue.rollover();

  const outbox = createOutboxStore(db);
  // Every opening of the database is a new sync replica, so a restored backup never reissues a seq.
  outbox.startNewReplica();
  const syncEngine = createSyncEngine({
    db,
    outbox,
    state: createSyncStateStore(db),
    secrets: opts.secrets ?? createFileSecretStore(path.join(opts.dataDir, 'secrets')),
    // Registration point for the intake: pass its 'catalog.matter', 'holiday', 'case.status' and
    // 'applicant.profile' appliers as the second argument.
    appliers: createPullAppliers({ queue: queueStore, leaderContent: createLeaderContentStore(db) }),
    deviceName: `${opts.config.hall.code}-${opts.config.deviceCode}`,
    now,
    fetch: opts.sync?.fetch,
    timing: opts.sync?.timing,
    log: { warn: (obj, msg) => opts.log?.error(obj, msg) },
  });
  const sync = createSyncService(syncEngine);
  const centralAdmin = (a: { centralUrl: string; adminToken: string }) =>
    createCentralAdminClient({ ...a, fetch: opts.sync?.fetch });
  if (opts.sync?.autoStart !== false && syncEngine.status().enrolled) syncEngine.start();
  // The daily reset also happens before every queue command; the timer makes idle screens roll over too.
  const rolloverTimer = setInterval(() => queue.rollover(), 30_000);
  rolloverTimer.unref();

  const localDispatch = createDispatcher(
    {
      'system.info': (_input, caller) => system.info(caller),
      'hall.profile.get': () => hall.profile(),
      'hall.profile.update': (input) => hall.update(input),
      'queue.kiosk.queues': () => queue.kioskQueues(),
      'queue.ticket.issue': (input, caller) => queue.issue(input, caller),
      'queue.appointment.checkIn': (input, caller) => queue.checkIn(input, caller),
      'queue.ticket.get': (input) => queue.ticket(input.ticketId),
      'queue.counters': () => queue.counters(),
      'queue.clerks': () => queue.clerks(),
      'queue.counter.signIn': (input, caller) => queue.signIn(input, caller),
      'queue.counter.signOut': (input, caller) => queue.signOut(input, caller),
      'queue.counter.view': (input, caller) => queue.view(input.counterId, caller),
      'queue.counter.pause': (input, caller) => queue.pause(input, caller),
      'queue.callNext': (input, caller) => queue.callNext(input, caller),
      'queue.callTicket': (input, caller) => queue.callSpecific(input, caller),
      'queue.recall': (input, caller) => queue.recall(input, caller),
      'queue.start': (input, caller) => queue.start(input, caller),
      'queue.finish': (input, caller) => queue.finish(input, caller),
      'queue.noShow': (input, caller) => queue.noShow(input, caller),
      'queue.reactivate': (input, caller) => queue.reactivate(input, caller),
      'queue.cancel': (input, caller) => queue.cancel(input, caller),
      'queue.transfer': (input, caller) => queue.transfer(input, caller),
      'queue.display.board': (input) => queue.board(input.limit),
      'queue.kpis': () => queue.kpis(),
      'queue.settings.get': () => queue.settings(),
      'queue.settings.update': (input) => queue.updateSettings(input),
      'queue.admin.queues.upsert': (input) => queue.upsertQueue(input),
      'queue.admin.counters.upsert': (input) => queue.upsertCounter(input),
      'queue.admin.clerks.upsert': (input) => queue.upsertClerk(input),
      'queue.admin.appointments.create': (input) => queue.createAppointment(input),
      'sync.status': () => sync.status(),
      'sync.enroll': (input) => sync.enroll(input),
      'sync.now': () => sync.now(),
      'sync.applicant.lookup': (input) => sync.lookupApplicant(input.idHash),
      'central.admin.halls': (input) => centralAdmin(input).halls(),
      'central.admin.createHall': (input) => centralAdmin(input).createHall({ code: input.code, name: input.name }),
      'central.admin.enrollmentCode': (input) =>
        centralAdmin(input).enrollmentCode(input.hallId, { role: input.role, leaderId: input.leaderId }),
      'central.admin.putRef': (input) => centralAdmin(input).putRef(input),
      'central.admin.putClerk': (input) => centralAdmin(input).putClerk(input),
    },
    opts.log,
  );

  const hubConfig = opts.config.hub;
  const forwarding = hubConfig
    ? createHubForwarding({
        url: hubConfig.url,
        token: fs.readFileSync(path.resolve(opts.dataDir, hubConfig.tokenFile), 'utf8').trim(),
        local: localDispatch,
        bus,
      })
    : undefined;

  return {
    dispatch: forwarding?.dispatch ?? localDispatch,
    bus,
    config: opts.config,
    schemaVersion,
    sync: syncEngine,
    close() {
      void syncEngine.stop();
      forwarding?.close();
      clearInterval(rolloverTimer);
      stopBackups();
      db.close();
    },
  };
}
