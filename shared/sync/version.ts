/**
 * Version of the sync payloads (mutation args and pulled reference rows). Central accepts a range of
 * these and answers 426 outside it; bump it with every incompatible change of a mutation schema.
 */
export const SYNC_SCHEMA_VERSION = 1;
