import { z } from 'zod';
import { centralPinSchema } from '../../sync/central-pin';
import { applicantProfileSchema } from '../../sync/wire';
import { defineMethod } from '../define';

export const syncStatusSchema = z.object({
  enrolled: z.boolean(),
  centralUrl: z.string().nullable(),
  hallCode: z.string().nullable(),
  deviceId: z.string().nullable(),
  replicaId: z.string().nullable(),
  pendingCount: z.number().int().nonnegative(),
  lastAttemptAt: z.string().nullable(),
  lastSuccessAt: z.string().nullable(),
  /** `CODE: message`, the code one of central-client's SyncErrorCode values. */
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  running: z.boolean(),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

export const syncMethods = {
  'sync.status': defineMethod({
    description: 'Sync with central: enrollment, pending outbox count, last success and last error.',
    input: z.object({}).strict(),
    output: syncStatusSchema,
  }),
  'sync.enroll': defineMethod({
    description: 'Enroll this device with central using a one-time code from the central administrator.',
    input: z
      .object({
        centralUrl: z.url().refine((u) => /^https?:\/\//.test(u), { message: 'must be http(s)' }),
        code: z
          .string()
          .trim()
          .toUpperCase()
          .regex(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/, { message: 'looks like ABCD-EFGH-JKLM' }),
        /**
         * Enrol even though changes of the current enrolment are not at central yet (refused otherwise with
         * CONFLICT, reason PENDING_ROWS and `details.pending`). Into another hall they are dropped.
         */
        force: z.boolean().default(false),
        /**
         * Central's TLS pin, shown beside the code: required for https://, which then reaches only its
         * holder (refused otherwise: CENTRAL_PIN_REQUIRED, CENTRAL_PIN_MISMATCH); plain http:// is
         * refused beyond loopback (INSECURE_CENTRAL_URL).
         */
        pin: centralPinSchema.optional(),
      })
      .strict(),
    /** `dropped`: pending changes of the old hall the enrolment into another hall dropped. */
    output: syncStatusSchema.extend({ dropped: z.number().int().nonnegative() }),
  }),
  'sync.now': defineMethod({
    description: 'Run one sync round now (push the outbox, pull reference data) and return the status after it.',
    input: z.object({}).strict(),
    output: syncStatusSchema,
  }),
  'sync.applicant.lookup': defineMethod({
    description:
      'The cross-hall profile of an applicant from central, by the hash of a verified ID; offline says so, and the counter shows local history.',
    input: z.object({ idHash: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
    output: z.discriminatedUnion('source', [
      z.object({ source: z.literal('central'), profile: applicantProfileSchema.nullable() }),
      z.object({ source: z.literal('offline'), reason: z.string() }),
    ]),
  }),
};
