import { z } from 'zod';
import { residentIdProblem } from '../validation/resident-id';
import { singleLine } from '../validation/text';

/**
 * A resident ID card (二代/三代居民身份证) as a reader hands it over. The photo is for the clerk's eyes
 * only: nothing stores it (not SQLite, not the outbox, not logs).
 */
const isoDate = z.iso.date();

/** Photos a page can show: readers that decode the chip's WLT data give a BMP, newer services a JPEG or PNG. */
export const ID_CARD_PHOTO_TYPES = ['image/bmp', 'image/jpeg', 'image/png'] as const;
/** A decoded chip photo is 102×126 px (about 38 KiB as BMP); anything far larger is not a card photo. */
export const ID_CARD_PHOTO_MAX_BASE64 = 200_000;

export const idCardPhotoSchema = z
  .object({
    type: z.enum(ID_CARD_PHOTO_TYPES),
    base64: z
      .string()
      .max(ID_CARD_PHOTO_MAX_BASE64)
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, { message: 'is not base64' }),
  })
  .strict();
export type IdCardPhoto = z.infer<typeof idCardPhotoSchema>;

export const idCardSchema = z
  .object({
    name: singleLine(60),
    sex: z.enum(['male', 'female']),
    /** The ethnic group as printed (汉, 蒙古…), not its GB 3304 code. */
    nation: singleLine(20),
    birthDate: isoDate,
    address: singleLine(200),
    idNumber: z.string().refine((id) => residentIdProblem(id) === null, { message: 'is not a resident ID number' }),
    issuer: singleLine(60),
    validFrom: isoDate,
    /** Null: 长期 (valid for life). */
    validTo: isoDate.nullable(),
    /** Null: the reader gave none, or one no page can show. */
    photo: idCardPhotoSchema.nullable(),
  })
  .strict();
export type IdCard = z.infer<typeof idCardSchema>;

/**
 * Why a read gave no card the hall may use. NO_CARD: nothing on the reader; UNREADABLE: a card (or an
 * answer) that could not be read; TIMEOUT: the reader took too long; EXPIRED: a card past its validity;
 * READER_OFFLINE: no reader configured, or its service does not answer.
 */
export const ID_CARD_FAILURES = ['NO_CARD', 'UNREADABLE', 'TIMEOUT', 'EXPIRED', 'READER_OFFLINE'] as const;
export type IdCardFailure = (typeof ID_CARD_FAILURES)[number];

/** `details` of a refused read, as every transport carries it: `reason` is `ID_CARD_<failure>`. */
export const idCardErrorDetailsSchema = z.discriminatedUnion('reason', [
  z.object({ reason: z.literal('ID_CARD_NO_CARD') }),
  z.object({ reason: z.literal('ID_CARD_UNREADABLE') }),
  z.object({ reason: z.literal('ID_CARD_TIMEOUT'), timeoutMs: z.number().int() }),
  z.object({ reason: z.literal('ID_CARD_EXPIRED'), validFrom: isoDate, validTo: isoDate }),
  z.object({ reason: z.literal('ID_CARD_READER_OFFLINE') }),
]);
export type IdCardErrorDetails = z.infer<typeof idCardErrorDetailsSchema>;

export const idCardReason = (failure: IdCardFailure) => `ID_CARD_${failure}` as const;

/** A card is usable through the last day of its validity (the hall's day). */
export const idCardExpired = (card: Pick<IdCard, 'validTo'>, hallDay: string): boolean =>
  card.validTo !== null && card.validTo < hallDay;
