// Every process the bench starts runs in its own process group and is listed here, so it is stopped
// whatever happens: `stopOwned` in each figure's finally, and, should the bench itself fail or be
// interrupted, every group still listed is killed as the bench exits. Its temp folders likewise.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import { tempDir } from '../../tests/fixtures/temp-dir';

const owned = new Set<ChildProcess>();
const folders = new Set<string>();

const alive = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;

function killGroup(c: ChildProcess, signal: NodeJS.Signals) {
  try {
    // The negative pid names the group: a child's own children go with it.
    process.kill(-c.pid!, signal);
  } catch {
    // already gone
  }
}

let hooked = false;
function hookExit() {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const c of owned) killGroup(c, 'SIGKILL');
    for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      process.stderr.write(`bench: ${signal}, stopping ${owned.size} process(es)\n`);
      process.exit(130);
    });
  }
}

/**
 * Spawns `command` as the leader of a new process group, listed until it exits. With `ipc`, a Node child
 * gets a channel (a bench script leaves when it closes: the bench is gone). `log`: where its output goes.
 */
export function spawnOwned(
  command: string,
  args: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; ipc?: boolean; log?: string; label: string },
): ChildProcess {
  hookExit();
  const out = opts.log ? fs.openSync(opts.log, 'a') : 'ignore';
  const stdio: SpawnOptions['stdio'] = ['ignore', out, 'pipe', ...(opts.ipc ? (['ipc'] as const) : [])];
  const child = spawn(command, args, { detached: true, stdio, env: opts.env ?? process.env });
  if (typeof out === 'number') fs.closeSync(out);
  owned.add(child);
  child.once('exit', () => owned.delete(child));
  child.stderr?.on('data', (d: Buffer) => process.stderr.write(`[${opts.label}] ${d}`));
  return child;
}

/** A TypeScript bench script in its own process, run as `npm run bench` runs this one (through tsx). */
export function spawnScript(script: string, config: unknown, label: string): ChildProcess {
  return spawnOwned(process.execPath, ['--import', 'tsx', script, JSON.stringify(config)], { ipc: true, label });
}

/** Ends the process group (SIGTERM, then SIGKILL after `graceMs`) and waits until its leader has exited. */
export async function stopOwned(c: ChildProcess | undefined, graceMs = 10_000): Promise<void> {
  if (!c) return;
  if (alive(c)) {
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    killGroup(c, 'SIGTERM');
    const timer = setTimeout(() => killGroup(c, 'SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
  // Whatever the leader left behind in its group.
  killGroup(c, 'SIGKILL');
  owned.delete(c);
}

/** The next IPC message of `c` that `accept` returns a value for; fails when `c` exits first. */
export function nextMessage<T>(c: ChildProcess, accept: (msg: unknown) => T | undefined): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (msg: unknown) => {
      const v = accept(msg);
      if (v === undefined) return;
      done();
      resolve(v);
    };
    const onExit = (code: number | null, signal: string | null) => {
      done();
      reject(new Error(`process exited (${signal ?? code}) before answering`));
    };
    const done = () => {
      c.off('message', onMessage);
      c.off('exit', onExit);
    };
    c.on('message', onMessage);
    c.once('exit', onExit);
  });
}

/** A fresh temp folder, removed by `remove()` or, at the latest, as the bench exits. */
export function ownedTempDir(prefix: string): { dir: string; remove(): void } {
  hookExit();
  const tmp = tempDir(prefix);
  folders.add(tmp.dir);
  return {
    dir: tmp.dir,
    remove() {
      tmp.remove();
      folders.delete(tmp.dir);
    },
  };
}

/** How many processes the bench still owns (0 after every figure, or one leaked). */
export const ownedCount = () => owned.size;
