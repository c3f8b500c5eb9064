import type { Migration } from '../migration';

/**
 * Central's TLS pin (`sha256/…` of its CA's key), entered with the enrolment code: every later
 * connection to central accepts only a server proving it. Null: an enrolment over loopback http://,
 * or one from before pinning, which the device no longer uses over https:// until enrolled again.
 */
export const centralPin: Migration = {
  version: 21,
  name: 'central TLS pin',
  up(db) {
    db.exec('ALTER TABLE sync_state ADD COLUMN central_pin TEXT');
  },
};
