import { AppError, type LeaderFileSummary } from '@shared/api';
import { LEADER_FILE_MAX_BYTES } from '@shared/api/methods/leader';

const SIGNATURES: Record<LeaderFileSummary['mime'], Buffer> = {
  'application/pdf': Buffer.from('%PDF-', 'latin1'),
  'image/png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'image/jpeg': Buffer.from([0xff, 0xd8, 0xff]),
};

/**
 * Decodes an incoming file and checks that its bytes are what its type claims: the viewer must never
 * be handed an HTML page or an executable that calls itself a PDF.
 */
export function checkedFileBytes(file: {
  id: string;
  name: string;
  mime: LeaderFileSummary['mime'];
  dataBase64: string;
}): Buffer {
  const bytes = Buffer.from(file.dataBase64, 'base64');
  const refuse = (reason: string, message: string) =>
    new AppError('INVALID_INPUT', `file "${file.name}": ${message}`, { reason, fileId: file.id });
  if (bytes.length === 0) throw refuse('file_empty', 'is empty');
  if (bytes.length > LEADER_FILE_MAX_BYTES) {
    throw refuse('file_too_large', `is ${bytes.length} bytes, at most ${LEADER_FILE_MAX_BYTES} are allowed`);
  }
  const signature = SIGNATURES[file.mime];
  if (!bytes.subarray(0, signature.length).equals(signature)) {
    throw refuse('file_type_mismatch', `its content is not ${file.mime}`);
  }
  return bytes;
}
