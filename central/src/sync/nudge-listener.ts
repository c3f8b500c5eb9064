import pg from 'pg';
import { nudgeMessageSchema, nudgeStore } from '../store/nudge-store';
import type { NudgeHub } from './nudge-hub';

export interface NudgeListenerOptions {
  /** The database of the pool; the listener holds one more connection of its own. */
  config: pg.ClientConfig;
  hub: NudgeHub;
  /** Pause before connecting again after the connection was lost. */
  retryMs: number;
  log: { warn(obj: object, msg: string): void };
}

/**
 * This process's LISTEN connection: every central process behind the database gets every committed
 * nudge, whichever process committed it. Resolves once the first attempt to listen has ended (a failure
 * is retried in the background: the devices' polling covers the gap).
 */
export async function startNudgeListener(opts: NudgeListenerOptions): Promise<{ close(): Promise<void> }> {
  let closed = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let listenedBefore = false;

  async function connect() {
    retry = undefined;
    if (closed) return;
    const c = new pg.Client(opts.config);
    client = c;
    let lost = false;
    const onLost = (e?: Error) => {
      if (lost) return;
      lost = true;
      if (closed) return;
      opts.log.warn({ err: e?.message }, 'nudge listener lost its database connection');
      c.end().catch(() => undefined);
      retry = setTimeout(() => void connect(), opts.retryMs);
    };
    c.on('error', onLost);
    c.on('end', () => onLost());
    c.on('notification', (n) => {
      let payload: unknown;
      try {
        payload = JSON.parse(n.payload ?? '');
      } catch {
        payload = undefined;
      }
      const m = nudgeMessageSchema.safeParse(payload);
      if (m.success) opts.hub.deliver(m.data);
      else opts.log.warn({ payload: n.payload }, 'unexpected nudge notification');
    });
    try {
      await c.connect();
      await nudgeStore.listen(c);
    } catch (e) {
      onLost(e as Error);
      return;
    }
    // Notifications committed while this process was not listening are lost: the streams end, and each
    // device pulls once it has reconnected (a revoked one is refused then).
    if (listenedBefore) opts.hub.closeAll();
    listenedBefore = true;
  }

  await connect();
  return {
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}
