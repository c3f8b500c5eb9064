import type { CentralMigration } from '../migrate';

/**
 * Each device's security zone (public 公众信息网 / government 政务内网 / core 核心安全网), kept at central and
 * decided at enrolment: from the role, unless the enrolment code names one (an administrator's override).
 * Devices enrolled before get their role's zone, as a new enrolment would.
 */
export const securityZones: CentralMigration = {
  version: 13,
  name: 'security zone of each device and enrolment code',
  sql: `
    ALTER TABLE enrollment_codes ADD COLUMN zone text CHECK (zone IN ('public', 'government', 'core'));
    ALTER TABLE devices ADD COLUMN zone text;
    UPDATE devices SET zone = CASE role WHEN 'kiosk' THEN 'public' WHEN 'display' THEN 'public'
                                        WHEN 'leader' THEN 'core' ELSE 'government' END;
    ALTER TABLE devices ALTER COLUMN zone SET NOT NULL;
    ALTER TABLE devices ADD CONSTRAINT devices_zone_check CHECK (zone IN ('public', 'government', 'core'));
  `,
};
