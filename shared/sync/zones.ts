import { z } from 'zod';
import type { Classification } from '../api/methods/leader';
import type { RefKind } from './reference';
import type { DeviceRole } from './wire';

/**
 * The three security zones of a government network, lowest first: 公众信息网 (public: kiosks, hall
 * screens, the public tracking page), 政务内网 (government: counters, the hall hub and admin PCs, the
 * console) and 核心安全网 (core: leader PCs and the leader's office). A zone may have what every zone below
 * it has.
 */
export const SECURITY_ZONES = ['public', 'government', 'core'] as const;
export type SecurityZone = (typeof SECURITY_ZONES)[number];
export const securityZoneSchema = z.enum(SECURITY_ZONES);

/** Whether a device of zone `zone` stands at least as high as `needed`. */
export const zoneReaches = (zone: SecurityZone, needed: SecurityZone): boolean =>
  SECURITY_ZONES.indexOf(zone) >= SECURITY_ZONES.indexOf(needed);

/** The zone central gives a device of each role at enrolment, unless the code's administrator says otherwise. */
export const ZONE_OF_ROLE: Record<DeviceRole, SecurityZone> = {
  kiosk: 'public',
  display: 'public',
  counter: 'government',
  hub: 'government',
  admin: 'government',
  leader: 'core',
};

const EVERY_ROLE: readonly DeviceRole[] = ['kiosk', 'display', 'counter', 'hub', 'admin', 'leader'];
/** The devices that verify clerks' sign-ins and keep the hall's cases and complaints. */
const HALL_OFFICE: readonly DeviceRole[] = ['counter', 'hub', 'admin'];

/**
 * Who may pull each reference kind: a device needs its role listed AND its zone at least `zone`. An
 * administrator's zone override can only take away (a kiosk put in the core zone still gets no staff).
 */
export const REF_KIND_ACCESS: Record<RefKind, { roles: readonly DeviceRole[]; zone: SecurityZone }> = {
  // What any applicant may read in the hall anyway.
  'catalog.department': { roles: EVERY_ROLE, zone: 'public' },
  'catalog.matter': { roles: EVERY_ROLE, zone: 'public' },
  holiday: { roles: EVERY_ROLE, zone: 'public' },
  'hall.zone': { roles: EVERY_ROLE, zone: 'public' },
  // People of the hall and their credentials (further stripped by role at central).
  staff: { roles: HALL_OFFICE, zone: 'government' },
  // An applicant's case and complaint: the hall's office only, never a public screen.
  'case.status': { roles: HALL_OFFICE, zone: 'government' },
  'feedback.status': { roles: HALL_OFFICE, zone: 'government' },
  'leader.schedule': { roles: ['leader'], zone: 'core' },
  'leader.briefing': { roles: ['leader'], zone: 'core' },
  'leader.file': { roles: ['leader'], zone: 'core' },
};

/**
 * The zones each classification of leader content may reach. Central checks every leader file it sends
 * against this, beside the kind's own rule: 秘密 and 机密 never leave the core zone.
 */
export const CLASSIFICATION_ZONES: Record<Classification, readonly SecurityZone[]> = {
  internal: ['core'],
  secret: ['core'],
  top_secret: ['core'],
};
export const classificationReaches = (c: Classification, zone: SecurityZone): boolean =>
  CLASSIFICATION_ZONES[c].includes(zone);

/** Why a kind is refused to a device: its role never needs it, or its zone is too low. */
export function refKindRefusal(kind: RefKind, role: DeviceRole, zone: SecurityZone): 'role' | 'zone' | null {
  const rule = REF_KIND_ACCESS[kind];
  if (!rule.roles.includes(role)) return 'role';
  return zoneReaches(zone, rule.zone) ? null : 'zone';
}

/** The kinds a device of this role and zone may pull, of those it has appliers for. */
export const refKindsAllowed = (kinds: readonly string[], role: DeviceRole, zone: SecurityZone): string[] =>
  kinds.filter((k) => k in REF_KIND_ACCESS && refKindRefusal(k as RefKind, role, zone) === null);

/** 403 body of a pull asking for kinds the device may not have. */
export const pullForbiddenSchema = z.object({
  error: z.enum(['KIND_FORBIDDEN', 'ZONE_FORBIDDEN']),
  kinds: z.array(z.string()),
  zone: securityZoneSchema,
});
export type PullForbidden = z.infer<typeof pullForbiddenSchema>;
