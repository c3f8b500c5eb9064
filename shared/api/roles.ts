/** The roles a device window (or a browser-host session) plays. Kept free of zod: preloads import it. */
export const ROLES = ['kiosk', 'counter', 'display', 'leader', 'admin'] as const;
export type Role = (typeof ROLES)[number];
