interface DisplayLike {
  id: number;
  bounds: { x: number; y: number; width: number; height: number };
}

/** The route of the counter's customer-facing rating screen: a window of role rate, paired with the counter by code. */
export const CUSTOMER_SCREEN_ROUTE = '/rate';

/**
 * Where the counter's customer screen goes: the first display that is not the clerk's (primary) one,
 * or null on a single-display counter, which then pairs a tablet rating screen (评价器) instead: kiosks
 * never take ratings.
 */
export function customerDisplay<D extends DisplayLike>(displays: readonly D[], primaryId: number): D | null {
  return displays.find((d) => d.id !== primaryId) ?? null;
}
