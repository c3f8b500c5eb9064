import type { CaseMaterial, Matter } from '@shared/api';

export type MaterialStatus = CaseMaterial['status'];

/**
 * Which outcomes the ticked materials allow: accepting needs every required material, and every 容缺
 * material either received or promised; the notice is for what is missing.
 */
export function outcomeHints(matter: Matter | null, statuses: Record<string, MaterialStatus>) {
  const materials = matter?.materials ?? [];
  const missingRequired = materials.filter((m) => m.requirement === 'required' && statuses[m.id] !== 'received');
  const missingTolerant = materials.filter((m) => m.requirement === 'tolerant' && statuses[m.id] === 'missing');
  const tolerated = materials.filter((m) => m.requirement === 'tolerant' && statuses[m.id] === 'tolerated');
  return {
    missingRequired,
    missingTolerant,
    tolerated,
    canAccept: matter !== null && missingRequired.length === 0 && missingTolerant.length === 0,
    canNotice: matter !== null && missingRequired.length + missingTolerant.length > 0,
  };
}
