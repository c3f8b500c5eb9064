import type { CentralMigration } from '../migrate';

/**
 * The queue ticket's SMS ("请到X号窗口"), asked for by the hall hub when a ticket whose holder opted in nears
 * its turn and when it is called. Such a notice is worth something for minutes only: `expires_at` says
 * until when, and one that cannot go out before (quiet hours, a stale event, the call already known) is
 * `dropped` with its phone cleared, never deferred to the morning. Default wording for both kinds.
 */
export const ticketNotices: CentralMigration = {
  version: 17,
  name: 'ticket notices: expiry and dropped notices; near-turn and called templates',
  sql: `
    ALTER TABLE notice_outbox ADD COLUMN expires_at timestamptz;
    ALTER TABLE notice_outbox DROP CONSTRAINT notice_outbox_status_check;
    ALTER TABLE notice_outbox ADD CONSTRAINT notice_outbox_status_check
      CHECK (status IN ('pending', 'sending', 'sent', 'dead', 'dropped'));

    INSERT INTO notice_templates (kind, matter_code, body) VALUES
      ('ticket_near', '', '【{hallName}】您的{ticketNumber}号前面还有{peopleAhead}位，请回到大厅留意叫号。'),
      ('ticket_called', '', '【{hallName}】请{ticketNumber}号到{counterNumber}号窗口办理。');
  `,
};
