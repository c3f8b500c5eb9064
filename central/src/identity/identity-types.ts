import type { z } from 'zod';
import type { auditRecordArgs, staffUpsertArgs } from '@shared/sync/mutations/identity';

export type AuditRecordArgs = z.infer<typeof auditRecordArgs>;
export type StaffUpsertArgs = z.infer<typeof staffUpsertArgs>;
