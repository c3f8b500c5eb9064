export const APP_SCHEME = 'app';
export const APP_ORIGIN = 'app://onewindow';

/** True for our own pages only: exactly the app://onewindow origin, not a look-alike host. */
export const isAppUrl = (url: string) => url === APP_ORIGIN || url.startsWith(`${APP_ORIGIN}/`);
