import type { MethodName, Result } from '@shared/api';
import type { Caller } from '../api/caller';
import type { AuditLog } from './audit-log';

/** Hall setup writes of the admin page: each is audited with who, what and the outcome. */
const ADMIN_WRITES: ReadonlySet<MethodName> = new Set<MethodName>([
  'hall.profile.update',
  'queue.settings.update',
  'queue.display.settings.update',
  'queue.admin.queues.upsert',
  'queue.admin.counters.upsert',
  'queue.admin.appointments.create',
  'catalog.admin.departments.upsert',
  'catalog.admin.matters.upsert',
  'calendar.admin.put',
  'leader.admin.enrol',
  'leader.admin.import',
  'sync.enroll',
  'sync.now',
  'central.admin.createHall',
  'central.admin.enrollmentCode',
  'central.admin.putRef',
  'central.admin.putClerk',
]);

export const isAdminWrite = (method: MethodName): boolean => ADMIN_WRITES.has(method);

/**
 * Writes whose input is the leader pane's (a leader's account, imported schedules, briefings and files):
 * that stays sealed in leader.sqlite, never in clear in device.sqlite nor in the outbox to central, so
 * their audit row names only the fields sent.
 */
const OPAQUE_INPUT: ReadonlySet<MethodName> = new Set<MethodName>(['leader.admin.enrol', 'leader.admin.import']);

// Never into a log: whatever proves who someone is, or opens something; nor an applicant's ID number.
const SECRET_KEY = /pin|password|token|secret|code|totp|key|content|data|idnumber/i;
const MAX_DETAIL_CHARS = 2000;

/** The input with its secrets replaced, and cut to the keys when it is large (a leader file import). */
function redacted(input: unknown): unknown {
  if (input === null || typeof input !== 'object') return input;
  if (Array.isArray(input)) return input.map(redacted);
  return Object.fromEntries(
    Object.entries(input as Record<string, unknown>).map(([k, v]) => [
      k,
      SECRET_KEY.test(k) ? '[redacted]' : redacted(v),
    ]),
  );
}

export function auditAdminWrite(
  audit: AuditLog,
  caller: Caller,
  method: MethodName,
  input: unknown,
  result: Result<unknown>,
) {
  const clean = redacted(input);
  const text = JSON.stringify(clean) ?? 'null';
  audit.record({
    action: 'admin_write',
    actorStaffId: caller.person?.staffId ?? null,
    actorLogin: caller.person?.login ?? null,
    origin: caller.origin,
    target: method,
    outcome: result.ok ? 'ok' : 'refused',
    detail: {
      input: text.length <= MAX_DETAIL_CHARS && !OPAQUE_INPUT.has(method) ? clean : { keys: Object.keys(clean ?? {}) },
      ...(result.ok ? {} : { error: result.error.code }),
    },
  });
}
