import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ParsedInput } from '@shared/api';
import { CASE_NUMBER_PATTERN } from '@shared/intake/case-number';
import { refuse, type CaseRecords, type IntakeServiceDeps } from './case-records';
import { documentKind } from './case-documents';

type ArchiveInput = ParsedInput<'case.document.archive'>;

export const MAX_ARCHIVED_PDF_BYTES = 4 * 1024 * 1024;

/** The printed documents' PDFs kept in the data folder's archive, named by case number, kind and paper. */
export function createDocumentArchive(
  deps: Pick<IntakeServiceDeps, 'cases' | 'commands' | 'dataDir' | 'now'>,
  { caseOrThrow }: CaseRecords,
) {
  const { cases, commands, now } = deps;
  return {
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
