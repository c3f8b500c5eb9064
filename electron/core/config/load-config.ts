import fs from 'node:fs';
import path from 'node:path';
import { describeIssues } from '@shared/api';
import { defaultDeviceConfig, deviceConfigSchema, type DeviceConfig } from '@shared/config';
import { CONFIG_FILE_NAME } from './paths';

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads the device config from the data folder, writing the default file on first start so an
 * administrator has something to edit. A file that does not validate stops the app with the reason.
 */
export function loadDeviceConfig(dataDir: string, file = path.join(dataDir, CONFIG_FILE_NAME)): DeviceConfig {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(defaultDeviceConfig, null, 2) + '\n', { flag: 'wx' });
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
  return parsed.data;
}
