import { LEADER_FILE_MAX_BYTES, LEADER_FILE_SIGNATURES, LEADER_FILE_TYPES } from '../api/methods/leader';

/**
 * A confidential file's type judged by its bytes, the same way in the console (before it sends) and at
 * central (before it stores): a name or a browser's guess is never taken for the content.
 */

export type LeaderFileType = (typeof LEADER_FILE_TYPES)[number];

/** Base64 of a file of the largest size: the longest `dataBase64` a file may have. */
export const LEADER_FILE_BASE64_MAX = Math.ceil(LEADER_FILE_MAX_BYTES / 3) * 4;

/** How many leading bytes decide the type (the longest signature, PNG's). */
export const FILE_HEAD_BYTES = Math.max(...Object.values(LEADER_FILE_SIGNATURES).map((s) => s.length));

const EXTENSION_TYPES: Record<string, LeaderFileType> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
};

/** The type a file name's extension names; null for any other extension. */
export function fileTypeByName(name: string): LeaderFileType | null {
  const ext = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase();
  return (ext && EXTENSION_TYPES[ext]) || null;
}

/** The type the first bytes are (PDF, PNG, JPEG), or null for anything else. */
export function fileTypeByBytes(head: Uint8Array): LeaderFileType | null {
  return LEADER_FILE_TYPES.find((t) => LEADER_FILE_SIGNATURES[t].every((byte, i) => head[i] === byte)) ?? null;
}

export type LeaderFileProblem =
  | { reason: 'empty' | 'too_large' | 'not_allowed' }
  | { reason: 'type_mismatch' | 'name_mismatch'; detected: LeaderFileType };

/** Why a file may not go to a leader, or null when it may: size first, then what its bytes are. */
export function leaderFileProblem(f: {
  name: string;
  mime: LeaderFileType;
  size: number;
  head: Uint8Array;
}): LeaderFileProblem | null {
  if (f.size === 0) return { reason: 'empty' };
  if (f.size > LEADER_FILE_MAX_BYTES) return { reason: 'too_large' };
  const detected = fileTypeByBytes(f.head);
  if (!detected) return { reason: 'not_allowed' };
  if (detected !== f.mime) return { reason: 'type_mismatch', detected };
  if (fileTypeByName(f.name) !== detected) return { reason: 'name_mismatch', detected };
  return null;
}

/** The number of bytes padded base64 decodes to, without decoding it. */
export function base64ByteLength(b64: string): number {
  const padding = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return Math.max(0, (b64.length / 4) * 3 - padding);
}

/** The first bytes of padded base64 (none when it is not base64). */
export function base64Head(b64: string, n = FILE_HEAD_BYTES): Uint8Array {
  try {
    const text = atob(b64.slice(0, Math.ceil(n / 3) * 4));
    return Uint8Array.from(text.slice(0, n), (ch) => ch.charCodeAt(0));
  } catch {
    return new Uint8Array(0);
  }
}
