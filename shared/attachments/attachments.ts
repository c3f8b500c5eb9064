import { z } from 'zod';
import { PAGE_MIMES } from './magic';

/** One scanned page at most: a 600 dpi A4 colour scan is well under it; anything bigger is refused before storing. */
export const PAGE_MAX_BYTES = 20 * 1024 * 1024;
/** Pages of one material of one case: a thick contract scanned page by page still fits. */
export const PAGES_PER_MATERIAL_MAX = 200;
/** Base64 of PAGE_MAX_BYTES, rounded up to whole quads. */
const PAGE_MAX_BASE64 = Math.ceil(PAGE_MAX_BYTES / 3) * 4;

export const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, { message: 'is not a SHA-256 in hex' });
const uuid = z.uuid();
const materialId = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, { message: 'is not an id' });
const base64 = z
  .string()
  .max(PAGE_MAX_BASE64 + 4)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, { message: 'is not base64' });

export const pageMimeSchema = z.enum(PAGE_MIMES);

/** A page as the counter lists it: of a draft intake (no case yet) or of the case it was accepted with. */
export const pageSchema = z.object({
  id: uuid,
  draftId: uuid,
  caseId: uuid.nullable(),
  materialId,
  /** 0-based order within the material. */
  position: z.number().int().min(0),
  sha256: sha256Hex,
  bytes: z.number().int().min(1).max(PAGE_MAX_BYTES),
  mime: pageMimeSchema,
  addedAt: z.string(),
  /** When central confirmed it holds the page (verified by hash); null while it waits to go. */
  confirmedAt: z.string().nullable(),
});
export type Page = z.infer<typeof pageSchema>;

/**
 * The draft a counter collects pages in before `case.intake`: an id the counter makes up front (one per
 * intake form), handed to `case.intake` as `attachmentDraftId`, which binds its pages to the new case.
 */
export const pageAddInputSchema = z
  .object({ draftId: uuid, materialId, dataBase64: base64.min(1, { message: 'is empty' }) })
  .strict();
export const pageListInputSchema = z.object({ draftId: uuid }).strict();
export const pageReorderInputSchema = z
  .object({ draftId: uuid, materialId, pageIds: z.array(uuid).min(1).max(PAGES_PER_MATERIAL_MAX) })
  .strict()
  .refine((r) => new Set(r.pageIds).size === r.pageIds.length, { message: 'a page is named twice' });
export const pageDeleteInputSchema = z.object({ draftId: uuid, pageId: uuid }).strict();
export const pageReadInputSchema = z.object({ pageId: uuid }).strict();
export const pageContentSchema = z.object({ mime: pageMimeSchema, dataBase64: z.string() });

/** Largest JSON body of `attachment.page.add`: the base64 page and a little for the ids. */
export const PAGE_ADD_MAX_INPUT_BYTES = PAGE_MAX_BASE64 + 1024;

/** What a case says of its pages to central (the `case.pages.attach` mutation): central waits for the bytes by hash. */
export const casePageRefSchema = z
  .object({
    materialId,
    position: z
      .number()
      .int()
      .min(0)
      .max(PAGES_PER_MATERIAL_MAX - 1),
    sha256: sha256Hex,
    bytes: z.number().int().min(1).max(PAGE_MAX_BYTES),
    mime: pageMimeSchema,
  })
  .strict();
export type CasePageRef = z.infer<typeof casePageRefSchema>;

// ---------------------------------------------------------------- the upload channel to central

export const ATTACHMENT_UPLOAD_PATH = '/sync/v1/attachments';

/** Where an upload stands at central: bytes held so far (resume from there) and whether it is stored and verified. */
export const uploadStatusSchema = z.object({ received: z.number().int().min(0), complete: z.boolean() }).strict();
export type UploadStatus = z.infer<typeof uploadStatusSchema>;

/**
 * The query of an upload request, whose body is the rest of the page (or a part of it) streamed from
 * `offset`, where central's copy ends; `total` is the whole page's size (the same on every request).
 */
export const uploadQuerySchema = z
  .object({
    offset: z.coerce.number().int().min(0).max(PAGE_MAX_BYTES),
    total: z.coerce.number().int().min(1).max(PAGE_MAX_BYTES),
  })
  .strict()
  .refine((q) => q.offset < q.total, { message: 'offset must be before the end', path: ['offset'] });

/** Central's refusals of an upload request, by `error`: the device knows which to resend, which to wait on. */
export const UPLOAD_REFUSALS = {
  /** The request does not start where central's copy ends: resume from `received`. */
  OFFSET_MISMATCH: 409,
  /** The whole page arrived but its SHA-256 is not its name: central dropped it, send it all again. */
  HASH_MISMATCH: 422,
  /** The bytes are not a PDF/JPEG/PNG page. */
  NOT_A_PAGE: 415,
  /** This device holds more at central than its quota allows until its pages are confirmed/pruned. */
  QUOTA_EXCEEDED: 507,
  /** Central is taking as many uploads as it will: try again after `Retry-After`. */
  BUSY: 503,
} as const;
