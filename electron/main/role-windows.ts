import path from 'node:path';
import { BrowserWindow, screen, session, type Session } from 'electron';
import { ROLES, type Role } from '@shared/api';
import { APP_ORIGIN } from './app-protocol-url';
import { CUSTOMER_SCREEN_ROUTE, customerDisplay } from './customer-screen';

interface WindowLook {
  title: string;
  kiosk?: boolean;
  fullscreen?: boolean;
  /**
   * The leader pane keeps its cookies and storage apart from every other window; the counter has its own
   * session too, the only one that may use a camera (the 高拍仪 at intake).
   */
  partition: string;
  contentProtection?: boolean;
}

const LOOK: Record<Role, WindowLook> = {
  kiosk: { title: 'OneWindow 取号机', kiosk: true, partition: 'persist:onewindow' },
  counter: { title: 'OneWindow 窗口', partition: 'persist:counter' },
  display: { title: 'OneWindow 叫号屏', fullscreen: true, partition: 'persist:onewindow' },
  leader: { title: 'OneWindow 领导安全窗格', partition: 'persist:leader', contentProtection: true },
  admin: { title: 'OneWindow 管理', partition: 'persist:onewindow' },
  rate: { title: 'OneWindow 评价器', fullscreen: true, partition: 'persist:onewindow' },
};

/** Every session a role window uses; each must be hardened and serve app:// before a window opens. */
export const partitionOf = (role: Role): string => LOOK[role].partition;
export const roleSessions = (): { session: Session; roles: Role[] }[] =>
  [...new Set(Object.values(LOOK).map((l) => l.partition))].map((p) => ({
    session: session.fromPartition(p),
    roles: ROLES.filter((r) => LOOK[r].partition === p),
  }));

export function openRoleWindow(
  role: Role,
  opts: { preloadDir: string; devTools: boolean },
  place?: { route: string; bounds: Electron.Rectangle },
): BrowserWindow {
  const look = LOOK[role];
  const win = new BrowserWindow({
    title: look.title,
    width: 1280,
    height: 800,
    ...(place?.bounds ?? {}),
    show: false,
    kiosk: look.kiosk ?? false,
    fullscreen: place ? true : (look.fullscreen ?? false),
    autoHideMenuBar: true,
    backgroundColor: '#0b3d91',
    webPreferences: {
      preload: path.join(opts.preloadDir, `${role}.cjs`),
      partition: look.partition,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: opts.devTools,
      // The hall screen speaks calls without anyone touching it.
      autoplayPolicy: role === 'display' ? 'no-user-gesture-required' : 'document-user-activation-required',
    },
  });
  if (look.contentProtection) win.setContentProtection(true);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/index.html#${place?.route ?? `/${role}`}`);
  return win;
}

/**
 * The counter's customer-facing screen (好差评) on the counter's second display, full screen without menus:
 * a rating screen window (role rate), which can do nothing until it is paired with the counter by the
 * code the clerk shows there. Null without a second display (a tablet 评价器 pairs the same way).
 */
export function openCustomerScreen(opts: { preloadDir: string; devTools: boolean }): BrowserWindow | null {
  const display = customerDisplay(screen.getAllDisplays(), screen.getPrimaryDisplay().id);
  if (!display) return null;
  const win = openRoleWindow('rate', opts, { route: CUSTOMER_SCREEN_ROUTE, bounds: display.bounds });
  win.setMenu(null);
  return win;
}
