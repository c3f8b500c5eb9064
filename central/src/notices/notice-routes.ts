import type { FastifyInstance } from 'fastify';
import {
  noticeIdParamsSchema,
  noticeTemplateInputSchema,
  noticeTemplateParamsSchema,
  type NoticeDeadLetters,
  type NoticeTemplate,
} from '@shared/notices/notices';
import { CONSOLE_API } from '@shared/console/session';
import { inTransaction, type Db } from '../db/pool';
import { forbidden, notFound, requireConsole } from '../casework/console-access';
import { auditAdmin } from '../identity/audit';
import type { StaffRecord } from '../identity/staff-store';
import { invalidInput } from '../routes/invalid-input';
import { createNoticeWorker, type NoticeWorkerOptions } from './notice-worker';
import { noticeStore } from './notice-store';

const DEAD_LETTER_LIMIT = 200;

/**
 * Whose dead letters a person may see and send again: a central administrator every hall's, a hall's
 * supervisor or administrator that hall's; null: none.
 */
function deadLetterHalls(s: StaffRecord): string[] | 'all' | null {
  if (s.roles.includes('central_admin')) return 'all';
  if (s.roles.some((r) => r === 'supervisor' || r === 'hall_admin')) return s.hallIds;
  return null;
}

/**
 * The SMS notices at central: the console's dead letters (list, retry) and, when a provider is given, the
 * worker that sends the outbox while central runs.
 */
export function noticeRoutes(
  app: FastifyInstance,
  db: Db,
  opts: { worker?: Omit<NoticeWorkerOptions, 'publicUrl'> | undefined; publicUrl: string | null },
) {
  if (opts.worker) {
    const worker = createNoticeWorker(db, { ...opts.worker, publicUrl: opts.publicUrl });
    let stop: (() => Promise<void>) | undefined;
    app.addHook('onReady', async () => {
      stop = worker.start(app.log);
    });
    app.addHook('onClose', async () => stop?.());
  }

  app.register(async (scoped) => {
    scoped.addHook('preHandler', requireConsole(db));
    scoped.get(`${CONSOLE_API}/notices/dead-letters`, async (req, reply): Promise<NoticeDeadLetters | void> => {
      const halls = deadLetterHalls(req.actor!);
      if (!halls) return forbidden(reply, 'dead letters are for a central or hall administrator or a supervisor');
      return { items: await noticeStore.deadLetters(db, halls === 'all' ? null : halls, DEAD_LETTER_LIMIT) };
    });
    scoped.post(`${CONSOLE_API}/notices/:id/retry`, async (req, reply) => {
      const p = noticeIdParamsSchema.safeParse(req.params);
      if (!p.success) return invalidInput(reply, p.error);
      const actor = req.actor!;
      const halls = deadLetterHalls(actor);
      if (!halls) return forbidden(reply, 'dead letters are for a central or hall administrator or a supervisor');
      const revived = await inTransaction(db, async (tx) => {
        const hallId = await noticeStore.revive(tx, p.data.id, halls === 'all' ? null : halls);
        if (hallId) {
          const who = { staffId: actor.id, login: actor.login };
          await auditAdmin(tx, req, who, { action: 'notice_retry', entity: `notice:${p.data.id}`, hallId });
        }
        return hallId !== undefined;
      });
      if (!revived) return notFound(reply, 'no such dead letter');
      return { ok: true };
    });

    // The wording is central's, as the catalog is: its administrators read and change it.
    scoped.get(`${CONSOLE_API}/notices/templates`, async (req, reply) => {
      if (!req.actor!.roles.includes('central_admin')) return forbidden(reply, 'templates are central’s');
      return { items: await noticeStore.templates(db) };
    });
    scoped.put(`${CONSOLE_API}/notices/templates/:kind`, async (req, reply): Promise<NoticeTemplate | void> => {
      const p = noticeTemplateParamsSchema.safeParse(req.params);
      if (!p.success) return invalidInput(reply, p.error);
      const body = noticeTemplateInputSchema.safeParse(req.body);
      if (!body.success) return invalidInput(reply, body.error);
      const actor = req.actor!;
      if (!actor.roles.includes('central_admin')) return forbidden(reply, 'templates are central’s');
      const at = new Date();
      const t = { kind: p.data.kind, ...body.data };
      await inTransaction(db, async (tx) => {
        const before = await noticeStore.putTemplate(tx, { ...t, at });
        await auditAdmin(
          tx,
          req,
          { staffId: actor.id, login: actor.login },
          {
            action: 'notice_template_put',
            entity: `notice_template:${t.kind}:${t.matterCode}`,
            hallId: null,
            before: before === undefined ? null : { body: before },
            after: { body: t.body },
          },
        );
      });
      return { ...t, updatedAt: at.toISOString() };
    });
  });
}
