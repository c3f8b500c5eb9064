import { z } from 'zod';
import { briefingContentSchema, fileContentSchema, scheduleContentSchema } from '../api/methods/leader';

const record = z.record(z.string(), z.unknown());

/**
 * Reference data central sends down with pull, by kind. `scope` says who receives a row: every hall
 * (`global`, or one hall when the row names it), or only the devices enrolled for the row's leader.
 * The intake and leader issues tighten the open `record` schemas with their own fields.
 */
export const REF_KINDS = {
  'catalog.matter': { scope: 'hall', data: record },
  holiday: {
    scope: 'hall',
    data: z.object({ date: z.iso.date(), workday: z.boolean(), name: z.string().max(40) }).strict(),
  },
  clerk: {
    scope: 'hall',
    data: z.object({ name: z.string().min(1).max(40), pinHash: z.string().min(1).max(300) }).strict(),
  },
  'case.status': {
    scope: 'hall',
    data: z.object({ caseId: z.string(), status: z.string().max(40), at: z.string() }).passthrough(),
  },
  'applicant.profile': { scope: 'hall', data: record },
  // Leader content: the row id is the item's id (a UUID, as the leader pane keys its records).
  'leader.schedule': { scope: 'leader', data: scheduleContentSchema, id: z.uuid() },
  'leader.briefing': { scope: 'leader', data: briefingContentSchema, id: z.uuid() },
  'leader.file': { scope: 'leader', data: fileContentSchema, id: z.uuid() },
} as const satisfies Record<string, { scope: 'hall' | 'leader'; data: z.ZodType; id?: z.ZodType }>;

export type RefKind = keyof typeof REF_KINDS;
export const refKindSchema = z.enum(Object.keys(REF_KINDS) as [RefKind, ...RefKind[]]);
export const isRefKind = (k: string): k is RefKind => Object.prototype.hasOwnProperty.call(REF_KINDS, k);
