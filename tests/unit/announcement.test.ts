import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { announcementClips, announcementText, counterNumberZh } from '@shared/queue/announcement';
import {
  createAnnouncer,
  type ClipPlayer,
  type PlayedSpan,
  type PlayerState,
} from '../../renderer/src/voice/announcer';
import { chooseVoice, mandarinVoices, type Speaker } from '../../renderer/src/voice/voice-choice';

const VOICE_DIR = path.resolve('renderer/public/voice');

describe('announcementText', () => {
  it('speaks the ticket number and the counter in Chinese', () => {
    expect(announcementText('A012', 3, 'zh-CN')).toBe('请A012号到3号窗口办理');
    expect(announcementText('B1000', 12, 'zh-CN')).toBe('请B1000号到12号窗口办理');
    expect(announcementText('C007', 20, 'zh-CN')).toBe('请C007号到20号窗口办理');
  });

  it('has an English sentence with the number spelled out', () => {
    expect(announcementText('A012', 3, 'en-US')).toBe('Number A 0 1 2, please go to counter 3');
    expect(announcementText('B1000', 12, 'en-US')).toBe('Number B 1 0 0 0, please go to counter 12');
  });
});

describe('announcementClips', () => {
  it('reads ticket digits one by one and the counter as a number', () => {
    expect(announcementClips('A012', 3)).toEqual([
      'chime',
      'qing',
      'lA',
      'd0',
      'd1',
      'd2',
      'hao-dao',
      'd3',
      'hao-chuangkou-banli',
    ]);
    expect(announcementClips('B1000', 12)).toEqual([
      'chime',
      'qing',
      'lB',
      'd1',
      'd0',
      'd0',
      'd0',
      'hao-dao',
      'd10',
      'd2',
      'hao-chuangkou-banli',
    ]);
    expect(announcementClips('C007', 20)).toEqual([
      'chime',
      'qing',
      'lC',
      'd0',
      'd0',
      'd7',
      'hao-dao',
      'd2',
      'd10',
      'hao-chuangkou-banli',
    ]);
  });

  it('accepts lower-case prefixes as their letter', () => {
    expect(announcementClips('a5', 1)).toEqual(['chime', 'qing', 'lA', 'd5', 'hao-dao', 'd1', 'hao-chuangkou-banli']);
  });

  it('names every counter 1–99 in Chinese numerals, and its clips say the same', () => {
    const spot: Record<number, string> = {
      1: '一',
      9: '九',
      10: '十',
      11: '十一',
      19: '十九',
      20: '二十',
      21: '二十一',
      50: '五十',
      99: '九十九',
    };
    for (const [n, zh] of Object.entries(spot)) expect(counterNumberZh(Number(n)), `counter ${n}`).toBe(zh);

    const clipOf: Record<string, string> = { 十: 'd10' };
    '零一二三四五六七八九'.split('').forEach((ch, i) => (clipOf[ch] = `d${i}`));
    for (let n = 1; n <= 99; n++) {
      const zh = counterNumberZh(n);
      // Tens and ones as spoken: no leading 一 before 十, no trailing 零.
      const tens = Math.floor(n / 10);
      const ones = n % 10;
      const expected = `${tens > 1 ? '零一二三四五六七八九'[tens] : ''}${tens > 0 ? '十' : ''}${ones > 0 ? '零一二三四五六七八九'[ones] : ''}`;
      expect(zh, `counter ${n}`).toBe(expected);
      const clips = announcementClips('A1', n);
      const counterClips = clips.slice(clips.indexOf('hao-dao') + 1, clips.indexOf('hao-chuangkou-banli'));
      expect(counterClips, `clips of counter ${n}`).toEqual(zh.split('').map((ch) => clipOf[ch]));
    }
  });

  it('refuses counters outside 1–99', () => {
    for (const n of [0, 100, -1, 1.5]) expect(() => announcementClips('A1', n), `counter ${n}`).toThrow(RangeError);
  });

  it('every clip it can return is a small mono 16 kHz 16-bit WAV in renderer/public/voice', () => {
    const names = new Set<string>();
    for (const letter of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') {
      for (const clip of announcementClips(`${letter}0123456789`, 1)) names.add(clip);
    }
    for (let n = 1; n <= 99; n++) for (const clip of announcementClips('A1', n)) names.add(clip);
    expect(names.size).toBe(1 + 1 + 26 + 11 + 2); // chime, qing, letters, 零–十, the two phrases

    let total = 0;
    for (const name of names) {
      const file = path.join(VOICE_DIR, `${name}.wav`);
      expect(fs.existsSync(file), `${name}.wav exists`).toBe(true);
      const wav = fs.readFileSync(file);
      total += wav.length;
      expect(wav.toString('ascii', 0, 4), name).toBe('RIFF');
      expect(wav.toString('ascii', 8, 12), name).toBe('WAVE');
      const fmt = wav.indexOf('fmt ', 12, 'ascii');
      expect(fmt, `${name} has a fmt chunk`).toBeGreaterThan(0);
      expect(wav.readUInt16LE(fmt + 8), `${name} is PCM`).toBe(1);
      expect(wav.readUInt16LE(fmt + 10), `${name} is mono`).toBe(1);
      expect(wav.readUInt32LE(fmt + 12), `${name} is 16 kHz`).toBe(16000);
      expect(wav.readUInt16LE(fmt + 22), `${name} is 16-bit`).toBe(16);
      // Trimmed clips: none is silence only, and none is longer than a phrase needs (2.5 s).
      const data = wav.indexOf('data', 12, 'ascii');
      const bytes = wav.readUInt32LE(data + 4);
      expect(bytes / 32000, `${name} duration`).toBeGreaterThan(0.1);
      expect(bytes / 32000, `${name} duration`).toBeLessThan(2.5);
      let peak = 0;
      for (let o = data + 8; o + 1 < data + 8 + bytes; o += 2) peak = Math.max(peak, Math.abs(wav.readInt16LE(o)));
      expect(peak, `${name} is not silent`).toBeGreaterThan(8000);
    }
    expect(total, 'all clips together').toBeLessThan(1.5 * 1024 * 1024);
  });
});

