import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Where devices' electron-updater looks (generic provider): `<central>/updates/latest.yml` and the installers. */
export const UPDATES_PREFIX = '/updates/';

/**
 * Serves the updates folder read-only and without auth: installers and their `latest*.yml` are public
 * within the hall network, and integrity comes from the SHA-512 in `latest*.yml`, which electron-updater
 * checks before installing. Only GET/HEAD exist; `send` refuses paths that leave the folder and dotfiles.
 */
export async function updateRoutes(app: FastifyInstance, updatesDir: string): Promise<void> {
  await app.register(fastifyStatic, {
    root: updatesDir,
    prefix: UPDATES_PREFIX,
    decorateReply: false,
    index: false,
    list: false,
    dotfiles: 'deny',
    // A device must see a new `latest.yml` at once; installers are named by version and never change.
    cacheControl: false,
    setHeaders: (reply, file) => {
      reply.header('cache-control', /\.ya?ml$/.test(file) ? 'no-cache' : 'public, max-age=86400');
    },
  });
}
