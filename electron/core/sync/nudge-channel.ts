import { NUDGE_EVENT, NUDGES_PATH } from '@shared/sync/nudges';
import { SYNC_SCHEMA_HEADER } from '@shared/sync/wire';
import { SYNC_SCHEMA_VERSION } from '@shared/sync/version';
import { createWakeableSleep } from './wakeable-sleep';

export interface NudgeChannelTiming {
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** A stream silent this long (central's heartbeat is 25 s) is taken for dead and opened again. */
  silenceMs: number;
  /** A stream open this long was healthy: its end starts the backoff over. */
  stableMs: number;
  /** Nudges within this window after the first one make one pull. */
  coalesceMs: number;
  /** How often a device that is not enrolled looks again. */
  notEnrolledMs: number;
}

export const DEFAULT_NUDGE_TIMING: NudgeChannelTiming = {
  baseBackoffMs: 1_000,
  maxBackoffMs: 5 * 60_000,
  silenceMs: 60_000,
  stableMs: 30_000,
  coalesceMs: 250,
  notEnrolledMs: 5_000,
};

export interface NudgeChannelDeps {
  /** Where and as whom to connect; undefined while not enrolled. */
  connection(): { url: string; token: string } | undefined;
  /** Runs a pull round soon. Called after each (re)connection too: nudges sent meanwhile were missed. */
  onPull(): void;
  backoffMs(failures: number, timing: Pick<NudgeChannelTiming, 'baseBackoffMs' | 'maxBackoffMs'>): number;
  fetch?: typeof fetch;
  timing?: Partial<NudgeChannelTiming>;
  log?: { warn(obj: object, msg: string): void };
}

/** Whether one event block of the stream is a nudge; comments (heartbeats) and other events are not. */
const isNudge = (block: string) => block.split('\n').some((line) => /^event: ?(.*)$/.exec(line)?.[1] === NUDGE_EVENT);

/**
 * Keeps central's nudge stream (Server-Sent Events) open while running: each "pull" event, which carries
 * nothing, only makes the engine pull sooner. The engine's polling stays the safety net.
 */
export function createNudgeChannel(deps: NudgeChannelDeps) {
  const timing = { ...DEFAULT_NUDGE_TIMING, ...deps.timing };
  const doFetch = deps.fetch ?? fetch;
  let stopped = true;
  let loop: Promise<void> | undefined;
  let abort: AbortController | undefined;
  const { sleep, wake } = createWakeableSleep();
  let coalesce: NodeJS.Timeout | undefined;
  let open = false;

  function pullSoon() {
    coalesce ??= setTimeout(() => {
      coalesce = undefined;
      if (!stopped) deps.onPull();
    }, timing.coalesceMs);
  }

  /** One stream, from connecting to its end; whether it stayed open long enough to count as healthy. */
  async function listen(conn: { url: string; token: string }): Promise<boolean> {
    const ctl = new AbortController();
    abort = ctl;
    let silence: NodeJS.Timeout | undefined;
    let openedAt: number | undefined;
    const stable = () => openedAt !== undefined && Date.now() - openedAt >= timing.stableMs;
    const alive = () => {
      clearTimeout(silence);
      silence = setTimeout(() => ctl.abort(), timing.silenceMs);
    };
    try {
      alive();
      const res = await doFetch(`${conn.url.replace(/\/+$/, '')}${NUDGES_PATH}`, {
        headers: {
          authorization: `Bearer ${conn.token}`,
          accept: 'text/event-stream',
          [SYNC_SCHEMA_HEADER]: String(SYNC_SCHEMA_VERSION),
        },
        signal: ctl.signal,
      });
      if (res.status !== 200 || !res.body) {
        await res.body?.cancel().catch(() => undefined);
        // 401: the token was revoked; 404: a central without nudges. Either way the polling goes on.
        return false;
      }
      open = true;
      openedAt = Date.now();
      pullSoon();
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of res.body) {
        alive();
        buffer += decoder.decode(chunk as Uint8Array, { stream: true }).replace(/\r\n?/g, '\n');
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (isNudge(block)) pullSoon();
        }
      }
      return stable();
    } catch (e) {
      if (!stopped && !ctl.signal.aborted) deps.log?.warn({ err: (e as Error).message }, 'nudge stream failed');
      return stable();
    } finally {
      open = false;
      clearTimeout(silence);
      abort = undefined;
    }
  }

  return {
    start() {
      if (loop) return;
      stopped = false;
      loop = (async () => {
        let failures = 0;
        while (!stopped) {
          const conn = deps.connection();
          if (!conn) {
            await sleep(timing.notEnrolledMs);
            continue;
          }
          const wasStable = await listen(conn);
          if (stopped) break;
          // A stream that was open a while starts the backoff over (central restarted, a proxy cut it); one
          // cut again and again right after opening backs off like any failure.
          failures = wasStable ? 1 : failures + 1;
          await sleep(deps.backoffMs(failures, timing));
        }
      })();
    },
    async stop() {
      stopped = true;
      clearTimeout(coalesce);
      coalesce = undefined;
      abort?.abort();
      wake();
      await loop;
      loop = undefined;
    },
    /** Connects now instead of after the pause (just enrolled). */
    poke() {
      wake();
    },
    isOpen: () => open,
  };
}
export type NudgeChannel = ReturnType<typeof createNudgeChannel>;
