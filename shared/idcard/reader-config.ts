import { z } from 'zod';
import { idCardSchema } from './card';

/**
 * One turn of the simulated reader: a card laid on it, or a failure. The simulator plays its turns in
 * order, one per read, and starts over after the last.
 */
export const simulatedTurnSchema = z.union([
  z.object({ card: idCardSchema }).strict(),
  // An expired card is a card (with its dates): the core refuses it, as it would a real one.
  z.object({ failure: z.enum(['NO_CARD', 'UNREADABLE', 'TIMEOUT', 'READER_OFFLINE']) }).strict(),
]);
export type SimulatedTurn = z.infer<typeof simulatedTurnSchema>;
/** A file of turns (`idCardReader.file`), re-read before every read so a demo can change what lies on the reader. */
export const simulatedTurnsSchema = z.array(simulatedTurnSchema).min(1).max(100);

const fieldName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,40}$/, { message: 'is not a field name' });
/** A dotted path into the service's JSON answer ('' for the answer itself). */
const jsonPath = z.string().regex(/^([A-Za-z_][A-Za-z0-9_]{0,40}(\.[A-Za-z_][A-Za-z0-9_]{0,40}){0,4})?$/, {
  message: 'is not a dotted path',
});

/** Which field of the vendor's answer holds each part of the card. */
export const vendorFieldsSchema = z
  .object({
    name: fieldName.default('partyName'),
    sex: fieldName.default('gender'),
    nation: fieldName.default('nation'),
    birthDate: fieldName.default('bornDay'),
    address: fieldName.default('certAddress'),
    idNumber: fieldName.default('certNumber'),
    issuer: fieldName.default('certOrg'),
    validFrom: fieldName.default('effDate'),
    validTo: fieldName.default('expDate'),
    photo: fieldName.default('identityPic'),
  })
  .strict();
export type VendorFields = z.infer<typeof vendorFieldsSchema>;

/** Vendor status values compared as strings: 0 and "0" are the same answer. */
const statusValues = z
  .array(z.union([z.string().max(40), z.number()]).transform(String))
  .min(1)
  .max(20);

export const vendorStatusSchema = z
  .object({
    /** Where the answer's result code is. */
    field: jsonPath.default('resultFlag'),
    ok: statusValues.default(['0']),
    /** Codes meaning "no card on the reader" (anything else that is not ok: unreadable). */
    noCard: statusValues.default(['-1']),
    /** Where the vendor's own message is, for the device log. */
    message: jsonPath.default('errorMsg'),
  })
  .strict();

const onThisPc = (scheme: 'http' | 'ws') =>
  z.url().refine((u) => new RegExp(`^${scheme}://(127\\.0\\.0\\.1|localhost|\\[::1\\])(:\\d+)?(/|$)`).test(u), {
    // The card's holder data must not cross the network: vendor services listen on the PC itself.
    message: `must be a ${scheme} URL on this PC (127.0.0.1, localhost or [::1])`,
  });

/** How a vendor's answer maps to a card: where its status and fields are. */
const vendorAnswer = {
  timeoutMs: z.number().int().min(500).max(30_000).default(5000),
  /** Where the card's fields are in the answer ('' when they are at its top). */
  data: jsonPath.default('resultContent'),
  status: vendorStatusSchema.default({ field: 'resultFlag', ok: ['0'], noCard: ['-1'], message: 'errorMsg' }),
  fields: vendorFieldsSchema.default(vendorFieldsSchema.parse({})),
};

/**
 * The ID card reader of this device. `simulated`: for trials, tests and demos. `vendor-http` / `vendor-ws`: the
 * local HTTP or WebSocket service most readers ship (华视/神思/精伦 style), its answer mapped by `fields`
 * (docs/peripherals.md).
 */
export const idCardReaderConfigSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('simulated'),
      /** The turns, inline; or `file` (relative to the data folder), re-read before every read. */
      turns: simulatedTurnsSchema.optional(),
      file: z.string().min(1).max(300).optional(),
    })
    .strict()
    .refine((s) => (s.turns === undefined) !== (s.file === undefined), {
      message: 'give exactly one of turns and file',
    }),
  z
    .object({
      kind: z.literal('vendor-http'),
      url: onThisPc('http'),
      method: z.enum(['GET', 'POST']).default('GET'),
      ...vendorAnswer,
    })
    .strict(),
  z
    .object({
      kind: z.literal('vendor-ws'),
      url: onThisPc('ws'),
      /** The message that asks for a read, sent once the socket is open; the first answer is the read. */
      request: z.string().min(2).max(500).default('{"type":4}'),
      ...vendorAnswer,
    })
    .strict(),
]);
export type IdCardReaderConfig = z.infer<typeof idCardReaderConfigSchema>;
export type VendorHttpReaderConfig = Extract<IdCardReaderConfig, { kind: 'vendor-http' }>;
export type VendorWsReaderConfig = Extract<IdCardReaderConfig, { kind: 'vendor-ws' }>;
/** What the answer mapping needs, whichever way the answer came. */
export type VendorAnswerConfig = Pick<VendorHttpReaderConfig, 'data' | 'status' | 'fields'>;
