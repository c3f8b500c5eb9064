import type { Database } from 'better-sqlite3';
import { AppError, type CounterView, type IssuedTicket } from '@shared/api';
import type { DeviceConfig } from '@shared/config';
import type { Caller } from '../api/caller';
import type { Dispatch } from '../api/dispatch';
import type { EventBus } from '../api/event-bus';
import { DEMO_DEPARTMENTS, DEMO_MATTERS } from '../intake/demo-catalog';
import { idHashKey } from '../intake/id-hash';
import { createCaseProgress } from '../casework/case-progress';
import { createApplicantService, type CrossHallAnswer } from '../services/applicant-service';
import { createCatalogService } from '../services/catalog-service';
import { createFeedbackService } from '../services/feedback-service';
import type { HallService } from '../services/hall-service';
import { createCommandRunner } from '../services/intake-command';
import { createIntakeService } from '../services/intake-service';
import type { QueueLookups } from '../services/queue-lookups';
import { createRatingService } from '../services/rating-service';
import { createApplicantStore } from '../store/applicant-store';
import { createCalendarStore } from '../store/calendar-store';
import { createCaseStore } from '../store/case-store';
import { createCatalogStore } from '../store/catalog-store';
import { createCommandLogStore } from '../store/command-log-store';
import { createDaySeqStore } from '../store/day-seq-store';
import { createFeedbackStore } from '../store/feedback-store';
import { createOutboxStore } from '../store/outbox-store';
import { createRatingScreenStore } from '../store/rating-screen-store';
import { createRatingStore } from '../store/rating-store';
import type { AuditInput } from '../identity/audit-log';
import type { AttachmentService } from '../attachments/attachment-service';
import { createVisitStore } from '../store/visit-store';

/**
 * Wires the one-window intake: catalog and calendar, applicants, cases, feedback and ratings on the
 * device database, seeded with the official calendars (and the demo catalog on a demo device).
 */
export function createIntake(deps: {
  db: Database;
  bus: EventBus;
  config: DeviceConfig;
  dataDir: string;
  hall: HallService;
  /** The hall day by the hall's clock (the hub's on a hall with one): what the intake counts dates from. */
  hallDay: () => string;
  /** The dispatcher the intake is served by: the queue is asked through it, so a hub's queue answers. */
  dispatch: Dispatch;
  now: () => Date;
  log?: { warn?(obj: object, msg: string): void };
  /** The hall's audit log (rating screens paired). */
  audit: { record(input: AuditInput): void };
  /** Central's cross-hall profile for `applicant.lookup`; undefined when central does not answer. */
  crossHall?: (idHash: string) => Promise<CrossHallAnswer | undefined>;
  /** Central's public tracking page while the device is enrolled (the receipts' default). */
  centralTrackingUrl?: () => string | null;
  /** The counter's scanned pages, bound to a case in its intake transaction. */
  attachments: AttachmentService;
}) {
  const { db, bus, config, now, log } = deps;

  const ask = async <T>(caller: Caller, method: string, input: unknown): Promise<T> => {
    const res = await deps.dispatch(caller, method, input);
    if (!res.ok) throw new AppError(res.error.code, res.error.message, res.error.details);
    return res.value as T;
  };
  const queue: QueueLookups = {
    counter: (counterId, caller) => ask<CounterView>(caller, 'queue.counter.view', { counterId }),
    ticket: async (ticketId, caller) => (await ask<IssuedTicket>(caller, 'queue.ticket.get', { ticketId })).ticket,
  };
  const today = () => deps.hallDay();
  const numbering = { hallCode: config.hall.code, deviceCode: config.deviceCode };

  const commands = createCommandRunner({ log: createCommandLogStore(db), outbox: createOutboxStore(db), bus, now });
  const catalog = createCatalogService({
    catalog: createCatalogStore(db),
    calendar: createCalendarStore(db),
    log: log?.warn ? { warn: log.warn.bind(log) } : undefined,
  });
  catalog.seedCalendars();
  if (config.demo) catalog.seed(DEMO_DEPARTMENTS, DEMO_MATTERS);
  if (!config.idHashKey && !config.demo) {
    log?.warn?.({}, 'no idHashKey in the device config: applicant IDs are hashed with the public demo key');
  }

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
    hashKey: idHashKey(config.idHashKey),
    now,
    crossHall: deps.crossHall,
    matterName: (code) => catalog.matter(code)?.nameZh,
  });
  const cases = createIntakeService({
    cases: caseStore,
    visits: visitStore,
    daySeq,
    catalog,
    applicants,
    hall: deps.hall,
    commands,
    queue,
    ...numbering,
    dataDir: deps.dataDir,
    today,
    centralTrackingUrl: deps.centralTrackingUrl ?? (() => null),
    now,
    attachments: deps.attachments,
  });
  const progress = createCaseProgress({
    cases: caseStore,
    commands,
    view: (c) => cases.view(c),
    caseCommand: cases.caseCommand,
    now,
  });
  const feedback = createFeedbackService({
    store: feedbackStore,
    applicants: applicantStore,
    cases: caseStore,
    daySeq,
    catalog,
    commands,
    ...numbering,
    today,
    now,
    ratedClerkOf: (ratingId) => {
      const r = ratingStore.byId(ratingId);
      return r ? { staffId: r.clerkStaffId, name: r.clerkName } : null;
    },
    ratingOf: (ratingId) => {
      const r = ratingStore.byId(ratingId);
      return r ? { level: r.level, reasons: r.reasons } : null;
    },
  });
  const ratings = createRatingService({
    store: ratingStore,
    screens: createRatingScreenStore(db),
    visits: visitStore,
    cases: caseStore,
    feedback,
    commands,
    queue,
    audit: deps.audit,
    tokenMinutes: config.rating.tokenMinutes,
    now,
  });
  return { catalog, applicants, cases, progress, feedback, ratings };
}
export type Intake = ReturnType<typeof createIntake>;
