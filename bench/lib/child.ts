// The child side of spawnScript: its configuration, its answers, and leaving when the bench is gone.

/** The JSON configuration spawnScript passed; the script exits when the bench's channel closes. */
export function childConfig<T>(): T {
  if (!process.send) throw new Error('a bench script runs under the bench (spawnScript), with an IPC channel');
  process.on('disconnect', () => process.exit(1));
  return JSON.parse(process.argv[2] ?? '{}') as T;
}

/** Sends a message to the bench. */
export function answer(msg: object): void {
  process.send!(msg);
}
