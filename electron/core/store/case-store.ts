import type { Database } from 'better-sqlite3';
import type { Case, CaseDocument, CaseMaterial, Material } from '@shared/api';
import type { CaseDecision, CasePickup, SupplementItem } from '@shared/intake/case-outcome';
import { OPEN_CASE_STATES, type CaseState } from '@shared/intake/case-states';

interface CaseRow {
  id: string;
  case_number: string;
  state: CaseState;
  applicant_id: string;
  applicant_name: string;
  applicant_id_masked: string;
  matter_code: string;
  matter_name_zh: string;
  matter_name_en: string;
  department_id: string;
  department_name_zh: string;
  visit_id: string;
  ticket_id: string | null;
  ticket_number: string | null;
  counter_id: string;
  counter_number: number | null;
  clerk_name: string;
  fee_fen: number;
  created_at: string;
  accepted_at: string | null;
  promised_date: string | null;
  tolerance_due_date: string | null;
  reject_reason: string | null;
  updated_at: string;
  query_code: string | null;
  missing: string;
  decision: string | null;
  pickup: string | null;
  central_note: string | null;
  wording: string | null;
}
interface MaterialRow {
  material_id: string;
  name_zh: string;
  name_en: string;
  requirement: CaseMaterial['requirement'];
  form: Material['form'];
  copies: number;
  note: string;
  status: CaseMaterial['status'];
}

/** A case's material with the catalog's wording of the day, as the notice prints it. */
export interface CaseMaterialRecord extends CaseMaterial {
  form: Material['form'];
  copies: number;
  note: string;
}

/** The catalog's wording of the decision as it stood when the case was registered. */
export interface CaseWording {
  acceptanceText: string;
  rejectionText: string;
  legalBasis: string;
}

/** A case as stored; `overdue` is the service's judgement against today, not a column. */
export interface CaseRecord extends Omit<Case, 'overdue' | 'materials'> {
  visitId: string;
  materials: CaseMaterialRecord[];
  /** Null on cases registered before the wording was kept. */
  wording: CaseWording | null;
}

export interface CaseEventRecord {
  caseId: string;
  action: string;
  fromState: CaseState | null;
  toState: CaseState;
  at: string;
  actor: string;
  note: string | null;
}

export interface CaseDocumentRecord {
  caseId: string;
  kind: CaseDocument['kind'];
  paper: 'a4' | '80mm';
  file: string;
  sha256: string;
  bytes: number;
  archivedAt: string;
}

/** What the department sent with a status (case.status rows): stored as it came, the latest wins. */
export interface CentralCaseDetails {
  /** Null: the promised date stays. */
  promisedDate: string | null;
  /** Undefined: the last 补正 request's items stay. */
  missing?: SupplementItem[];
  /** The decision and the pickup of a completed case; undefined: they stay. */
  outcome?: { decision: CaseDecision | null; pickup: CasePickup | null };
  centralNote: string | null;
}

/** The open states as an SQL list, so the queries match the partial index of migration 10 (OPEN_CASE_STATES). */
export const OPEN_STATES_SQL = OPEN_CASE_STATES.map((s) => `'${s}'`).join(', ');

export interface CaseFilter {
  state?: CaseState;
  applicantId?: string;
  /** Only cases still running (OPEN_CASE_STATES) with a promised date before this day. */
  overdueBefore?: string;
  limit: number;
}

const toMaterial = (r: MaterialRow): CaseMaterialRecord => ({
  materialId: r.material_id,
  nameZh: r.name_zh,
  nameEn: r.name_en,
  requirement: r.requirement,
  status: r.status,
  form: r.form,
  copies: r.copies,
  note: r.note,
});

/** A case with the names and the decision wording it kept (migrations 24 and 26 keep each once). */
const CASES = `
  SELECT c.*, n.matter_name_zh, n.matter_name_en, n.department_name_zh, w.wording
  FROM cases c JOIN case_names n ON n.id = c.names_id LEFT JOIN case_wordings w ON w.id = c.wording_id`;

