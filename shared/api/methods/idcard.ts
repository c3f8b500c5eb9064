import { z } from 'zod';
import { defineMethod } from '../define';
import { idCardSchema } from '../../idcard/card';
import { APPLICANT_TYPES, PRIORITY_CLASSES } from '../../queue/priority';
import { issuedTicketSchema } from './queue';

const id = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, { message: 'is not an id' });
/** The keyed lookup hash of an applicant's ID (intake/id-hash): hex HMAC-SHA256. */
const holderHash = z.string().regex(/^[0-9a-f]{64}$/, { message: 'is not an applicant hash' });

const issueFields = {
  mutationId: z.uuid(),
  queueId: id,
  applicantType: z.enum(APPLICANT_TYPES),
  priority: z.enum(PRIORITY_CLASSES).default('none'),
};

/**
 * The ID card reader of the device the page runs on. A refused read is an error whose `details` match
 * idCardErrorDetailsSchema (no card, unreadable, timeout, expired with its dates, reader offline).
 */
export const idCardMethods = {
  'idcard.read': defineMethod({
    description:
      'Read the ID card on this counter’s reader: the holder’s data and photo, for the clerk’s eyes only ' +
      '(never stored). An expired card is refused with its validity dates.',
    input: z.object({}).strict(),
    output: idCardSchema,
  }),
  'idcard.ticket.issue': defineMethod({
    description:
      'Take a ticket with the ID card on this kiosk’s reader: the ticket knows its applicant (by the keyed ' +
      'hash of the ID). A retry with the same mutationId returns the same ticket.',
    input: z.object(issueFields).strict(),
    output: issuedTicketSchema,
  }),
  'idcard.appointment.checkIn': defineMethod({
    description: 'Check in the appointment booked for the ID card on this kiosk’s reader; returns its ticket.',
    input: z.object({ mutationId: z.uuid() }).strict(),
    output: issuedTicketSchema,
  }),
  // What a kiosk's core asks the hub once it has read a card: only a device's own core may (the hub
  // refuses a page), since the hash stands for a card someone laid on a reader.
  'idcard.hub.ticket.issue': defineMethod({
    description: 'A hall device’s core takes a ticket for the card holder it read (device token only).',
    input: z.object({ ...issueFields, holderHash }).strict(),
    output: issuedTicketSchema,
  }),
  'idcard.hub.appointment.checkIn': defineMethod({
    description: 'A hall device’s core checks in the card holder it read (device token only).',
    input: z.object({ mutationId: z.uuid(), holderHash }).strict(),
    output: issuedTicketSchema,
  }),
};
