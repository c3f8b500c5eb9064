import { DEFAULT_HALL_TIME_ZONE } from '@shared/format/hall-time';

/** The zones this browser knows (the shared schema checks them again), the hall default first. */
export function timeZoneChoices(current?: string): string[] {
  const known = Intl.supportedValuesOf('timeZone');
  const zones = new Set([DEFAULT_HALL_TIME_ZONE, ...(current ? [current] : []), ...known]);
  return [...zones];
}
