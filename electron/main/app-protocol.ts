import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Session } from 'electron';
import { net } from 'electron';
import { securityHeaders } from '../core/security/csp';
import { APP_SCHEME } from './app-protocol-url';

/**
 * Serves the built renderer on app://onewindow/ instead of file://, so pages have a real origin, a CSP
 * header and no access to the rest of the disk: any path that leaves the renderer folder is a 404.
 */
export function serveAppProtocol(ses: Session, rendererDir: string): void {
  const root = path.resolve(rendererDir);
  ses.protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'onewindow') return new Response('not found', { status: 404 });
    const relative = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = path.resolve(root, `.${relative}`);
    if (file !== root && !file.startsWith(root + path.sep)) return new Response('not found', { status: 404 });
    const upstream = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(upstream.headers);
    for (const [k, v] of Object.entries(securityHeaders())) headers.set(k, v);
    return new Response(upstream.body, { status: upstream.status, headers });
  });
}
