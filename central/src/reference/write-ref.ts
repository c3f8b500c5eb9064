import type { FastifyRequest } from 'fastify';
import { REF_KINDS, type RefKind } from '@shared/sync/reference';
import type { Tx } from '../db/pool';
import { auditAdmin, type Actor } from '../identity/audit';
import { intakeStore } from '../store/intake-store';
import { referenceStore } from '../store/reference-store';

/** Kinds whose row id is one of their fields: a device applies a deletion by the id alone. */
export const REF_ID_FIELDS: Partial<Record<RefKind, string>> = {
  'catalog.department': 'id',
  'catalog.matter': 'code',
  holiday: 'date',
  'case.status': 'caseId',
};

export interface RefWrite {
  kind: RefKind;
  id: string;
  hallId: string | null;
  leaderId: string | null;
  /** Already valid for the kind (`REF_KINDS[kind].data`); null with `deleted`. */
  data: unknown;
  deleted: boolean;
}

/**
 * Writes one reference row for the devices to pull, with what central keeps of it and the audit row, in the
 * caller's transaction: the admin API and the console write reference rows through here alone, so a row
 * looks the same to a device whoever wrote it. Access and validation are the caller's.
 */
export async function writeRef(
  tx: Tx,
  req: FastifyRequest | null,
  actor: Actor,
  row: RefWrite,
): Promise<number | 'UNKNOWN_DEPARTMENT'> {
  const { kind, id, hallId, leaderId, data, deleted } = row;
  // A device refuses a matter of a department it has never heard of: central sends none.
  if (kind === 'catalog.matter' && !deleted) {
    const { departmentId } = REF_KINDS['catalog.matter'].data.parse(data);
    if (!(await referenceStore.liveFor(tx, 'catalog.department', departmentId, hallId))) return 'UNKNOWN_DEPARTMENT';
  }
  // Central's own record of the case follows what it sends the hall.
  if (kind === 'case.status' && !deleted && hallId) {
    const s = REF_KINDS['case.status'].data.parse(data);
    await intakeStore.setCaseStatus(tx, { caseId: id, hallId, status: s.status, at: s.at });
  }
  const version = await referenceStore.put(tx, { kind, id, hallId, leaderId, deleted, data: deleted ? null : data });
  const def = REF_KINDS[kind];
  await auditAdmin(tx, req, actor, {
    action: 'admin_write',
    entity: `ref:${kind}:${id}`,
    hallId,
    // Leader content stays out of the trail: it names the row, not the confidential text.
    after: def.scope === 'leader' ? { deleted } : { deleted, data: deleted ? null : data },
  });
  return version;
}
