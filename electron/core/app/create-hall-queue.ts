import type { Database } from 'better-sqlite3';
import { AppError, type EventPayload, type MethodName } from '@shared/api';
import type { DeviceConfig } from '@shared/config';
import type { Caller } from '../api/caller';
import type { Handlers } from '../api/dispatch';
import type { EventBus } from '../api/event-bus';
import { createDisplaySettingsService, type DisplaySettingsService } from '../display/display-settings-service';
import { createDisplaySettingsStore } from '../display/display-settings-store';
import type { IdentityService } from '../identity/identity-service';
import { hashApplicantId } from '../intake/id-hash';
import { createDayArchive } from '../queue/day-archive';
import { DEMO_COUNTERS, DEMO_QUEUES, DEMO_STAFF } from '../queue/demo-hall';
import { createTicketNotices } from '../queue/ticket-notices';
import { createQueueService, type QueueService } from '../services/queue-service';
import type { OutboxStore } from '../store/outbox-store';
import { createQueueArchiveStore } from '../store/queue-archive-store';
import { createQueueStore } from '../store/queue-store';
import { createTicketSmsStore } from '../store/ticket-sms-store';

/**
 * The hall's queue on this device's database. Every device keeps one, hub-served or not: a device served by
 * a hub forwards the queue methods there (the dispatcher's remote) but still counts its own hall day, seeds
 * a demo hall and ends a clerk's session here when the hub ends their counter sign-in.
 */
export function createHallQueue(deps: {
  db: Database;
  bus: EventBus;
  now: () => Date;
  config: DeviceConfig;
  outbox: OutboxStore;
  identity: Pick<IdentityService, 'verifyPin' | 'seedDemo' | 'endCounter'>;
  boundCounters(caller: Caller): readonly string[] | null;
}) {
  const { db, bus, now, outbox, identity } = deps;
  const queueStore = createQueueStore(db);
  const isNewHall = queueStore.queues().length === 0;
  const queue = createQueueService({
    store: queueStore,
    bus,
    now,
    dayArchive: createDayArchive({ store: createQueueArchiveStore(db), outbox }),
    ticketNotices: createTicketNotices({ store: createTicketSmsStore(db), outbox }),
    verifyPin: identity.verifyPin,
    boundCounters: deps.boundCounters,
  });
  const displaySettings = createDisplaySettingsService({
    store: createDisplaySettingsStore(db),
    bus,
    now,
    hallDay: () => queue.today(),
  });
  if (deps.config.demo && isNewHall) {
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
  // The daily reset also happens before every queue command; the timer makes idle screens roll over too.
  const rolloverTimer = setInterval(() => queue.rollover(), 30_000);
  rolloverTimer.unref();
  return { queue, queueStore, displaySettings, close: () => clearInterval(rolloverTimer) };
}

/** Sign-in is an identity method (identity-handlers.ts); the ticket statistics are the dashboard's. */
type QueueMethod = Exclude<Extract<MethodName, `queue.${string}`>, 'queue.counter.signIn' | 'queue.insight.tickets'>;

/** The contract's queue methods, as this device serves them (a hub-served device forwards most of them). */
/**
 * The line's commands a hall hub takes many of at once (kiosks issuing, counters calling): synchronous, each
 * its own transaction, so they can share a commit (api/commit-group.ts).
 */
export const GROUP_COMMITTED: ReadonlySet<MethodName> = new Set<QueueMethod>([
  'queue.ticket.issue',
  'queue.appointment.checkIn',
  'queue.callNext',
  'queue.callTicket',
  'queue.recall',
  'queue.start',
  'queue.finish',
  'queue.noShow',
  'queue.reactivate',
  'queue.cancel',
  'queue.transfer',
  'queue.ticket.reprint',
  'queue.ticket.smsOptIn',
]);

export function queueHandlers(deps: {
  queue: QueueService;
  displaySettings: DisplaySettingsService;
  /** Enrolled with central, the hall's zone is central's. */
  enrolled(): boolean;
  hashKey: Buffer;
}): Pick<Handlers, QueueMethod> {
  const { queue, displaySettings, hashKey } = deps;
  return {
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
      if (deps.enrolled() && input.timeZone !== queue.settings().timeZone) {
        throw new AppError('CONFLICT', 'the hall’s time zone is set at central', { reason: 'HALL_ZONE_AT_CENTRAL' });
      }
      return queue.updateSettings(input);
    },
    'queue.admin.queues': () => queue.allQueues(),
    'queue.admin.queues.upsert': (input) => queue.upsertQueue(input),
    'queue.admin.counters.upsert': (input) => queue.upsertCounter(input),
    'queue.admin.appointments.create': (input) =>
      queue.createAppointment(input, input.idNumber ? hashApplicantId(hashKey, 'resident_id', input.idNumber) : null),
  };
}
