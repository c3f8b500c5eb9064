import type { Migration } from '../migration';

/** A ticket's share of its queue's day counts, as SQL over a trigger's OLD or NEW row or the backfill's `t`. */
const share = (r: 'OLD' | 'NEW' | 't') => ({
  regular: `(${r}.state = 'waiting' AND ${r}.target_counter_id IS NULL AND ${r}.priority = 'none')`,
  priority: `(${r}.state = 'waiting' AND ${r}.target_counter_id IS NULL AND ${r}.priority <> 'none')`,
  served: `(${r}.state = 'done' AND ${r}.service_started_at IS NOT NULL)`,
  seconds: `(CASE WHEN ${r}.state = 'done' AND ${r}.service_started_at IS NOT NULL
    THEN coalesce(unixepoch(${r}.finished_at, 'subsec') - unixepoch(${r}.service_started_at, 'subsec'), 0)
    ELSE 0 END)`,
});

const any = (r: 'OLD' | 'NEW') => `(${share(r).regular} OR ${share(r).priority} OR ${share(r).served})`;

const add = (r: 'NEW') => `
  INSERT INTO queue_day_seq (hall_day, queue_id, last_seq, waiting_regular, waiting_priority, served, service_seconds)
  VALUES (${r}.hall_day, ${r}.queue_id, 0, ${share(r).regular}, ${share(r).priority}, ${share(r).served},
    ${share(r).seconds})
  ON CONFLICT (hall_day, queue_id) DO UPDATE SET
    waiting_regular = waiting_regular + excluded.waiting_regular,
    waiting_priority = waiting_priority + excluded.waiting_priority,
    served = served + excluded.served,
    service_seconds = service_seconds + excluded.service_seconds;`;

const remove = (r: 'OLD') => `
  UPDATE queue_day_seq SET
    waiting_regular = waiting_regular - ${share(r).regular},
    waiting_priority = waiting_priority - ${share(r).priority},
    served = served - ${share(r).served},
    service_seconds = service_seconds - ${share(r).seconds}
  WHERE hall_day = ${r}.hall_day AND queue_id = ${r}.queue_id;`;

/**
 * "People ahead", a counter's "N waiting", the kiosk's queue lengths and the measured service time counted
 * the day's tickets of a queue at every issue and call: work that grew with the queue (0.3 ms per issue at
 * 5,000 waiting, the served count with every ticket done). The queue's day row, which every issue already
 * writes for its number, now also holds those counts, kept by triggers in the same transaction as the ticket
 * change itself, so they cannot drift from the rows; a change that moves no count writes nothing more.
 * `tickets_waiting` (state, queue_id), written at every state change, served that scan and a counter's list of
 * its no-shows; a partial index of the no-shows alone serves the list now, written only when one is marked.
 */
export const queueDayCounts: Migration = {
  version: 25,
  name: 'queue day counts',
  up(db) {
    db.exec(`
      ALTER TABLE queue_day_seq ADD COLUMN waiting_regular INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE queue_day_seq ADD COLUMN waiting_priority INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE queue_day_seq ADD COLUMN served INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE queue_day_seq ADD COLUMN service_seconds REAL NOT NULL DEFAULT 0;

      INSERT INTO queue_day_seq (hall_day, queue_id, last_seq)
        SELECT hall_day, queue_id, coalesce(max(CASE WHEN parent_id IS NULL THEN seq END), 0)
        FROM tickets GROUP BY hall_day, queue_id
        ON CONFLICT (hall_day, queue_id) DO NOTHING;
      UPDATE queue_day_seq SET (waiting_regular, waiting_priority, served, service_seconds) = (
        SELECT coalesce(sum(${share('t').regular}), 0),
          coalesce(sum(${share('t').priority}), 0),
          coalesce(sum(${share('t').served}), 0),
          coalesce(sum(${share('t').seconds}), 0)
        FROM tickets t WHERE t.hall_day = queue_day_seq.hall_day AND t.queue_id = queue_day_seq.queue_id);

      CREATE TRIGGER tickets_count_insert AFTER INSERT ON tickets WHEN ${any('NEW')}
      BEGIN ${add('NEW')} END;
      CREATE TRIGGER tickets_count_delete AFTER DELETE ON tickets WHEN ${any('OLD')}
      BEGIN ${remove('OLD')} END;
      CREATE TRIGGER tickets_count_update_old
        AFTER UPDATE OF state, priority, target_counter_id, hall_day, queue_id, service_started_at, finished_at
        ON tickets WHEN ${any('OLD')}
      BEGIN ${remove('OLD')} END;
      CREATE TRIGGER tickets_count_update_new
        AFTER UPDATE OF state, priority, target_counter_id, hall_day, queue_id, service_started_at, finished_at
        ON tickets WHEN ${any('NEW')}
      BEGIN ${add('NEW')} END;

      DROP INDEX tickets_waiting;
      CREATE INDEX tickets_no_shows ON tickets (hall_day, queue_id, last_called_at)
        WHERE state = 'no_show' AND reactivated = 0;
    `);
  },
};
