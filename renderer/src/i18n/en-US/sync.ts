import type zhCN from '../zh-CN/sync';

const sync: typeof zhCN = {
  title: 'Sync with central',
  enrollHint: 'Enter the central address and the one-time code from the central administrator to enrol this device.',
  central: 'Central address',
  code: 'Enrollment code',
  pin: 'Central certificate fingerprint',
  pinHint: 'Given with the code (starts with sha256/); required when central’s address is https://',
  enroll: 'Enrol',
  enrolled: 'Enrolled with central',
  hall: 'Hall',
  pending: 'Waiting to upload',
  lastSuccess: 'Last success',
  lastError: 'Last error',
  replica: 'Replica id',
  now: 'Sync now',
  never: 'never',
  none: 'none',
  errors: {
    NETWORK: 'Central cannot be reached',
    TIMEOUT: 'Central did not answer in time',
    UNAUTHENTICATED: 'Central refused this device’s credentials',
    FORBIDDEN: 'Central refused the request',
    SCHEMA_MISMATCH: 'This version is not compatible with central; please update',
    RATE_LIMITED: 'Too many requests',
    BAD_RESPONSE: 'Central answered something unexpected',
    SERVER_ERROR: 'Central failed internally',
    ENROLLMENT_CODE_INVALID: 'The code is unknown, used or expired',
    SEQ_GAP: 'Sync sequence gap; please contact support',
    LEADER_NOT_ENROLLED: 'Central has content for this device’s leader: enrol the leader’s account first',
    DEMO_ID_HASH_KEY:
      'This device still uses the public demo ID hash key (idHashKey): set the deployment’s key in its config before enrolling it with a production central',
    INSECURE_CENTRAL_URL: 'Central over plain http:// is refused (except on this machine’s loopback): use https://',
    CENTRAL_PIN_REQUIRED: 'Central over https:// needs its certificate fingerprint',
    CENTRAL_PIN_MISMATCH:
      'Central’s certificate does not match the fingerprint: connection refused (someone may be posing as central)',
    INTERNAL: 'Sync failed on this device',
  },
};
export default sync;
