import { z } from 'zod';
import { noticeDeadLettersSchema } from '@shared/notices/notices';
import { http } from './http';

/** The SMS notices' dead letters at central (`/notices/…`), each answer checked with the contract. */
export const noticesApi = {
  deadLetters: () => http('GET', '/notices/dead-letters', noticeDeadLettersSchema),
  retry: (id: string) => http('POST', `/notices/${encodeURIComponent(id)}/retry`, z.object({ ok: z.literal(true) })),
};
