import type { App, Session } from 'electron';
import { isAppUrl } from './app-protocol-url';

/** Only our own pages, dev tools and in-page data may load; the renderer never talks to the network itself. */
const allowedRequest = (url: string) =>
  isAppUrl(url) || url.startsWith('devtools://') || url.startsWith('data:') || url.startsWith('blob:');

/** Deny every permission (camera, notifications, geolocation…) and every outside request of a session. */
export function hardenSession(ses: Session): void {
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
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
