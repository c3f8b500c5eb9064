import { centralFetch } from '../sync/central-link';
import path from 'node:path';
import { DEMO_ID_HASH_KEY, type DeviceConfig } from '@shared/config';
import fs from 'node:fs';
import { createDispatcher, type Dispatch, type DispatchLog } from '../api/dispatch';
import { checkHubUrl } from '../api/hub-link';
import { createHubForwarding } from '../api/remote-dispatch';
import { createEventBus, type EventBus } from '../api/event-bus';
import { DATABASE_FILE_NAME, LEADER_DATABASE_FILE_NAME, LEGACY_LEADER_DEVICE_KEY_FILE_NAME } from '../config/paths';
import { keepDataFolderPrivate } from '../config/private-folder';
import { scheduleDailyBackup } from '../db/daily-backup';
import { deviceMigrations } from '../db/migrations';
import { openDatabase } from '../db/open';
import { leaderMigrations } from '../db/leader-migrations';
import type { ScryptParams } from '../leader/crypto';
import type { SecretBackend } from '../leader/storage-policy';
import { createLeaderOutboxForwarder } from '../leader/outbox-forwarder';
import { createLeaderService, type LeaderService } from '../services/leader-service';
import { createLeaderStore } from '../store/leader-store';
import { createDayArchive } from '../queue/day-archive';
import { createTicketNotices } from '../queue/ticket-notices';
import { createDisplaySettingsService } from '../display/display-settings-service';
import { createDisplaySettingsStore } from '../display/display-settings-store';
import { DEMO_COUNTERS, DEMO_QUEUES, DEMO_STAFF } from '../queue/demo-hall';
import { createHallService } from '../services/hall-service';
import { createHubHallClock } from '../services/hub-hall-clock';
import { createQueueService } from '../services/queue-service';
import { createSyncService } from '../services/sync-service';
import { createSystemService } from '../services/system-service';
import { createHallProfileStore } from '../store/hall-profile-store';
import { createOutboxStore } from '../store/outbox-store';
import { createQueueArchiveStore } from '../store/queue-archive-store';
import { createQueueStore } from '../store/queue-store';
import { createTicketSmsStore } from '../store/ticket-sms-store';
import { createIntake, type Intake } from './create-intake';
import { createAttachments } from '../attachments/create-attachments';
import { createInsight } from './create-insight';
import { createSyncStateStore } from '../store/sync-state-store';
import { centralAdminSignIn, createCentralAdminClient } from '../sync/central-admin-client';
import { unlessSyncFails } from '../sync/central-client';
import { createIntakePullAppliers } from '../sync/intake-pull-appliers';
import { createPullAppliers } from '../sync/pull-appliers';
import { createFileSecretStore, type SecretStore } from '../sync/secret-store';
import { CENTRAL_TOKEN_SECRET, createSyncEngine, type SyncEngine, type SyncTiming } from '../sync/sync-engine';
import type { Caller, DeviceBinding } from '../api/caller';
import { createAuditLog } from '../identity/audit-log';
import { createAuditKeyring } from '../audit/keyed-chain';
import { createIdentityService } from '../identity/identity-service';
import { createPersonSessions } from '../identity/person-sessions';
import { createStaffStore } from '../identity/staff-store';
import { auditAdminWrite, isAdminWrite } from '../identity/admin-audit';
import { identityHandlers, leaderPersonOf } from './identity-handlers';
import { AppError, isHubServed, type EventPayload } from '@shared/api';
import { createConfiguredReader, createIdCardService } from '../idcard/idcard-service';
import { idCardHandlers } from '../idcard/idcard-handlers';
import { hashApplicantId, idHashKey } from '../intake/id-hash';

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

  const queueStore = createQueueStore(db);
  const isNewHall = queueStore.queues().length === 0;
  const queue = createQueueService({
    store: queueStore,
    bus,
    now,
    dayArchive: createDayArchive({ store: createQueueArchiveStore(db), outbox }),
    ticketNotices: createTicketNotices({ store: createTicketSmsStore(db), outbox }),
    verifyPin: identity.verifyPin,
    boundCounters,
  });
  const displaySettings = createDisplaySettingsService({
    store: createDisplaySettingsStore(db),
    bus,
    now,
    hallDay: () => queue.today(),
  });
  if (opts.config.demo && isNewHall) {
    for (const q of DEMO_QUEUES) queue.upsertQueue(q);
    for (const c of DEMO_COUNTERS) queue.upsertCounter(c);
    identity.seedDemo(DEMO_STAFF);
  }
  // The hub (or this device's own queue) ended a clerk's counter sign-in: the person's session here ends too.
  bus.subscribe((name, payload) => {
    if (name !== 'queue.counter.ended') return;
    const e = payload as EventPayload<'queue.counter.ended'>;
    identity.endCounter(e.counterId, e.staffId, e.reason);
  });
  queue.rollover();

  // Scanned pages go to central on their own channel, with the same enrolment (address and token) as the outbox.
  const attachments = createAttachments({
    db,
    dataDir: opts.dataDir,
    secrets,
    crypto: opts.config.crypto,
    retentionDays: opts.config.attachments.retentionDays,
    connection: () => {
      const e = syncState.get().enrollment;
      const token = secrets.get(CENTRAL_TOKEN_SECRET);
      return e && token ? { url: e.centralUrl, token } : undefined;
    },
    // The outbox goes first: a page waits for the sync round in progress (the engine is made below).
    syncBusy: () => syncEngine.roundInProgress(),
    now,
    // Through the enrolment's pin, as every call to central (sync/central-link.ts).
    fetch: (input, init) => centralFetch(syncState.get().enrollment?.centralPin ?? null, opts.sync?.fetch)(input, init),
    log: { warn: (obj, msg) => (opts.log?.warn ? opts.log.warn(obj, msg) : opts.log?.error(obj, msg)) },
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
        const profile = await syncEngine.lookupApplicant(idHash, CROSS_HALL_LOOKUP_TIMEOUT_MS);
        return { profile: profile ?? null, ownDeviceId: syncEngine.status().deviceId };
      }),
    // As central told it at enrolment; a device no longer enrolled has no central page to send anyone to.
    centralTrackingUrl: () => (syncEngine.status().enrolled ? (syncState.get().enrollment?.trackingUrl ?? null) : null),
  });
  const { catalog, applicants, cases, progress, feedback, ratings } = intake;
  const insight = createInsight({
    db,
    timeZone: () => queue.settings().timeZone,
    dispatch: (caller, method, input) => dispatch(caller, method, input),
    // Not enrolled, offline, slow or refused: the dashboard shows this device's own figures and says so.
    central: {
      intake: (from, to, today) =>
        unlessSyncFails(() =>
          syncEngine.insightIntake({ from, to, today, tz: queue.settings().timeZone }, CENTRAL_INSIGHT_TIMEOUT_MS),
        ),
      tickets: (from, to) =>
        unlessSyncFails(() =>
          syncEngine.ticketStats({ from, to, tz: queue.settings().timeZone }, CENTRAL_INSIGHT_TIMEOUT_MS),
        ),
    },
    hallDay: () => (hallClock ? hallClock.hallDay() : queue.today()),
    addWorkingDays: (from, days) => catalog.addWorkingDays(from, days),
    now,
  });

  const syncState = createSyncStateStore(db);
  const enrolledLeaderId = () => syncState.get().enrollment?.leaderId ?? null;
  const syncEngine = createSyncEngine({
    db,
    outbox,
    state: syncState,
    secrets,
    // Every push anchors both audit chains' heads at central, which checks each extends the last.
    auditHeads: () => [audit.head(), leader.auditHead()].filter((h) => h !== null),
    // Leader content goes to the leader pane's encrypted store (created below; used only once rounds run).
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
          hasAccount: (id) => leader.hasAccount(id),
          importLeaderContent: (id, content) => leader.importLeaderContent(id, content),
          dropPulledContent: (id, kind, opts) => leader.dropPulledContent(id, kind, opts),
          dropOrphanActions: (id) => leader.dropOrphanActions(id),
        },
        enrolledLeaderId,
        // Served by a hub, this device follows the hub's clock (which takes central's zone itself).
        hallZone: { adoptZone: (timeZone) => (forwarding ? undefined : queue.adoptZone(timeZone)) },
      },
      createIntakePullAppliers({
        catalog,
        cases: { applyCentralStatus: (s) => progress.applyCentralStatus(s) },
        feedback: { applyCentralStatus: (s) => feedback.applyCentralStatus(s) },
        log: { warn: (obj, msg) => (opts.log?.warn ? opts.log.warn(obj, msg) : opts.log?.error(obj, msg)) },
      }),
    ),
    // A case status applied in a pull page announces itself once the page has committed.
    afterCommit: (transaction) => bus.hold(transaction),
    // Central's key for the leader's 批示 (the leader store is opened below, before any enrolment can run).
    enrolled: (r) => leader.learnCentralKey(r.leaderSealKey ? Buffer.from(r.leaderSealKey, 'base64') : null),

    deviceName: `${opts.config.hall.code}-${opts.config.deviceCode}`,
    demoIdHashKey: !opts.config.idHashKey || opts.config.idHashKey.toLowerCase() === DEMO_ID_HASH_KEY,
    now,
    fetch: opts.sync?.fetch,
    timing: opts.sync?.timing,
    log: { warn: (obj, msg) => opts.log?.error(obj, msg) },
  });
  const sync = createSyncService(syncEngine);
  /**
   * The pin the device enrolled with, for the same central only: the admin page reaches another central
   * over loopback http:// or not at all (central-link.ts).
   */
  const pinFor = (centralUrl: string) => {
    const e = syncState.get().enrollment;
    return e && new URL(e.centralUrl).origin === new URL(centralUrl).origin ? e.centralPin : null;
  };
  const centralAdmin = (a: { centralUrl: string; sessionToken: string }) =>
    createCentralAdminClient({ ...a, pin: pinFor(a.centralUrl), fetch: opts.sync?.fetch });
  // The daily reset also happens before every queue command; the timer makes idle screens roll over too.
  const rolloverTimer = setInterval(() => queue.rollover(), 30_000);
  rolloverTimer.unref();
  const pruneOutbox = () =>
    outbox.pruneAcknowledged(new Date(now().getTime() - opts.config.outboxKeepDays * 86_400_000));
  pruneOutbox();
  const outboxRetentionTimer = setInterval(pruneOutbox, 60 * 60 * 1000);
  outboxRetentionTimer.unref();

  const leaderDb = await openDatabase({
    file: path.join(opts.dataDir, LEADER_DATABASE_FILE_NAME),
    migrations: leaderMigrations,
    backupDir,
    now,
  });
  // Sorting and big statements spill to temp files otherwise: plaintext never exists, but keep it all in memory anyway.
  leaderDb.db.pragma('temp_store = MEMORY');
  // Its backups hold only ciphertext and wrapped keys, like the file itself.
  const stopLeaderBackups = scheduleDailyBackup(leaderDb.db, {
    dir: backupDir,
    keep: opts.config.backupsToKeep,
    now,
    onError: (e) => opts.log?.error({ err: e }, 'daily leader store backup failed'),
  });
  // The device key of before leader migration 3 opened every leader's data key: nothing needs it now.
  const oldDeviceKey = path.join(opts.dataDir, LEGACY_LEADER_DEVICE_KEY_FILE_NAME);
  if (fs.existsSync(oldDeviceKey)) {
    fs.rmSync(oldDeviceKey);
    opts.log?.warn?.({ file: oldDeviceKey }, 'leader device key removed: leader content opens with the password only');
  }
  const leaderStore = createLeaderStore(leaderDb.db);
  let forwardLeader = (): void => undefined;
  const leader = createLeaderService({
    store: leaderStore,
    auditKeyring,
    crypto: opts.config.crypto,
    secretBackend: opts.secretBackend ?? 'key-file',
    now,
    idleLockSeconds: opts.config.leader.idleLockSeconds,
    scrypt: opts.leaderScrypt,
    committed: () => forwardLeader(),
  });
  const leaderForwarder = createLeaderOutboxForwarder({
    store: leaderStore,
    outbox,
    deviceTransaction: (fn) => db.transaction(fn).immediate(),
    now,
  });
  if (opts.sync?.autoStart !== false && syncEngine.status().enrolled) syncEngine.start();
  // Not enrolled yet, it idles and asks again: a device enrolled later starts sending without a restart.
  if (opts.sync?.autoStart !== false) attachments.start();
  const leaderIdleTimer = setInterval(() => leader.lockIdle(), 10_000);
  leaderIdleTimer.unref();
  forwardLeader = () => {
    // Inside the sync pull's page transaction (a content import): the outbox rows must not ride on a
    // transaction that could still roll back after leader.sqlite marked them forwarded; forward once it ends.
    if (db.inTransaction) {
      setImmediate(forwardLeader);
      return;
    }
    try {
      leaderForwarder.forward();
    } catch (e) {
      // The rows stay marked unforwarded in leader.sqlite and go out with the next commit or start.
      opts.log?.error({ err: e }, 'leader outbox forwarding failed');
    }
  };
  // What an earlier run left unforwarded; a row this device can no longer decrypt must not stop the start.
  forwardLeader();

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
      'queue.kiosk.queues': () => queue.kioskQueues(),
      'queue.ticket.issue': (input, caller) => queue.issue(input, caller),
      'queue.appointment.checkIn': (input, caller) => queue.checkIn(input, caller),
      'queue.ticket.get': (input) => queue.ticket(input.ticketId),
      'queue.counters': () => queue.counters(),
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
      'queue.display.board': (input) => ({ ...queue.board(input.limit), settings: displaySettings.get() }),
      'queue.display.settings': () => displaySettings.get(),
      'queue.display.settings.update': (input) => displaySettings.update(input),
      'queue.ticket.reprint': (input, caller) => queue.reprint(input, caller),
      'queue.ticket.smsOptIn': (input) => queue.smsOptIn(input),
      'queue.kpis': () => queue.kpis(),
      'queue.hall.clock': () => queue.hallClock(),
      'queue.settings.get': () => queue.settings(),
      'queue.settings.update': (input) => {
        // Enrolled with central, the hall's zone is central's (its `hall.zone` row): set in the console.
        if (syncEngine.status().enrolled && input.timeZone !== queue.settings().timeZone) {
          throw new AppError('CONFLICT', 'the hall’s time zone is set at central', { reason: 'HALL_ZONE_AT_CENTRAL' });
        }
        return queue.updateSettings(input);
      },
      'queue.admin.queues': () => queue.allQueues(),
      'queue.admin.queues.upsert': (input) => queue.upsertQueue(input),
      'queue.admin.counters.upsert': (input) => queue.upsertCounter(input),
      'queue.admin.appointments.create': (input) =>
        queue.createAppointment(input, input.idNumber ? hashApplicantId(hashKey, 'resident_id', input.idNumber) : null),
      'catalog.departments': () => catalog.departments(),
      'catalog.matters': (input) => catalog.matters(input),
      'catalog.admin.departments.upsert': (input) => catalog.upsertDepartment(input),
      'catalog.admin.matters.upsert': (input) => catalog.upsertMatter(input),
      'calendar.get': (input) => catalog.calendarYear(input.year),
      'calendar.admin.put': (input) => catalog.putCalendarYear(input),
      'calendar.addWorkingDays': (input) => catalog.promisedWorkingDay(input.from, input.days),
      'applicant.lookup': (input) => applicants.lookup(input),
      'applicant.register': (input) => applicants.register(input),
      'applicant.profile': (input) => applicants.profile(input.applicantId),
      'case.intake': async (input, caller) => {
        const accepted = await cases.intake(input, caller);
        if (input.attachmentDraftId) attachments.uploader.nudge();
        return accepted;
      },
      'case.get': (input) => cases.get(input.caseId),
      'case.list': (input) => cases.list(input),
      'case.supplement.receive': (input, caller) => progress.receiveSupplement(input, caller),
      'case.document': (input) => cases.document(input.caseId),
      'case.document.archive': (input) => cases.archive(input),
      'attachment.page.add': (input) =>
        attachments.service.add({
          draftId: input.draftId,
          materialId: input.materialId,
          content: Buffer.from(input.dataBase64, 'base64'),
        }),
      'attachment.page.list': (input) => attachments.service.list(input.draftId),
      'attachment.page.reorder': (input) => attachments.service.reorder(input),
      'attachment.page.delete': (input) => attachments.service.delete(input),
      'attachment.page.read': (input) => {
        const page = attachments.service.read(input.pageId);
        return { mime: page.mime, dataBase64: page.content.toString('base64') };
      },
      'feedback.create': (input, caller) => feedback.create(input, caller),
      'feedback.update': (input, caller) => feedback.update(input, caller),
      'feedback.list': (input, caller) => feedback.list(input, caller),
      'feedback.returnVisit.schedule': (input, caller) => feedback.scheduleReturnVisit(input, caller),
      'feedback.returnVisit.record': (input, caller) => feedback.recordReturnVisit(input, caller),
      'rating.pairing.code': (input, caller) => ratings.pairingCode(input, caller),
      'rating.pair': (input, caller) => ratings.pair(input, caller),
      'rating.screen': (input, caller) => ratings.screen(input, caller),
      'rating.request': (input, caller) => ratings.request(input, caller),
      'rating.pending': (_input, caller) => ratings.pending(caller),
      'rating.submit': (input, caller) => ratings.submit(input, caller),
      'rating.list': (input, caller) => ratings.list(input.limit, caller),
      'rating.appeal.file': (input, caller) => ratings.fileAppeal(input, caller),
      'rating.appeal.decide': (input, caller) => ratings.decideAppeal(input, caller),
      'leader.session.status': (_input, caller) => leader.status(caller),
      'leader.session.login': (input, caller) => leader.login(input, caller),
      'leader.session.lock': (_input, caller) => leader.lock(caller),
      'leader.password.change': (input, caller) => leader.changePassword(input, caller),
      'leader.schedule.list': (input, caller) => leader.schedule(input, caller),
      'leader.briefing.list': (_input, caller) => leader.briefings(caller),
      'leader.briefing.open': (input, caller) => leader.openBriefing(input, caller),
      'leader.file.list': (_input, caller) => leader.files(caller),
      'leader.file.view': (input, caller) => leader.viewFile(input, caller),
      'leader.action': (input, caller) => leader.act(input, caller),
      'leader.audit.verify': () => leader.verifyAudit(),
      'leader.admin.enrol': async (input, caller) => {
        // A device enrolled with central for a leader creates that leader's account under central's id
        // (its first account, unless told otherwise), so the content central sends for them is sealed for
        // this account, and pulled at once.
        const central = enrolledLeaderId();
        const leaderId = input.leaderId ?? (central && !leader.hasAccount(central) ? central : undefined);
        const enrolment = await leader.enrol({ ...input, leaderId }, caller);
        syncEngine.nudge();
        return enrolment;
      },
      'leader.admin.import': (input, caller) => leader.importContent(input, caller),
      'leader.admin.storage': () => leader.storage(),
      'sync.status': () => sync.status(),
      'sync.enroll': (input, caller) => {
        identity.requireEnrolmentRight(caller, syncEngine.status().enrolled);
        return sync.enroll(input);
      },
      'sync.now': () => sync.now(),
      'sync.applicant.lookup': (input) => sync.lookupApplicant(input.idHash),
      'central.admin.signIn': (input) => centralAdminSignIn(input, opts.sync?.fetch, pinFor(input.centralUrl)),
      'central.admin.halls': (input) => centralAdmin(input).halls(),
      'central.admin.createHall': (input) => centralAdmin(input).createHall({ code: input.code, name: input.name }),
      'central.admin.enrollmentCode': (input) =>
        centralAdmin(input).enrollmentCode(input.hallId, { role: input.role, leaderId: input.leaderId }),
      'central.admin.putRef': (input) => centralAdmin(input).putRef(input),
      'central.admin.putClerk': (input) => centralAdmin(input).putClerk(input),
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
      clearInterval(rolloverTimer);
      clearInterval(outboxRetentionTimer);
      clearInterval(leaderIdleTimer);
      clearInterval(ratingSweepTimer);
      stopBackups();
      stopLeaderBackups();
      leader.lockAll('shutdown');
      leaderDb.db.close();
      db.close();
    },
  };
}
