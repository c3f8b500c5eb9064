// First: the heap's growth applies before anything else is loaded.
import './heap-growth';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ROLES } from '@shared/api';
import { defaultDataDir } from '../config/paths';
import { createLocalSessionAuthenticator } from '../server/authenticator';
import { clockStartingAt } from './clock';
import { failed, runHost } from './run-host';

/**
 * The browser host: the same core and contract as the Electron app, served over HTTP/WebSocket on
 * loopback with the built renderer. For development, tests, and hall displays that are only a browser.
 */
const argsSchema = z.object({
  host: z.string().optional(),
  port: z.coerce.number().int().min(0).max(65535).optional(),
  'data-dir': z.string().optional(),
  'static-dir': z.string().optional(),
  /** For tests only: the core's clock starts at this instant (see clock.ts). */
  'clock-start': z.iso.datetime({ offset: true }).optional(),
  /** A trial device: the demo hall in a new database (README, "The demo hall"). */
  demo: z.boolean().default(false),
});

const { values } = parseArgs({
  options: {
    host: { type: 'string' },
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    'static-dir': { type: 'string' },
    'clock-start': { type: 'string' },
    demo: { type: 'boolean' },
  },
});
const args = argsSchema.parse(values);
const here = path.dirname(fileURLToPath(import.meta.url));

runHost({
  dataDir: args['data-dir'] ?? defaultDataDir(),
  host: args.host,
  port: args.port,
  staticDir: args['static-dir'] ? path.resolve(args['static-dir']) : path.resolve(here, '../renderer'),
  demo: args.demo,
  now: args['clock-start'] ? clockStartingAt(args['clock-start']) : undefined,
  // A paired rating screen keeps its screen token (localStorage) as its bearer: answered from the core's database.
  auth: (config, core) =>
    createLocalSessionAuthenticator(config.web.publicRoles, {
      devices: (token) => {
        const device = core.ratingScreens.screenBinding(token);
        return device && { role: 'rate', id: device.id, device };
      },
    }),
  // Its sessions and sign-ins travel in clear: only this machine may reach them until TLS is configured.
  loopbackOnly: true,
  banner: (url, dataDir) => [
    `OneWindow browser host: ${url}/`,
    `  data folder: ${dataDir}`,
    ...ROLES.map((role) => `  ${role.padEnd(8)} ${url}/#/${role}`),
  ],
}).catch(failed('OneWindow browser host'));
