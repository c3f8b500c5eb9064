import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  AppError,
  type Case,
  type CaseDocument,
  type CounterView,
  type Matter,
  type ParsedInput,
  type Ticket,
} from '@shared/api';
import { OPEN_CASE_STATES, type CaseAction, type CaseState } from '@shared/intake/case-states';
import { CASE_NUMBER_PATTERN, formatCaseNumber } from '@shared/intake/case-number';
import { newQueryCode } from '@shared/intake/query-code';
import type { Caller } from '../api/caller';
import { transitionCase } from '../casework/case-transition';
import { caseQrText, trackingBase } from '../casework/tracking';
import type { CaseRecord, CaseMaterialRecord, CaseStore } from '../store/case-store';
import type { DaySeqStore } from '../store/day-seq-store';
import type { VisitRecord, VisitStore } from '../store/visit-store';
import type { ApplicantService } from './applicant-service';
import type { CatalogService } from './catalog-service';
import type { HallService } from './hall-service';
import type { CommandContext, CommandRunner } from './intake-command';
import type { CasePageRef } from '@shared/attachments/attachments';
import { counterVisit, type QueueLookups } from './queue-lookups';

type IntakeInput = ParsedInput<'case.intake'>;
type ArchiveInput = ParsedInput<'case.document.archive'>;

export const DEFAULT_TOLERANCE_WORKING_DAYS = 5;
export const MAX_ARCHIVED_PDF_BYTES = 4 * 1024 * 1024;

const refuse = (
  code: 'CONFLICT' | 'NOT_FOUND' | 'INVALID_INPUT' | 'FORBIDDEN' | 'PAYLOAD_TOO_LARGE',
  reason: string,
  message: string,
  extra: object = {},
) => new AppError(code, message, { reason, ...extra });

/** What the acceptance event says beyond the move itself: 容缺. */
const acceptNote = (tolerated: boolean) => (tolerated ? '容缺受理' : null);

