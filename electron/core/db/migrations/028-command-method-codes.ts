import type { Migration } from '../migration';

/**
 * The command log names each row's method (`queue.ticket.issue`, `case.intake`, … some 15 characters, on
 * every row of a day's commands: four or more per ticket) by a number from `command_methods`, given as a
 * method is first logged. A retry compares the method it comes with to the logged one's name, as before.
 */
export const commandMethodCodes: Migration = {
  version: 28,
  name: 'command method codes',
  up(db) {
    db.exec(`
      CREATE TABLE command_methods (
        id     INTEGER PRIMARY KEY,
        method TEXT NOT NULL UNIQUE
      ) STRICT;
      INSERT INTO command_methods (method) SELECT DISTINCT method FROM command_log ORDER BY method;
      CREATE TABLE command_log_new (
        mutation_id ANY PRIMARY KEY,
        method      INTEGER NOT NULL REFERENCES command_methods (id),
        result      TEXT NOT NULL,
        at          INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      INSERT INTO command_log_new (mutation_id, method, result, at)
        SELECT l.mutation_id, m.id, l.result, l.at FROM command_log l JOIN command_methods m ON m.method = l.method;
      DROP TABLE command_log;
      ALTER TABLE command_log_new RENAME TO command_log;
    `);
  },
};
