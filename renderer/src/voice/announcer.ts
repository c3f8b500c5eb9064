import { announcementClips, announcementText } from '@shared/queue/announcement';
import type { Speaker } from './voice-choice';

/**
 * The hall display's voice: a queue of announcements that never overlap. Each call becomes one
 * announcement (chime + the Chinese sentence as pre-recorded clips); the next starts only after the
 * previous one has finished, because two calls spoken over each other are useless in a noisy hall.
 *
 * Where the screen has a Mandarin system voice (a Speaker), the sentence is spoken by it after the chime;
 * the clips speak it where there is none, or when that voice fails.
 *
 * This module holds only the ordering logic and takes its sound from a ClipPlayer, so the rules can be
 * unit-tested in Node; web-audio-player.ts is the player the display uses.
 */

/** 'ready': can sound now. 'locked': the browser waits for a user gesture. 'unavailable': no audio at all. */
export type PlayerState = 'starting' | 'ready' | 'locked' | 'unavailable';

/** Where on the player's own clock the clips of one announcement were scheduled (seconds). */
export interface PlayedSpan {
  from: number;
  to: number;
}

export interface ClipPlayer {
  state(): PlayerState;
  onStateChange(listener: (state: PlayerState) => void): () => void;
  /**
   * Plays the clips back to back and resolves when the last one has finished; returns where it scheduled
   * them, or null when it could not sound (the announcement still counts as spoken, silently).
   */
  play(clips: readonly string[]): Promise<PlayedSpan | null>;
  /** Called from a user gesture: lets a browser start audio. */
  unlock(): Promise<void>;
  dispose(): void;
}

/** What a call must carry to be announced (a subset of QueueCall). */
export interface AnnouncementCall {
  callId: number;
  ticketNumber: string;
  counterNumber: number;
  recall: boolean;
}

/** One announcement as spoken: plain data only, as tests read it through `window.__onewindowAnnouncements`. */
export interface AnnouncementRecord {
  callId: number;
  ticketNumber: string;
  counterNumber: number;
  recall: boolean;
  /** The Chinese sentence spoken; halls announce in Chinese whatever the screen's language. */
  text: string;
  clips: string[];
  /** 'system': an operating-system voice spoke the sentence (after the chime clip); 'clips': the recordings. */
  spokenWith: 'system' | 'clips';
  /** The system voice and rate, when one spoke. */
  voiceName: string | null;
  rate: number | null;
  /** Milliseconds on the announcer's clock (performance.now() in the page). */
  queuedAt: number;
  startedAt: number;
  endedAt: number | null;
  /** Where the player scheduled the sound; null if it played silently (no audio device, missing clip). */
  audio: PlayedSpan | null;
}

export interface AnnouncerOptions {
  now?: () => number;
  /** An announcement that waited longer than this (e.g. behind a locked browser) is dropped: it is stale. */
  staleMs?: number;
  /** At most this many announcements wait; the oldest go first when more arrive. */
  maxPending?: number;
  /** How many records `history` keeps. */
  historySize?: number;
  /** Told when an announcement starts (endedAt null) and again when it ends. */
  onRecord?: (record: AnnouncementRecord) => void;
  /** The system voice, where the screen has one; without it the clips speak. */
  speaker?: Speaker;
}

export interface AnnouncerSnapshot {
  speaking: AnnouncementRecord | null;
  pending: number;
  playerState: PlayerState;
}

const SEEN_LIMIT = 500;

