import { z } from 'zod';
import type { centralSignInSchema } from '@shared/api/methods/central-admin';
import {
  caseBulkResultSchema,
  caseDetailSchema,
  caseQueuePageSchema,
  type CaseActionInput,
  type CaseBulkInput,
  type CaseQueueQuery,
} from '@shared/console/cases';
import {
  feedbackDetailSchema,
  feedbackQueuePageSchema,
  ratingFiguresSchema,
  remindersSchema,
  type FeedbackActionInput,
  type FeedbackQueueQuery,
} from '@shared/console/feedback';
import { consoleDirectorySchema, consolePersonSchema, consoleSessionSchema } from '@shared/console/session';
import { casePagesSchema } from '@shared/attachments/console';
import { http, httpBytes } from './http';

/** Who a live session belongs to (`GET /session`). */
const currentSessionSchema = z.object({ person: consolePersonSchema });

type Query<T> = { [K in keyof T]?: T[K] | undefined };
const id = (s: string) => encodeURIComponent(s);

/** Every route of central's console API the console uses (under CONSOLE_API), each answer checked. */
export const consoleApi = {
  signIn: (body: z.input<typeof centralSignInSchema>) =>
    http('POST', '/session', consoleSessionSchema, { body, signIn: true }),
  session: () => http('GET', '/session', currentSessionSchema),
  signOut: (token: string) => http('DELETE', '/session', null, { token }),
  directory: () => http('GET', '/directory', consoleDirectorySchema),
  reminders: () => http('GET', '/reminders', remindersSchema),

  cases: (query: Query<CaseQueueQuery>) => http('GET', '/cases', caseQueuePageSchema, { query }),
  case: (caseId: string) => http('GET', `/cases/${id(caseId)}`, caseDetailSchema),
  casePages: (caseId: string) => http('GET', `/cases/${id(caseId)}/pages`, casePagesSchema),
  casePage: (caseId: string, sha256: string) => httpBytes(`/cases/${id(caseId)}/pages/${id(sha256)}`),
  actOnCase: (caseId: string, body: CaseActionInput) =>
    http('POST', `/cases/${id(caseId)}/actions`, caseDetailSchema, { body }),
  bulk: (body: CaseBulkInput) => http('POST', '/cases/bulk', caseBulkResultSchema, { body }),

  feedback: (query: Query<Omit<FeedbackQueueQuery, 'ratingOnly'>> & { ratingOnly?: 'true' }) =>
    http('GET', '/feedback', feedbackQueuePageSchema, { query }),
  feedbackItem: (feedbackId: string) => http('GET', `/feedback/${id(feedbackId)}`, feedbackDetailSchema),
  actOnFeedback: (feedbackId: string, body: FeedbackActionInput) =>
    http('POST', `/feedback/${id(feedbackId)}/actions`, feedbackDetailSchema, { body }),

  ratingFigures: (query: { from: string; to: string; hallId?: string }) =>
    http('GET', '/ratings/figures', ratingFiguresSchema, { query }),
};
