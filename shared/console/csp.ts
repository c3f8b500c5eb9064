/**
 * The console's Content-Security-Policy, one definition for the header central sends and the <meta> tag the
 * build writes into index.html. Element Plus positions popups with inline style attributes, hence
 * 'unsafe-inline' for styles only; scripts come from the console's own files and nowhere else, and the page
 * talks to its own origin only.
 */
const CONSOLE_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
];

/** The header: nobody may frame the console (frame-ancestors works only as a header). */
export const consoleContentSecurityPolicy = (): string => [...CONSOLE_POLICY, "frame-ancestors 'none'"].join('; ');

/** The same policy for the <meta> tag, without frame-ancestors, which browsers ignore there and complain of. */
export const consoleMetaContentSecurityPolicy = (): string => CONSOLE_POLICY.join('; ');
