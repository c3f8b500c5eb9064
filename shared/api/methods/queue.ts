import { z } from 'zod';
import { defineEvent, defineMethod } from '../define';
import { singleLine } from '../../validation/text';
import { residentIdProblem } from '../../validation/resident-id';
import { APPLICANT_TYPES, PRIORITY_CLASSES } from '../../queue/priority';
import { TICKET_STATES } from '../../queue/ticket-states';
import { personSchema, staffLoginSchema } from '../../identity/staff';
import { noticePhoneSchema } from '../../notices/notices';
import { dateFormatter } from '../../format/date-formatters';

const id = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, { message: 'is not an id' });
const uuid = z.uuid();
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be HH:MM' });
/** Every command that changes the queue carries one: a retry with the same id returns the first answer. */
const mutationId = uuid;

export const queueSchema = z.object({
  id,
  prefix: z.string().regex(/^[A-Z]$/, { message: 'must be one capital letter' }),
  nameZh: singleLine(30),
  nameEn: singleLine(60),
  /** The kiosk groups queues by this label under each applicant type. */
  groupZh: singleLine(30),
  groupEn: singleLine(60),
  applicantTypes: z.array(z.enum(APPLICANT_TYPES)).min(1),
  dailyMax: z.number().int().min(1).max(9999),
  opensAt: clock,
  closesAt: clock,
  /** Seed of the wait estimate until the day has measured service times. */
  avgServiceSeconds: z.number().int().min(30).max(7200),
  active: z.boolean(),
  sortOrder: z.number().int().min(0).max(999),
});
export type Queue = z.infer<typeof queueSchema>;

export const counterSchema = z.object({
  id,
  number: z.number().int().min(1).max(99),
  name: singleLine(30),
  queueIds: z.array(id).min(1),
  status: z.enum(['closed', 'open', 'paused']),
  clerkId: id.nullable(),
  clerkName: z.string().nullable(),
  currentTicketId: uuid.nullable(),
});
export type Counter = z.infer<typeof counterSchema>;

export const ticketSchema = z.object({
  id: uuid,
  number: z.string(),
  queueId: id,
  hallDay: z.string(),
  state: z.enum(TICKET_STATES),
  priority: z.enum(PRIORITY_CLASSES),
  applicantType: z.enum(APPLICANT_TYPES),
  appointmentCode: z.string().nullable(),
  arrivedAt: z.string(),
  issuedAt: z.string(),
  parentId: uuid.nullable(),
  targetCounterId: id.nullable(),
  counterId: id.nullable(),
  callCount: z.number().int(),
  firstCalledAt: z.string().nullable(),
  lastCalledAt: z.string().nullable(),
  reactivated: z.boolean(),
});
export type Ticket = z.infer<typeof ticketSchema>;

/**
 * An IANA zone the runtime knows: a zone Intl cannot use would stop every queue command computing the day.
 * Checked through the formatter cache: every counter view carries the zone, and a formatter built per check
 * was a fifth of the hub's work on "call next" and native memory besides.
 */
