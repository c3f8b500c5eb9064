/**
 * One `Intl.DateTimeFormat` per locale, zone and options. Building one costs ~20× a format call and holds
 * native memory V8 does not count, so a hub that built one per ticket grew by hundreds of MB under load.
 * The key space is small (a hall has one zone, a few locales and styles), so the cache needs no eviction.
 */
const cache = new Map<string, Intl.DateTimeFormat>();

export function dateFormatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = cache.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    cache.set(key, format);
  }
  return format;
}
