import { z } from 'zod';
import { defineMethod } from '../define';
import {
  PAGE_ADD_MAX_INPUT_BYTES,
  pageAddInputSchema,
  pageContentSchema,
  pageDeleteInputSchema,
  pageListInputSchema,
  pageReadInputSchema,
  pageReorderInputSchema,
  pageSchema,
} from '../../attachments/attachments';

/**
 * The counter's scanned pages of a case being accepted: collected per material under a draft id the
 * counter makes for the intake form, then bound to the case by `case.intake` (`attachmentDraftId`).
 */
export const attachmentMethods = {
  'attachment.page.add': defineMethod({
    description:
      'Add a page (PDF/JPEG/PNG, checked by its bytes, at most 20 MiB) to a material of a draft intake; the same bytes again return the same page.',
    input: pageAddInputSchema,
    output: pageSchema,
    maxInputBytes: PAGE_ADD_MAX_INPUT_BYTES,
  }),
  'attachment.page.list': defineMethod({
    description: 'The pages of a draft intake (or of the case it was accepted as), by material and position.',
    input: pageListInputSchema,
    output: z.array(pageSchema),
  }),
  'attachment.page.reorder': defineMethod({
    description: 'Put the pages of one material in a new order (before acceptance).',
    input: pageReorderInputSchema,
    output: z.array(pageSchema),
  }),
  'attachment.page.delete': defineMethod({
    description: 'Remove a page from a draft intake (before acceptance).',
    input: pageDeleteInputSchema,
    output: z.array(pageSchema),
  }),
  'attachment.page.read': defineMethod({
    description: 'A page’s bytes (base64), for its thumbnail and view.',
    input: pageReadInputSchema,
    output: pageContentSchema,
  }),
};
