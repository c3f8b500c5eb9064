// First: the heap's growth applies before anything else is loaded.
import '../core/host/heap-growth';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BrowserWindow, app, ipcMain, protocol } from 'electron';
import { IPC, ROLES, eventsForRole, roleSchema, type Role } from '@shared/api';
import { createCore, type Core } from '../core/app/create-core';
import { createSafeStorageSecretStore, safeStorageBackend } from './safe-storage-secrets';
import { startApiServer } from '../core/server/api-server';
import { createDeviceTokenAuthenticator, readDeviceList } from '../core/server/device-tokens';
import { hubTls } from '../core/host/hub-tls';
import { DEMO_WARNING, loadDeviceConfig } from '../core/config/load-config';
import { serveAppProtocol } from './app-protocol';
import { APP_SCHEME, isAppUrl } from './app-protocol-url';
import { hardenSession, hardenWebContents } from './harden';
import { lockLeaderOnSystemEvents } from './leader-security';
import { eventReaches } from '../core/api/event-filter';
import { registerContractIpc } from './ipc';
import { openCustomerScreen, openRoleWindow, partitionOf, roleSessions } from './role-windows';
import { registerSilentPrint } from './silent-print';
import { startAutoUpdate } from './auto-update';
import { updatePlan } from './update-plan';

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

/**
 * `--role=kiosk` (repeatable or comma-separated), `--data-dir=…` and `--demo` override the config, for trials
 * and e2e.
 */
function cliOverrides(): { roles?: Role[]; dataDir?: string; demo: boolean } {
  const { values } = parseArgs({
    args: process.argv.slice(1),
    options: { role: { type: 'string', multiple: true }, 'data-dir': { type: 'string' }, demo: { type: 'boolean' } },
    strict: false,
    allowPositionals: true,
  });
  const roles = (values.role as string[] | undefined)?.flatMap((r) => r.split(',')).map((r) => roleSchema.parse(r));
  return { roles, dataDir: values['data-dir'] as string | undefined, demo: values.demo === true };
}

async function start(): Promise<void> {
  const overrides = cliOverrides();
  if (overrides.dataDir) app.setPath('userData', path.resolve(overrides.dataDir));
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  hardenWebContents(app);
  await app.whenReady();

  const dataDir = app.getPath('userData');
  const config = loadDeviceConfig(dataDir, { demo: overrides.demo });
  if (config.demo) console.warn(DEMO_WARNING);
  const roles = overrides.roles ?? config.roles;
  const core: Core = await createCore({
    dataDir,
    config,
    appVersion: app.getVersion(),
    log: { error: (obj, msg) => console.error(msg, obj) },
    secretBackend: safeStorageBackend(),
    secrets: createSafeStorageSecretStore(path.join(dataDir, 'secrets')),
  });
  lockLeaderOnSystemEvents((reason) => core.leader.lockAll(reason));

  const rendererDir = path.join(__dirname, '../renderer');
  for (const { session: ses, roles } of roleSessions()) {
    hardenSession(ses, roles);
    serveAppProtocol(ses, rendererDir);
  }

  const windowRoles = new Map<number, Role>();
  const actingFor = new Map<number, string>();
  const originOf = (id: number) => actingFor.get(id) ?? `window-${windowRoles.get(id)}-${id}`;
  registerContractIpc(ipcMain, {
    dispatch: core.dispatch,
    roleOf: (id) => windowRoles.get(id),
    originOf,
    isTrustedFrameUrl: isAppUrl,
  });

  const preloadDir = path.join(__dirname, '../preload');
  const adopt = (win: BrowserWindow, role: Role, forWindow?: number) => {
    const id = win.webContents.id;
    windowRoles.set(id, role);
    if (forWindow !== undefined) actingFor.set(id, originOf(forWindow));
    win.on('closed', () => {
      windowRoles.delete(id);
      actingFor.delete(id);
    });
  };
  registerSilentPrint(ipcMain, {
    roleOf: (id) => windowRoles.get(id),
    originOf,
    adopt,
    preloadDir,
    partitionOf,
    dispatch: core.dispatch,
    log: (message, details) => console.error(message, details),
  });

  const roleEvents = new Map(ROLES.map((r) => [r, new Set<string>(eventsForRole(r))]));
  core.bus.subscribe((name, payload) => {
    for (const win of BrowserWindow.getAllWindows()) {
      const id = win.webContents.id;
      const role = windowRoles.get(id);
      if (!role || !roleEvents.get(role)?.has(name)) continue;
      // A rating request's token goes only to the rating screen window paired with its counter.
      const who = { role, binding: () => core.ratingScreens.originBinding(originOf(id)) };
      if (eventReaches(who, name, payload)) win.webContents.send(IPC.event, name, payload);
    }
  });

  for (const role of roles) {
    adopt(openRoleWindow(role, { preloadDir, devTools: !app.isPackaged }), role);
  }
  if (roles.includes('counter')) {
    // The customer screen is a rating screen (role rate): it pairs with the counter by the code shown there.
    const customer = openCustomerScreen({ preloadDir, devTools: !app.isPackaged });
    if (customer) adopt(customer, 'rate');
  }

  if (config.serveHub) {
    const devicesFile = path.join(dataDir, 'hub-devices.json');
    const { host, port, tlsHosts, tls: files } = config.serveHub;
    const tls = await hubTls(dataDir, {
      mode: 'auto',
      bindHost: host,
      certFile: files && path.resolve(dataDir, files.certFile),
      keyFile: files && path.resolve(dataDir, files.keyFile),
      hosts: tlsHosts,
    });
    const hub = await startApiServer({
      dispatch: core.dispatch,
      bus: core.bus,
      auth: createDeviceTokenAuthenticator(() => readDeviceList(devicesFile)),
      tls: tls ?? undefined,
      host,
      port,
    });
    console.log(`OneWindow hall hub inside the app: ${hub.url}${tls ? `  pin: ${tls.pin}` : ''}`);
    app.on('will-quit', () => void hub.close());
  }

  const updates = updatePlan(config, roles, app.isPackaged);
  if (updates) startAutoUpdate(updates, (message) => console.log(message));

  app.on('second-instance', () => {
    const first = BrowserWindow.getAllWindows()[0];
    if (first) {
      if (first.isMinimized()) first.restore();
      first.focus();
    }
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => core.close());
}

start().catch((e: unknown) => {
  console.error(`OneWindow failed to start: ${e instanceof Error ? e.message : String(e)}`);
  app.exit(1);
});
