/**
 * A refusal of the console API, or a failure to reach it: `code` is the server's stable code (or NETWORK,
 * BAD_RESPONSE), `fields` the server's message per invalid input field, `body` the whole answer (a 409
 * carries the record as it is now).
 */
export class ConsoleApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
    readonly body: unknown = null,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ConsoleApiError';
  }
}
