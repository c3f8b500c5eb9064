import type { NudgeMessage } from '../store/nudge-store';

/** One device's open nudge stream in this process. */
export interface NudgeStream {
  deviceId: string;
  hallId: string;
  leaderId: string | null;
  /** Writes one data-free "pull" event. */
  nudge(): void;
  close(): void;
}

/**
 * This process's open nudge streams, by device. A notification reaches exactly the streams whose pull
 * would now return something: the pull's own filter (the row's hall or every hall; the row's leader or none).
 */
export function createNudgeHub(opts: { maxStreamsPerDevice: number }) {
  const byDevice = new Map<string, NudgeStream[]>();

  const sees = (s: NudgeStream, m: { hallId: string | null; leaderId: string | null }) =>
    (m.hallId === null || m.hallId === s.hallId) && (m.leaderId === null || m.leaderId === s.leaderId);

  function detach(s: NudgeStream) {
    const list = byDevice.get(s.deviceId)?.filter((x) => x !== s) ?? [];
    if (list.length) byDevice.set(s.deviceId, list);
    else byDevice.delete(s.deviceId);
  }

  return {
    /**
     * Adds a stream; a device over its limit loses its oldest one (most likely a half-open connection it
     * already gave up on), so reconnecting never piles streams up. Returns the stream's detach.
     */
    attach(s: NudgeStream): () => void {
      const list = [...(byDevice.get(s.deviceId) ?? []), s];
      byDevice.set(s.deviceId, list);
      while (list.length > opts.maxStreamsPerDevice) {
        const oldest = list.shift()!;
        oldest.close();
      }
      return () => detach(s);
    },
    deliver(m: NudgeMessage) {
      if (m.kind === 'revoked') {
        for (const s of byDevice.get(m.deviceId) ?? []) s.close();
        byDevice.delete(m.deviceId);
        return;
      }
      for (const list of byDevice.values()) for (const s of list) if (sees(s, m)) s.nudge();
    },
    /** Ends every stream: the devices reconnect (authenticated again) and pull once connected. */
    closeAll() {
      const all = [...byDevice.values()].flat();
      byDevice.clear();
      for (const s of all) s.close();
    },
    streams(deviceId: string): number {
      return byDevice.get(deviceId)?.length ?? 0;
    },
  };
}
export type NudgeHub = ReturnType<typeof createNudgeHub>;
