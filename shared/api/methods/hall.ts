import { z } from 'zod';
import { defineEvent, defineMethod } from '../define';
import { httpsUrl, multiLine, phoneNumber, singleLine } from '../../validation/text';

/** What every printed receipt and screen says about the hall; edited by the hall administrator. */
export const hallProfileSchema = z.object({
  name: singleLine(60),
  /** For English pages; empty when the hall has none (they then show the Chinese name). */
  nameEn: z.union([singleLine(80), z.literal('')]),
  address: multiLine(200),
  enquiryPhone: z.union([phoneNumber, z.literal('')]),
  trackingUrl: z.union([httpsUrl, z.literal('')]),
  updatedAt: z.string().nullable(),
});
export type HallProfile = z.infer<typeof hallProfileSchema>;

export const hallProfileUpdateSchema = hallProfileSchema
  .omit({ updatedAt: true })
  // Callers from before the English name keep working; leaving it out keeps the saved one.
  .extend({ nameEn: hallProfileSchema.shape.nameEn.optional() })
  .strict();
export type HallProfileUpdate = z.infer<typeof hallProfileUpdateSchema>;

export const hallMethods = {
  'hall.profile.get': defineMethod({
    description: 'The hall profile shown on every role page and printed on receipts.',
    input: z.object({}).strict(),
    output: hallProfileSchema,
  }),
  'hall.profile.update': defineMethod({
    description: 'Replace the hall profile (administrator only).',
    input: hallProfileUpdateSchema,
    output: hallProfileSchema,
  }),
};

export const hallEvents = {
  'hall.profile.changed': defineEvent({
    description: 'The hall profile was replaced; pages show the new name at once.',
    payload: hallProfileSchema,
  }),
};
