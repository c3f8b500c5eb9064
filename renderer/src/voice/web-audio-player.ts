import type { ClipPlayer, PlayedSpan, PlayerState } from './announcer';

/** Clips every announcement uses: decoded at start so the first call is spoken without a fetch delay. */
const COMMON_CLIPS = [
  'chime',
  'qing',
  'hao-dao',
  'hao-chuangkou-banli',
  ...Array.from({ length: 11 }, (_, i) => `d${i}`),
];

/** Silence after a clip, in seconds: a pause after the chime, a short one between words (the clips are trimmed). */
const gapAfter = (clip: string) => (clip === 'chime' ? 0.3 : 0.06);
/** Scheduling a little ahead keeps the first clip from being clipped while the graph starts. */
const LEAD_SECONDS = 0.05;
/** If the end event never comes (a stalled or absent output device), give up this long after the planned end. */
const WATCHDOG_MS = 1500;
/** A context that has not started by then is waiting for a user gesture (browser autoplay policy). */
const LOCK_DETECT_MS = 400;

export interface WebAudioPlayerOptions {
  /** Where the clips are served: renderer/public/voice, i.e. ./voice/ next to index.html. */
  baseUrl?: string;
}

/**
 * Plays the offline voice clips with the Web Audio API: each clip is fetched and decoded once and cached,
 * and an announcement's clips are scheduled back to back on the context's clock.
 *
 * Electron lets the display window start audio by itself (its default autoplay policy needs no gesture);
 * a browser keeps the context suspended until a click, which the page asks for with its overlay.
 */
export function createWebAudioPlayer(options: WebAudioPlayerOptions = {}): ClipPlayer {
  const baseUrl = options.baseUrl ?? './voice/';
  const listeners = new Set<(s: PlayerState) => void>();
  const buffers = new Map<string, Promise<AudioBuffer>>();
  let state: PlayerState = 'starting';
  let ctx: AudioContext | null = null;
  let disposed = false;
  let lockTimer: ReturnType<typeof setTimeout> | undefined;

  const setState = (next: PlayerState) => {
    if (next === state || disposed) return;
    state = next;
    for (const l of listeners) l(next);
  };
  const fromContext = (c: AudioContext): PlayerState =>
    c.state === 'running' ? 'ready' : c.state === 'closed' ? 'unavailable' : 'locked';

  try {
    ctx = new AudioContext();
  } catch {
    ctx = null;
  }
  if (!ctx) {
    state = 'unavailable';
  } else {
    const c = ctx;
    c.onstatechange = () => {
      clearTimeout(lockTimer);
      setState(fromContext(c));
    };
    if (c.state === 'running') state = 'ready';
    else {
      // resume() stays pending, without an error, while autoplay is blocked: only time tells us.
      void c.resume().catch(() => undefined);
      lockTimer = setTimeout(() => setState(fromContext(c)), LOCK_DETECT_MS);
    }
    for (const clip of COMMON_CLIPS) void load(clip).catch(() => undefined);
  }

  function load(clip: string): Promise<AudioBuffer> {
    let buffer = buffers.get(clip);
    if (!buffer) {
      const c = ctx!;
      buffer = fetch(`${baseUrl}${clip}.wav`)
        .then((res) => {
          if (!res.ok) throw new Error(`voice clip ${clip}: HTTP ${res.status}`);
          return res.arrayBuffer();
        })
        .then((bytes) => c.decodeAudioData(bytes));
      // A failed fetch is forgotten so a later announcement tries again (the host may have been restarting).
      buffer.catch(() => buffers.delete(clip));
      buffers.set(clip, buffer);
    }
    return buffer;
  }

  async function play(clips: readonly string[]): Promise<PlayedSpan | null> {
    if (!ctx || disposed) return null;
    const c = ctx;
    const decoded = await Promise.all(clips.map(load));
    if (c.state !== 'running') return null;
    const from = c.currentTime + LEAD_SECONDS;
    let at = from;
    const sources: AudioBufferSourceNode[] = [];
    decoded.forEach((buffer, i) => {
      const source = c.createBufferSource();
      source.buffer = buffer;
      source.connect(c.destination);
      source.start(at);
      sources.push(source);
      at += buffer.duration + (i < decoded.length - 1 ? gapAfter(clips[i]!) : 0);
    });
    const to = at;
    const last = sources[sources.length - 1];
    if (!last) return { from, to };
    await new Promise<void>((resolve) => {
      const watchdog = setTimeout(
        () => {
          // Silence what may still be queued, so a late start can never sound over the next announcement.
          for (const s of sources) {
            try {
              s.stop();
            } catch {
              /* already stopped */
            }
          }
          resolve();
        },
        (to - c.currentTime) * 1000 + WATCHDOG_MS,
      );
      last.onended = () => {
        clearTimeout(watchdog);
        resolve();
      };
    });
    for (const s of sources) s.disconnect();
    return { from, to };
  }

  return {
    state: () => state,
    onStateChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    play,
    async unlock() {
      if (!ctx || disposed) return;
      await ctx.resume();
      clearTimeout(lockTimer);
      setState(fromContext(ctx));
    },
    dispose() {
      disposed = true;
      clearTimeout(lockTimer);
      listeners.clear();
      if (ctx) {
        ctx.onstatechange = null;
        void ctx.close().catch(() => undefined);
      }
    },
  };
}
