import { createCaseDocuments } from '../intake/case-documents';
import { createCaseIntake } from '../intake/case-intake';
import { createCaseRecords, type IntakeServiceDeps } from '../intake/case-records';
import { createCaseViews } from '../intake/case-views';
import { createDocumentArchive } from '../intake/document-archive';

export { DEFAULT_TOLERANCE_WORKING_DAYS } from '../intake/case-intake';
export { MAX_ARCHIVED_PDF_BYTES } from '../intake/document-archive';

/** The one-window intake (一窗受理): cases, their documents and their status updates from central. */
export function createIntakeService(deps: IntakeServiceDeps) {
  const records = createCaseRecords(deps);
  return {
    ...createCaseViews(deps, records),
    ...createCaseIntake(deps, records),
    ...createCaseDocuments(deps, records),
    ...createDocumentArchive(deps, records),
    caseCommand: records.caseCommand,
  };
}
export type IntakeService = ReturnType<typeof createIntakeService>;
