import type { ApiError, ErrorCode } from '@shared/api';

/** A failed contract call, carrying the typed error so pages can show a translated message. */
export class ApiCallError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
    this.code = error.code;
    this.details = error.details;
  }
}
