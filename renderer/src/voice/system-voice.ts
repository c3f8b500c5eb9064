import type { DisplaySettings } from '@shared/api';
import { chooseVoice, type Speaker, type VoiceChoice } from './voice-choice';

/**
 * The operating system's own voices, through the Web Speech API (`speechSynthesis`): Windows' Chinese
 * speech pack (in every Chinese edition) has Mandarin voices (Microsoft Huihui, Yaoyao, Kangkang), which
 * Chromium and Electron expose. They sound far more natural than the recorded espeak-ng clips, which stay
 * as the fallback for a screen without one.
 */

/** Long enough for any call sentence at the slowest rate; Chromium at times never says "end". */
const watchdogMs = (text: string, rate: number) => (text.length * 450) / rate + 5000;

export function systemSpeech(): SpeechSynthesis | null {
  return typeof window !== 'undefined' && 'speechSynthesis' in window ? window.speechSynthesis : null;
}

/**
 * Lists the screen's voices. Chromium fills the list asynchronously: an empty first answer is followed by
 * `voiceschanged`, so `onChange` hears each new list.
 */
export function watchVoices(onChange: (voices: VoiceChoice[]) => void): () => void {
  const synth = systemSpeech();
  if (!synth) {
    onChange([]);
    return () => undefined;
  }
  const read = () =>
    onChange(synth.getVoices().map((v) => ({ name: v.name, lang: v.lang, localService: v.localService })));
  synth.addEventListener('voiceschanged', read);
  read();
  return () => synth.removeEventListener('voiceschanged', read);
}

/**
 * Speaks one sentence with a system voice by name, resolving true when it ended and false on an error or
 * when it never ends (the caller then uses the clips, so a stalled voice never silences the hall).
 */
export function speakOnce(text: string, voiceName: string, rate: number): Promise<boolean> {
  const synth = systemSpeech();
  const voice = synth?.getVoices().find((v) => v.name === voiceName);
  if (!synth || !voice) return Promise.resolve(false);
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.voice = voice;
  utterance.lang = voice.lang;
  utterance.rate = rate;
  return new Promise<boolean>((resolve) => {
    const watchdog = setTimeout(
      () => {
        synth.cancel();
        resolve(false);
      },
      watchdogMs(text, rate),
    );
    utterance.onend = () => {
      clearTimeout(watchdog);
      resolve(true);
    };
    utterance.onerror = (e) => {
      clearTimeout(watchdog);
      console.warn('the system voice failed:', e.error);
      resolve(false);
    };
    synth.speak(utterance);
  });
}

/** The display's speaker: the voice and rate of the hall's settings, among this screen's voices. */
export function createSystemSpeaker(settings: () => Pick<DisplaySettings, 'voice' | 'voiceName' | 'speechRate'>) {
  let voices: VoiceChoice[] = [];
  const stop = watchVoices((v) => (voices = v));
  const speaker: Speaker = {
    voice: () => chooseVoice(voices, settings()),
    rate: () => settings().speechRate,
    async speak(text) {
      const v = speaker.voice();
      return v ? speakOnce(text, v.name, speaker.rate()) : false;
    },
    dispose() {
      stop();
      systemSpeech()?.cancel();
    },
  };
  return speaker;
}
