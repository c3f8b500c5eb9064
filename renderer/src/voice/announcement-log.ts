import type { AnnouncementRecord } from './announcer';

/** What end-to-end tests (and a technician in dev tools) read of what the display has spoken. */
export type AnnouncementLogEntry = AnnouncementRecord;

declare global {
  interface Window {
    /** Every announcement this page has started, oldest first: plain data, no functions. */
    __onewindowAnnouncements?: AnnouncementLogEntry[];
  }
}

const LIMIT = 200;

/**
 * Mirrors an announcer record into `window.__onewindowAnnouncements`. The record is copied, not shared,
 * so nothing on window can reach back into the announcer; its entry is replaced when it ends.
 */
export function logAnnouncement(record: AnnouncementRecord): void {
  const log = (window.__onewindowAnnouncements ??= []);
  const entry: AnnouncementLogEntry = {
    ...record,
    clips: [...record.clips],
    audio: record.audio && { ...record.audio },
  };
  const i = log.findIndex((e) => e.callId === record.callId);
  if (i >= 0) log[i] = entry;
  else log.push(entry);
  if (log.length > LIMIT) log.splice(0, log.length - LIMIT);
}