/** All SQL of cases (办件): the case, its materials, its state history and its archived documents. */
export function createCaseStore(db: Database) {
  const s = {
    byId: db.prepare<[string], CaseRow>(`${CASES} WHERE c.id = ?`),
    materials: db.prepare<[string], MaterialRow>(`
      SELECT m.material_id, w.name_zh, w.name_en, m.requirement, w.form, w.copies, w.note, m.status
      FROM case_materials m JOIN material_wordings w ON w.id = m.wording_id
      WHERE m.case_id = ? ORDER BY m.position`),
    insert: db.prepare(`
      INSERT INTO cases (id, case_number, state, applicant_id, applicant_name, applicant_id_masked, matter_code,
                         names_id, department_id, visit_id, ticket_id, ticket_number, counter_id, counter_number,
                         clerk_name, fee_fen, created_at, accepted_at, promised_date, tolerance_due_date,
                         reject_reason, updated_at, query_code, wording_id)
      VALUES (@id, @caseNumber, @state, @applicantId, @applicantName, @applicantIdMasked, @matterCode,
              @namesId, @departmentId, @visitId, @ticketId, @ticketNumber, @counterId, @counterNumber,
              @clerkName, @feeFen, @createdAt, @acceptedAt, @promisedDate, @toleranceDueDate,
              @rejectReason, @updatedAt, @queryCode, @wordingId)
    `),
    putNames: db.prepare(`
      INSERT INTO case_names (matter_name_zh, matter_name_en, department_name_zh)
      VALUES (@matterNameZh, @matterNameEn, @departmentNameZh) ON CONFLICT DO NOTHING`),
    namesId: db.prepare<[CaseRecord], { id: number }>(`
      SELECT id FROM case_names
      WHERE matter_name_zh = @matterNameZh AND matter_name_en = @matterNameEn
        AND department_name_zh = @departmentNameZh`),
    insertMaterial: db.prepare(`
      INSERT INTO case_materials (case_id, material_id, position, requirement, status, wording_id)
      VALUES (@caseId, @materialId, @position, @requirement, @status, @wordingId)
    `),
    putWording: db.prepare('INSERT INTO case_wordings (wording) VALUES (?) ON CONFLICT (wording) DO NOTHING'),
    wordingId: db.prepare<[string], { id: number }>('SELECT id FROM case_wordings WHERE wording = ?'),
    putMaterialWording: db.prepare(`
      INSERT INTO material_wordings (name_zh, name_en, form, copies, note) VALUES (@nameZh, @nameEn, @form, @copies, @note)
      ON CONFLICT (name_zh, name_en, form, copies, note) DO NOTHING`),
    materialWordingId: db.prepare<[CaseMaterialRecord], { id: number }>(`
      SELECT id FROM material_wordings
      WHERE name_zh = @nameZh AND name_en = @nameEn AND form = @form AND copies = @copies AND note = @note`),
    setState: db.prepare('UPDATE cases SET state = ?, updated_at = ? WHERE id = ?'),
    setCentral: db.prepare(`
      UPDATE cases SET promised_date = coalesce(@promisedDate, promised_date), missing = coalesce(@missing, missing),
        decision = iif(@keepOutcome, decision, @decision), pickup = iif(@keepOutcome, pickup, @pickup),
        central_note = @centralNote
      WHERE id = @caseId
    `),
    inSupplement: db.prepare<[number], CaseRow>(`
      ${CASES} WHERE state = 'supplement_requested' ORDER BY updated_at, case_number LIMIT ?
    `),
    insertEvent: db.prepare(`
      INSERT INTO case_events (case_id, action, from_state, to_state, at, actor, note)
      VALUES (@caseId, @action, @fromState, @toState, @at, @actor, @note)
    `),
    events: db.prepare<[string], CaseEventRecord>(`
      SELECT case_id AS caseId, action, from_state AS fromState, to_state AS toState, at, actor, note
      FROM case_events WHERE case_id = ? ORDER BY id
    `),
    putDocument: db.prepare(`
      INSERT INTO case_documents (case_id, kind, paper, file, sha256, bytes, archived_at)
      VALUES (@caseId, @kind, @paper, @file, @sha256, @bytes, @archivedAt)
      ON CONFLICT (case_id, kind, paper) DO UPDATE SET file = excluded.file, sha256 = excluded.sha256,
        bytes = excluded.bytes, archived_at = excluded.archived_at
    `),
    documents: db.prepare<[string], CaseDocumentRecord>(`
      SELECT case_id AS caseId, kind, paper, file, sha256, bytes, archived_at AS archivedAt
      FROM case_documents WHERE case_id = ? ORDER BY kind, paper
    `),
    casesOfVisit: db.prepare<[string], { id: string }>('SELECT id FROM cases WHERE visit_id = ? ORDER BY created_at'),
  };

  function list(f: CaseFilter): CaseRow[] {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: f.limit };
    if (f.state) {
      where.push('state = @state');
      params.state = f.state;
    }
    if (f.applicantId) {
      where.push('applicant_id = @applicantId');
      params.applicantId = f.applicantId;
    }
    if (f.overdueBefore) {
      where.push(`state IN (${OPEN_STATES_SQL}) AND promised_date < @overdueBefore`);
      params.overdueBefore = f.overdueBefore;
    }
    const sql = `${CASES} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
                 ORDER BY created_at DESC, case_number DESC LIMIT @limit`;
    return db.prepare<[Record<string, unknown>], CaseRow>(sql).all(params);
  }

  /** The id of a case's matter and department names as they stood, kept once however many cases have them. */
  function namesId(c: CaseRecord): number {
    s.putNames.run(c);
    return s.namesId.get(c)!.id;
  }
  /** The id of a decision wording, kept once however many cases have it. */
  function wordingId(wording: string): number {
    s.putWording.run(wording);
    return s.wordingId.get(wording)!.id;
  }
  /** The id of a material's wording (name, form, copies, note), kept once however many cases have it. */
  function materialWordingId(m: CaseMaterialRecord): number {
    s.putMaterialWording.run(m);
    return s.materialWordingId.get(m)!.id;
  }

  const toCase = (r: CaseRow): CaseRecord => ({
    id: r.id,
    caseNumber: r.case_number,
    state: r.state,
    applicantId: r.applicant_id,
    applicantName: r.applicant_name,
    applicantIdMasked: r.applicant_id_masked,
    matterCode: r.matter_code,
    matterNameZh: r.matter_name_zh,
    matterNameEn: r.matter_name_en,
    departmentId: r.department_id,
    departmentNameZh: r.department_name_zh,
    visitId: r.visit_id,
    ticketId: r.ticket_id,
    ticketNumber: r.ticket_number,
    counterId: r.counter_id,
    counterNumber: r.counter_number,
    clerkName: r.clerk_name,
    materials: s.materials.all(r.id).map(toMaterial),
    feeFen: r.fee_fen,
    createdAt: r.created_at,
    acceptedAt: r.accepted_at,
    promisedDate: r.promised_date,
    toleranceDueDate: r.tolerance_due_date,
    rejectReason: r.reject_reason,
    updatedAt: r.updated_at,
    queryCode: r.query_code,
    missing: JSON.parse(r.missing) as SupplementItem[],
    decision: r.decision === null ? null : (JSON.parse(r.decision) as CaseDecision),
    pickup: r.pickup === null ? null : (JSON.parse(r.pickup) as CasePickup),
    centralNote: r.central_note,
    wording: r.wording === null ? null : (JSON.parse(r.wording) as CaseWording),
  });

  return {
    byId: (id: string): CaseRecord | undefined => {
      const r = s.byId.get(id);
      return r && toCase(r);
    },
    list: (f: CaseFilter): CaseRecord[] => list(f).map(toCase),
    /** Inserts a case with its materials; call inside the intake's transaction. */
    insert(c: CaseRecord): void {
      s.insert.run({ ...c, namesId: namesId(c), wordingId: c.wording && wordingId(JSON.stringify(c.wording)) });
      c.materials.forEach((m, position) =>
        s.insertMaterial.run({ ...m, caseId: c.id, position, wordingId: materialWordingId(m) }),
      );
    },
    setState: (caseId: string, state: CaseState, at: string) => s.setState.run(state, at, caseId),
    setCentralDetails: (caseId: string, d: CentralCaseDetails) =>
      s.setCentral.run({
        caseId,
        promisedDate: d.promisedDate,
        missing: d.missing === undefined ? null : JSON.stringify(d.missing),
        keepOutcome: d.outcome ? 0 : 1,
        decision: d.outcome?.decision ? JSON.stringify(d.outcome.decision) : null,
        pickup: d.outcome?.pickup ? JSON.stringify(d.outcome.pickup) : null,
        centralNote: d.centralNote,
      }),
    /** Cases waiting for the applicant's 补正, longest waiting first. */
    inSupplement: (limit: number): CaseRecord[] => s.inSupplement.all(limit).map(toCase),
    insertEvent: (e: CaseEventRecord) => s.insertEvent.run(e),
    events: (caseId: string): CaseEventRecord[] => s.events.all(caseId),
    putDocument: (d: CaseDocumentRecord) => s.putDocument.run(d),
    documents: (caseId: string): CaseDocumentRecord[] => s.documents.all(caseId),
    idsOfVisit: (visitId: string): string[] => s.casesOfVisit.all(visitId).map((r) => r.id),
  };
}
export type CaseStore = ReturnType<typeof createCaseStore>;
