import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { consoleContentSecurityPolicy } from '@shared/console/csp';

/** Where the web console is served; its own API lives under CONSOLE_API. */
export const CONSOLE_PREFIX = '/console';

/** Vite names every built asset by its content hash, so an asset never changes under its name. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

const securityHeaders = {
  'content-security-policy': consoleContentSecurityPolicy(),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

const NOT_BUILT = `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>控制台尚未构建 · Console not built</title></head>
<body>
<h1>控制台尚未构建</h1>
<p>请在服务器上运行 <code>npm run build</code>，然后刷新本页。</p>
<h2 lang="en">The console has not been built</h2>
<p lang="en">Run <code>npm run build</code> on the server, then reload this page.</p>
</body>
</html>
`;

/**
 * The console SPA from its built folder (`npm run build` writes `out/console/`). Any path under the prefix
 * that names no file and has no extension is a route of the app: it gets index.html, which is never cached
 * so a new build reaches people at once. A missing build answers 503 with what to do, checked per request
 * so a build made while central runs is picked up.
 */
export async function consoleRoutes(app: FastifyInstance, consoleDir: string): Promise<void> {
  const indexFile = path.join(consoleDir, 'index.html');
  const sendIndex = async (reply: FastifyReply) => {
    const html = await fs.promises.readFile(indexFile);
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
  };

  app.get(CONSOLE_PREFIX, (_req, reply) => reply.redirect(`${CONSOLE_PREFIX}/`, 301));
  await app.register(
    async (scope) => {
      scope.addHook('onRequest', async (_req, reply) => {
        reply.headers(securityHeaders);
        if (!fs.existsSync(indexFile)) {
          return reply.code(503).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(NOT_BUILT);
        }
      });
      await scope.register(fastifyStatic, {
        root: consoleDir,
        prefix: '/',
        decorateReply: false,
        // `/console/` itself is the app.
        index: ['index.html'],
        list: false,
        dotfiles: 'deny',
        cacheControl: false,
        setHeaders: (reply, file) => {
          const asset = path.relative(consoleDir, file).split(path.sep)[0] === 'assets';
          reply.header('cache-control', asset ? IMMUTABLE : 'no-cache');
        },
      });
      // A file that is not there (an old build's asset) is a 404; a route of the app is the app.
      scope.setNotFoundHandler((req, reply) => {
        const last = req.url.split('?')[0]!.split('/').pop() ?? '';
        if ((req.method === 'GET' || req.method === 'HEAD') && !last.includes('.')) return sendIndex(reply);
        return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
      });
    },
    { prefix: CONSOLE_PREFIX },
  );
}
