import { describe, expect, it } from 'vitest';
import { leaderFileName } from '@shared/api/methods/leader';
import { overlaps } from '@shared/leader/schedule-overlaps';
import { checkedFileBytes } from '../../electron/core/leader/file-check';

const item = (id: string, start: string, end: string) => ({
  id,
  start: `2026-05-11T${start}:00+08:00`,
  end: `2026-05-11T${end}:00+08:00`,
});

describe('schedule conflicts', () => {
  it('pairs every overlapping item, in any input order', () => {
    const found = overlaps([item('c', '10:45', '12:00'), item('a', '09:00', '10:30'), item('b', '10:00', '11:00')]);
    expect(Object.fromEntries(found)).toEqual({ a: ['b'], b: ['a', 'c'], c: ['b'] });
  });
  it('does not call back-to-back items a conflict', () => {
    const found = overlaps([item('a', '09:00', '10:00'), item('b', '10:00', '11:00')]);
    expect(Object.fromEntries(found)).toEqual({ a: [], b: [] });
  });
  it('finds an item inside a longer one after items that end before it', () => {
    const found = overlaps([item('long', '08:00', '18:00'), item('x', '09:00', '09:30'), item('y', '17:00', '17:30')]);
    expect(found.get('long')).toEqual(['x', 'y']);
  });
});

describe('incoming files', () => {
  const file = (mime: 'application/pdf' | 'image/png' | 'image/jpeg', bytes: Buffer) => ({
    id: 'f1',
    name: 'x',
    mime,
    dataBase64: bytes.toString('base64'),
  });

  it('accepts bytes that start as their type says', () => {
    expect(checkedFileBytes(file('image/jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2])))).toHaveLength(6);
    expect(checkedFileBytes(file('application/pdf', Buffer.from('%PDF-1.7\n')))).toHaveLength(9);
  });
  it('refuses an empty file and one whose bytes are another type, with a reason', () => {
    expect(() => checkedFileBytes(file('image/png', Buffer.alloc(0)))).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', details: { reason: 'file_empty', fileId: 'f1' } }),
    );
    expect(() => checkedFileBytes(file('application/pdf', Buffer.from('MZ\x90\x00 executable')))).toThrow(
      expect.objectContaining({ details: { reason: 'file_type_mismatch', fileId: 'f1' } }),
    );
  });
  it('refuses names that climb out of a folder or hide their type', () => {
    for (const bad of [
      '../a.pdf',
      'a/../../b.png',
      'C:\\x.pdf',
      '.pdf',
      'a.pdf.exe',
      'a\u0000.pdf',
      'x'.repeat(130) + '.pdf',
    ]) {
      expect(leaderFileName.safeParse(bad).success, bad).toBe(false);
    }
    for (const good of ['通知.pdf', '会议纪要 (定稿).PNG', 'photo.jpeg'])
      expect(leaderFileName.safeParse(good).success, good).toBe(true);
  });
});
