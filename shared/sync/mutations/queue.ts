import { z } from 'zod';
import { TICKET_NEAR_AHEAD, noticePhoneSchema } from '../../notices/notices';
import { TICKET_STATES } from '../../queue/ticket-states';
import type { DeviceRole } from '../wire';

/**
 * Tickets and sign-ins per `queue.day.archived` mutation. A chunk of this many tickets is about 100 KB of
 * JSON, so a day of a busy hall is a handful of mutations and a push (≤ 4 MiB at central, cut by bytes
 * on the device) always carries several.
 */
export const ARCHIVE_CHUNK_TICKETS = 200;
export const ARCHIVE_CHUNK_SESSIONS = 200;

const id = z.string().min(1).max(80);
const name = z.string().max(200);
const instant = z.iso.datetime();

/** A ticket of the archived day with what the statistics need. */
export const archivedTicketSchema = z
  .object({
    id: z.uuid(),
    queueId: id,
    parentId: z.uuid().nullable(),
    state: z.enum(TICKET_STATES),
    counterId: id.nullable(),
    issuedAt: instant,
    firstCalledAt: instant.nullable(),
    serviceStartedAt: instant.nullable(),
    finishedAt: instant.nullable(),
    /** The finish event's instant and clerk (its instant, not `finishedAt`, ends an unclosed sign-in). */
    finishedBy: z.object({ clerkId: id, name, at: instant }).strict().nullable(),
  })
  .strict();
export type ArchivedTicket = z.infer<typeof archivedTicketSchema>;

/** A clerk's sign-in at a counter overlapping the archived day (still open: `signedOutAt` null). */
export const archivedSessionSchema = z
  .object({
    counterId: id,
    clerkId: id,
    clerkName: name,
    signedInAt: instant,
    signedOutAt: instant.nullable(),
  })
  .strict();
export type ArchivedSession = z.infer<typeof archivedSessionSchema>;

/**
 * One chunk of a hall day the queue moved to history at its daily reset. Every chunk carries the hall's
 * queues and counters as they were, so the day's tables list them even where nothing happened; tickets
 * name them by id.
 */
export const queueDayArchivedArgs = z
  .object({
    hallDay: z.iso.date(),
    chunk: z.number().int().min(0),
    chunks: z.number().int().min(1),
    queues: z.array(z.object({ id, nameZh: name, nameEn: name, sortOrder: z.number().int() }).strict()).max(500),
    counters: z.array(z.object({ id, number: z.number().int(), name }).strict()).max(500),
    tickets: z.array(archivedTicketSchema).max(ARCHIVE_CHUNK_TICKETS),
    sessions: z.array(archivedSessionSchema).max(ARCHIVE_CHUNK_SESSIONS),
  })
  .strict()
  .refine((a) => a.chunk < a.chunks, { message: 'chunk must be below chunks', path: ['chunk'] });
export type QueueDayArchivedArgs = z.infer<typeof queueDayArchivedArgs>;

const ticketNumber = z.string().regex(/^[A-Z]\d{3,4}$/, { message: 'is not a ticket number' });

/**
 * An SMS the hub asks central to send about a ticket whose holder gave a mobile number at the kiosk: `near`
 * when TICKET_NEAR_AHEAD or fewer are ahead for the first time, `called` when a counter calls it. `ticketId`
 * is the ticket the holder took (a transferred ticket keeps it), so each event is one notice per ticket.
 */
export const queueTicketNoticeArgs = z.discriminatedUnion('event', [
  z
    .object({
      event: z.literal('near'),
      ticketId: z.uuid(),
      ticketNumber,
      phone: noticePhoneSchema,
      peopleAhead: z.number().int().min(0).max(TICKET_NEAR_AHEAD),
      at: instant,
    })
    .strict(),
  z
    .object({
      event: z.literal('called'),
      ticketId: z.uuid(),
      ticketNumber,
      phone: noticePhoneSchema,
      counterNumber: z.number().int().min(1).max(9999),
      at: instant,
    })
    .strict(),
]);
export type QueueTicketNoticeArgs = z.infer<typeof queueTicketNoticeArgs>;

/** Args schemas by `name@version`: a plain map, merged into the mutation registry. */
export const QUEUE_MUTATIONS = {
  'queue.day.archived@1': queueDayArchivedArgs,
  'queue.ticket.notice@1': queueTicketNoticeArgs,
};
export type QueueMutationName = keyof typeof QUEUE_MUTATIONS;

/** Roles of a device that may own a hall queue: the hub, or a standalone device with its own. */
export const QUEUE_MUTATION_ROLES: Record<QueueMutationName, readonly DeviceRole[]> = {
  'queue.day.archived@1': ['hub', 'admin', 'counter', 'kiosk'],
  'queue.ticket.notice@1': ['hub', 'admin', 'counter', 'kiosk'],
};
