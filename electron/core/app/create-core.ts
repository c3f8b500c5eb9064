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
import { createSystemService } from '../services/system-service';
import { createHallProfileStore } from '../store/hall-profile-store';
import { createQueueStore } from '../store/queue-store';
import { createIntake, type Intake } from './create-intake';

export interface CoreOptions {
  dataDir: string;
  config: DeviceConfig;
  appVersion: string;
  now?: () => Date;
  log?: DispatchLog & { warn?(obj: object, msg: string): void };
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
  // The daily reset also happens before every queue command; the timer makes idle screens roll over too.
  const rolloverTimer = setInterval(() => queue.rollover(), 30_000);
  rolloverTimer.unref();

  // One-window intake: it asks the queue (which may live on the hub) through the dispatcher it is served by.
  const intake = createIntake({
    db,
    bus,
    config: opts.config,
    dataDir: opts.dataDir,
    hall,
    hallTimeZone: () => queue.settings().timeZone,
    dispatch: (caller, method, input) => (forwarding?.dispatch ?? localDispatch)(caller, method, input),
    now,
    log: opts.log,
  });
  const { catalog, applicants, cases, feedback, ratings } = intake;

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
      'catalog.departments': () => catalog.departments(),
      'catalog.matters': (input) => catalog.matters(input),
      'catalog.admin.departments.upsert': (input) => catalog.upsertDepartment(input),
      'catalog.admin.matters.upsert': (input) => catalog.upsertMatter(input),
      'calendar.get': (input) => catalog.calendarYear(input.year),
      'calendar.admin.put': (input) => catalog.putCalendarYear(input),
      'calendar.addWorkingDays': (input) => ({ date: catalog.addWorkingDays(input.from, input.days) }),
      'applicant.lookup': (input) => applicants.lookup(input),
      'applicant.register': (input) => applicants.register(input),
      'applicant.profile': (input) => applicants.profile(input.applicantId),
      'case.intake': (input, caller) => cases.intake(input, caller),
      'case.get': (input) => cases.get(input.caseId),
      'case.list': (input) => cases.list(input),
      'case.document': (input) => cases.document(input.caseId),
      'case.document.archive': (input) => cases.archive(input),
      'feedback.create': (input, caller) => feedback.create(input, caller),
      'feedback.update': (input, caller) => feedback.update(input, caller),
      'feedback.list': (input) => feedback.list(input),
      'feedback.returnVisit.schedule': (input) => feedback.scheduleReturnVisit(input),
      'feedback.returnVisit.record': (input, caller) => feedback.recordReturnVisit(input, caller),
      'rating.request': (input, caller) => ratings.request(input, caller),
      'rating.pending': (input) => ratings.pending(input.counterId),
      'rating.submit': (input, caller) => ratings.submit(input, caller),
      'rating.list': (input) => ratings.list(input.limit),
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
    intake: { applyCaseStatus: cases.applyCaseStatus, catalog },
    config: opts.config,
    schemaVersion,
    close() {
      forwarding?.close();
      clearInterval(rolloverTimer);
      stopBackups();
      db.close();
    },
  };
}
