import type { Database } from 'better-sqlite3';
import { securityZoneSchema, type SecurityZone } from '@shared/sync/zones';

export interface SyncEnrollment {
  centralUrl: string;
  deviceId: string;
  hallId: string;
  hallCode: string;
  role: string;
  /** Central's id of the leader a leader device serves; null for every other role. */
  leaderId: string | null;
  /** Central's public tracking page, as central told it at enrolment (null: central knows no public address). */
  trackingUrl: string | null;
  /** The security zone central put the device in (shared/sync/zones.ts). */
  zone: SecurityZone;
  /** Central's TLS pin from the enrolment (shared/sync/central-pin.ts); null over loopback http://. */
  centralPin: string | null;
}

export interface SyncState {
  enrollment: SyncEnrollment | null;
  cursor: string;
  cursorKinds: string;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
}

interface Row {
  central_url: string | null;
  device_id: string | null;
  hall_id: string | null;
  hall_code: string | null;
  role: string | null;
  leader_id: string | null;
  tracking_url: string | null;
  zone: string | null;
  central_pin: string | null;
  cursor: string;
  cursor_kinds: string;
  last_attempt_at: string | null;
  last_success_at: string | null;
  last_error: string | null;
  last_error_at: string | null;
}

/** This device's sync enrollment, pull cursor and last outcomes: SQL only. */
export function createSyncStateStore(db: Database) {
  const s = {
    get: db.prepare<[], Row>('SELECT * FROM sync_state WHERE id = 1'),
    enroll: db.prepare(`
      UPDATE sync_state SET central_url = @centralUrl, device_id = @deviceId, hall_id = @hallId,
        hall_code = @hallCode, role = @role, leader_id = @leaderId, tracking_url = @trackingUrl, zone = @zone, central_pin = @centralPin,
        cursor = '',
        cursor_kinds = '' WHERE id = 1`),
    setCursor: db.prepare('UPDATE sync_state SET cursor = ?, cursor_kinds = ? WHERE id = 1'),
    attempt: db.prepare('UPDATE sync_state SET last_attempt_at = ? WHERE id = 1'),
    success: db.prepare(
      'UPDATE sync_state SET last_success_at = ?, last_error = NULL, last_error_at = NULL WHERE id = 1',
    ),
    failure: db.prepare('UPDATE sync_state SET last_error = ?, last_error_at = ? WHERE id = 1'),
  };
  return {
    get(): SyncState {
      const r = s.get.get()!;
      return {
        enrollment:
          r.central_url && r.device_id && r.hall_id && r.hall_code && r.role
            ? {
                centralUrl: r.central_url,
                deviceId: r.device_id,
                hallId: r.hall_id,
                hallCode: r.hall_code,
                role: r.role,
                leaderId: r.leader_id,
                trackingUrl: r.tracking_url,
                // Migration 016 filled it in; were it ever unreadable, the lowest zone asks central for least.
                zone: securityZoneSchema.catch('public').parse(r.zone),
                centralPin: r.central_pin,
              }
            : null,
        cursor: r.cursor,
        cursorKinds: r.cursor_kinds,
        lastAttemptAt: r.last_attempt_at,
        lastSuccessAt: r.last_success_at,
        lastError: r.last_error,
        lastErrorAt: r.last_error_at,
      };
    },
    /** A new enrollment starts the pull from the beginning. */
    enroll: (e: SyncEnrollment) => void s.enroll.run(e),
    /** Call inside the transaction that applies the page the cursor ends. */
    setCursor: (cursor: string, kinds: string) => void s.setCursor.run(cursor, kinds),
    attempted: (at: Date) => void s.attempt.run(at.toISOString()),
    succeeded: (at: Date) => void s.success.run(at.toISOString()),
    failed: (error: string, at: Date) => void s.failure.run(error, at.toISOString()),
  };
}
export type SyncStateStore = ReturnType<typeof createSyncStateStore>;
