import { AppError, type Case } from '@shared/api';
import { OPEN_CASE_STATES, type CaseAction } from '@shared/intake/case-states';
import type { CasePageRef } from '@shared/attachments/attachments';
import { transitionCase } from '../casework/case-transition';
import type { ApplicantService } from '../services/applicant-service';
import type { CatalogService } from '../services/catalog-service';
import type { HallService } from '../services/hall-service';
import type { CommandContext, CommandRunner } from '../services/intake-command';
import type { QueueLookups } from '../services/queue-lookups';
import type { CaseRecord, CaseStore } from '../store/case-store';
import type { DaySeqStore } from '../store/day-seq-store';
import type { VisitStore } from '../store/visit-store';

export interface IntakeServiceDeps {
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
}

/** A refused intake command: the code for the transport, the reason for the page to translate. */
export const refuse = (
  code: 'CONFLICT' | 'NOT_FOUND' | 'INVALID_INPUT' | 'FORBIDDEN' | 'PAYLOAD_TOO_LARGE',
  reason: string,
  message: string,
  extra: object = {},
) => new AppError(code, message, { reason, ...extra });

/**
 * What a case command's log keeps instead of its answer: the case's id and, as they were in the answer,
 * the parts of a case that change after its intake (its state, central's details, the overdue flag); the
 * null, empty or false ones are left out. Everything else of a case is written once.
 */
export interface KeptCase {
  caseId: string;
  state: Case['state'];
  updatedAt: string;
  promisedDate?: string;
  missing?: Case['missing'];
  decision?: Case['decision'];
  pickup?: Case['pickup'];
  centralNote?: string;
  overdue?: true;
}

/** The kept record of a case command's answer. */
export function keepCase(answer: Case): KeptCase {
  const { id, state, updatedAt, promisedDate, missing, decision, pickup, centralNote, overdue } = answer;
  return {
    caseId: id,
    state,
    updatedAt,
    ...(promisedDate !== null && { promisedDate }),
    ...(missing.length > 0 && { missing }),
    ...(decision !== null && { decision }),
    ...(pickup !== null && { pickup }),
    ...(centralNote !== null && { centralNote }),
    ...(overdue && { overdue }),
  };
}

/**
 * What every part of the intake service shares: a case as the pages see it, the lookup that refuses an
 * unknown case, and the checked move of a case's state.
 */
export function createCaseRecords(deps: Pick<IntakeServiceDeps, 'cases' | 'commands' | 'today'>) {
  const { cases, commands, today } = deps;

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

  const transition = (c: CaseRecord, action: CaseAction, at: string, actor: string, note: string | null) =>
    transitionCase(cases, c, action, at, actor, note);

  /** The answer a kept record was taken from: the case as it is, with what changes since as it was then. */
  function answerOf(k: KeptCase): Case {
    const { caseId, ...then } = k;
    return {
      ...view(caseOrThrow(caseId)),
      promisedDate: null,
      missing: [],
      decision: null,
      pickup: null,
      centralNote: null,
      overdue: false,
      ...then,
    };
  }

  /** Runs a command whose answer is a case once per mutation id; its log keeps a KeptCase (see `kept`). */
  const caseCommand = (mutationId: string, method: string, fn: (ctx: CommandContext) => Case): Case =>
    commands.kept(mutationId, method, (ctx) => keepCase(fn(ctx)), answerOf);

  return { view, caseOrThrow, transition, caseCommand, answerOf };
}
export type CaseRecords = ReturnType<typeof createCaseRecords>;
