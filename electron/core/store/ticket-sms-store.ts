import type { Database } from 'better-sqlite3';

/** A ticket's SMS opt-in: whom to tell, about which ticket, and whether "near your turn" is behind it. */
export interface TicketSmsRecord {
  ticketId: string;
  originTicketId: string;
  hallDay: string;
  phone: string;
  nearDone: boolean;
}

interface Row {
  ticket_id: string;
  origin_ticket_id: string;
  hall_day: string;
  phone: string;
  near_done: number;
}

const toRecord = (r: Row): TicketSmsRecord => ({
  ticketId: r.ticket_id,
  originTicketId: r.origin_ticket_id,
  hallDay: r.hall_day,
  phone: r.phone,
  nearDone: r.near_done === 1,
});

/** The phones of today's tickets whose holders asked for SMS notices. SQL only; callers hold the transaction. */
export function createTicketSmsStore(db: Database) {
  const s = {
    put: db.prepare(`
      INSERT INTO ticket_sms (ticket_id, origin_ticket_id, hall_day, phone, near_done, created_at)
      VALUES (@ticketId, @ticketId, @hallDay, @phone, @nearDone, @at)
      ON CONFLICT (ticket_id) DO UPDATE SET phone = excluded.phone, near_done = max(near_done, excluded.near_done)`),
    get: db.prepare<[string], Row>('SELECT * FROM ticket_sms WHERE ticket_id = ?'),
    pendingNear: db.prepare<[string], Row>('SELECT * FROM ticket_sms WHERE hall_day = ? AND near_done = 0'),
    nearDone: db.prepare('UPDATE ticket_sms SET near_done = 1 WHERE ticket_id = ?'),
    move: db.prepare('UPDATE ticket_sms SET ticket_id = ? WHERE ticket_id = ?'),
    remove: db.prepare('DELETE FROM ticket_sms WHERE ticket_id = ?'),
    removeBefore: db.prepare('DELETE FROM ticket_sms WHERE hall_day < ?'),
  };
  return {
    /** A second opt-in for the same ticket replaces the number; a "near" already behind it stays behind. */
    put: (r: { ticketId: string; hallDay: string; phone: string; nearDone: boolean; at: string }) =>
      void s.put.run({ ...r, nearDone: r.nearDone ? 1 : 0 }),
    get: (ticketId: string) => {
      const r = s.get.get(ticketId);
      return r && toRecord(r);
    },
    /** The day's opt-ins still waiting for their "near your turn". */
    pendingNear: (hallDay: string) => s.pendingNear.all(hallDay).map(toRecord),
    markNearDone: (ticketId: string) => void s.nearDone.run(ticketId),
    /** A transfer made a new ticket for the same holder: the opt-in follows it. */
    move: (fromTicketId: string, toTicketId: string) => void s.move.run(toTicketId, fromTicketId),
    remove: (ticketId: string) => void s.remove.run(ticketId),
    /** The daily reset: no number outlives its hall day. */
    removeBefore: (hallDay: string) => s.removeBefore.run(hallDay).changes,
  };
}
export type TicketSmsStore = ReturnType<typeof createTicketSmsStore>;
