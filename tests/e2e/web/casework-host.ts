import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultDeviceConfig } from '@shared/config';

/**
 * A browser host of its own (the built out/host/browser-host.mjs on a free loopback port, a fresh data
 * folder), for a spec that enrols its device with a central of its own: enrolling the run's shared host
 * into another hall would disable the accounts every later spec signs in with. `config` adds to the demo
 * device's config file (a simulated ID card reader, say, whose file of turns lies in `dataDir`).
 */
export async function startOwnHost(
  clockStart: string,
  config: Record<string, unknown> = {},
): Promise<{ url: string; dataDir: string; stop(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ow-e2e-host-'));
  if (Object.keys(config).length > 0) {
    fs.writeFileSync(
      path.join(dataDir, 'onewindow.config.json'),
      JSON.stringify({ ...defaultDeviceConfig, ...config }),
    );
  }
  const child: ChildProcess = spawn(
    process.execPath,
    [
      path.resolve('out/host/browser-host.mjs'),
      '--demo',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--clock-start',
      clockStart,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stderr?.on('data', (d) => process.stderr.write(`[own host] ${d}`));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the browser host did not start: ${out}`)), 30_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /OneWindow browser host: (http:\/\/[^\s/]+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the browser host exited (${code}): ${out}`));
    });
  });
  return {
    url,
    dataDir,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
