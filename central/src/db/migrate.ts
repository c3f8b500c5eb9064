import type pg from 'pg';
import { init } from './migrations/001-init';
import { intake } from './migrations/002-intake';
import { leader } from './migrations/003-leader';
import { insightIntake } from './migrations/004-insight-intake';
import { queueHistory } from './migrations/005-queue-history';
import { identity } from './migrations/006-identity';
import { ratingAppeals } from './migrations/007-rating-appeals';
import { deviceAuditNoTruncate } from './migrations/008-device-audit-no-truncate';
import { casework } from './migrations/009-casework';
import { office } from './migrations/010-office';
import { hallZones } from './migrations/011-hall-zones';
import { auditAnchors } from './migrations/012-audit-anchors';
import { securityZones } from './migrations/013-security-zones';
import { notices } from './migrations/014-notices';
import { attachments } from './migrations/015-attachments';
import { auditAlarmAcks } from './migrations/016-audit-alarm-acks';
import { ticketNotices } from './migrations/017-ticket-notices';

/** One versioned schema step of the central database. Never edit a released step; add a new one. */
export interface CentralMigration {
  version: number;
  name: string;
  sql: string;
  /** Data moved after `sql`, in the same transaction (what SQL alone says poorly). */
  after?: (client: pg.PoolClient) => Promise<void>;
}

export const centralMigrations: readonly CentralMigration[] = [
  init,
  intake,
  leader,
  insightIntake,
  queueHistory,
  identity,
  ratingAppeals,
  deviceAuditNoTruncate,
  casework,
  office,
  hallZones,
  auditAnchors,
  securityZones,
  notices,
  attachments,
  auditAlarmAcks,
  ticketNotices,
];

// Any constant: two servers starting together must not both migrate.
const MIGRATION_LOCK = 7_304_215;

/** Applies the pending steps, each in its own transaction, under an advisory lock; returns the version. */
export async function migrate(pool: pg.Pool, migrations = centralMigrations): Promise<number> {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`central migration "${m.name}" has version ${m.version}, expected ${i + 1}`);
  });
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
    const current = rows[0]?.v ?? 0;
    if (current > migrations.length) {
      throw new Error(`central database is at version ${current}, newer than this server (${migrations.length})`);
    }
    for (const m of migrations.slice(current)) {
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await m.after?.(client);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        throw e;
      }
    }
    return migrations.length;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}
