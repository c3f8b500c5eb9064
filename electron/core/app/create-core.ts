import path from 'node:path';
import type { DeviceConfig } from '@shared/config';
import fs from 'node:fs';
import { createDispatcher, type Dispatch, type DispatchLog } from '../api/dispatch';
import { createHubForwarding } from '../api/remote-dispatch';
import type { Caller } from '../api/caller';
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
import { AppError, type CounterView, type IssuedTicket } from '@shared/api';
import { localDate } from '@shared/queue/hall-day';
import { DEMO_DEPARTMENTS, DEMO_MATTERS } from '../intake/demo-catalog';
import { idHashKey } from '../intake/id-hash';
import { createApplicantService } from '../services/applicant-service';
import { createCatalogService } from '../services/catalog-service';
import { createFeedbackService } from '../services/feedback-service';
import { createCommandRunner } from '../services/intake-command';
import { createIntakeService, type IntakeService, type QueueLookups } from '../services/intake-service';
import { createRatingService } from '../services/rating-service';
import { createApplicantStore } from '../store/applicant-store';
import { createCalendarStore } from '../store/calendar-store';
import { createCaseStore } from '../store/case-store';
import { createCatalogStore } from '../store/catalog-store';
import { createCommandLogStore } from '../store/command-log-store';
import { createDaySeqStore } from '../store/day-seq-store';
import { createFeedbackStore } from '../store/feedback-store';
import { createOutboxStore } from '../store/outbox-store';
import { createRatingStore } from '../store/rating-store';
import { createVisitStore } from '../store/visit-store';

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
  /** The intake's entry for central's case status updates (the sync pull calls it). */
  intake: Pick<IntakeService, 'applyCaseStatus'>;
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

  // ---- one-window intake: the queue it asks about may be on the hub, so it asks through the dispatcher.
  // Late-bound: the queue is asked through the same dispatcher the handlers serve (local, or the hub's).
  const viaDispatcher: Dispatch = (caller, method, input) =>
    (forwarding?.dispatch ?? localDispatch)(caller, method, input);
  const ask = async <T>(caller: Caller, method: string, input: unknown): Promise<T> => {
    const res = await viaDispatcher(caller, method, input);
    if (!res.ok) throw new AppError(res.error.code, res.error.message, res.error.details);
    return res.value as T;
  };
  const queueLookups: QueueLookups = {
    counter: (counterId, caller) => ask<CounterView>(caller, 'queue.counter.view', { counterId }),
    ticket: async (ticketId, caller) => (await ask<IssuedTicket>(caller, 'queue.ticket.get', { ticketId })).ticket,
  };
  const hallToday = () => localDate(now(), queue.settings().timeZone);
  const commands = createCommandRunner({
    log: createCommandLogStore(db),
    outbox: createOutboxStore(db),
    bus,
    now,
  });
  const catalog = createCatalogService({
    catalog: createCatalogStore(db),
    calendar: createCalendarStore(db),
    log: opts.log?.warn ? { warn: opts.log.warn.bind(opts.log) } : undefined,
  });
  if (!opts.config.idHashKey && !opts.config.demo) {
    opts.log?.warn?.({}, 'no idHashKey in the device config: applicant IDs are hashed with the public demo key');
  }
  catalog.seedCalendars();
  if (opts.config.demo) catalog.seed(DEMO_DEPARTMENTS, DEMO_MATTERS);
  const caseStore = createCaseStore(db);
  const visitStore = createVisitStore(db);
  const daySeq = createDaySeqStore(db);
  const applicantStore = createApplicantStore(db);
  const feedbackStore = createFeedbackStore(db);
  const ratingStore = createRatingStore(db);
  const applicants = createApplicantService({
    store: applicantStore,
    feedback: feedbackStore,
    ratings: ratingStore,
    casesOf: (applicantId, limit) => cases.casesOf(applicantId, limit),
    commands,
    hashKey: idHashKey(opts.config.idHashKey),
    now,
  });
  const cases = createIntakeService({
    cases: caseStore,
    visits: visitStore,
    daySeq,
    catalog,
    applicants,
    hall,
    commands,
    queue: queueLookups,
    hallCode: opts.config.hall.code,
    deviceCode: opts.config.deviceCode,
    dataDir: opts.dataDir,
    today: hallToday,
    now,
  });
  const numbering = { hallCode: opts.config.hall.code, deviceCode: opts.config.deviceCode };
  const feedback = createFeedbackService({
    store: feedbackStore,
    applicants: applicantStore,
    cases: caseStore,
    daySeq,
    catalog,
    commands,
    ...numbering,
    today: hallToday,
    now,
  });
  const ratings = createRatingService({
    store: ratingStore,
    visits: visitStore,
    cases: caseStore,
    feedback,
    commands,
    queue: queueLookups,
    now,
  });

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
    intake: cases,
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
