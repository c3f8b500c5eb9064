// First: the heap's growth applies before anything else is loaded.
import './heap-growth';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { roleSchema } from '@shared/api/role-schema';
import { defaultDataDir } from '../config/paths';
import { addDevice, createDeviceTokenAuthenticator, watchDeviceList } from '../server/device-tokens';
import { clockStartingAt } from './clock';
import { hubPin, hubTls, type HubTlsOptions } from './hub-tls';
import { failed, runHost } from './run-host';

/**
 * The hall hub, headless: owns the hall's queue and serves kiosks, counters and displays on the LAN
 * over HTTPS/WSS. Devices authenticate with the token they were given when added, and pin the hub with
 * the pin printed beside it (the SubjectPublicKeyInfo of its CA, hub-tls.ts):
 *   npm run hub -- --add-device kiosk-1 --role kiosk     (prints the token once, and the pin)
 *   npm run hub -- --add-device counter-3 --role counter --counters w3   (a counter PC bound to its window)
 *   npm run hub -- --host 0.0.0.0 --port 5181 [--tls-hosts hub.hall.lan,10.1.2.3]
 *   npm run hub -- --tls-cert hall.pem --tls-key hall.key   (a certificate from the hall's government CA)
 */
const argsSchema = z.object({
  host: z.string().default('0.0.0.0'),
  port: z.coerce.number().int().min(0).max(65535).default(5181),
  'data-dir': z.string().optional(),
  'add-device': z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/)
    .optional(),
  role: roleSchema.optional(),
  /** Comma-separated counter ids a counter PC may open. */
  counters: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}(,[A-Za-z0-9_-]{1,40})*$/)
    .optional(),
  /** For tests only: the core's clock starts at this instant (see clock.ts). */
  'clock-start': z.iso.datetime({ offset: true }).optional(),
  /** A trial device: the demo hall in a new database (README, "The demo hall"). */
  demo: z.boolean().default(false),
  /** auto: HTTPS unless on loopback; on; off (loopback only). See hub-tls.ts. */
  tls: z.enum(['auto', 'on', 'off']).default('auto'),
  'tls-cert': z.string().min(1).optional(),
  'tls-key': z.string().min(1).optional(),
  /** Comma-separated names and addresses devices use, for the hub's own certificate. */
  'tls-hosts': z
    .string()
    .regex(/^[A-Za-z0-9.:-]+(,[A-Za-z0-9.:-]+)*$/)
    .optional(),
});

const { values } = parseArgs({
  options: {
    host: { type: 'string' },
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    'add-device': { type: 'string' },
    role: { type: 'string' },
    counters: { type: 'string' },
    'clock-start': { type: 'string' },
    demo: { type: 'boolean' },
    tls: { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'tls-hosts': { type: 'string' },
  },
});
const args = argsSchema.parse(values);
const dataDir = path.resolve(args['data-dir'] ?? defaultDataDir());
const devicesFile = path.join(dataDir, 'hub-devices.json');
const rendererDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../renderer');
const tlsOptions: HubTlsOptions = {
  mode: args.tls,
  bindHost: args.host,
  certFile: args['tls-cert'],
  keyFile: args['tls-key'],
  hosts: args['tls-hosts']?.split(','),
};

if (args['add-device']) {
  if (!args.role) failed('adding a device')(new Error('--role is required'));
  else {
    const counters = args.counters?.split(',');
    const role = args.role;
    // The pin first: a hub that cannot say what devices are to pin adds no device.
    hubPin(dataDir, tlsOptions)
      .then((pin) => {
        const token = addDevice(devicesFile, args['add-device']!, role, counters);
        console.log(JSON.stringify({ device: args['add-device'], role, counters: counters ?? null, token, pin }));
      })
      .catch(failed('adding a device'));
  }
} else {
  // Revoking or adding a device needs no restart: the list follows the file (see watchDeviceList).
  const devices = watchDeviceList(devicesFile, { warn: (message) => console.warn(`hub-devices.json: ${message}`) });
  hubTls(dataDir, tlsOptions)
    .then((tls) =>
      runHost({
        dataDir,
        host: args.host,
        tls: tls ?? undefined,
        port: args.port,
        demo: args.demo,
        now: args['clock-start'] ? clockStartingAt(args['clock-start']) : undefined,
        auth: () => createDeviceTokenAuthenticator(devices),
        // Browser-only devices (hall screens) load the renderer from the hub and pass their token in the URL.
        staticDir: fs.existsSync(rendererDir) ? rendererDir : undefined,
        banner: (url) => [
          `OneWindow hall hub: ${url}  (devices: ${devicesFile})`,
          ...(tls ? [`  pin: ${tls.pin}  (each device's hub.pin)`] : []),
          `  a browser-only hall screen opens ${url}/#/display?token=<its device token>`,
        ],
      }),
    )
    .catch(failed('OneWindow hall hub'));
}
