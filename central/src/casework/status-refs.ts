import type { z } from 'zod';
import type { CaseState } from '@shared/intake/case-states';
import { REF_KINDS } from '@shared/sync/reference';
import type { Tx } from '../db/pool';
import { referenceStore } from '../store/reference-store';

/** The row's data; the status is checked against the kind's states when it is written. */
type CaseStatusData = Omit<z.input<(typeof REF_KINDS)['case.status']['data']>, 'status'> & { status: CaseState };
type FeedbackStatusData = z.input<(typeof REF_KINDS)['feedback.status']['data']>;

/** The reference row's note is shorter than a console note: the hall gets its start, the history keeps it whole. */
const REF_NOTE_MAX = 200;
const refNote = (note: string | null | undefined) =>
  note && note.length > REF_NOTE_MAX ? `${note.slice(0, REF_NOTE_MAX - 1)}…` : (note ?? null);

/**
 * A case's step for its hall (id: the case id), in the transaction of the step itself: the devices of that
 * hall pull it, nobody else. Parsed with the kind's schema first, so no row a device would refuse is sent.
 */
export async function putCaseStatus(tx: Tx, hallId: string, data: CaseStatusData): Promise<number> {
  const parsed = REF_KINDS['case.status'].data.parse({ ...data, note: refNote(data.note) });
  return referenceStore.put(tx, {
    kind: 'case.status',
    id: parsed.caseId,
    hallId,
    leaderId: null,
    deleted: false,
    data: parsed,
  });
}

/** Central's side of a feedback item for its hall (id: the feedback id), likewise. */
export async function putFeedbackStatus(tx: Tx, hallId: string, data: FeedbackStatusData): Promise<number> {
  const parsed = REF_KINDS['feedback.status'].data.parse(data);
  return referenceStore.put(tx, {
    kind: 'feedback.status',
    id: parsed.feedbackId,
    hallId,
    leaderId: null,
    deleted: false,
    data: parsed,
  });
}
