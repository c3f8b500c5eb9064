import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { BrowserWindow } from 'electron';
import { IPC, err, ok, type Result, type Role } from '@shared/api';
import type { Dispatch } from '../core/api/dispatch';
import { APP_ORIGIN } from './app-protocol-url';
import { archiveCaseDocument, caseDocumentTarget, pdfOptions, printPageSize } from './case-archive';

/** Roles whose windows may print (admin: the daily report); the leader pane never does (confidential content). */
const PRINTING_ROLES: readonly Role[] = ['kiosk', 'counter', 'admin'];
/** `/print/<kind>/<id>`, and for case documents the paper: `/print/case/<id>/a4`. */
const ROUTE = /^\/print\/[a-z-]+\/[A-Za-z0-9-]+(\/(a4|80mm))?$/;

/**
 * Prints a print page (e.g. the 80 mm ticket) without a dialog: it is loaded in a hidden window of the
 * same role session and sent to the default printer. The page says it is ready by setting
 * `document.body.dataset.printReady`. A case document (receipt, notice) is then also kept as a PDF in the
 * device archive; a failed archive is logged, not reported as a failed print (the paper is out already).
 */
export function registerSilentPrint(
  ipcMain: Pick<IpcMain, 'handle'>,
  deps: {
    roleOf(id: number): Role | undefined;
    /**
     * Gives the hidden print window the role of the window that asked, and that window's session, so its
     * page may call the contract as the person signed in there.
     */
    adopt(win: BrowserWindow, role: Role, forWindow: number): void;
    originOf(webContentsId: number): string;
    preloadDir: string;
    partitionOf(role: Role): string;
    dispatch: Dispatch;
    log: (message: string, details: object) => void;
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
      return err('INVALID_INPUT', 'route must be /print/<kind>/<id>[/<paper>] and widthMm 40–220');
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
    deps.adopt(win, role, event.sender.id);
    try {
      await win.loadURL(`${APP_ORIGIN}/index.html#${r.route}`);
      // The page measures itself and leaves its height, so the roll is cut right after the content.
      const heightMm = await win.webContents.executeJavaScript(
        `new Promise((resolve, reject) => { const t = Date.now(); (function wait() {
          if (document.body.dataset.printReady) resolve(Number(document.body.dataset.printHeightMm) || 200);
          else if (Date.now() - t > 10000) reject(new Error('print page not ready'));
          else setTimeout(wait, 50); })(); })`,
      );
      const pageSize = printPageSize(r.widthMm as number, Number(heightMm));
      await new Promise<void>((resolve, reject) =>
        win.webContents.print(
          {
            silent: true,
            printBackground: true,
            // A4 sheets keep the margins the page asks for; the roll is printed edge to edge.
            margins: { marginType: pageSize === 'A4' ? 'default' : 'none' },
            pageSize,
          },
          (success, reason) => (success ? resolve() : reject(new Error(reason))),
        ),
      );
      const target = caseDocumentTarget(r.route);
      if (target) {
        const archived = await archiveCaseDocument(
          {
            dispatch: deps.dispatch,
            printToPdf: () => win.webContents.printToPDF(pdfOptions(target.paper, Number(heightMm))),
            origin: deps.originOf(event.sender.id),
          },
          target,
        );
        if (!archived.ok) deps.log('case document printed but not archived', { ...target, error: archived.error });
      }
      return ok(null);
    } catch (e) {
      return err('UNAVAILABLE', `printing failed: ${(e as Error).message}`);
    } finally {
      win.destroy();
    }
  });
}
