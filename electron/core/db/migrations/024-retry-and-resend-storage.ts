import type { Database } from 'better-sqlite3';
import type { Applicant, Case } from '@shared/api';
import { keepCase } from '../../intake/case-records';
import { keepApplicant } from '../../services/applicant-service';
import { encodeArgs } from '../../store/outbox-args';
import type { Migration } from '../migration';

/**
 * What is kept for retries and resends rather than as the hall's records, smaller (a counter's outbox and
 * command log were two thirds of its database):
 * - the command log of the intake commands answered with a case or an applicant keeps what the answer is
 *   rebuilt from instead of the answer (case-records' KeptCase, applicant-service's KeptApplicant);
 * - the outbox keeps its args deflated (outbox-args.ts); its write order is the rowid (an INTEGER PRIMARY
 *   KEY, which VACUUM keeps, unlike an implicit rowid), so the table needs no index of it; its two
 *   indexes for the push hold only the pending rows, where they held every row kept for a resend;
 * - the catalog's wording a case keeps is kept once per wording (caseWordingsOnce), and a case's materials
 *   in their primary key's b-tree (WITHOUT ROWID), where a rowid table had a second index of every
 *   (case, material) beside it.
 * Same rows otherwise.
 */
export const retryAndResendStorage: Migration = {
  version: 24,
  name: 'retry and resend storage',
  up(db) {
    keepCommandAnswers(db);
    caseWordingsOnce(db);
    db.exec(`
      CREATE TABLE outbox_new (
        write_order    INTEGER PRIMARY KEY,
        replica_id     TEXT NOT NULL,
        seq            INTEGER NOT NULL,
        mutation_id    TEXT NOT NULL UNIQUE,
        name           TEXT NOT NULL,
        version        INTEGER NOT NULL,
        args           BLOB NOT NULL,
        entity_id      TEXT,
        schema_version INTEGER NOT NULL,
        device_time    TEXT NOT NULL,
        status         TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'applied', 'rejected')),
        result         TEXT,
        acked_at       TEXT,
        actor_staff_id TEXT,
        UNIQUE (replica_id, seq)
      ) STRICT;
    `);
    const rows = db.prepare<[], { write_order: number; args: string }>('SELECT write_order, args FROM outbox');
    const copy = db.prepare(`
      INSERT INTO outbox_new (write_order, replica_id, seq, mutation_id, name, version, args, entity_id,
        schema_version, device_time, status, result, acked_at, actor_staff_id)
      SELECT write_order, replica_id, seq, mutation_id, name, version, @args, entity_id, schema_version,
        device_time, status, result, acked_at, actor_staff_id
      FROM outbox WHERE write_order = @writeOrder`);
    for (const r of rows.all()) copy.run({ writeOrder: r.write_order, args: encodeArgs(JSON.parse(r.args)) });
    db.exec(`
      DROP TABLE outbox;
      ALTER TABLE outbox_new RENAME TO outbox;
      CREATE INDEX outbox_pending ON outbox (replica_id, seq) WHERE status = 'pending';
      CREATE INDEX outbox_pending_order ON outbox (status) WHERE status = 'pending';

    `);
  },
};

const CASE_COMMANDS = ['case.intake', 'case.supplement.receive'];

function keepCommandAnswers(db: Database) {
  const answers = db.prepare<[], { mutation_id: string; method: string; result: string }>(
    `SELECT mutation_id, method, result FROM command_log
     WHERE method IN (${[...CASE_COMMANDS, 'applicant.register'].map((m) => `'${m}'`).join(', ')})`,
  );
  const put = db.prepare('UPDATE command_log SET result = ? WHERE mutation_id = ?');
  for (const r of answers.all()) {
    const answer: unknown = JSON.parse(r.result);
    const kept = CASE_COMMANDS.includes(r.method) ? keepCase(answer as Case) : keepApplicant(answer as Applicant);
    put.run(JSON.stringify(kept), r.mutation_id);
  }
}

/**
 * The catalog's wording a case keeps (its decision texts; its materials' names, form, copies and note) is
 * the same for every case of a matter until the catalog is edited: each wording is kept once, and a case
 * or a case's material names it.
 */
function caseWordingsOnce(db: Database) {
  db.exec(`
    CREATE TABLE case_wordings (
      id      INTEGER PRIMARY KEY,
      wording TEXT NOT NULL UNIQUE
    ) STRICT;
    INSERT INTO case_wordings (wording) SELECT DISTINCT wording FROM cases WHERE wording IS NOT NULL;
    ALTER TABLE cases ADD COLUMN wording_id INTEGER REFERENCES case_wordings (id);
    UPDATE cases SET wording_id = (SELECT id FROM case_wordings w WHERE w.wording = cases.wording);
    ALTER TABLE cases DROP COLUMN wording;

    CREATE TABLE material_wordings (
      id      INTEGER PRIMARY KEY,
      name_zh TEXT NOT NULL,
      name_en TEXT NOT NULL,
      form    TEXT NOT NULL,
      copies  INTEGER NOT NULL,
      note    TEXT NOT NULL,
      UNIQUE (name_zh, name_en, form, copies, note)
    ) STRICT;
    INSERT INTO material_wordings (name_zh, name_en, form, copies, note)
      SELECT DISTINCT name_zh, name_en, form, copies, note FROM case_materials;
    CREATE TABLE case_materials_new (
      case_id     TEXT NOT NULL REFERENCES cases (id),
      material_id TEXT NOT NULL,
      position    INTEGER NOT NULL,
      requirement TEXT NOT NULL CHECK (requirement IN ('required', 'optional', 'tolerant')),
      status      TEXT NOT NULL CHECK (status IN ('received', 'missing', 'tolerated')),
      wording_id  INTEGER NOT NULL REFERENCES material_wordings (id),
      CHECK (status <> 'tolerated' OR requirement = 'tolerant'),
      PRIMARY KEY (case_id, material_id)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO case_materials_new (case_id, material_id, position, requirement, status, wording_id)
      SELECT m.case_id, m.material_id, m.position, m.requirement, m.status, w.id
      FROM case_materials m JOIN material_wordings w
        ON w.name_zh = m.name_zh AND w.name_en = m.name_en AND w.form = m.form AND w.copies = m.copies
          AND w.note = m.note;
    DROP TABLE case_materials;
    ALTER TABLE case_materials_new RENAME TO case_materials;
  `);
}
