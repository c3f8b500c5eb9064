import type { Migration } from '../migration';

/**
 * The mobile number a ticket's holder gave at the kiosk for the "请到X号窗口" SMS: a table of its own, not a
 * column of `tickets`, so the daily archive (which copies whole ticket rows to the history) never keeps it
 * and no ticket view can carry it. A row lives from the opt-in until the ticket's last notice is queued,
 * the ticket is cancelled, or the hall day ends. `origin_ticket_id`: the ticket the holder took, which a
 * transfer keeps (`ticket_id` follows the ticket the transfer makes).
 */
export const ticketSms: Migration = {
  version: 20,
  name: 'ticket SMS opt-in',
  up(db) {
    db.exec(`
      CREATE TABLE ticket_sms (
        ticket_id        TEXT PRIMARY KEY,
        origin_ticket_id TEXT NOT NULL UNIQUE,
        hall_day         TEXT NOT NULL,
        phone            TEXT NOT NULL,
        near_done        INTEGER NOT NULL DEFAULT 0,
        created_at       TEXT NOT NULL
      ) STRICT;
      CREATE INDEX ticket_sms_day ON ticket_sms (hall_day);
    `);
  },
};
