// What a bare server of the load figures is given, and what it answers for an issued ticket: the shape
// of the hub's `queue.ticket.issue` result that the load client checks.
import type { RawTicket } from '../lib/raw-ticket';

export interface BareConfig {
  dbFile: string;
  /** The kiosks' tokens: a call without one of them is refused, as on the hub. */
  tokens: string[];
}

export interface IssueInput {
  queueId: string;
  applicantType: string;
}

/** The call's input if it names a queue and an applicant type (the hub validates it fully with zod). */
export function issueInput(input: unknown): IssueInput | undefined {
  const i = input as Partial<IssueInput> | null;
  return typeof i?.queueId === 'string' && typeof i.applicantType === 'string'
    ? { queueId: i.queueId, applicantType: i.applicantType }
    : undefined;
}

export const issued = (ticket: RawTicket) => ({ ok: true, value: { ticket } });
export const refused = (code: string) => ({ ok: false, error: { code, message: code } });
