import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { BrowserWindow } from 'electron';
import { IPC, err, ok, type Result, type Role } from '@shared/api';
import { APP_ORIGIN } from './app-protocol-url';

/** Roles whose windows may print; the leader pane never does (confidential content). */
const PRINTING_ROLES: readonly Role[] = ['kiosk', 'counter'];
const ROUTE = /^\/print\/[a-z-]+\/[A-Za-z0-9-]+$/;

/**
 * Prints a print page (e.g. the 80 mm ticket) without a dialog: it is loaded in a hidden window of the
 * same role session and sent to the default printer. The page says it is ready by setting
 * `document.body.dataset.printReady`.
 */
export function registerSilentPrint(
  ipcMain: Pick<IpcMain, 'handle'>,
  deps: {
    roleOf(id: number): Role | undefined;
    /** Gives the hidden print window the role of the window that asked, so its page may call the contract. */
    adopt(win: BrowserWindow, role: Role): void;
    preloadDir: string;
    partitionOf(role: Role): string;
  },
): void {
  ipcMain.handle(IPC.print, async (event: IpcMainInvokeEvent, request: unknown): Promise<Result<null>> => {
    const role = deps.roleOf(event.sender.id);
    if (!role || !PRINTING_ROLES.includes(role)) return err('FORBIDDEN', 'this window may not print');
    const r = request as { route?: unknown; widthMm?: unknown } | null;
    if (
      typeof r?.route !== 'string' ||
      !ROUTE.test(r.route) ||
      typeof r.widthMm !== 'number' ||
      r.widthMm < 40 ||
      r.widthMm > 220
    ) {
      return err('INVALID_INPUT', 'route must be /print/<kind>/<id> and widthMm 40–220');
    }
    const win = new BrowserWindow({
      show: false,
      webPreferences: {
        preload: `${deps.preloadDir}/${role}.cjs`,
        partition: deps.partitionOf(role),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
      },
    });
    deps.adopt(win, role);
    try {
      await win.loadURL(`${APP_ORIGIN}/index.html#${r.route}`);
      // The page measures itself and leaves its height, so the roll is cut right after the content.
      const heightMm = await win.webContents.executeJavaScript(
        `new Promise((resolve, reject) => { const t = Date.now(); (function wait() {
          if (document.body.dataset.printReady) resolve(Number(document.body.dataset.printHeightMm) || 200);
          else if (Date.now() - t > 10000) reject(new Error('print page not ready'));
          else setTimeout(wait, 50); })(); })`,
      );
      const widthMicrons = Math.round((r.widthMm as number) * 1000);
      await new Promise<void>((resolve, reject) =>
        win.webContents.print(
          {
            silent: true,
            printBackground: true,
            margins: { marginType: 'none' },
            pageSize: { width: widthMicrons, height: Math.round(Math.min(Math.max(Number(heightMm), 40), 600) * 1000) },
          },
          (success, reason) => (success ? resolve() : reject(new Error(reason))),
        ),
      );
      return ok(null);
    } catch (e) {
      return err('UNAVAILABLE', `printing failed: ${(e as Error).message}`);
    } finally {
      win.destroy();
    }
  });
}
