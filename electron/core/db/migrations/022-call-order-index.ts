import type { Migration } from '../migration';

/**
 * "Call next" read every waiting ticket of a counter's queues and ordered them in JavaScript: 96 ms at 5,000
 * waiting. These indexes hold each group of the call order in its own order (ordering.ts), so a counter's
 * next tickets are the first rows of an index walk (store/waiting-queries.ts), however long the queue; the
 * first index's trailing columns make it covering, so people ahead are counted from it alone. The last is a
 * counter's calls, newest first: its priority streak read every day's events back to its last call.
 */
export const callOrderIndex: Migration = {
  version: 22,
  name: 'call order index',
  up(db) {
    db.exec(`
      CREATE INDEX tickets_call_order
        ON tickets (hall_day, queue_id, (priority <> 'none'), arrived_ms, seq, id, priority, state, target_counter_id)
        WHERE state = 'waiting' AND target_counter_id IS NULL;
      CREATE INDEX tickets_due_order ON tickets (hall_day, queue_id, appt_start_ms, arrived_ms, seq, id)
        WHERE state = 'waiting' AND target_counter_id IS NULL AND appt_start_ms > 0;
      CREATE INDEX tickets_transferred ON tickets (hall_day, target_counter_id, arrived_ms, seq, id)
        WHERE state = 'waiting' AND target_counter_id IS NOT NULL;
      CREATE INDEX ticket_events_counter_calls ON ticket_events (counter_id, hall_day, id) WHERE action = 'call';
    `);
  },
};
