import type { CentralMigration } from '../migrate';

/**
 * SMS notices to applicants, sent by central's own outbox: one row per event (its idempotency key makes a
 * replayed event write nothing), sent by a worker with retries until it succeeds or lands in the dead
 * letters a console administrator can retry. The phone is held only until the notice is settled.
 * Templates: one global default per kind (matter_code ''), a matter may override it.
 */
export const notices: CentralMigration = {
  version: 14,
  name: 'notices: SMS outbox with retries and dead letters; notice templates',
  sql: `
    CREATE TABLE notice_outbox (
      id              bigserial PRIMARY KEY,
      idempotency_key text NOT NULL UNIQUE,
      kind            text NOT NULL,
      hall_id         uuid NOT NULL REFERENCES halls (id),
      case_id         text,
      matter_code     text NOT NULL DEFAULT '',
      phone           text,
      phone_masked    text NOT NULL,
      params          jsonb NOT NULL,
      status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'dead')),
      attempts        integer NOT NULL DEFAULT 0,
      -- Null: as soon as the worker comes by; the worker alone sets a time (quiet hours, a retry's wait).
      not_before      timestamptz,
      lease_until     timestamptz,
      last_error      text,
      provider_ref    text,
      created_at      timestamptz NOT NULL,
      sent_at         timestamptz,
      dead_at         timestamptz
    );
    CREATE INDEX notice_outbox_due ON notice_outbox (not_before NULLS FIRST, id) WHERE status IN ('pending', 'sending');
    CREATE INDEX notice_outbox_dead ON notice_outbox (hall_id, dead_at) WHERE status = 'dead';

    CREATE TABLE notice_templates (
      kind        text NOT NULL,
      matter_code text NOT NULL DEFAULT '',
      body        text NOT NULL,
      updated_at  timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (kind, matter_code)
    );
    INSERT INTO notice_templates (kind, matter_code, body) VALUES
      ('case_accepted', '', '【{hallName}】您申请的{matterName}已受理，办件编号{caseNumber}，可在 {trackingUrl} 查询进度。'),
      ('supplement_requested', '', '【{hallName}】您的办件{caseNumber}（{matterName}）需要补正材料：{missing}。请携带材料到大厅办理。'),
      ('case_completed', '', '【{hallName}】您的办件{caseNumber}（{matterName}）已办结，{pickup}。'),
      ('tolerance_due', '', '【{hallName}】您的办件{caseNumber}（{matterName}）容缺材料须在{dueDate}前补齐，请按承诺及时提交。');
  `,
};
