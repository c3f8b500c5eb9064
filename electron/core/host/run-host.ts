import path from 'node:path';
import { createCore, type Core } from '../app/create-core';
import { DEMO_WARNING, loadDeviceConfig } from '../config/load-config';
import type { DeviceConfig } from '@shared/config';
import type { Authenticator } from '../server/authenticator';
import { startApiServer } from '../server/api-server';

export interface HostOptions {
  dataDir: string;
  host?: string;
  port?: number;
  staticDir?: string;
  /** `--demo`: a trial device (see LoadConfigOptions). */
  demo?: boolean;
  /** The core's clock; the PC clock unless a test gives another. */
  now?: () => Date;
  /** The core is given so device tokens it keeps (a paired rating screen's) can be answered. */
  auth: (config: DeviceConfig, core: Core) => Authenticator;
  /** HTTPS/WSS with this certificate and key (the hub on the LAN); plain HTTP without. */
  tls?: { cert: string; key: string };
  /** Refuse to start on any address but loopback (the browser host: sign-ins would cross the LAN in clear). */
  loopbackOnly?: boolean;
  banner: (url: string, dataDir: string) => string[];
}

const LOOPBACK = ['127.0.0.1', 'localhost', '::1'];

/** Starts the core and the contract server in this Node process and stops both cleanly on SIGINT/SIGTERM. */
export async function runHost(opts: HostOptions): Promise<void> {
  const dataDir = path.resolve(opts.dataDir);
  const config = loadDeviceConfig(dataDir, { demo: opts.demo });
  const host = opts.host ?? config.web.host;
  if (opts.loopbackOnly && !LOOPBACK.includes(host)) {
    throw new Error(
      `web.host ${host} is not a loopback address: the browser host serves sign-ins over plain HTTP, so it ` +
        'listens on 127.0.0.1 only until TLS is configured (hall screens on the LAN use the hub)',
    );
  }
  const core = await createCore({
    dataDir,
    config,
    appVersion: __APP_VERSION__,
    now: opts.now,
    log: { error: (obj, msg) => console.error(msg, obj) },
  });
  const server = await startApiServer({
    dispatch: core.dispatch,
    bus: core.bus,
    auth: opts.auth(config, core),
    staticDir: opts.staticDir,
    tls: opts.tls,
    host,
    port: opts.port ?? config.web.port,
    loopbackOnly: LOOPBACK.includes(host),
  });
  for (const line of opts.banner(server.url, dataDir)) console.log(line);
  if (config.demo) console.warn(DEMO_WARNING);

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

export function failed(what: string) {
  return (e: unknown) => {
    console.error(`${what} failed to start: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  };
}