export function createAnnouncer(player: ClipPlayer, options: AnnouncerOptions = {}) {
  const now = options.now ?? (() => performance.now());
  const staleMs = options.staleMs ?? 60_000;
  const maxPending = options.maxPending ?? 10;
  const historySize = options.historySize ?? 50;

  const pending: { call: AnnouncementCall; queuedAt: number }[] = [];
  const history: AnnouncementRecord[] = [];
  // callIds already taken: the same call can reach us twice (event + re-fetch after a reconnect).
  const seen = new Set<number>();
  const listeners = new Set<(snapshot: AnnouncerSnapshot) => void>();
  let speaking: AnnouncementRecord | null = null;
  let disposed = false;
  let idle: Promise<void> = Promise.resolve();
  let settleIdle: (() => void) | undefined;

  const snapshot = (): AnnouncerSnapshot => ({ speaking, pending: pending.length, playerState: player.state() });
  const notify = () => {
    const s = snapshot();
    for (const l of listeners) l(s);
  };

  function remember(callId: number) {
    seen.add(callId);
    if (seen.size > SEEN_LIMIT) seen.delete(seen.values().next().value as number);
  }

  /** Queues a call; returns false if it was ignored as a duplicate of a call already taken. */
  function announce(call: AnnouncementCall): boolean {
    if (disposed || seen.has(call.callId)) return false;
    remember(call.callId);
    pending.push({ call, queuedAt: now() });
    while (pending.length > maxPending) pending.shift();
    if (!settleIdle) idle = new Promise((resolve) => (settleIdle = resolve));
    notify();
    void pump();
    return true;
  }

  let pumping = false;
  async function pump() {
    if (pumping) return;
    pumping = true;
    try {
      // A locked player would schedule sound that starts only after the unlock, on top of later calls.
      while (!disposed && pending.length > 0 && player.state() !== 'locked' && player.state() !== 'starting') {
        const next = pending.shift()!;
        if (now() - next.queuedAt > staleMs) continue;
        await speak(next.call, next.queuedAt);
      }
    } finally {
      pumping = false;
      if (pending.length === 0 && settleIdle) {
        settleIdle();
        settleIdle = undefined;
      }
      notify();
    }
  }

  /** Plays clips; a missing or undecodable one must not stop the hall's announcements. */
  async function playClips(clips: readonly string[]): Promise<PlayedSpan | null> {
    try {
      return await player.play(clips);
    } catch (e) {
      console.warn('announcement played silently:', e);
      return null;
    }
  }

  async function speak(call: AnnouncementCall, queuedAt: number) {
    const voice = options.speaker?.voice() ?? null;
    const record: AnnouncementRecord = {
      callId: call.callId,
      ticketNumber: call.ticketNumber,
      counterNumber: call.counterNumber,
      recall: call.recall,
      text: announcementText(call.ticketNumber, call.counterNumber, 'zh-CN'),
      clips: announcementClips(call.ticketNumber, call.counterNumber),
      spokenWith: voice ? 'system' : 'clips',
      voiceName: voice?.name ?? null,
      rate: voice ? options.speaker!.rate() : null,
      queuedAt,
      startedAt: now(),
      endedAt: null,
      audio: null,
    };
    speaking = record;
    history.push(record);
    if (history.length > historySize) history.shift();
    options.onRecord?.(record);
    notify();
    if (voice) {
      const [chime, ...sentence] = record.clips;
      record.audio = await playClips(chime ? [chime] : []);
      if (!(await options.speaker!.speak(record.text))) {
        // The voice failed (an error, or it never finished): the clips say it after all.
        record.spokenWith = 'clips';
        record.voiceName = null;
        record.rate = null;
        record.audio = await playClips(sentence);
      }
    } else {
      record.audio = await playClips(record.clips);
    }
    record.endedAt = now();
    speaking = null;
    options.onRecord?.(record);
    notify();
  }

  const stopWatchingPlayer = player.onStateChange(() => {
    notify();
    void pump();
  });

  return {
    announce,
    /** Marks calls as already known without speaking them (the board's calls on first load). */
    markSeen(callIds: Iterable<number>) {
      for (const id of callIds) remember(id);
    },
    history: (): readonly AnnouncementRecord[] => history,
    snapshot,
    subscribe(listener: (s: AnnouncerSnapshot) => void): () => void {
      listeners.add(listener);
      listener(snapshot());
      return () => listeners.delete(listener);
    },
    unlock: () => player.unlock(),
    /** Resolves when nothing is pending or speaking (for tests). */
    idle: () => idle,
    dispose() {
      disposed = true;
      pending.length = 0;
      stopWatchingPlayer();
      listeners.clear();
      player.dispose();
      options.speaker?.dispose();
      settleIdle?.();
    },
  };
}
export type Announcer = ReturnType<typeof createAnnouncer>;
