/**
 * The Content-Security-Policy of every OneWindow page, in Electron (app://) and in the browser host.
 * Element Plus positions popups with inline style attributes, hence 'unsafe-inline' for styles only;
 * scripts come from the app's own files and nowhere else.
 */
export function contentSecurityPolicy(): string {
  // 'self': the browser host prints tickets from a hidden same-origin iframe; nobody else may frame us.
  return [...metaPolicy(), "frame-ancestors 'self'"].join('; ');
}

/**
 * The same policy for a <meta> tag in index.html, a second line of defence should a header be lost.
 * frame-ancestors is left out: browsers ignore it in <meta> and complain.
 */
export function metaContentSecurityPolicy(): string {
  return metaPolicy().join('; ');
}

function metaPolicy(): string[] {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "media-src 'self' blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ];
}

/** Headers sent with every page and asset. */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
}
