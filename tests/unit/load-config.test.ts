import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadDeviceConfig } from '../../electron/core/config/load-config';
import { defaultDataDir } from '../../electron/core/config/paths';
import { tempDir } from '../fixtures/temp-dir';

describe('device config', () => {
  const tmp = tempDir('ow-config-');
  afterEach(() => fs.rmSync(path.join(tmp.dir, 'onewindow.config.json'), { force: true }));

  it('writes the default file on first start and reads it back', () => {
    const config = loadDeviceConfig(tmp.dir);
    expect(config).toMatchObject({ hall: { code: 'DEMO01' }, roles: ['counter'], web: { port: 5180 } });
    expect(JSON.parse(fs.readFileSync(path.join(tmp.dir, 'onewindow.config.json'), 'utf8')).deviceCode).toBe('D01');
  });

  it('names the field that is wrong', () => {
    fs.writeFileSync(
      path.join(tmp.dir, 'onewindow.config.json'),
      JSON.stringify({ hall: { code: 'bad code', name: '大厅' }, deviceCode: 'D1', roles: ['kiosk', 'janitor'] }),
    );
    expect(() => loadDeviceConfig(tmp.dir)).toThrow(ConfigError);
    expect(() => loadDeviceConfig(tmp.dir)).toThrow(/hall\.code.*roles\.1/s);
  });

  it('reads the crypto profile: default unless the file says sm, and names any other value', () => {
    const base = { hall: { code: 'H01', name: '大厅' }, deviceCode: 'D1', roles: ['counter'] };
    const write = (extra: object) =>
      fs.writeFileSync(path.join(tmp.dir, 'onewindow.config.json'), JSON.stringify({ ...base, ...extra }));
    write({});
    expect(loadDeviceConfig(tmp.dir).crypto).toBe('default');
    write({ crypto: 'sm' });
    expect(loadDeviceConfig(tmp.dir).crypto).toBe('sm');
    write({ crypto: 'gm' });
    expect(() => loadDeviceConfig(tmp.dir)).toThrow(/crypto/);
  });

  it('refuses a file that is not JSON', () => {
    fs.writeFileSync(path.join(tmp.dir, 'onewindow.config.json'), '{ roles: [kiosk');
    expect(() => loadDeviceConfig(tmp.dir)).toThrow(/not valid JSON/);
  });

  it('puts the data folder where each platform keeps per-user data', () => {
    expect(defaultDataDir({ ONEWINDOW_DATA_DIR: '/srv/ow' }, 'linux')).toBe('/srv/ow');
    expect(defaultDataDir({ XDG_DATA_HOME: '/home/u/.data' }, 'linux')).toBe('/home/u/.data/onewindow');
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32')).toContain('OneWindow');
  });
});
