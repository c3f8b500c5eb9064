/**
 * Central's live nudges: a Server-Sent Events stream per enrolled device. An event carries no data, only
 * "pull now"; the device never trusts anything in it and learns what changed from its next pull.
 */
export const NUDGES_PATH = '/sync/v1/nudges';
export const NUDGE_EVENT = 'pull';
