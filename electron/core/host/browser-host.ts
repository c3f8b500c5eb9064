import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ROLES } from '@shared/api';
import { createCore } from '../app/create-core';
import { loadDeviceConfig } from '../config/load-config';
import { defaultDataDir } from '../config/paths';
import { createLocalSessionAuthenticator } from '../server/authenticator';
import { startApiServer } from '../server/api-server';

/**
 * The browser host: the same core and contract as the Electron app, served over HTTP/WebSocket on
 * loopback with the built renderer. For development, tests, and hall displays that are only a browser.
 */
const argsSchema = z.object({
  host: z.string().optional(),
  port: z.coerce.number().int().min(0).max(65535).optional(),
  'data-dir': z.string().optional(),
  'static-dir': z.string().optional(),
});

async function main() {
  const { values } = parseArgs({
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'static-dir': { type: 'string' },
    },
  });
  const args = argsSchema.parse(values);
  const dataDir = args['data-dir'] ? path.resolve(args['data-dir']) : defaultDataDir();
  const config = loadDeviceConfig(dataDir);
  const host = args.host ?? config.web.host;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const staticDir = args['static-dir'] ? path.resolve(args['static-dir']) : path.resolve(here, '../renderer');

  const core = await createCore({
    dataDir,
    config,
    appVersion: __APP_VERSION__,
    log: { error: (obj, msg) => console.error(msg, obj) },
  });
  const server = await startApiServer({
    dispatch: core.dispatch,
    bus: core.bus,
    auth: createLocalSessionAuthenticator(ROLES),
    staticDir,
    host,
    port: args.port ?? config.web.port,
    loopbackOnly: ['127.0.0.1', 'localhost', '::1'].includes(host),
  });

  console.log(`OneWindow browser host: ${server.url}/`);
  console.log(`  data folder: ${dataDir}`);
  for (const role of ROLES) console.log(`  ${role.padEnd(8)} ${server.url}/#/${role}`);

  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await server.close();
    core.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((e: unknown) => {
  console.error(`OneWindow browser host failed to start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
