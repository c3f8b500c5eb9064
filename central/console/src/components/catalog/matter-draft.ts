import type { Material, Matter } from '@shared/api';
import { fenOf } from './fee';

export type MaterialDraft = Material;

/** The matter form as typed: the fee in yuan, the other names as one line; a matter is made of it to send. */
export interface MatterDraft {
  code: string;
  nameZh: string;
  nameEn: string;
  departmentId: string;
  applicantTypes: Matter['applicantTypes'];
  keywords: string;
  feeYuan: number | null;
  legalDays: number | null;
  promisedDays: number | null;
  active: boolean;
  legalBasis: string;
  acceptanceText: string;
  rejectionText: string;
  materials: MaterialDraft[];
}

/** A material id no other material of the draft has: cases name materials by id, so ids are never reused. */
export function newMaterialId(materials: readonly MaterialDraft[]): string {
  const taken = new Set(materials.map((m) => m.id));
  let n = materials.length + 1;
  while (taken.has(`m${n}`)) n++;
  return `m${n}`;
}

export const newMaterial = (materials: readonly MaterialDraft[]): MaterialDraft => ({
  id: newMaterialId(materials),
  nameZh: '',
  nameEn: '',
  requirement: 'required',
  form: 'original',
  copies: 1,
  note: '',
});

export const emptyDraft = (): MatterDraft => ({
  code: '',
  nameZh: '',
  nameEn: '',
  departmentId: '',
  applicantTypes: ['person'],
  keywords: '',
  feeYuan: 0,
  legalDays: 20,
  promisedDays: 10,
  active: true,
  legalBasis: '',
  acceptanceText: '',
  rejectionText: '',
  materials: [newMaterial([])],
});

export const draftOf = (m: Matter): MatterDraft => ({
  ...m,
  keywords: m.keywords.join('、'),
  feeYuan: m.feeFen / 100,
  materials: m.materials.map((x) => ({ ...x })),
});

/** What the shared schema checks: the matter as central keeps it. */
export function matterOf(d: MatterDraft): unknown {
  const { keywords, feeYuan, ...rest } = d;
  return {
    ...rest,
    keywords: keywords
      .split(/[,，、;；\s]+/)
      .map((k) => k.trim())
      .filter(Boolean),
    feeFen: fenOf(feeYuan),
  };
}
