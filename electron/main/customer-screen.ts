interface DisplayLike {
  id: number;
  bounds: { x: number; y: number; width: number; height: number };
}

/** The route of the counter's customer-facing rating screen; it follows the counter signed in on this device. */
export const CUSTOMER_SCREEN_ROUTE = '/rate';

/**
 * Where the counter's customer screen goes: the first display that is not the clerk's (primary) one,
 * or null on a single-display counter, which then uses the hall's kiosk for ratings instead.
 */
export function customerDisplay<D extends DisplayLike>(displays: readonly D[], primaryId: number): D | null {
  return displays.find((d) => d.id !== primaryId) ?? null;
}
