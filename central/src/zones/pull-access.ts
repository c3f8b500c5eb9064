import { CLASSIFICATIONS } from '@shared/api/methods/leader';
import { isRefKind } from '@shared/sync/reference';
import type { DeviceRole, RefRow } from '@shared/sync/wire';
import { classificationReaches, refKindRefusal, type PullForbidden, type SecurityZone } from '@shared/sync/zones';
import type { Device } from '../store/hall-store';

/**
 * The 403 body for a pull asking for kinds this device may not have, or null when it may have them all.
 * KIND_FORBIDDEN when its role never needs one of them, ZONE_FORBIDDEN when only its zone stands too low.
 * A kind central does not know is left to the query (no row has it): a newer device may ask for one.
 */
export function pullRefusal(kinds: readonly string[], device: Pick<Device, 'role' | 'zone'>): PullForbidden | null {
  const refusals = kinds.flatMap((kind) => {
    if (!isRefKind(kind)) return [];
    const why = refKindRefusal(kind, device.role as DeviceRole, device.zone);
    return why ? [{ kind, why }] : [];
  });
  if (refusals.length === 0) return null;
  return {
    error: refusals.some((r) => r.why === 'role') ? 'KIND_FORBIDDEN' : 'ZONE_FORBIDDEN',
    kinds: refusals.map((r) => r.kind),
    zone: device.zone,
  };
}

const isClassification = (c: unknown): c is (typeof CLASSIFICATIONS)[number] =>
  (CLASSIFICATIONS as readonly unknown[]).includes(c);

/**
 * Whether a pulled row may go to a device of this zone, beside its kind's rule: a leader file only to the
 * zones its classification reaches (its deletion, which carries no content, goes to whoever had the kind).
 */
export function zoneMayReceive(row: RefRow, zone: SecurityZone): boolean {
  if (row.kind !== 'leader.file' || row.deleted) return true;
  const c = (row.data as { classification?: unknown } | null)?.classification;
  return isClassification(c) && classificationReaches(c, zone);
}