export const timeZone = z
  .string()
  .min(1)
  .max(60)
  .refine(
    (zone) => {
      try {
        dateFormatter('en-US', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'is not a known time zone' },
  );

export const queueSettingsSchema = z.object({
  timeZone,
  /** Local time at which the hall day rolls over and the day's tickets move to history. */
  resetTime: clock,
  noShowAfterCalls: z.number().int().min(1).max(10),
  noShowGraceSeconds: z.number().int().min(0).max(3600),
  /** After this many priority calls in a row at a counter, the longest-waiting regular ticket goes next. */
  priorityStreakLimit: z.number().int().min(1).max(20),
  appointmentEarlyMinutes: z.number().int().min(0).max(240),
  appointmentLateMinutes: z.number().int().min(0).max(240),
});
export type QueueSettings = z.infer<typeof queueSettingsSchema>;

/** The hall's clock as the device owning the queue keeps it: what every device prints and counts days by. */
export const hallClockSchema = z.object({
  timeZone,
  resetTime: clock,
  /** The hall day the queue is on (it never goes back, even when a clock is set back). */
  hallDay: z.iso.date(),
});
export type HallClock = z.infer<typeof hallClockSchema>;

export const issuedTicketSchema = z.object({
  ticket: ticketSchema,
  queueNameZh: z.string(),
  queueNameEn: z.string(),
  peopleAhead: z.number().int().nonnegative(),
  estimatedWaitMinutes: z.number().int().nonnegative(),
});
export type IssuedTicket = z.infer<typeof issuedTicketSchema>;

/**
 * Where the hall's clock stands against a queue's ticket hours today: before them (tickets from `opensAt`),
 * within them, or past them (tickets again tomorrow from `opensAt`: a queue's hours are the same every day).
 */
export const QUEUE_HOURS = ['not_yet', 'open', 'over'] as const;

const kioskQueueSchema = queueSchema.extend({
  openNow: z.boolean(),
  hours: z.enum(QUEUE_HOURS),
  waiting: z.number().int().nonnegative(),
  estimatedWaitMinutes: z.number().int().nonnegative(),
  remainingToday: z.number().int().nonnegative(),
});
export type KioskQueue = z.infer<typeof kioskQueueSchema>;

const callSchema = z.object({
  callId: z.number().int(),
  ticketId: uuid,
  ticketNumber: z.string(),
  queueId: id,
  counterNumber: z.number().int(),
  recall: z.boolean(),
  at: z.string(),
});
export type QueueCall = z.infer<typeof callSchema>;

const queueKpiSchema = z.object({
  queueId: id,
  prefix: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  waiting: z.number().int(),
  issued: z.number().int(),
  served: z.number().int(),
  noShows: z.number().int(),
  avgWaitSeconds: z.number().int().nullable(),
  longestWaitSeconds: z.number().int().nullable(),
  avgServiceSeconds: z.number().int().nullable(),
});
export type QueueKpi = z.infer<typeof queueKpiSchema>;

/**
 * The core's clock when it answered. Pages measure time against it (plus their own monotonic time since
 * the answer came), never against the PC clock, which may be off.
 */
const serverTime = z.iso.datetime();

/** One row of the board per ticket: its latest call, how often it was recalled since, and whether it lapsed. */
const boardTicketSchema = z.object({
  ticketId: uuid,
  ticketNumber: z.string(),
  queueId: id,
  counterNumber: z.number().int(),
  /** The event id of the latest call or recall (the `callId` of that `queue.called`). */
  callId: z.number().int(),
  at: z.string(),
  recalls: z.number().int().min(0),
  /** Marked 过号 by the counter after the calls went unanswered. */
  noShow: z.boolean(),
  /** The ticket's state now: a call whose ticket lapsed, moved or was cancelled is no longer current. */
  state: z.enum(TICKET_STATES),
});
export type BoardTicket = z.infer<typeof boardTicketSchema>;

/** A counter that is signed in, with the ticket it has called or serves now (the board's grid of windows). */
const boardCounterSchema = z.object({
  counterNumber: z.number().int(),
  status: z.enum(['open', 'paused']),
  ticketNumber: z.string().nullable(),
  /** 'called': the citizen is expected at the window; 'serving': they are there. */
  ticketState: z.enum(['called', 'serving']).nullable(),
  /** The latest call of that ticket (what the display flashes), null without a ticket. */
  callId: z.number().int().nullable(),
});
export type BoardCounter = z.infer<typeof boardCounterSchema>;

/** How the hall screen looks and speaks; set by the hall administrator, kept where the queue is. */
export const displaySettingsSchema = z
  .object({
    /**
     * 'single': the latest call large, with the recent calls beside it; 'grid': every signed-in window with
     * its current ticket; 'auto': the grid once DISPLAY_GRID_MIN_COUNTERS or more windows are signed in.
     */
    layout: z.enum(['auto', 'single', 'grid']),
    /** 'system': an operating-system Chinese voice where the screen has one, else the recorded clips. */
    voice: z.enum(['system', 'clips']),
    /** The system voice by its name; null: the screen's first Chinese voice. */
    voiceName: singleLine(200).nullable(),
    /** Speaking rate of the system voice (1 = the voice's normal pace); the clips keep theirs. */
    speechRate: z.number().min(0.5).max(1.5),
  })
  .strict();
export type DisplaySettings = z.infer<typeof displaySettingsSchema>;
/** With 'auto', this many signed-in windows or more turn the screen into the grid of windows. */
export const DISPLAY_GRID_MIN_COUNTERS = 6;
export const DEFAULT_DISPLAY_SETTINGS: DisplaySettings = {
  layout: 'auto',
  voice: 'system',
  voiceName: null,
  speechRate: 0.9,
};

/** A kiosk may print a ticket once more this many times (a jammed or torn ticket), no more. */
export const TICKET_REPRINT_LIMIT = 2;

const boardSchema = z.object({
  hallDay: z.string(),
  serverTime,
  /** The latest call events, recalls included (what a screen announces). */
  calls: z.array(callSchema),
  /** The latest called tickets, each once, newest call first. */
  tickets: z.array(boardTicketSchema),
  waiting: z.array(
    z.object({ queueId: id, prefix: z.string(), nameZh: z.string(), nameEn: z.string(), waiting: z.number().int() }),
  ),
  /** Every signed-in counter by number, with what it has called. */
  counters: z.array(boardCounterSchema),
  settings: displaySettingsSchema,
});
export type DisplayBoard = z.infer<typeof boardSchema>;

/** How many waiting tickets a counter's view lists; the rest are counted. */
export const COUNTER_VIEW_WAITING_LIMIT = 50;

const counterViewSchema = z.object({
  counter: counterSchema,
  current: ticketSchema.nullable(),
  /**
   * The first waiting tickets of the queues this counter serves (and those transferred to it), in the order
   * "call next" would take them: at most COUNTER_VIEW_WAITING_LIMIT, so a view costs the same at any length.
   */
  waiting: z.array(ticketSchema).max(COUNTER_VIEW_WAITING_LIMIT),
  /** All the tickets this counter may call, and when the longest-waiting of them arrived. */
  waitingTotal: z.number().int().nonnegative(),
  oldestArrivedAt: z.string().nullable(),
  noShows: z.array(ticketSchema),
  settings: queueSettingsSchema,
  serverTime,
});
export type CounterView = z.infer<typeof counterViewSchema>;

export const appointmentCreateSchema = z
  .object({
    queueId: id,
    windowStart: z.iso.datetime({ offset: true }),
    windowEnd: z.iso.datetime({ offset: true }),
    applicantType: z.enum(APPLICANT_TYPES),
    /** Booked for this person (resident ID): they may check in with their ID card. Only its keyed hash is kept. */
    idNumber: z
      .string()
      .trim()
      .toUpperCase()
      .refine((v) => residentIdProblem(v) === null, { message: 'is not a resident ID number' })
      .optional(),
  })
  .strict();

const counterCommand = z.object({ mutationId, counterId: id }).strict();
const ticketCommand = z.object({ mutationId, counterId: id, ticketId: uuid }).strict();

export const queueMethods = {
  'queue.kiosk.queues': defineMethod({
    description: 'Queues for the kiosk: open now or not, waiting counts, estimated waits.',
    input: z.object({}).strict(),
    output: z.array(kioskQueueSchema),
  }),
  'queue.ticket.issue': defineMethod({
    description: 'Take a ticket in a queue (walk-in). A retry with the same mutationId returns the same ticket.',
    input: z
      .object({
        mutationId,
        queueId: id,
        applicantType: z.enum(APPLICANT_TYPES),
        priority: z.enum(PRIORITY_CLASSES).default('none'),
      })
      .strict(),
    output: issuedTicketSchema,
  }),
  'queue.appointment.checkIn': defineMethod({
    description: 'Check in an appointment by its code within its early/late window; returns its ticket.',
    input: z
      .object({
        mutationId,
        code: z
          .string()
          .trim()
          .regex(/^[A-Z0-9]{4,12}$/i, { message: 'is not an appointment code' }),
      })
      .strict(),
    output: issuedTicketSchema,
  }),
  'queue.ticket.get': defineMethod({
    description: 'One ticket with people ahead and the estimate (for reprints and the ticket page).',
    input: z.object({ ticketId: uuid }).strict(),
    output: issuedTicketSchema,
  }),
  'queue.counters': defineMethod({
    description: 'All counters and their state.',
    input: z.object({}).strict(),
    output: z.array(counterSchema),
  }),
  'queue.counter.signIn': defineMethod({
    description:
      'A clerk signs in at a counter this device is bound to with their login and PIN; the counter opens, ' +
      'and the clerk’s sign-in at any other counter ends.',
    // Any PIN string is checked (and counted as a failure) rather than refused unseen: a 4-digit PIN from
    // before accounts gets the clear "wrong PIN" and lockout, not an input error that hides the lockout.
    input: z.object({ counterId: id, login: staffLoginSchema, pin: z.string().min(1).max(16) }).strict(),
    output: counterViewSchema.extend({ person: personSchema }),
  }),
  'queue.counter.signOut': defineMethod({
    description: 'Close the counter; a ticket still called or in service must be finished or transferred first.',
    input: counterCommand,
    output: counterSchema,
  }),
  'queue.counter.view': defineMethod({
    description: 'The counter with its current ticket and its queues’ waiting tickets.',
    input: z.object({ counterId: id }).strict(),
    output: counterViewSchema,
  }),
  'queue.counter.pause': defineMethod({
    description: 'Pause (break) or resume the counter; a paused counter calls nobody.',
    input: counterCommand.extend({ paused: z.boolean() }),
    output: counterViewSchema,
  }),
  'queue.callNext': defineMethod({
    description: 'Call the next ticket by the hall’s order. Retrying with the same mutationId never calls twice.',
    input: counterCommand,
    output: counterViewSchema,
  }),
  'queue.callTicket': defineMethod({
    description: 'Call a specific waiting ticket out of order (logged).',
    input: ticketCommand,
    output: counterViewSchema,
  }),
  'queue.recall': defineMethod({
    description: 'Call the current ticket again.',
    input: ticketCommand,
    output: counterViewSchema,
  }),
  'queue.start': defineMethod({
    description: 'The citizen has arrived: service starts.',
    input: ticketCommand,
    output: counterViewSchema,
  }),
  'queue.finish': defineMethod({
    description: 'Service is complete.',
    input: ticketCommand,
    output: counterViewSchema,
  }),
  'queue.noShow': defineMethod({
    description: 'Mark a called ticket as not shown (only after the configured calls and grace time).',
    input: ticketCommand,
    output: counterViewSchema,
  }),
  'queue.reactivate': defineMethod({
    description: 'Put a no-show back in the queue once, keeping its arrival time.',
    input: ticketCommand,
    output: counterViewSchema,
  }),
  'queue.cancel': defineMethod({
    description: 'Cancel a waiting ticket (the citizen left).',
    input: ticketCommand,
    output: counterViewSchema,
  }),
  'queue.transfer': defineMethod({
    description: 'Transfer a waiting or called ticket to another queue or counter; the number and arrival time stay.',
    input: ticketCommand
      .extend({ toQueueId: id.optional(), toCounterId: id.optional() })
      .refine((v) => (v.toQueueId === undefined) !== (v.toCounterId === undefined), {
        message: 'give exactly one of toQueueId and toCounterId',
      }),
    output: counterViewSchema,
  }),
  'queue.display.board': defineMethod({
    description: 'The hall screen: latest calls and waiting counts.',
    input: z.object({ limit: z.number().int().min(1).max(20).default(8) }).strict(),
    output: boardSchema,
  }),
  'queue.display.settings': defineMethod({
    description: 'How the hall screens look and speak (layout, voice, speech rate).',
    input: z.object({}).strict(),
    output: displaySettingsSchema,
  }),
  'queue.display.settings.update': defineMethod({
    description: 'Replace the hall screens’ settings; every screen applies them at once.',
    input: displaySettingsSchema,
    output: displaySettingsSchema,
  }),
  'queue.ticket.reprint': defineMethod({
    description:
      'Count one more print of a ticket at the kiosk: refused (REPRINT_LIMIT) after TICKET_REPRINT_LIMIT. ' +
      'A retry with the same mutationId counts once.',
    input: z.object({ mutationId, ticketId: uuid }).strict(),
    output: z.object({ ticketId: uuid, reprints: z.number().int().min(0), reprintsLeft: z.number().int().min(0) }),
  }),
  'queue.ticket.smsOptIn': defineMethod({
    description:
      'The holder of a waiting ticket asks for SMS notices (near their turn, and when called) at this mobile ' +
      'number: kept on the hub with the ticket for the day only. `nearNotice` false: already that near, only ' +
      'the call is sent. A retry with the same mutationId counts once.',
    input: z.object({ mutationId, ticketId: uuid, phone: noticePhoneSchema }).strict(),
    output: z.object({ ticketId: uuid, phoneMasked: z.string(), nearNotice: z.boolean() }),
  }),
  'queue.kpis': defineMethod({
    description: 'Live KPIs of today per queue.',
    input: z.object({}).strict(),
    output: z.array(queueKpiSchema),
  }),
  'queue.admin.queues': defineMethod({
    description: 'Every queue, inactive ones too, for the administrator to edit.',
    input: z.object({}).strict(),
    output: z.array(queueSchema),
  }),
  'queue.admin.queues.upsert': defineMethod({
    description: 'Create or replace a queue.',
    input: queueSchema.strict(),
    output: queueSchema,
  }),
  'queue.admin.counters.upsert': defineMethod({
    description: 'Create or replace a counter (its queues and number).',
    input: counterSchema.pick({ id: true, number: true, name: true, queueIds: true }).strict(),
    output: counterSchema,
  }),
  'queue.admin.appointments.create': defineMethod({
    description: 'Book an appointment slot in a queue; returns its check-in code.',
    input: appointmentCreateSchema,
    output: z.object({ code: z.string(), queueId: id, windowStart: z.string(), windowEnd: z.string() }),
  }),
  'queue.hall.clock': defineMethod({
    description: 'The hall time zone, reset time and current hall day.',
    input: z.object({}).strict(),
    output: hallClockSchema,
  }),
  'queue.settings.get': defineMethod({
    description: 'Queue rules of the hall.',
    input: z.object({}).strict(),
    output: queueSettingsSchema,
  }),
  'queue.settings.update': defineMethod({
    description: 'Replace the queue rules of the hall.',
    input: queueSettingsSchema.strict(),
    output: queueSettingsSchema,
  }),
};

export const queueEvents = {
  'queue.called': defineEvent({
    description: 'A ticket was called or recalled: the display shows it and speaks it.',
    payload: callSchema,
  }),
  'queue.changed': defineEvent({
    description: 'The queue changed (issue, call, finish…): pages re-fetch what they show. Carries no data.',
    payload: z.object({ hallDay: z.string() }),
  }),
  'queue.counter.ended': defineEvent({
    description: 'A clerk’s sign-in at a counter ended without them: the screen there says why.',
    payload: z.object({
      counterId: id,
      staffId: id,
      /** taken_over: another clerk signed in at this counter. */
      reason: z.enum(['signed_in_elsewhere', 'account_disabled', 'taken_over']),
      /** Where the clerk signed in instead. */
      elsewhereCounterNumber: z.number().int().nullable(),
    }),
  }),
};
