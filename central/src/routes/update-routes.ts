import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Where devices' electron-updater looks (generic provider): `<central>/updates/latest.yml` and the installers. */
export const UPDATES_PREFIX = '/updates/';

/**
 * Serves the updates folder read-only and without auth: installers, their `latest*.yml` and its `.sig` are
 * public within the hall network. Central vouches for nothing: a device installs only a yml signed by the
 * release key built into it (kept off central) and an installer matching that yml's SHA-512. Only GET/HEAD
 * exist; `send` refuses paths that leave the folder and dotfiles.
 */
export async function updateRoutes(app: FastifyInstance, updatesDir: string): Promise<void> {
  await app.register(fastifyStatic, {
    root: updatesDir,
    prefix: UPDATES_PREFIX,
    decorateReply: false,
    index: false,
    list: false,
    dotfiles: 'deny',
    // A device must see a new `latest.yml` and its signature at once; installers are named by version.
    cacheControl: false,
    setHeaders: (reply, file) => {
      reply.header('cache-control', /\.ya?ml(\.sig)?$/.test(file) ? 'no-cache' : 'public, max-age=86400');
    },
  });
}
