/** The roles a device window (or a browser-host session) plays. Kept free of zod: preloads import it. */
export const ROLES = ['kiosk', 'counter', 'display', 'leader', 'admin', 'rate'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Window roles a device plays by itself: a kiosk, a hall screen, a rating screen. Every other role is a
 * person's workplace, and its calls need that person signed in (see METHOD_STAFF in access.ts).
 */
export const DEVICE_ROLES = ['kiosk', 'display', 'rate'] as const satisfies readonly Role[];
export const PERSON_ROLES = ['counter', 'admin', 'leader'] as const satisfies readonly Role[];
export const isDeviceRole = (role: Role): boolean => (DEVICE_ROLES as readonly Role[]).includes(role);
/** A device role that acts only once paired with a counter (its binding), never by merely opening a page. */
export const BOUND_DEVICE_ROLES = ['rate'] as const satisfies readonly Role[];
