import { describe, expect, it } from 'vitest';
import en from '../../renderer/src/i18n/en-US/kiosk';
import zh from '../../renderer/src/i18n/zh-CN/kiosk';
import { waitMessage } from '../../renderer/src/stores/kiosk-wait';

const say = (messages: typeof zh, minutes: number) => {
  const w = waitMessage(minutes);
  return Object.entries(w.params).reduce((text, [k, v]) => text.replace(`{${k}}`, String(v)), messages.wait[w.key]);
};

describe('a wait as the kiosk, its ticket and its queue cards say it', () => {
  it('says no wait, minutes, hours and minutes, or whole hours (never "5 h 0 min")', () => {
    expect([0, 45, 100, 300].map((m) => say(en, m))).toEqual([
      'No wait',
      'about 45 min',
      'about 1 h 40 min',
      'about 5 h',
    ]);
    expect([0, 45, 100, 300].map((m) => say(zh, m))).toEqual([
      '无需等候',
      '约 45 分钟',
      '约 1 小时 40 分钟',
      '约 5 小时',
    ]);
  });
});
