import crypto from 'node:crypto';

/**
 * A leader's id in central's leader content (`ref_rows.leader_id`), a leader device's enrolment and the
 * actions it sends back is a UUID, while staff ids are not (`s-…`, or one an administrator chose). The
 * leader's id is derived from their staff id (UUID version 5), so it needs no column and never changes while
 * the account exists: the console's leader's office and the enrolment of a leader device both take it from
 * here.
 */

/** The namespace of leader ids (chosen once at random; changing it would orphan every leader's content). */
const LEADER_NAMESPACE = '95040e3e-b65c-4a62-824f-93cd2b8eb3a8';

/** RFC 9562 UUID version 5: SHA-1 of the namespace's bytes and the name's UTF-8. */
export function uuidV5(name: string, namespace: string): string {
  const hash = crypto
    .createHash('sha1')
    .update(Buffer.from(namespace.replaceAll('-', ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The leader id of the person with this staff id. */
export const leaderIdOf = (staffId: string): string => uuidV5(staffId, LEADER_NAMESPACE);
