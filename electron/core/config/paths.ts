import os from 'node:os';
import path from 'node:path';

/**
 * The per-user data folder of a device outside Electron (browser host, headless hub). Electron uses
 * `app.getPath('userData')` instead, which resolves to the same places on each platform.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.ONEWINDOW_DATA_DIR) return path.resolve(env.ONEWINDOW_DATA_DIR);
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'OneWindow');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'OneWindow');
  return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'onewindow');
}

export const CONFIG_FILE_NAME = 'onewindow.config.json';
export const DATABASE_FILE_NAME = 'device.sqlite';
/** The leader pane's encrypted store. */
export const LEADER_DATABASE_FILE_NAME = 'leader.sqlite';
/** The device key of before leader migration 3, which opened every leader's content: deleted at start. */
export const LEGACY_LEADER_DEVICE_KEY_FILE_NAME = 'leader-device.key';
