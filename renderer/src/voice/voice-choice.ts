import type { DisplaySettings } from '@shared/api';

/**
 * Which operating-system voice speaks the calls: plain rules over voice names and languages, without the
 * browser, so the announcer and its tests need no DOM. system-voice.ts speaks with the chosen voice.
 */

/** A voice as the settings and the admin page know it: plain data, no browser object. */
export interface VoiceChoice {
  name: string;
  lang: string;
  localService: boolean;
}

/** What speaks a sentence in a system voice (the announcer takes it; tests give their own). */
export interface Speaker {
  /** The voice a call would be spoken in now; null: none fits, the clips speak. */
  voice(): VoiceChoice | null;
  rate(): number;
  /** Speaks the sentence; false when the voice failed (the caller falls back to the clips). */
  speak(text: string): Promise<boolean>;
  dispose(): void;
}

/**
 * Mandarin voices, best first: mainland Chinese, then plain "zh", then Taiwan's (Mandarin too). Hong Kong
 * voices speak Cantonese and are never taken for a Mandarin announcement.
 */
export function mandarinVoices<T extends { lang: string }>(voices: readonly T[]): T[] {
  const rank = (lang: string): number => {
    const l = lang.toLowerCase().replace('_', '-');
    if (l === 'zh-cn' || l.startsWith('zh-hans') || l === 'cmn-cn' || l.startsWith('cmn-hans')) return 0;
    if (l === 'zh' || l === 'cmn') return 1;
    if (l === 'zh-tw' || l.startsWith('zh-hant-tw') || l === 'cmn-tw') return 2;
    return -1;
  };
  return voices
    .map((v, i) => ({ v, r: rank(v.lang), i }))
    .filter((x) => x.r >= 0)
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.v);
}

/** The voice the settings ask for among the screen's voices: the named one if present, else the first Mandarin one. */
export function chooseVoice<T extends { name: string; lang: string }>(
  voices: readonly T[],
  settings: Pick<DisplaySettings, 'voice' | 'voiceName'>,
): T | null {
  if (settings.voice !== 'system') return null;
  const mandarin = mandarinVoices(voices);
  return mandarin.find((v) => v.name === settings.voiceName) ?? mandarin[0] ?? null;
}
