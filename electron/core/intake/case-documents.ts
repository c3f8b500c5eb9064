import type { CaseDocument } from '@shared/api';
import type { CaseState } from '@shared/intake/case-states';
import { caseQrText, trackingBase } from '../casework/tracking';
import type { CaseMaterialRecord, CaseRecord } from '../store/case-store';
import { refuse, type CaseRecords, type IntakeServiceDeps } from './case-records';

/** Which document a case in this state prints: a draft has none. */
export function documentKind(state: CaseState): CaseDocument['kind'] {
  if (state === 'notice_issued') return 'notice';
  if (state === 'rejected') return 'rejection';
  if (state === 'supplement_requested') return 'supplement';
  if (state === 'draft') throw refuse('CONFLICT', 'NO_DOCUMENT', 'a draft case has no document');
  return 'receipt';
}

/**
 * The 补正告知书: what the department asked for (with the catalog's form, copies and note when an item is
 * one of the matter's materials), its note, issued when it asked. No promised date: the clock is stopped
 * until the applicant supplies, and the department sets the new one.
 */
function supplementNotice(doc: CaseDocument, c: CaseRecord): CaseDocument {
  const missing = c.missing.map((item) => {
    const m = item.materialId ? c.materials.find((x) => x.materialId === item.materialId) : undefined;
    return { name: item.name, form: m?.form ?? '', copies: m?.copies ?? null, note: item.note || (m?.note ?? '') };
  });
  return {
    ...doc,
    received: [],
    missing,
    centralNote: c.centralNote,
    issuedAt: c.updatedAt,
    promisedDate: null,
    toleranceDueDate: null,
  };
}

/** The document a case prints (receipt, notice, rejection or supplement notice), with the hall's details. */
export function createCaseDocuments(
  deps: Pick<IntakeServiceDeps, 'hall' | 'catalog' | 'applicants' | 'centralTrackingUrl' | 'attachments'>,
  { caseOrThrow }: CaseRecords,
) {
  const { hall, catalog, applicants } = deps;
  return {
    document(caseId: string): CaseDocument {
      const c = caseOrThrow(caseId);
      const kind = documentKind(c.state);
      const profile = hall.profile();
      // The wording kept when the case was registered; a case from before that was kept prints the catalog's of
      // today (a withdrawn matter stays in it, inactive). The receipt says the 受理 text, the rejection the
      // 不予受理 text, both with the legal basis.
      const matter = c.wording ? undefined : catalog.matter(c.matterCode);
      const kept = c.wording ?? {
        acceptanceText: matter?.acceptanceText ?? '',
        rejectionText: matter?.rejectionText ?? '',
        legalBasis: matter?.legalBasis ?? '',
      };
      const wording: Partial<Record<CaseDocument['kind'], string>> = {
        receipt: kept.acceptanceText,
        rejection: kept.rejectionText,
      };
      const tracking = trackingBase(profile.trackingUrl, deps.centralTrackingUrl());
      const names = (status: CaseMaterialRecord['status']) =>
        c.materials.filter((m) => m.status === status).map((m) => m.nameZh);
      const pages = new Map<string, number>();
      for (const p of deps.attachments.casePages(c.id)) pages.set(p.materialId, (pages.get(p.materialId) ?? 0) + 1);
      const applicant = applicants.byId(c.applicantId);
      const doc: CaseDocument = {
        kind,
        hallName: profile.name,
        hallAddress: profile.address,
        enquiryPhone: profile.enquiryPhone,
        trackingUrl: tracking,
        caseNumber: c.caseNumber,
        queryCode: c.queryCode,
        qrText: caseQrText(tracking, c.caseNumber, c.queryCode),
        applicantName: c.applicantName,
        applicantIdMasked: c.applicantIdMasked,
        matterNameZh: c.matterNameZh,
        departmentNameZh: c.departmentNameZh,
        received: c.materials
          .filter((m) => m.status === 'received')
          .map((m) => ({ name: m.nameZh, form: m.form, copies: m.copies, pages: pages.get(m.materialId) ?? 0 })),
        agent: applicant.kind === 'organisation' ? { name: applicant.contactName ?? '', phone: applicant.phone } : null,
        pending: kind === 'receipt' ? names('tolerated') : [],
        missing:
          kind === 'notice'
            ? c.materials
                .filter((m) => m.requirement !== 'optional' && m.status !== 'received')
                .map((m) => ({ name: m.nameZh, form: m.form, copies: m.copies, note: m.note }))
            : [],
        centralNote: null,
        feeFen: c.feeFen,
        issuedAt: c.acceptedAt ?? c.createdAt,
        promisedDate: c.promisedDate,
        toleranceDueDate: c.toleranceDueDate,
        rejectReason: c.rejectReason,
        legalBasis: kind in wording ? kept.legalBasis : '',
        decisionText: wording[kind] ?? '',
        clerkName: c.clerkName,
        counterNumber: c.counterNumber,
      };
      return kind === 'supplement' ? supplementNotice(doc, c) : doc;
    },
  };
}