/** A player whose sound takes `ms` per clip on a fake clock; it records what overlaps what. */
function fakePlayer(initial: PlayerState = 'ready') {
  let state = initial;
  const listeners = new Set<(s: PlayerState) => void>();
  let playing = 0;
  const played: { clips: readonly string[]; span: PlayedSpan }[] = [];
  let clock = 0;
  let maxConcurrent = 0;
  const finishers: (() => void)[] = [];
  const player: ClipPlayer = {
    state: () => state,
    onStateChange(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    async play(clips) {
      if (clips.includes('missing')) throw new Error('no such clip');
      playing += 1;
      maxConcurrent = Math.max(maxConcurrent, playing);
      const from = clock;
      await new Promise<void>((resolve) => finishers.push(resolve));
      clock += clips.length;
      playing -= 1;
      const span = { from, to: clock };
      played.push({ clips, span });
      return span;
    },
    async unlock() {
      state = 'ready';
      for (const l of listeners) l(state);
    },
    dispose() {},
  };
  return {
    player,
    played,
    maxConcurrent: () => maxConcurrent,
    /** Lets the announcement being played finish. */
    async finish() {
      await Promise.resolve();
      finishers.shift()?.();
      for (let i = 0; i < 5; i++) await Promise.resolve();
    },
    setState(next: PlayerState) {
      state = next;
      for (const l of listeners) l(state);
    },
  };
}

const call = (callId: number, ticketNumber: string, counterNumber: number, recall = false) => ({
  callId,
  ticketNumber,
  counterNumber,
  recall,
});

describe('announcer', () => {
  it('plays announcements one after another, never two at once', async () => {
    const fake = fakePlayer();
    let now = 0;
    const a = createAnnouncer(fake.player, { now: () => now });
    a.announce(call(1, 'A001', 3));
    a.announce(call(2, 'A002', 12));
    a.announce(call(3, 'B001', 5));
    expect(a.history().map((r) => r.callId)).toEqual([1]);
    now = 10;
    await fake.finish();
    expect(a.history().map((r) => r.callId)).toEqual([1, 2]);
    now = 20;
    await fake.finish();
    now = 30;
    await fake.finish();
    await a.idle();

    expect(fake.maxConcurrent()).toBe(1);
    const h = a.history();
    expect(h.map((r) => r.text)).toEqual(['请A001号到3号窗口办理', '请A002号到12号窗口办理', '请B001号到5号窗口办理']);
    expect(h[1]!.clips).toEqual(announcementClips('A002', 12));
    for (let i = 1; i < h.length; i++) {
      expect(h[i]!.startedAt).toBeGreaterThanOrEqual(h[i - 1]!.endedAt!);
      expect(h[i]!.audio!.from).toBeGreaterThanOrEqual(h[i - 1]!.audio!.to);
    }
  });

  it('ignores a repeated callId but announces a recall (a new call of the same ticket) again', async () => {
    const fake = fakePlayer();
    const a = createAnnouncer(fake.player);
    expect(a.announce(call(7, 'A001', 3))).toBe(true);
    expect(a.announce(call(7, 'A001', 3))).toBe(false);
    await fake.finish();
    expect(a.announce(call(7, 'A001', 3))).toBe(false);
    expect(a.announce(call(8, 'A001', 3, true))).toBe(true);
    await fake.finish();
    await a.idle();
    expect(a.history().map((r) => [r.callId, r.recall, r.text])).toEqual([
      [7, false, '请A001号到3号窗口办理'],
      [8, true, '请A001号到3号窗口办理'],
    ]);
  });

  it('does not speak board history marked as seen', async () => {
    const fake = fakePlayer();
    const a = createAnnouncer(fake.player);
    a.markSeen([1, 2]);
    expect(a.announce(call(2, 'A002', 1))).toBe(false);
    expect(a.announce(call(3, 'A003', 1))).toBe(true);
    await fake.finish();
    expect(a.history().map((r) => r.callId)).toEqual([3]);
  });

  it('waits while the browser keeps audio locked, then plays in order after the unlock', async () => {
    const fake = fakePlayer('locked');
    const a = createAnnouncer(fake.player);
    a.announce(call(1, 'A001', 1));
    a.announce(call(2, 'A002', 2));
    await fake.finish();
    expect(a.history()).toEqual([]);
    expect(a.snapshot().pending).toBe(2);
    await a.unlock();
    expect(a.history().map((r) => r.callId)).toEqual([1]);
    await fake.finish();
    await fake.finish();
    await a.idle();
    expect(a.history().map((r) => r.callId)).toEqual([1, 2]);
    expect(fake.maxConcurrent()).toBe(1);
  });

  it('drops announcements that went stale while waiting', async () => {
    const fake = fakePlayer('locked');
    let now = 0;
    const a = createAnnouncer(fake.player, { now: () => now, staleMs: 1000 });
    a.announce(call(1, 'A001', 1));
    now = 5000;
    a.announce(call(2, 'A002', 2));
    await a.unlock();
    await fake.finish();
    await a.idle();
    expect(a.history().map((r) => r.callId)).toEqual([2]);
  });

  it('goes on with the next announcement when one cannot be played', async () => {
    const fake = fakePlayer();
    const a = createAnnouncer({ ...fake.player, play: () => Promise.reject(new Error('decode failed')) });
    const warn = console.warn;
    console.warn = () => undefined;
    try {
      a.announce(call(1, 'A001', 1));
      a.announce(call(2, 'A002', 1));
      await a.idle();
    } finally {
      console.warn = warn;
    }
    expect(a.history().map((r) => [r.callId, r.audio, r.endedAt !== null])).toEqual([
      [1, null, true],
      [2, null, true],
    ]);
  });

  it('tells its listeners what is being spoken', async () => {
    const fake = fakePlayer();
    const a = createAnnouncer(fake.player);
    const seen: (number | null)[] = [];
    a.subscribe((s) => seen.push(s.speaking?.callId ?? null));
    a.announce(call(4, 'D004', 9));
    await fake.finish();
    await a.idle();
    expect(seen).toContain(4);
    expect(seen.at(-1)).toBeNull();
  });

  it('speaks the sentence in the system voice after the chime clip, where the screen has one', async () => {
    const fake = fakePlayer();
    const voice = fakeSpeaker({ name: 'Microsoft Huihui - Chinese (Simplified, PRC)', lang: 'zh-CN' }, 0.8);
    const a = createAnnouncer(fake.player, { speaker: voice.speaker });
    a.announce(call(1, 'A012', 3));
    await fake.finish();
    await a.idle();
    expect(fake.played.map((p) => p.clips)).toEqual([['chime']]);
    expect(voice.spoken).toEqual([{ text: '请A012号到3号窗口办理', rate: 0.8 }]);
    expect(a.history()[0]).toMatchObject({
      spokenWith: 'system',
      voiceName: 'Microsoft Huihui - Chinese (Simplified, PRC)',
      rate: 0.8,
    });
  });

  it('falls back to the clips when the screen has no Mandarin voice, or when the voice fails', async () => {
    const fake = fakePlayer();
    const none = fakeSpeaker(null, 1);
    const a = createAnnouncer(fake.player, { speaker: none.speaker });
    a.announce(call(1, 'A012', 3));
    await fake.finish();
    await a.idle();
    expect(fake.played.map((p) => p.clips)).toEqual([announcementClips('A012', 3)]);
    expect(none.spoken).toEqual([]);
    expect(a.history()[0]).toMatchObject({ spokenWith: 'clips', voiceName: null, rate: null });

    const fake2 = fakePlayer();
    const broken = fakeSpeaker({ name: 'Broken', lang: 'zh-CN' }, 1, false);
    const b = createAnnouncer(fake2.player, { speaker: broken.speaker });
    b.announce(call(2, 'B001', 12));
    await fake2.finish();
    await fake2.finish();
    await b.idle();
    // The chime once, then the sentence in clips: never the chime twice, never silence.
    expect(fake2.played.map((p) => p.clips)).toEqual([['chime'], announcementClips('B001', 12).slice(1)]);
    expect(b.history()[0]).toMatchObject({ spokenWith: 'clips', voiceName: null });
  });
});

describe('choosing the system voice', () => {
  const voices = [
    { name: 'English', lang: 'en-US' },
    { name: 'Cantonese', lang: 'zh-HK' },
    { name: 'Taiwan', lang: 'zh-TW' },
    { name: 'Huihui', lang: 'zh-CN' },
    { name: 'Kangkang', lang: 'zh_CN' },
  ];

  it('takes Mandarin voices only, mainland first; a Hong Kong voice speaks Cantonese and is never taken', () => {
    expect(mandarinVoices(voices).map((v) => v.name)).toEqual(['Huihui', 'Kangkang', 'Taiwan']);
  });

  it('takes the named voice, else the first Mandarin one; none for the clips setting or a screen without one', () => {
    expect(chooseVoice(voices, { voice: 'system', voiceName: 'Kangkang' })?.name).toBe('Kangkang');
    expect(chooseVoice(voices, { voice: 'system', voiceName: 'Not on this screen' })?.name).toBe('Huihui');
    expect(chooseVoice(voices, { voice: 'system', voiceName: 'Cantonese' })?.name).toBe('Huihui');
    expect(chooseVoice(voices, { voice: 'clips', voiceName: 'Huihui' })).toBeNull();
    expect(chooseVoice([{ name: 'English', lang: 'en-US' }], { voice: 'system', voiceName: null })).toBeNull();
  });
});

/** A system voice that records what it said; `works: false` fails every sentence. */
function fakeSpeaker(voice: { name: string; lang: string } | null, rate: number, works = true) {
  const spoken: { text: string; rate: number }[] = [];
  const speaker: Speaker = {
    voice: () => voice && { ...voice, localService: true },
    rate: () => rate,
    async speak(text) {
      if (!works) return false;
      spoken.push({ text, rate });
      return true;
    },
    dispose() {},
  };
  return { speaker, spoken };
}
