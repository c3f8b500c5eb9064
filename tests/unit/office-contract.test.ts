import { describe, expect, it } from 'vitest';
import {
  BRIEFING_KINDS,
  BRIEFING_PRIORITIES,
  CLASSIFICATIONS,
  LEADER_FILE_MAX_BYTES,
  SCHEDULE_KINDS,
} from '@shared/api/methods/leader';
import { conflictsOf, officeBriefingInputSchema, officeFileInputSchema } from '@shared/console/office';
import { base64ByteLength, base64Head, leaderFileProblem } from '@shared/console/office-file';
import { leaderIdOf, uuidV5 } from '../../central/src/office/leader-id';
import { daysOf, rangeOf, wallInstant, wallOf } from '../../central/console/src/views/office/calendar-dates';
import enUS from '../../central/console/src/i18n/en-US/office';
import zhCN from '../../central/console/src/i18n/zh-CN/office';

const at = (id: string, start: string, end: string, title = id) => ({
  id,
  title,
  start: `2026-05-11T${start}:00+08:00`,
  end: `2026-05-11T${end}:00+08:00`,
});

describe('the conflict warning of the leader’s calendar', () => {
  const day = [at('a', '09:00', '10:30'), at('b', '14:00', '15:00'), at('c', '10:30', '11:00')];

  it('names the items the new time overlaps, by the pane’s rule', () => {
    expect(conflictsOf(at('new', '10:00', '14:30'), day).map((c) => c.id)).toEqual(['a', 'b', 'c']);
    expect(conflictsOf(at('new', '08:00', '09:30'), day).map((c) => c.id)).toEqual(['a']);
  });
  it('does not warn of back-to-back items, nor of the item itself when it moves', () => {
    expect(conflictsOf(at('new', '11:00', '14:00'), day)).toEqual([]);
    expect(conflictsOf(at('a', '09:30', '10:30'), day)).toEqual([]);
    expect(conflictsOf(at('a', '09:30', '10:45'), day).map((c) => c.id)).toEqual(['c']);
  });
});

// A PNG's and a PDF's first bytes, and a Windows executable's.
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const PDF = new TextEncoder().encode('%PDF-1.7\n%âãÏÓ\n');
const EXE = new TextEncoder().encode('MZ\x90\x00\x03\x00\x00\x00 This program cannot be run in DOS mode');
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

