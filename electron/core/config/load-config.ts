import fs from 'node:fs';
import path from 'node:path';
import { describeIssues } from '@shared/api';
import { defaultDeviceConfig, deviceConfigSchema, type DeviceConfig } from '@shared/config';
import { CONFIG_FILE_NAME } from './paths';
import { keepDataFolderPrivate } from './private-folder';

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'ConfigError';
  }
}

/** Said at every start of a demo device, where its operator will see it. */
export const DEMO_WARNING =
  'DEMO device: a new database gets the demo hall, whose accounts (PIN 123456, a published password and ' +
  'TOTP secret) and ID key are public. Never in a real hall.';

export interface LoadConfigOptions {
  /**
   * `--demo` on the command line: run as a trial device, whatever the file says. The demo hall (public
   * accounts, PIN 123456) is seeded only into a new database, so asking later changes no real hall's data.
   */
  demo?: boolean;
}

/**
 * Reads the device config from the data folder, writing the default file on first start so an
 * administrator has something to edit. A file that does not validate stops the app with the reason.
 */
export function loadDeviceConfig(dataDir: string, opts: LoadConfigOptions = {}): DeviceConfig {
  const file = path.join(dataDir, CONFIG_FILE_NAME);
  keepDataFolderPrivate(dataDir);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const first = { ...defaultDeviceConfig, demo: opts.demo === true };
    fs.writeFileSync(file, JSON.stringify(first, null, 2) + '\n', { flag: 'wx' });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError(file, `is not valid JSON (${(e as Error).message})`);
  }
  const parsed = deviceConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const why = describeIssues(parsed.error)
      .map((i) => `${i.path || '(root)'} ${i.message}`)
      .join('; ');
    throw new ConfigError(file, why);
  }
  return opts.demo ? { ...parsed.data, demo: true } : parsed.data;
}