/** The one-window intake (一窗受理): cases, their documents and their status updates from central. */
export function createIntakeService(deps: {
  cases: CaseStore;
  visits: VisitStore;
  daySeq: DaySeqStore;
  catalog: CatalogService;
  applicants: ApplicantService;
  hall: HallService;
  commands: CommandRunner;
  queue: QueueLookups;
  hallCode: string;
  deviceCode: string;
  dataDir: string;
  /** Today in the hall's time zone: what overdue is judged against. */
  today: () => string;
  /** Central's public tracking page while the device is enrolled: the receipts' default. */
  centralTrackingUrl: () => string | null;
  now: () => Date;
  /** Binds a draft's scanned pages to the case being created, in its transaction; what central is told of them. */
  attachments: {
    bindDraft(draftId: string, caseId: string, materialIds: ReadonlySet<string>): CasePageRef[];
    /** The case's scanned pages: the receipt counts them per material. */
    casePages(caseId: string): readonly { materialId: string }[];
  };
}) {
  const { cases, visits, daySeq, catalog, applicants, hall, commands, queue, now, today } = deps;

  function view(c: CaseRecord, day = today()): Case {
    const { visitId: _visit, materials, ...rest } = c;
    return {
      ...rest,
      materials: materials.map(({ form: _f, copies: _c, note: _n, ...m }) => m),
      overdue: OPEN_CASE_STATES.includes(c.state) && c.promisedDate !== null && c.promisedDate < day,
    };
  }

  function caseOrThrow(caseId: string): CaseRecord {
    const c = cases.byId(caseId);
    if (!c) throw refuse('NOT_FOUND', 'UNKNOWN_CASE', 'no such case');
    return c;
  }

  /** Checks the ticked materials against the matter and the outcome; returns them with the catalog's wording. */
  function checkMaterials(matter: Matter, input: IntakeInput): CaseMaterialRecord[] {
    const given = new Map<string, (typeof input.materials)[number]['status']>();
    for (const m of input.materials) {
      if (given.has(m.materialId)) {
        throw refuse('INVALID_INPUT', 'MATERIALS_MISMATCH', `material "${m.materialId}" is given twice`);
      }
      given.set(m.materialId, m.status);
    }
    const unknown = [...given.keys()].filter((id) => !matter.materials.some((m) => m.id === id));
    const absent = matter.materials.filter((m) => !given.has(m.id)).map((m) => m.id);
    if (unknown.length || absent.length) {
      throw refuse('INVALID_INPUT', 'MATERIALS_MISMATCH', 'tick every material of the matter, and only those', {
        unknown,
        absent,
      });
    }
    const ticked = matter.materials.map((m) => ({
      materialId: m.id,
      nameZh: m.nameZh,
      nameEn: m.nameEn,
      requirement: m.requirement,
      form: m.form,
      copies: m.copies,
      note: m.note,
      status: given.get(m.id)!,
    }));
    const notTolerant = ticked.filter((m) => m.status === 'tolerated' && m.requirement !== 'tolerant');
    if (notTolerant.length) {
      throw refuse('INVALID_INPUT', 'MATERIAL_NOT_TOLERANT', 'only 容缺 materials may be supplied later', {
        materialIds: notTolerant.map((m) => m.materialId),
      });
    }
    if (input.outcome === 'accept') {
      const lacking = ticked.filter((m) => m.requirement !== 'optional' && m.status === 'missing');
      if (lacking.length) {
        throw refuse('CONFLICT', 'REQUIRED_MATERIAL_MISSING', 'a required material is missing: issue the notice', {
          materialIds: lacking.map((m) => m.materialId),
        });
      }
    }
    if (input.outcome === 'notice' && !ticked.some((m) => m.requirement !== 'optional' && m.status !== 'received')) {
      throw refuse('CONFLICT', 'NOTHING_MISSING', 'nothing is missing: accept the case instead');
    }
    return ticked;
  }

  /**
   * The dates an acceptance promises: the completion date and the 容缺 date (the clerk's, else a default),
   * counted by the hall calendar. A date counted into a year central has sent no calendar for would be
   * Monday to Friday only, holidays unknown: it is never promised (DOMAIN.md), so the acceptance is refused
   * until the calendar arrives. The clerk may still issue the notice or reject.
   */
  function promisedDates(input: IntakeInput, matter: Matter, tolerated: boolean, acceptDay: string) {
    const promised = catalog.promisedWorkingDay(acceptDay, matter.promisedDays);
    if (tolerated && input.toleranceDueDate !== undefined && input.toleranceDueDate <= acceptDay) {
      throw refuse('INVALID_INPUT', 'TOLERANCE_DUE_NOT_FUTURE', 'the 容缺 due date must be after today');
    }
    // The 承诺书 pledges the missing items before the case is due: never after the promised date.
    if (tolerated && input.toleranceDueDate !== undefined && input.toleranceDueDate > promised.date) {
      throw refuse(
        'INVALID_INPUT',
        'TOLERANCE_DUE_AFTER_PROMISED',
        'the 容缺 due date must not be after the promised date',
        {
          promisedDate: promised.date,
        },
      );
    }
    const tolerance =
      tolerated && input.toleranceDueDate === undefined
        ? catalog.promisedWorkingDay(acceptDay, DEFAULT_TOLERANCE_WORKING_DAYS)
        : null;
    const defaultDue =
      tolerance && promised.date > acceptDay && tolerance.date > promised.date ? promised.date : tolerance?.date;
    const years = [...new Set([...promised.yearsWithoutCalendar, ...(tolerance?.yearsWithoutCalendar ?? [])])].sort();
    if (years.length) {
      throw refuse(
        'CONFLICT',
        'CALENDAR_MISSING',
        `no holiday calendar for ${years.join(', ')}: the promised date cannot be counted until central sends it`,
        { years },
      );
    }
    return {
      promisedDate: promised.date,
      toleranceDueDate: tolerated ? (input.toleranceDueDate ?? defaultDue!) : null,
    };
  }

  function visitFor(
    ctx: CommandContext,
    counter: CounterView,
    ticket: Ticket | null,
    applicantId: string,
    day: string,
    at: string,
    clerkStaffId: string | null,
  ): VisitRecord {
    const existing = ticket ? visits.byTicket(ticket.id) : undefined;
    if (existing) {
      visits.setApplicant(existing.id, applicantId);
      return visits.byId(existing.id)!;
    }
    const v: VisitRecord = {
      id: crypto.randomUUID(),
      counterId: counter.counter.id,
      counterNumber: counter.counter.number,
      clerkName: counter.counter.clerkName ?? '',
      ticketId: ticket?.id ?? null,
      ticketNumber: ticket?.number ?? null,
      hallDay: day,
      applicantId,
      startedAt: at,
      ratingStatus: 'none',
      ratingRequestedAt: null,
      clerkStaffId,
    };
    visits.insert(v);
    const { ratingStatus: _s, ratingRequestedAt: _r, clerkStaffId: _c, notRatedAt: _n, id: visitId, ...rest } = v;
    ctx.append('visit.record@1', { visitId, ...rest }, visitId);
    return v;
  }

  const transition = (c: CaseRecord, action: CaseAction, at: string, actor: string, note: string | null) =>
    transitionCase(cases, c, action, at, actor, note);

  function documentKind(state: CaseState): CaseDocument['kind'] {
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

  return {
    view,
    casesOf: (applicantId: string, limit: number): Case[] => cases.list({ applicantId, limit }).map((c) => view(c)),

    async intake(input: IntakeInput, caller: Caller): Promise<Case> {
      const done = commands.replay<Case>(input.mutationId, 'case.intake');
      if (done) return done;
      // The queue may be on the hub: ask it before the transaction, never inside it.
      const { counter, ticket } = await counterVisit(queue, input.counterId, input.ticketId, caller);

      return commands.run(input.mutationId, 'case.intake', (ctx) => {
        // Checked inside the transaction, after the command log: a retry gets its first answer back.
        if (input.outcome === 'reject' && !input.rejectReason) {
          throw refuse('INVALID_INPUT', 'REJECT_REASON_REQUIRED', 'a rejection needs its reason');
        }
        const applicant = applicants.byId(input.applicantId);
        const matter = catalog.matter(input.matterCode);
        if (!matter) throw refuse('NOT_FOUND', 'UNKNOWN_MATTER', `no matter "${input.matterCode}"`);
        if (!matter.active) throw refuse('CONFLICT', 'MATTER_INACTIVE', `matter ${matter.code} is not offered now`);
        if (!matter.applicantTypes.includes(applicant.kind)) {
          throw refuse('CONFLICT', 'MATTER_NOT_FOR_APPLICANT', `matter ${matter.code} is not for a ${applicant.kind}`);
        }
        const department = catalog.department(matter.departmentId);
        if (!department) throw refuse('NOT_FOUND', 'UNKNOWN_DEPARTMENT', `no department "${matter.departmentId}"`);
        const materials = checkMaterials(matter, input);

        const at = now().toISOString();
        // The hall's day (the hub's, on a hall with one), never this PC's calendar: the promised date the
        // counter previewed from the hall clock is the one the case gets.
        const day = today();
        const acceptDay = day;
        const accepted = input.outcome === 'accept';
        const tolerated = accepted && materials.some((m) => m.status === 'tolerated');
        const dates = accepted ? promisedDates(input, matter, tolerated, acceptDay) : null;
        const seq = daySeq.next('case', day);
        // The person serving is the one the visit's rating rates.
        const clerk = caller.person?.staffId ?? counter.counter.clerkId;
        const visit = visitFor(ctx, counter, ticket, applicant.id, day, at, clerk);
        const c: CaseRecord = {
          id: crypto.randomUUID(),
          caseNumber: formatCaseNumber(deps.hallCode, day, deps.deviceCode, seq),
          state: 'draft',
          applicantId: applicant.id,
          applicantName: applicant.name,
          applicantIdMasked: applicant.idMasked,
          matterCode: matter.code,
          matterNameZh: matter.nameZh,
          matterNameEn: matter.nameEn,
          departmentId: department.id,
          departmentNameZh: department.nameZh,
          visitId: visit.id,
          ticketId: ticket?.id ?? null,
          ticketNumber: ticket?.number ?? null,
          counterId: counter.counter.id,
          counterNumber: counter.counter.number,
          clerkName: counter.counter.clerkName ?? '',
          materials,
          feeFen: matter.feeFen,
          createdAt: at,
          acceptedAt: accepted ? at : null,
          promisedDate: dates?.promisedDate ?? null,
          toleranceDueDate: dates?.toleranceDueDate ?? null,
          rejectReason: input.outcome === 'reject' ? input.rejectReason! : null,
          updatedAt: at,
          queryCode: newQueryCode(),
          missing: [],
          decision: null,
          pickup: null,
          centralNote: null,
          wording: {
            acceptanceText: matter.acceptanceText ?? '',
            rejectionText: matter.rejectionText ?? '',
            legalBasis: matter.legalBasis ?? '',
          },
        };
        // The row is born a draft so that every state it reaches is a checked transition with its event.
        cases.insert(c);
        const events =
          input.outcome === 'accept'
            ? [
                transition(c, 'accept', at, caller.origin, acceptNote(tolerated)),
                transition(c, 'dispatch', at, caller.origin, department.nameZh),
              ]
            : input.outcome === 'notice'
              ? [transition(c, 'issue_notice', at, caller.origin, null)]
              : [transition(c, 'reject', at, caller.origin, c.rejectReason)];
        ctx.append(
          'case.create@1',
          {
            caseId: c.id,
            caseNumber: c.caseNumber,
            state: c.state,
            applicantId: c.applicantId,
            matterCode: c.matterCode,
            departmentId: c.departmentId,
            visitId: c.visitId,
            ticketId: c.ticketId,
            ticketNumber: c.ticketNumber,
            counterId: c.counterId,
            counterNumber: c.counterNumber,
            clerkName: c.clerkName,
            feeFen: c.feeFen,
            materials: c.materials.map((m) => ({
              materialId: m.materialId,
              requirement: m.requirement,
              status: m.status,
            })),
            createdAt: c.createdAt,
            acceptedAt: c.acceptedAt,
            promisedDate: c.promisedDate,
            toleranceDueDate: c.toleranceDueDate,
            rejectReason: c.rejectReason,
            queryCode: c.queryCode!,
            events: events.map((e) => ({ action: e.action, fromState: e.fromState, toState: e.toState, at: e.at })),
          },
          c.id,
        );
        if (input.attachmentDraftId) {
          const pages = deps.attachments.bindDraft(
            input.attachmentDraftId,
            c.id,
            new Set(matter.materials.map((m) => m.id)),
          );
          if (pages.length > 0) ctx.append('case.pages.attach@1', { caseId: c.id, pages }, c.id);
        }
        ctx.emit('case.changed', { caseId: c.id });
        return view(cases.byId(c.id)!, acceptDay);
      });
    },

    get(caseId: string) {
      const c = caseOrThrow(caseId);
      return {
        case: view(c),
        events: cases.events(caseId).map(({ fromState, toState, at, actor, note }) => ({
          fromState,
          toState,
          at,
          actor,
          note,
        })),
      };
    },

    list(filter: ParsedInput<'case.list'>): Case[] {
      const day = today();
      return cases
        .list({
          state: filter.state,
          applicantId: filter.applicantId,
          overdueBefore: filter.overdueOnly ? day : undefined,
          limit: filter.limit,
        })
        .map((c) => view(c, day));
    },

    /**
     * A status update from central (the department's progress): checked against the case's state
     * machine, recorded as an event by `central`, announced to the lists. Run inside a sync pull page,
     * the page's transaction holds the announcement until it commits (see the event bus's `hold`).
     */
    applyCaseStatus(caseId: string, action: CaseAction, at: string, note: string | null): Case {
      return commands.atomic((ctx) => {
        const c = caseOrThrow(caseId);
        transition(c, action, at, 'central', note);
        ctx.emit('case.changed', { caseId });
        return view(cases.byId(caseId)!);
      });
    },

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

    /** Keeps a printed document's PDF: written beside its final name and renamed, so a crash leaves no half file. */
    archive(input: ArchiveInput) {
      const c = caseOrThrow(input.caseId);
      const kind = documentKind(c.state);
      const match = CASE_NUMBER_PATTERN.exec(c.caseNumber);
      if (!match) throw refuse('CONFLICT', 'BAD_CASE_NUMBER', 'this case number cannot name a file');
      if (input.pdfBase64.length % 4 !== 0) throw refuse('INVALID_INPUT', 'BAD_BASE64', 'the PDF is not base64');
      const pdf = Buffer.from(input.pdfBase64, 'base64');
      if (pdf.toString('base64') !== input.pdfBase64) {
        throw refuse('INVALID_INPUT', 'BAD_BASE64', 'the PDF is not base64');
      }
      if (pdf.length > MAX_ARCHIVED_PDF_BYTES) {
        throw refuse('PAYLOAD_TOO_LARGE', 'PDF_TOO_LARGE', 'the PDF is larger than 4 MiB');
      }
      if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') {
        throw refuse('INVALID_INPUT', 'NOT_A_PDF', 'the document is not a PDF');
      }
      const archiveDir = path.join(deps.dataDir, 'archive');
      const relative = path.posix.join('archive', match[1]!, `${c.caseNumber}-${kind}-${input.paper}.pdf`);
      const file = path.resolve(deps.dataDir, relative);
      if (!file.startsWith(archiveDir + path.sep)) {
        throw refuse('CONFLICT', 'BAD_CASE_NUMBER', 'this case number cannot name a file');
      }
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      const fd = fs.openSync(tmp, 'w');
      try {
        fs.writeSync(fd, pdf);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(tmp, file);
      const sha256 = crypto.createHash('sha256').update(pdf).digest('hex');
      commands.atomic(() =>
        cases.putDocument({
          caseId: c.id,
          kind,
          paper: input.paper,
          file: relative,
          sha256,
          bytes: pdf.length,
          archivedAt: now().toISOString(),
        }),
      );
      return { file: relative, sha256, bytes: pdf.length };
    },
  };
}
export type IntakeService = ReturnType<typeof createIntakeService>;
