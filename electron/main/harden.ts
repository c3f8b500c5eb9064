import type { App, Session } from 'electron';
import type { Role } from '@shared/api';
import { isAppUrl } from './app-protocol-url';
import { permissionAllowed } from './permissions';

/** Only our own pages, dev tools and in-page data may load; the renderer never talks to the network itself. */
const allowedRequest = (url: string) =>
  isAppUrl(url) || url.startsWith('devtools://') || url.startsWith('data:') || url.startsWith('blob:');

/**
 * Deny every permission (microphone, notifications, geolocation…) and every outside request of a session;
 * only the counter's own session may use a camera (see `permissionAllowed`).
 */
export function hardenSession(ses: Session, roles: readonly Role[]): void {
  ses.setPermissionRequestHandler((_wc, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
    callback(permissionAllowed(roles, permission, { mediaTypes, url: details.requestingUrl }));
  });
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin, details) =>
    permissionAllowed(roles, permission, {
      mediaTypes: details.mediaType ? [details.mediaType] : [],
      url: requestingOrigin,
    }),
  );
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !allowedRequest(details.url) }));
}

/** No window may open another, navigate away from the app, or embed a webview. */
export function hardenWebContents(app: App): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}
