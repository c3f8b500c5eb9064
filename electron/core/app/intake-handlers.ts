import type { MethodName } from '@shared/api';
import type { Handlers } from '../api/dispatch';
import type { Attachments } from '../attachments/create-attachments';
import type { Intake } from './create-intake';

type IntakeMethod = Extract<
  MethodName,
  | `catalog.${string}`
  | `calendar.${string}`
  | `applicant.${string}`
  | `case.${string}`
  | `attachment.${string}`
  | `feedback.${string}`
  | `rating.${string}`
>;

/**
 * The contract's one-window intake methods: catalog and calendar, applicants, cases with their scanned
 * pages, feedback and ratings.
 */
export function intakeHandlers(deps: {
  intake: Intake;
  attachments: Pick<Attachments, 'service' | 'uploader'>;
}): Pick<Handlers, IntakeMethod> {
  const { catalog, applicants, cases, progress, feedback, ratings } = deps.intake;
  const { attachments } = deps;
  return {
    'catalog.departments': () => catalog.departments(),
    'catalog.matters': (input) => catalog.matters(input),
    'catalog.admin.departments.upsert': (input) => catalog.upsertDepartment(input),
    'catalog.admin.matters.upsert': (input) => catalog.upsertMatter(input),
    'calendar.get': (input) => catalog.calendarYear(input.year),
    'calendar.admin.put': (input) => catalog.putCalendarYear(input),
    'calendar.addWorkingDays': (input) => catalog.promisedWorkingDay(input.from, input.days),
    'applicant.lookup': (input) => applicants.lookup(input),
    'applicant.register': (input) => applicants.register(input),
    'applicant.profile': (input) => applicants.profile(input.applicantId),
    'case.intake': async (input, caller) => {
      const accepted = await cases.intake(input, caller);
      if (input.attachmentDraftId) attachments.uploader.nudge();
      return accepted;
    },
    'case.get': (input) => cases.get(input.caseId),
    'case.list': (input) => cases.list(input),
    'case.supplement.receive': (input, caller) => progress.receiveSupplement(input, caller),
    'case.document': (input) => cases.document(input.caseId),
    'case.document.archive': (input) => cases.archive(input),
    'attachment.page.add': (input) =>
      attachments.service.add({
        draftId: input.draftId,
        materialId: input.materialId,
        content: Buffer.from(input.dataBase64, 'base64'),
      }),
    'attachment.page.list': (input) => attachments.service.list(input.draftId),
    'attachment.page.reorder': (input) => attachments.service.reorder(input),
    'attachment.page.delete': (input) => attachments.service.delete(input),
    'attachment.page.read': (input) => {
      const page = attachments.service.read(input.pageId);
      return { mime: page.mime, dataBase64: page.content.toString('base64') };
    },
    'feedback.create': (input, caller) => feedback.create(input, caller),
    'feedback.update': (input, caller) => feedback.update(input, caller),
    'feedback.list': (input, caller) => feedback.list(input, caller),
    'feedback.returnVisit.schedule': (input, caller) => feedback.scheduleReturnVisit(input, caller),
    'feedback.returnVisit.record': (input, caller) => feedback.recordReturnVisit(input, caller),
    'rating.pairing.code': (input, caller) => ratings.pairingCode(input, caller),
    'rating.pair': (input, caller) => ratings.pair(input, caller),
    'rating.screen': (input, caller) => ratings.screen(input, caller),
    'rating.request': (input, caller) => ratings.request(input, caller),
    'rating.pending': (_input, caller) => ratings.pending(caller),
    'rating.submit': (input, caller) => ratings.submit(input, caller),
    'rating.list': (input, caller) => ratings.list(input.limit, caller),
    'rating.appeal.file': (input, caller) => ratings.fileAppeal(input, caller),
    'rating.appeal.decide': (input, caller) => ratings.decideAppeal(input, caller),
  };
}
