import type { DisplaySettings } from '@shared/api';
import { createAnnouncer, type AnnouncementRecord } from './announcer';
import { createSystemSpeaker } from './system-voice';
import { createWebAudioPlayer } from './web-audio-player';

/** The call the admin page's preview speaks. */
const SAMPLE = { callId: 1, ticketNumber: 'A001', counterNumber: 1, recall: false };

/**
 * Speaks a sample call exactly as a hall screen with these settings would (chime, then the system voice
 * or the clips), on this PC; call it from a click, which lets the browser start audio. Resolves with what
 * was spoken once it has finished.
 */
export async function previewAnnouncement(
  settings: Pick<DisplaySettings, 'voice' | 'voiceName' | 'speechRate'>,
): Promise<AnnouncementRecord | null> {
  const player = createWebAudioPlayer();
  const announcer = createAnnouncer(player, { speaker: createSystemSpeaker(() => settings) });
  try {
    announcer.announce(SAMPLE);
    await player.unlock();
    await announcer.idle();
    return announcer.history()[0] ?? null;
  } finally {
    announcer.dispose();
  }
}
