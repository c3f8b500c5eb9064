import fs from 'node:fs';
import path from 'node:path';
import { isHubServed } from '@shared/api';
import type { DeviceConfig } from '@shared/config';
import type { Caller, DeviceBinding } from '../api/caller';
import { createDispatcher, type Dispatch, type DispatchLog } from '../api/dispatch';
import { createEventBus, type EventBus } from '../api/event-bus';
import { createCommitGroup } from '../api/commit-group';
import { checkHubUrl } from '../api/hub-link';
import { createHubForwarding } from '../api/remote-dispatch';
import { createAuditKeyring } from '../audit/keyed-chain';
import { DATABASE_FILE_NAME } from '../config/paths';
import { keepDataFolderPrivate } from '../config/private-folder';
import { scheduleDailyBackup } from '../db/daily-backup';
import { deviceMigrations } from '../db/migrations';
import { openDatabase } from '../db/open';
import { auditAdminWrite, isAdminWrite } from '../identity/admin-audit';
import { createAuditLog } from '../identity/audit-log';
import { createIdentityService } from '../identity/identity-service';
import { createPersonSessions } from '../identity/person-sessions';
import { createStaffStore } from '../identity/staff-store';
import { idCardHandlers } from '../idcard/idcard-handlers';
import { createConfiguredReader, createIdCardService } from '../idcard/idcard-service';
import { idHashKey } from '../intake/id-hash';
import type { ScryptParams } from '../leader/crypto';
import type { SecretBackend } from '../leader/storage-policy';
import { createHallService } from '../services/hall-service';
import { createHubHallClock } from '../services/hub-hall-clock';
import type { LeaderService } from '../services/leader-service';
import { createSystemService } from '../services/system-service';
import { createHallProfileStore } from '../store/hall-profile-store';
import { createOutboxStore } from '../store/outbox-store';
import { createSyncStateStore } from '../store/sync-state-store';
import { unlessSyncFails } from '../sync/central-client';
import { createFileSecretStore, type SecretStore } from '../sync/secret-store';
import type { SyncEngine, SyncTiming } from '../sync/sync-engine';
import { createHallQueue, GROUP_COMMITTED, queueHandlers } from './create-hall-queue';
import { createInsight } from './create-insight';
import { createIntake, type Intake } from './create-intake';
import { createLeaderPane, leaderHandlers } from './create-leader-pane';
import { createAttachmentUpload, createSync, syncHandlers } from './create-sync';
import { identityHandlers, leaderPersonOf } from './identity-handlers';
import { intakeHandlers } from './intake-handlers';

/** How long a counter's applicant lookup waits for central's cross-hall history before showing local records. */
export const CROSS_HALL_LOOKUP_TIMEOUT_MS = 1500;
/** How long the dashboard waits for central (hall-wide intake figures; archived ticket days while the hub is down). */
export const CENTRAL_INSIGHT_TIMEOUT_MS = 2000;

export interface CoreOptions {
  dataDir: string;
  config: DeviceConfig;
  appVersion: string;
  now?: () => Date;
  log?: DispatchLog & { warn?(obj: object, msg: string): void };
  /**
   * What keeps the device's secrets, as the shell reports it (Electron's safeStorage backend); default the
   * owner-only files of a plain Node run. Leader content is refused where that is no keychain.
   */
  secretBackend?: SecretBackend;
  /** Tests lower the scrypt cost; the app keeps the default. */
  leaderScrypt?: ScryptParams;
  /** Where the central token is kept: Electron passes a safeStorage store; default owner-only files. */
  secrets?: SecretStore;
  /** Sync with central: off for tests that drive rounds themselves. */
  sync?: { autoStart?: boolean; timing?: Partial<SyncTiming>; fetch?: typeof fetch };
}