describe('a confidential file judged by its bytes', () => {
  const file = (name: string, mime: 'application/pdf' | 'image/png' | 'image/jpeg', bytes: Uint8Array) =>
    leaderFileProblem({ name, mime, size: bytes.length, head: bytes.subarray(0, 8) });

  it('accepts a PDF, a PNG, a JPEG named for what they are', () => {
    expect(file('通知.pdf', 'application/pdf', PDF)).toBeNull();
    expect(file('纪要.PNG', 'image/png', PNG)).toBeNull();
    expect(file('照片.jpeg', 'image/jpeg', Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toBeNull();
  });
  it('refuses a PNG named .pdf and sent as a PDF, an EXE renamed .jpg, a PDF named .png', () => {
    expect(file('报告.pdf', 'application/pdf', PNG)).toEqual({ reason: 'type_mismatch', detected: 'image/png' });
    expect(file('照片.jpg', 'image/jpeg', EXE)).toEqual({ reason: 'not_allowed' });
    expect(file('通知.png', 'application/pdf', PDF)).toEqual({ reason: 'name_mismatch', detected: 'application/pdf' });
  });
  it('refuses an empty file and one a byte over 20 MiB; 20 MiB exactly is allowed', () => {
    const head = PDF.subarray(0, 8);
    expect(leaderFileProblem({ name: 'a.pdf', mime: 'application/pdf', size: 0, head })).toEqual({ reason: 'empty' });
    const size = (n: number) => leaderFileProblem({ name: 'a.pdf', mime: 'application/pdf', size: n, head });
    expect(size(LEADER_FILE_MAX_BYTES)).toBeNull();
    expect(size(LEADER_FILE_MAX_BYTES + 1)).toEqual({ reason: 'too_large' });
  });

  it('reads the size and head of base64 exactly, padding included', () => {
    for (const n of [1, 2, 3, 4, 5, 6]) expect(base64ByteLength(b64(new Uint8Array(n)))).toBe(n);
    expect([...base64Head(b64(PNG))]).toEqual([...PNG.subarray(0, 8)]);
    expect(base64Head('!!not base64!!')).toHaveLength(0);
  });

  it('refuses the upload with the reason on the field, the same schema in the console and at central', () => {
    const upload = (name: string, mime: string, bytes: Uint8Array) =>
      officeFileInputSchema.safeParse({ name, mime, classification: 'secret', dataBase64: b64(bytes) });
    expect(upload('通知.pdf', 'application/pdf', PDF).success).toBe(true);
    const png = upload('报告.pdf', 'application/pdf', PNG);
    expect(png.error?.issues).toEqual([
      expect.objectContaining({
        path: ['dataBase64'],
        message: expect.stringContaining('its content is image/png'),
        params: { reason: 'type_mismatch', detected: 'image/png' },
      }),
    ]);
    const exe = upload('照片.jpg', 'image/jpeg', EXE);
    expect(exe.error?.issues[0]).toMatchObject({ path: ['dataBase64'], params: { reason: 'not_allowed' } });
    expect(upload('x.exe', 'application/pdf', PDF).error?.issues[0]?.path).toEqual(['name']);
    expect(upload('a.pdf', 'application/zip', PDF).error?.issues[0]?.path).toEqual(['mime']);
  });
});

describe('a briefing’s body: plain text with line breaks, as the pane shows it', () => {
  const briefing = (body: string) =>
    officeBriefingInputSchema.safeParse({ kind: 'briefing', title: '简报', priority: 'normal', body });
  it('keeps paragraphs and line breaks, and a “<” that is no tag', () => {
    expect(briefing('第一段\n第二行\n\n第二段：增长 <5% 的指标').success).toBe(true);
  });
  it('refuses markup the pane would show as typed, and an empty body', () => {
    for (const body of ['<b>加粗</b>', '正文<br>换行', '<p style="color:red">x</p>', '<img src=x onerror=alert(1)>']) {
      expect(briefing(body).error?.issues[0]?.path, body).toEqual(['body']);
    }
    expect(briefing('   ').error?.issues[0]?.path).toEqual(['body']);
  });
});

describe('a leader’s id', () => {
  it('is UUID v5 of the staff id: the RFC’s example, stable, one per person', () => {
    expect(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
    expect(leaderIdOf('s-0123456789abcdef')).toBe(leaderIdOf('s-0123456789abcdef'));
    expect(leaderIdOf('s-0123456789abcdef')).not.toBe(leaderIdOf('s-0123456789abcdee'));
    expect(leaderIdOf('s-0123456789abcdef')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});

describe('the calendar in the hall’s wall clock', () => {
  it('shows a week from Monday, and its range from midnight to midnight in the zone', () => {
    expect(daysOf('2026-05-13', 'week')).toEqual([
      '2026-05-11',
      '2026-05-12',
      '2026-05-13',
      '2026-05-14',
      '2026-05-15',
      '2026-05-16',
      '2026-05-17',
    ]);
    expect(daysOf('2026-05-17', 'week')[0]).toBe('2026-05-11');
    expect(rangeOf(['2026-05-13'], 'Asia/Shanghai')).toEqual({
      from: '2026-05-12T16:00:00.000Z',
      to: '2026-05-13T16:00:00.000Z',
    });
  });
  it('turns a typed date and time into the instant and back, across a daylight-saving change', () => {
    expect(wallInstant('2026-05-11', '09:30', 'Asia/Shanghai')).toBe('2026-05-11T01:30:00.000Z');
    expect(wallOf('2026-05-11T01:30:00.000Z', 'Asia/Shanghai')).toEqual({ date: '2026-05-11', time: '09:30' });
    // New York moves to EDT at 02:00 on 8 March 2026: 09:30 that day is 13:30 UTC, not 14:30.
    expect(wallInstant('2026-03-08', '09:30', 'America/New_York')).toBe('2026-03-08T13:30:00.000Z');
    expect(wallInstant('2026-03-07', '09:30', 'America/New_York')).toBe('2026-03-07T14:30:00.000Z');
  });
});

describe('the leader’s office speaks in words, never codes', () => {
  it.each([
    ['zh-CN', zhCN.office],
    ['en-US', enUS.office],
  ])('%s names every kind, priority, classification, refusal of a file and code of central', (_, m) => {
    expect(Object.keys(m.calendar.kinds).sort()).toEqual([...SCHEDULE_KINDS].sort());
    expect(Object.keys(m.briefings.kinds).sort()).toEqual([...BRIEFING_KINDS].sort());
    expect(Object.keys(m.briefings.priorities).sort()).toEqual([...BRIEFING_PRIORITIES].sort());
    expect(Object.keys(m.files.classifications).sort()).toEqual([...CLASSIFICATIONS].sort());
    const reasons = ['empty', 'too_large', 'not_allowed', 'type_mismatch', 'name_mismatch'];
    expect(Object.keys(m.upload.problems).sort()).toEqual(reasons.sort());
    const codes = ['SCHEDULE_CONFLICT', 'ITEM_CHANGED', 'ITEM_CANCELLED', 'FILE_TOO_LARGE', 'NOT_FOUND'];
    expect(Object.keys(m.errors).sort()).toEqual(codes.sort());
  });
});
