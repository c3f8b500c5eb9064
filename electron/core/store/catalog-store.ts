import type { Database } from 'better-sqlite3';
import type { Department, Material, Matter } from '@shared/api';

interface MatterRow {
  code: string;
  name_zh: string;
  name_en: string;
  department_id: string;
  applicant_types: string;
  fee_fen: number;
  legal_days: number;
  promised_days: number;
  active: number;
  keywords: string;
  search_initials: string;
  legal_basis: string;
  acceptance_text: string;
  rejection_text: string;
}
interface MaterialRow {
  matter_code: string;
  id: string;
  name_zh: string;
  name_en: string;
  requirement: Material['requirement'];
  form: Material['form'];
  copies: number;
  note: string;
}

const toMaterial = (r: MaterialRow): Material => ({
  id: r.id,
  nameZh: r.name_zh,
  nameEn: r.name_en,
  requirement: r.requirement,
  form: r.form,
  copies: r.copies,
  note: r.note,
});

/** A matter as kept, with the pinyin initials its search matches (electron/core/intake/matter-search.ts). */
export interface MatterRecord {
  matter: Matter;
  searchInitials: string;
}

/** All SQL of the matter catalog (事项目录): departments, matters and their materials. */
export function createCatalogStore(db: Database) {
  const s = {
    departments: db.prepare<[], Department>(
      'SELECT id, name_zh AS nameZh, name_en AS nameEn, phone FROM departments ORDER BY id',
    ),
    department: db.prepare<[string], Department>(
      'SELECT id, name_zh AS nameZh, name_en AS nameEn, phone FROM departments WHERE id = ?',
    ),
    putDepartment: db.prepare(`
      INSERT INTO departments (id, name_zh, name_en, phone) VALUES (@id, @nameZh, @nameEn, @phone)
      ON CONFLICT (id) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en, phone = excluded.phone
    `),
    matters: db.prepare<[], MatterRow>('SELECT * FROM matters ORDER BY department_id, code'),
    matter: db.prepare<[string], MatterRow>('SELECT * FROM matters WHERE code = ?'),
    matterCount: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM matters'),
    putMatter: db.prepare(`
      INSERT INTO matters (code, name_zh, name_en, department_id, applicant_types, fee_fen, legal_days, promised_days,
        active, keywords, search_initials, legal_basis, acceptance_text, rejection_text)
      VALUES (@code, @nameZh, @nameEn, @departmentId, @applicantTypes, @feeFen, @legalDays, @promisedDays, @active,
        @keywords, @searchInitials, @legalBasis, @acceptanceText, @rejectionText)
      ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en,
        department_id = excluded.department_id, applicant_types = excluded.applicant_types,
        fee_fen = excluded.fee_fen, legal_days = excluded.legal_days, promised_days = excluded.promised_days,
        active = excluded.active, keywords = excluded.keywords, search_initials = excluded.search_initials,
        legal_basis = excluded.legal_basis, acceptance_text = excluded.acceptance_text,
        rejection_text = excluded.rejection_text
    `),
    materials: db.prepare<[], MaterialRow>('SELECT * FROM matter_materials ORDER BY matter_code, position'),
    materialsOf: db.prepare<[string], MaterialRow>(
      'SELECT * FROM matter_materials WHERE matter_code = ? ORDER BY position',
    ),
    deleteMaterials: db.prepare('DELETE FROM matter_materials WHERE matter_code = ?'),
    insertMaterial: db.prepare(`
      INSERT INTO matter_materials (matter_code, id, position, name_zh, name_en, requirement, form, copies, note)
      VALUES (@matterCode, @id, @position, @nameZh, @nameEn, @requirement, @form, @copies, @note)
    `),
  };

  const toMatter = (r: MatterRow, materials: Material[]): Matter => ({
    code: r.code,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    departmentId: r.department_id,
    applicantTypes: JSON.parse(r.applicant_types) as Matter['applicantTypes'],
    materials,
    feeFen: r.fee_fen,
    legalDays: r.legal_days,
    promisedDays: r.promised_days,
    active: r.active === 1,
    keywords: JSON.parse(r.keywords) as string[],
    legalBasis: r.legal_basis,
    acceptanceText: r.acceptance_text,
    rejectionText: r.rejection_text,
  });

  return {
    /** Runs `fn` in one BEGIN IMMEDIATE transaction (a nested call becomes a savepoint). */
    transaction<T>(fn: () => T): T {
      return db.transaction(fn).immediate();
    },
    departments: (): Department[] => s.departments.all(),
    department: (id: string): Department | undefined => s.department.get(id),
    putDepartment: (d: Department) => s.putDepartment.run(d),
    matterCount: (): number => s.matterCount.get()!.n,
    /** Every matter with its materials and search initials, in two queries rather than one per matter. */
    matters(): MatterRecord[] {
      const byMatter = new Map<string, Material[]>();
      for (const m of s.materials.all()) {
        const list = byMatter.get(m.matter_code) ?? [];
        list.push(toMaterial(m));
        byMatter.set(m.matter_code, list);
      }
      return s.matters
        .all()
        .map((r) => ({ matter: toMatter(r, byMatter.get(r.code) ?? []), searchInitials: r.search_initials }));
    },
    matter(code: string): Matter | undefined {
      const r = s.matter.get(code);
      return r && toMatter(r, s.materialsOf.all(code).map(toMaterial));
    },
    /** Replaces a matter, its materials list and its search initials; call inside a transaction. */
    putMatter(m: Matter, searchInitials: string): void {
      s.putMatter.run({
        ...m,
        applicantTypes: JSON.stringify(m.applicantTypes),
        active: m.active ? 1 : 0,
        keywords: JSON.stringify(m.keywords),
        searchInitials,
      });
      s.deleteMaterials.run(m.code);
      m.materials.forEach((mat, position) => s.insertMaterial.run({ ...mat, matterCode: m.code, position }));
    },
  };
}
export type CatalogStore = ReturnType<typeof createCatalogStore>;
