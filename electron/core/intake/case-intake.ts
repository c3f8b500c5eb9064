import crypto from 'node:crypto';
import type { CounterView, Matter, ParsedInput, Case, Ticket } from '@shared/api';
import { formatCaseNumber } from '@shared/intake/case-number';
import { newQueryCode } from '@shared/intake/query-code';
import type { Caller } from '../api/caller';
import type { CommandContext } from '../services/intake-command';
import { counterVisit } from '../services/queue-lookups';
import type { CaseMaterialRecord, CaseRecord } from '../store/case-store';
import type { VisitRecord } from '../store/visit-store';
import { refuse, type CaseRecords, type IntakeServiceDeps } from './case-records';

type IntakeInput = ParsedInput<'case.intake'>;

export const DEFAULT_TOLERANCE_WORKING_DAYS = 5;

/** What the acceptance event says beyond the move itself: 容缺. */
const acceptNote = (tolerated: boolean) => (tolerated ? '容缺受理' : null);

/**
 * Registering a case at the counter (受理, 容缺受理, the notice of missing materials or 不予受理): its
 * materials checked against the matter, its promised dates counted, its visit recorded, in one command.
 */
export function createCaseIntake(deps: IntakeServiceDeps, { view, transition, caseCommand, answerOf }: CaseRecords) {
  const { cases, visits, daySeq, catalog, applicants, commands, queue, now, today } = deps;

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

  return {
    async intake(input: IntakeInput, caller: Caller): Promise<Case> {
      const done = commands.replayKept(input.mutationId, 'case.intake', answerOf);
      if (done) return done;
      // The queue may be on the hub: ask it before the transaction, never inside it.
      const { counter, ticket } = await counterVisit(queue, input.counterId, input.ticketId, caller);

      return caseCommand(input.mutationId, 'case.intake', (ctx) => {
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
  };
}
