import type { Database } from 'better-sqlite3';

/** One schema step. `version` is the `user_version` the database has after it; steps are 1, 2, 3… without gaps. */
export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

export function checkMigrationList(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`migration #${i} "${m.name}" has version ${m.version}, expected ${i + 1}`);
    }
  });
}
