import type { Database } from 'better-sqlite3';
import { packId, packTime } from '../../store/packed-keys';
import type { Migration } from '../migration';

interface OldRow {
  write_order: number;
  replica_id: string;
  mutation_id: string;
  entity_id: string | null;
  device_time: string;
  acked_at: string | null;
}

/**
 * What is kept for retries and resends, smaller again: the outbox by a third (17 MB per 10,000 cases), the
 * command log by a quarter; and a case's matter and department names once per set (caseNamesOnce).
 * The outbox's rows, kept for a month after central acknowledged them:
 * - central's answer only for a rejected row (why it was refused): an applied row's answer (the profile
 *   central filed it under) is central's, no resend needs it, and it made each row grow when acknowledged;
 * - its replica (a UUID, one per opening of the database) by a number from `outbox_replicas`, given in
 *   write order, so the unique (replica, seq) index and the push's partial index of the pending rows hold
 *   two small integers;
 * - the mutation id and entity id as 16 bytes, the device time and the acknowledgement time as epoch
 *   milliseconds (packed-keys.ts: read back as the same text);
 * - no index of the mutation id: nothing looks a row up by it (each is a random UUID the outbox gives,
 *   and every lookup names its replica and seq), and a second pending index, on the status alone, served
 *   the oldest pending row, which the (replica, seq) order is now.
 * Same rows, same order (write_order is kept).
 */
export const packedKeys: Migration = {
  version: 26,
  name: 'packed keys',
  up(db) {
    outboxPackedKeys(db);
    commandLogPackedKeys(db);
    caseNamesOnce(db);
  },
};

function outboxPackedKeys(db: Database) {
  db.exec(`
    CREATE TABLE outbox_replicas (
      id         INTEGER PRIMARY KEY,
      replica_id TEXT NOT NULL UNIQUE
    ) STRICT;
    INSERT INTO outbox_replicas (replica_id)
      SELECT replica_id FROM outbox GROUP BY replica_id ORDER BY min(write_order);

    CREATE TABLE outbox_new (
      write_order    INTEGER PRIMARY KEY,
      replica        INTEGER NOT NULL REFERENCES outbox_replicas (id),
      seq            INTEGER NOT NULL,
      mutation_id    ANY NOT NULL,
      name           TEXT NOT NULL,
      version        INTEGER NOT NULL,
      args           BLOB NOT NULL,
      entity_id      ANY,
      schema_version INTEGER NOT NULL,
      device_time    ANY NOT NULL,
      status         TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'applied', 'rejected')),
      result         TEXT,
      acked_at       INTEGER,
      actor_staff_id TEXT,
      UNIQUE (replica, seq)
    ) STRICT;
  `);
  const rows = db.prepare<[], OldRow>(
    'SELECT write_order, replica_id, mutation_id, entity_id, device_time, acked_at FROM outbox',
  );
  const copy = db.prepare(`
    INSERT INTO outbox_new (write_order, replica, seq, mutation_id, name, version, args, entity_id,
      schema_version, device_time, status, result, acked_at, actor_staff_id)
    SELECT write_order, (SELECT id FROM outbox_replicas r WHERE r.replica_id = o.replica_id), seq, @mutationId,
      name, version, args, @entityId, schema_version, @deviceTime, status,
      CASE WHEN status = 'rejected' THEN result END, @ackedAt, actor_staff_id
    FROM outbox o WHERE write_order = @writeOrder`);
  for (const r of rows.all()) {
    copy.run({
      writeOrder: r.write_order,
      mutationId: packId(r.mutation_id),
      entityId: r.entity_id === null ? null : packId(r.entity_id),
      deviceTime: packTime(r.device_time),
      // Written by toISOString: what the prune compares is the same instant.
      ackedAt: r.acked_at === null ? null : Date.parse(r.acked_at),
    });
  }
  db.exec(`
    DROP TABLE outbox;
    ALTER TABLE outbox_new RENAME TO outbox;
    CREATE INDEX outbox_pending ON outbox (replica, seq) WHERE status = 'pending';
  `);
}

/**
 * The command log (a row per queue and intake command of the last week, a day from now on): its key, the
 * client's mutation id, packed; its time as epoch ms. A time that does not read (none was written so) is
 * older than any retry.
 */
function commandLogPackedKeys(db: Database) {
  db.exec(`
    CREATE TABLE command_log_new (
      mutation_id ANY PRIMARY KEY,
      method      TEXT NOT NULL,
      result      TEXT NOT NULL,
      at          INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID;
  `);
  const rows = db.prepare<[], { mutation_id: string; method: string; result: string; at: string }>(
    'SELECT * FROM command_log',
  );
  const copy = db.prepare('INSERT INTO command_log_new (mutation_id, method, result, at) VALUES (?, ?, ?, ?)');
  for (const r of rows.all()) copy.run(packId(r.mutation_id), r.method, r.result, Date.parse(r.at) || 0);
  db.exec(`
    DROP TABLE command_log;
    ALTER TABLE command_log_new RENAME TO command_log;
  `);
}

/**
 * A case's matter and department names as they stood at its intake (what its receipt and notices print)
 * are the same for every case of a matter until the catalog is edited: each set is kept once and the case
 * names it, as its decision wording (migration 24).
 */
function caseNamesOnce(db: Database) {
  db.exec(`
    CREATE TABLE case_names (
      id                 INTEGER PRIMARY KEY,
      matter_name_zh     TEXT NOT NULL,
      matter_name_en     TEXT NOT NULL,
      department_name_zh TEXT NOT NULL,
      UNIQUE (matter_name_zh, matter_name_en, department_name_zh)
    ) STRICT;
    INSERT INTO case_names (matter_name_zh, matter_name_en, department_name_zh)
      SELECT DISTINCT matter_name_zh, matter_name_en, department_name_zh FROM cases;
    ALTER TABLE cases ADD COLUMN names_id INTEGER REFERENCES case_names (id);
    UPDATE cases SET names_id = (
      SELECT id FROM case_names n
      WHERE n.matter_name_zh = cases.matter_name_zh AND n.matter_name_en = cases.matter_name_en
        AND n.department_name_zh = cases.department_name_zh);
    ALTER TABLE cases DROP COLUMN matter_name_zh;
    ALTER TABLE cases DROP COLUMN matter_name_en;
    ALTER TABLE cases DROP COLUMN department_name_zh;
  `);
}
