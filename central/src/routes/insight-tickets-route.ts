import type { FastifyInstance } from 'fastify';
import { localDayWindow, ticketFactOf, ticketStats, type FinishFact } from '@shared/insight/ticket-stats';
import { INSIGHT_TICKETS_PATH, insightTicketsQuerySchema } from '@shared/sync/insight-queries';
import type { Db } from '../db/pool';
import { queueHistoryStore } from '../store/queue-history-store';
import { requireDevice } from './auth';
import { invalidInput } from './invalid-input';

/** Devices that show the hall dashboard: what a counter or kiosk has no use for stays with central. */
const DASHBOARD_ROLES = new Set(['admin', 'leader', 'hub']);

/**
 * The ticket statistics of the caller's hall over the hall days its hub archived here, computed by the
 * very function the hub uses on its own history (shared/insight/ticket-stats.ts); `tz` is the hall's zone,
 * which places the hours and the days' sign-in windows.
 */
export function insightTicketsRoute(app: FastifyInstance, db: Db) {
  app.register(async (scoped) => {
    scoped.addHook('preHandler', requireDevice(db));

    scoped.get(INSIGHT_TICKETS_PATH, async (req, reply) => {
      const device = req.device!;
      if (!DASHBOARD_ROLES.has(device.role)) return reply.code(403).send({ error: 'FORBIDDEN' });
      const parsed = insightTicketsQuerySchema.safeParse(req.query);
      if (!parsed.success) return invalidInput(reply, parsed.error);
      const { from, to, tz: timeZone } = parsed.data;

      const span = { from: localDayWindow(from, timeZone).from, to: localDayWindow(to, timeZone).to };
      const [tickets, sessions, rosters] = await Promise.all([
        queueHistoryStore.tickets(db, device.hallId, from, to),
        queueHistoryStore.sessions(db, device.hallId, span.from, span.to),
        queueHistoryStore.rosters(db, device.hallId, from, to),
      ]);

      // The latest archived day's names win, as the hub shows its current list.
      const queues = new Map(rosters.flatMap((r) => r.queues.map((q) => [q.id, q] as const)));
      const counters = new Map(rosters.flatMap((r) => r.counters.map((c) => [c.id, c] as const)));
      const clerkNames = new Map<string, string>();
      for (const s of sessions) clerkNames.set(s.clerk_id, s.clerk_name);
      const finishes: FinishFact[] = [];
      for (const t of tickets) {
        if (!t.finished_by || t.finished_event_at === null || t.finished_by_name === null) continue;
        finishes.push({ ticketId: t.ticket_id, hallDay: t.hall_day, at: t.finished_event_at, clerkId: t.finished_by });
        clerkNames.set(t.finished_by, t.finished_by_name);
      }
      const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

      return ticketStats({
        from,
        to,
        timeZone,
        // Matters for the hall's today only (not archived yet): a sign-in still open when yesterday was
        // reported counts until now, as on the hub.
        now: new Date(),
        tickets: tickets.map((t) => ticketFactOf(t.ticket_id, t)),
        finishes,
        sessions: (fromInstant, toInstant) =>
          sessions
            .filter((s) => s.signed_in_at < toInstant && (s.signed_out_at === null || s.signed_out_at > fromInstant))
            .map((s) => ({ clerkId: s.clerk_id, signedInAt: s.signed_in_at, signedOutAt: s.signed_out_at })),
        queues: [...queues.values()].sort((a, b) => a.sortOrder - b.sortOrder || byId(a, b)),
        counters: [...counters.values()].sort((a, b) => a.number - b.number || byId(a, b)),
        clerks: [...clerkNames].map(([id, name]) => ({ id, name })).sort(byId),
      });
    });
  });
}
