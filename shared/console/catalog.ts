import { z } from 'zod';
import { departmentSchema, matterSchema, matterUpsertSchema } from '../api/methods/intake';
import { pageQuerySchema } from './session';

/**
 * The matter catalog (事项目录) at the console: departments and matters as central sends them to the halls'
 * devices. A row applies to every hall (`hallId` null, written by central administrators) or to one hall
 * (written by its hall administrators too).
 */
export const catalogHallSchema = z.uuid({ message: 'is not a hall' }).nullable();

/**
 * Which rows a list shows: absent, every row the person may see; `global`, the rows of every hall; a hall's
 * id, that hall's own rows.
 */
export const catalogScopeSchema = z.union([z.literal('global'), z.uuid()]).optional();
export type CatalogScope = z.infer<typeof catalogScopeSchema>;

/**
 * The version the person edited (optimistic lock), or null for a new row: a new row whose id is live in the
 * same scope is refused (CATALOG_ID_TAKEN), an edit of a row changed since (CATALOG_VERSION_CONFLICT).
 */
const expectVersion = z.number().int().min(1).nullable();

export const departmentListQuerySchema = z.object({ scope: catalogScopeSchema }).strict();

export const departmentRowSchema = z.object({
  hallId: z.string().nullable(),
  version: z.number().int(),
  department: departmentSchema,
  /** The live matters naming it that the same devices receive: while any, it cannot be withdrawn. */
  matterCount: z.number().int(),
});
export type DepartmentRow = z.infer<typeof departmentRowSchema>;

export const departmentWriteSchema = z
  .object({ hallId: catalogHallSchema, expectVersion, department: departmentSchema.strict() })
  .strict();
export type DepartmentWrite = z.infer<typeof departmentWriteSchema>;

export const matterListQuerySchema = pageQuerySchema
  .extend({
    scope: catalogScopeSchema,
    departmentId: z.string().max(40).optional(),
    /** Part of a code, of a name or of another name people use. */
    q: z.string().trim().max(40).optional(),
    /** The withdrawn matters (the devices no longer offer them) instead of the live ones. */
    withdrawn: z.enum(['true']).optional(),
  })
  .strict();
export type MatterListQuery = z.infer<typeof matterListQuerySchema>;

export const matterRowSchema = z.object({
  hallId: z.string().nullable(),
  code: z.string(),
  version: z.number().int(),
  /** null: withdrawn (a tombstone: the devices keep it for its cases, no longer offered). */
  matter: matterSchema.nullable(),
});
export type MatterRow = z.infer<typeof matterRowSchema>;

export const matterPageSchema = z.object({ items: z.array(matterRowSchema), total: z.number().int() });
export type MatterPage = z.infer<typeof matterPageSchema>;

/** One matter of one scope, by code: `scope` is `global` or the hall's id. */
export const matterGetQuerySchema = z.object({ scope: z.union([z.literal('global'), z.uuid()]) }).strict();

/** A matter as the console writes it: each material with its own id (a device skips a matter without). */
export const matterWriteSchema = z
  .object({ hallId: catalogHallSchema, expectVersion, matter: matterUpsertSchema })
  .strict()
  .superRefine((w, ctx) => {
    const seen = new Set<string>();
    w.matter.materials.forEach((m, i) => {
      if (seen.has(m.id)) {
        ctx.addIssue({
          code: 'custom',
          message: 'each material needs its own id',
          path: ['matter', 'materials', i, 'id'],
        });
      }
      seen.add(m.id);
    });
  });
export type MatterWrite = z.infer<typeof matterWriteSchema>;

/** Withdraws (tombstones) a department or a matter of a scope, as of the version the person saw. */
export const catalogWithdrawSchema = z
  .object({ hallId: catalogHallSchema, expectVersion: z.number().int().min(1) })
  .strict();
export type CatalogWithdraw = z.infer<typeof catalogWithdrawSchema>;

/** A catalog id in a path: a department's id or a matter's code. */
export const catalogIdParamsSchema = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/) }).strict();
