import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { httpsUrl, multiLine, phoneNumber, singleLine } from '@shared/validation/text';

describe('human text', () => {
  it('trims and bounds a single line', () => {
    expect(singleLine(5).parse('  大厅  ')).toBe('大厅');
    expect(singleLine(5).safeParse('一二三四五六').success).toBe(false);
    expect(singleLine(5).safeParse('   ').success).toBe(false);
  });

  it('keeps markup as plain text: validation does not strip it, rendering escapes it', () => {
    expect(singleLine(60).parse('<b>大厅</b>')).toBe('<b>大厅</b>');
  });

  it('refuses any control character in a single line, and all but tab/newline in free text', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x1f }), (code) => {
        const s = `a${String.fromCharCode(code)}b`;
        expect(singleLine(10).safeParse(s).success).toBe(false);
        expect(multiLine(10).safeParse(s).success).toBe([9, 10, 13].includes(code));
      }),
    );
    expect(singleLine(10).safeParse('a\u007fb').success).toBe(false);
  });

  it('accepts the phone numbers printed on receipts and refuses words', () => {
    for (const ok of [
      '12345',
      '12366',
      '010-12345678',
      '0755-8888888',
      '13800138000',
      '+86 13800138000',
      '010-12345678-801',
    ]) {
      expect(phoneNumber.safeParse(ok).success, ok).toBe(true);
    }
    for (const bad of ['abc', '12', '010 call me', '1380013800012345678']) {
      expect(phoneNumber.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('accepts only http(s) URLs', () => {
    expect(httpsUrl.safeParse('https://zwfw.example.gov.cn/track').success).toBe(true);
    for (const bad of ['javascript:alert(1)', 'ftp://x.cn', 'not a url', 'data:text/html,hi']) {
      expect(httpsUrl.safeParse(bad).success, bad).toBe(false);
    }
  });
});
