import { z } from 'zod';
import { casePageRefSchema } from './attachments';

/** A case's pages as the console lists them; `arrived` false is a page the case names that central does not hold yet. */
export const casePagesSchema = z.object({
  pages: z.array(casePageRefSchema.extend({ arrived: z.boolean() })),
  /** How many pages are still on their way ("pages arriving"). */
  arriving: z.number().int().min(0),
});
export type CasePages = z.infer<typeof casePagesSchema>;