export interface Core {
  dispatch: Dispatch;
  bus: EventBus;
  /**
   * What the sync pull applies from central: case status updates and the reference catalog and calendar.
   * Each runs in its own transaction, which becomes a savepoint inside the pull's page transaction.
   */
  intake: {
    applyCaseStatus: Intake['cases']['applyCaseStatus'];
    catalog: Pick<Intake['catalog'], 'upsertDepartment' | 'upsertMatter' | 'putCalendarYear'>;
  };
  config: DeviceConfig;
  schemaVersion: number;
  /** For the Electron shell (lock on screen lock/suspend) and the central sync pull (content import). */
  leader: Pick<LeaderService, 'lockAll' | 'lockIdle' | 'importLeaderContent' | 'verifyAudit' | 'learnCentralKey'>;
  sync: SyncEngine;
  /**
   * Paired rating screens: the binding of a screen token (the browser host answers bearer tokens with it),
   * and of a window (IPC origin) that presented one; undefined when unknown or revoked.
   */
  ratingScreens: {
    screenBinding(token: string): DeviceBinding | undefined;
    originBinding(origin: string): DeviceBinding | undefined;
  };
  close(): void;
}

/** Opens the device database and wires stores, services and the contract handlers. */
export async function createCore(opts: CoreOptions): Promise<Core> {
  const now = opts.now ?? (() => new Date());
  // A hub address the device may not send its token to stops the start before anything opens.
  if (opts.config.hub) checkHubUrl(opts.config.hub.url, opts.config.hub.pin);
  keepDataFolderPrivate(opts.dataDir);
  const backupDir = path.join(opts.dataDir, 'backups');
  const { db, schemaVersion } = await openDatabase({
    file: path.join(opts.dataDir, DATABASE_FILE_NAME),
    migrations: deviceMigrations,
    backupDir,
    now,
  });
  // A leader's 批示 is blanked in the outbox once central has it (outbox-store): without this, the old
  // text would stay readable in the freed space of the page until SQLite happens to reuse it.
  db.pragma('secure_delete = ON');
  const stopBackups = scheduleDailyBackup(db, {
    dir: backupDir,
    keep: opts.config.backupsToKeep,
    now,
    onError: (e) => opts.log?.error({ err: e }, 'daily backup failed'),
  });

  const bus = createEventBus();
  const hubConfig = opts.config.hub;
  const forwarding = hubConfig
    ? createHubForwarding({
        url: hubConfig.url,
        pin: hubConfig.pin,
        token: fs.readFileSync(path.resolve(opts.dataDir, hubConfig.tokenFile), 'utf8').trim(),
        bus,
      })
    : undefined;
  const hall = createHallService({ store: createHallProfileStore(db), bus, config: opts.config, now });
  const system = createSystemService({
    appVersion: opts.appVersion,
    schemaVersion,
    config: opts.config,
    hall,
    now,
    // The queue service is made below; the system service only asks it once calls are answered.
    timeZone: () => queue.settings().timeZone,
  });

  const outbox = createOutboxStore(db);
  // Every opening of the database is a new sync replica, so a restored backup never reissues a seq.
  outbox.startNewReplica();

  const secrets = opts.secrets ?? createFileSecretStore(path.join(opts.dataDir, 'secrets'));
  const auditKeyring = createAuditKeyring(secrets, opts.config.crypto);
  const audit = createAuditLog({ db, outbox, now, keyring: auditKeyring });
  const identity = createIdentityService({
    staff: createStaffStore(db),
    audit,
    outbox,
    sessions: createPersonSessions(now),
    now,
    adminIdleLockSeconds: opts.config.admin.idleLockSeconds,
    issuer: () => `OneWindow ${hall.profile().name}`,
  });

  // A hub's LAN device is bound by its entry in hub-devices.json; a page of this device, by its config.
  const boundCounters = (caller: Caller) => (caller.device ? caller.device.counterIds : (opts.config.counters ?? null));

  const hallQueue = createHallQueue({ db, bus, now, config: opts.config, outbox, identity, boundCounters });
  const { queue, queueStore } = hallQueue;

  const syncState = createSyncStateStore(db);
  const attachments = createAttachmentUpload({
    db,
    dataDir: opts.dataDir,
    secrets,
    config: opts.config,
    syncState,
    // The outbox goes first: a page waits for the sync round in progress (the engine is made below).
    syncBusy: () => sync.engine.roundInProgress(),
    now,
    fetch: opts.sync?.fetch,
    log: opts.log,
  });
  // One-window intake: it asks the queue (which may live on the hub) through the dispatcher it is served by.
  const intake = createIntake({
    attachments: attachments.service,
    db,
    bus,
    config: opts.config,
    dataDir: opts.dataDir,
    hall,
    hallDay: () => (hallClock ? hallClock.hallDay() : queue.today()),
    dispatch: (caller, method, input) => dispatch(caller, method, input),
    now,
    log: opts.log,
    audit,
    crossHall: (idHash) =>
      unlessSyncFails(async () => {
        const profile = await sync.engine.lookupApplicant(idHash, CROSS_HALL_LOOKUP_TIMEOUT_MS);
        return { profile: profile ?? null, ownDeviceId: sync.engine.status().deviceId };
      }),
    // As central told it at enrolment; a device no longer enrolled has no central page to send anyone to.
    centralTrackingUrl: () =>
      sync.engine.status().enrolled ? (syncState.get().enrollment?.trackingUrl ?? null) : null,
  });
  const { catalog, cases, ratings } = intake;
  const insight = createInsight({
    db,
    timeZone: () => queue.settings().timeZone,
    dispatch: (caller, method, input) => dispatch(caller, method, input),
    // Not enrolled, offline, slow or refused: the dashboard shows this device's own figures and says so.
    central: {
      intake: (from, to, today) =>
        unlessSyncFails(() =>
          sync.engine.insightIntake({ from, to, today, tz: queue.settings().timeZone }, CENTRAL_INSIGHT_TIMEOUT_MS),
        ),
      tickets: (from, to) =>
        unlessSyncFails(() =>
          sync.engine.ticketStats({ from, to, tz: queue.settings().timeZone }, CENTRAL_INSIGHT_TIMEOUT_MS),
        ),
    },
    hallDay: () => (hallClock ? hallClock.hallDay() : queue.today()),
    addWorkingDays: (from, days) => catalog.addWorkingDays(from, days),
    now,
  });

  const sync = createSync({
    db,
    outbox,
    syncState,
    secrets,
    audit,
    identity,
    queue,
    // The leader pane is opened below, before any round can run.
    leader: () => leaderPane.leader,
    intake,
    hubServed: forwarding !== undefined,
    bus,
    config: opts.config,
    now,
    fetch: opts.sync?.fetch,
    timing: opts.sync?.timing,
    log: opts.log,
  });
  const syncEngine = sync.engine;

  const leaderPane = await createLeaderPane({
    dataDir: opts.dataDir,
    backupDir,
    db,
    outbox,
    auditKeyring,
    config: opts.config,
    secretBackend: opts.secretBackend,
    scrypt: opts.leaderScrypt,
    now,
    log: opts.log,
  });
  const { leader } = leaderPane;
  if (opts.sync?.autoStart !== false && syncEngine.status().enrolled) syncEngine.start();
  // Not enrolled yet, it idles and asks again: a device enrolled later starts sending without a restart.
  if (opts.sync?.autoStart !== false) attachments.start();
  leaderPane.start();

  const hashKey = idHashKey(opts.config.idHashKey);
  const idCards = createIdCardService({
    reader: createConfiguredReader(opts.config.idCardReader, opts.dataDir, {
      warn: (obj, msg) => (opts.log?.warn ? opts.log.warn(obj, msg) : opts.log?.error(obj, msg)),
    }),
    hallDay: () => (hallClock ? hallClock.hallDay() : queue.today()),
    idHashKey: hashKey,
  });

  const bindingOf = (caller: Caller) => ({
    counterIds: boundCounters(caller),
    pairedCounterId: caller.device?.pairedCounterId ?? null,
    enrolled: syncEngine.status().enrolled,
  });
  const commitGroup = createCommitGroup(db, bus);
  const served = createDispatcher(
    {
      'system.info': async (_input, caller) => {
        await hallClock?.ready();
        return system.info(caller);
      },
      'hall.profile.get': () => hall.profile(),
      'hall.profile.update': (input) => hall.update(input),
      ...identityHandlers({
        identity,
        audit,
        queue,
        bus,
        forwarding,
        bindingOf,
      }),
      ...queueHandlers({
        queue,
        displaySettings: hallQueue.displaySettings,
        enrolled: () => syncEngine.status().enrolled,
        hashKey,
      }),
      ...intakeHandlers({ intake, attachments }),
      ...leaderHandlers({ leader, enrolledLeaderId: sync.enrolledLeaderId, nudgeSync: () => syncEngine.nudge() }),
      ...syncHandlers({ engine: syncEngine, syncState, identity, fetch: opts.sync?.fetch }),
      'insight.dashboard': async (input, caller) => {
        await hallClock?.ready();
        return insight.dashboard.dashboard(input, caller);
      },
      'queue.insight.tickets': (input) => insight.queue.tickets(input.from, input.to),
      ...idCardHandlers({
        cards: idCards,
        queue,
        appointmentsOfHolder: (holderHash) => queueStore.appointmentsOfHolder(holderHash),
        hub: forwarding && ((method, input) => forwarding.call(method, input)),
        now,
      }),
    },
    {
      log: opts.log,
      identity: {
        personOf: (caller, method) =>
          caller.role === 'leader' ? leaderPersonOf(leader, caller, now) : identity.personOf(caller.origin, method),
        endedReason: (caller) =>
          caller.role === 'leader' ? leader.lockReason(caller.origin) : identity.endedReason(caller.origin),
        personById: (staffId, caller) => identity.personById(staffId, caller.origin),
      },
      remote: forwarding && {
        handles: (method) => isHubServed(method),
        call: (caller, method, input) => forwarding.call(method, input, caller.person?.staffId),
      },
      commitGroup: { grouped: (method) => GROUP_COMMITTED.has(method), run: commitGroup.run },
      onResult: (caller, method, input, result) => {
        if (isAdminWrite(method)) auditAdminWrite(audit, caller, method, input, result);
      },
    },
  );
  // A rating screen's window (IPC) has no bearer token: once it presented its screen token (`rating.pair`,
  // `rating.screen`) its origin carries that screen's binding, checked against the database on every call.
  const dispatch: Dispatch = (caller, method, input) => {
    const bound = caller.role === 'rate' && !caller.device ? ratings.originBinding(caller.origin) : undefined;
    return served(bound ? { ...caller, device: bound } : caller, method, input);
  };
  // A rating request whose token ran out makes its visit "not rated" even when no screen asks.
  const ratingSweepTimer = setInterval(() => {
    try {
      ratings.sweep();
    } catch (e) {
      opts.log?.error({ err: e }, 'sweeping expired rating requests failed');
    }
  }, 30_000);
  ratingSweepTimer.unref();

  // Served by the hub, this device prints times and counts days in the hall's zone as the hub keeps it.
  // A device without a hub (the hub itself, a leader's PC) keeps its own, with the zone central sends.
  const hallClock = forwarding
    ? createHubHallClock({
        // The hub knows this device by its token (its role there decides); this caller is not sent.
        read: () => forwarding.call('queue.hall.clock', {}),
        adopt: (c) => queue.adoptHallClock(c),
        localDay: () => queue.today(),
        bus,
        now,
        log: opts.log,
      })
    : undefined;

  return {
    dispatch,
    bus,
    intake: { applyCaseStatus: cases.applyCaseStatus, catalog },
    config: opts.config,
    schemaVersion,
    leader,
    sync: syncEngine,
    ratingScreens: { screenBinding: ratings.screenBinding, originBinding: ratings.originBinding },
    close() {
      void syncEngine.stop();
      void attachments.stop();
      hallClock?.close();
      forwarding?.close();
      hallQueue.close();
      sync.close();
      clearInterval(ratingSweepTimer);
      stopBackups();
      leaderPane.close();
      db.close();
    },
  };
}
