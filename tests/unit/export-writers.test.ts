import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readExcelFile from 'read-excel-file/node';
import { createI18n } from 'vue-i18n';
import { afterEach, describe, expect, it } from 'vitest';
import type { Dashboard, Histogram } from '@shared/api';
import { intakeStatsOf } from '@shared/intake/intake-stats';
import { dashboardTables } from '../../renderer/src/components/insight/dashboard-tables';
import { toCsv } from '@shared/export/csv';
import type { ExportTable } from '@shared/export/table';
import { toXlsx } from '@shared/export/xlsx';
import enUS from '../../renderer/src/i18n/en-US/index';
import zhCN from '../../renderer/src/i18n/zh-CN/index';
import { tempDir } from '../fixtures/temp-dir';

const tmp = tempDir('ow-export-');
afterEach(() => fs.rmSync(path.join(tmp.dir, 'out'), { recursive: true, force: true }));

const tables: ExportTable[] = [
  {
    title: '概况',
    headers: ['项目', '数值'],
    rows: [
      ['取号', 12],
      ['平均等候', { seconds: 423 }],
      ['说明', 'a "quoted", line\nbreak'],
      ['空', null],
    ],
  },
  { title: '按业务队列', headers: ['业务', '取号', '等候平均'], rows: [['综合受理 <A&B>', 3, { seconds: 61.6 }]] },
];

const { t } = createI18n({ legacy: false, locale: 'zh-CN', messages: { 'zh-CN': zhCN, 'en-US': enUS } }).global;
const tr = (locale: 'zh-CN' | 'en-US') => (key: string, params?: Record<string, unknown>) =>
  t(key, params ?? {}, { locale });

const hist = (avgSeconds: number): Histogram => ({
  count: 2,
  buckets: [1, 1, 0, 0, 0, 0, 0, 0],
  p50Seconds: avgSeconds - 60,
  p90Seconds: avgSeconds + 60,
  avgSeconds,
});
/** A day with one queue, counter and clerk: an average wait of 7:03 (423 s), an average service of 5:00. */
const dashboard: Dashboard = {
  from: '2026-03-02',
  to: '2026-03-02',
  timeZone: 'Asia/Shanghai',
  generatedAt: '2026-03-02T08:00:00.000Z',
  live: false,
  sources: { tickets: 'hub', intake: 'local' },
  tickets: {
    totals: { issued: 3, called: 2, served: 2, noShow: 0, noShowRate: 0 },
    perHour: Array.from({ length: 24 }, (_, hour) => ({ hour, issued: hour === 10 ? 3 : 0, called: 0, served: 0 })),
    wait: hist(423),
    service: hist(300),
    byQueue: [
      {
        queueId: 'general',
        nameZh: '综合受理',
        nameEn: 'General',
        issued: 3,
        served: 2,
        noShow: 0,
        wait: hist(423),
        service: hist(300),
      },
    ],
    byCounter: [{ counterId: 'w1', number: 1, name: '综合窗口1', served: 2, wait: hist(423), service: hist(300) }],
    clerks: [
      {
        clerkId: 'clerk01',
        name: '王丽',
        served: 2,
        avgServiceSeconds: 300,
        serviceSeconds: 600,
        onDutySeconds: 4800,
        idleSeconds: 4200,
      },
    ],
  },
  ...intakeStatsOf({
    casesByState: [],
    casesByMatter: [],
    overdue: [],
    feedbackByKindStatus: [],
    returnVisits: { scheduled: 0, scheduledDone: 0, done: 0 },
    ratingsByLevel: [],
    rectification: [],
  }),
  reminders: { feedback: [], supplement: [] },
};

describe('CSV', () => {
  it('BOM, CRLF, quoting of commas, quotes and line breaks, blank line between tables; durations in whole seconds', () => {
    expect(toCsv(tables)).toBe(
      '\uFEFF概况\r\n项目,数值\r\n取号,12\r\n平均等候,423\r\n说明,"a ""quoted"", line\nbreak"\r\n空,\r\n\r\n' +
        '按业务队列\r\n业务,取号,等候平均\r\n综合受理 <A&B>,3,62\r\n',
    );
  });

  it('writes a text a spreadsheet would run as a formula as text, and negative numbers as numbers', () => {
    const risky: ExportTable = {
      title: '=表',
      headers: ['名称', '数值'],
      rows: [
        ['=HYPERLINK("http://x.example","点我")', -3],
        ['+1', 0],
        ['-2+3', -1.5],
        ['@SUM(A1)', null],
        ['\t=1', { seconds: 5 }],
        ['a=b', 1],
      ],
    };
    expect(toCsv([risky]).split('\r\n')).toEqual([
      '\uFEFF"\'=表"',
      '名称,数值',
      '"\'=HYPERLINK(""http://x.example"",""点我"")",-3',
      '"\'+1",0',
      '"\'-2+3",-1.5',
      '"\'@SUM(A1)",',
      '"\'\t=1",5',
      'a=b,1',
      '',
    ]);
  });

  it('of the dashboard: a duration is seconds under a header that says so, never 7:03 (Excel reads that as a time of day)', () => {
    for (const [locale, unit, avgWait, clerkIdle] of [
      ['zh-CN', '（秒）', '平均等候（秒）', '空闲（秒）'],
      ['en-US', ' (s)', 'Average wait (s)', 'Idle (s)'],
    ] as const) {
      const csv = toCsv(dashboardTables(dashboard, tr(locale), locale, 'seconds'));
      // No cell is m:ss (the hours' 10:00–11:00 are text to Excel too).
      expect(csv).not.toMatch(/(^|,)\d+:\d\d(,|\r|$)/m);
      expect(csv).not.toContain(locale === 'zh-CN' ? '分:秒' : 'm:ss');
      const lines = csv.split('\r\n');
      expect(lines).toContain(`${avgWait},423`);
      expect(lines.find((l) => l.startsWith('王丽,'))).toBe('王丽,2,300,4800,4200');
      expect(lines.some((l) => l.includes(clerkIdle))).toBe(true);
      expect(lines.some((l) => l.includes(unit))).toBe(true);
    }
  });
});

describe('XLSX', () => {
  it('is a workbook read-excel-file reads back: numbers as numbers, durations as time values, text as text', async () => {
    const dir = path.join(tmp.dir, 'out');
    fs.mkdirSync(dir);
    const book = path.join(dir, 'b.xlsx');
    fs.writeFileSync(book, Buffer.from(await (await toXlsx(tables)).arrayBuffer()));
    execFileSync('unzip', ['-tq', book]);

    const sheets = await readExcelFile(book);
    expect(sheets.map((s) => s.sheet)).toEqual(['概况', '按业务队列']);
    const [summary, byQueue] = sheets.map((s) => s.data);
    // The header row first (frozen), then the rows; an empty cell stays empty.
    expect(summary![0]).toEqual(['项目', '数值']);
    expect(summary![1]).toEqual(['取号', 12]);
    expect(typeof summary![1]![1]).toBe('number');
    expect(summary![3]).toEqual(['说明', 'a "quoted", line\nbreak']);
    expect(summary![4]).toEqual(['空', null]);
    expect(byQueue![1]![0]).toBe('综合受理 <A&B>');
    expect(byQueue![1]![1]).toBe(3);
    // A duration is a number of days with a duration format, which readers take for a time: 7:03 and 1:02.
    const seconds = (v: unknown) => {
      expect(v).toBeInstanceOf(Date);
      return Math.round(((v as Date).getTime() - Date.UTC(1899, 11, 30)) / 1000);
    };
    expect(seconds(summary![2]![1])).toBe(423);
    expect(seconds(byQueue![1]![2])).toBe(62);

    const sheet1 = execFileSync('unzip', ['-p', book, 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' });
    // The header row stays on screen while the rows scroll; the columns are sized to what they hold.
    expect(sheet1).toMatch(/<pane [^>]*ySplit="1"[^>]*state="frozen"/);
    expect(sheet1).toMatch(/<col [^>]*width="/);
    const styles = execFileSync('unzip', ['-p', book, 'xl/styles.xml'], { encoding: 'utf8' });
    expect(styles).toContain('formatCode="[m]:ss"');
  });

  it('of the dashboard: the headers of the screen, the figures as numbers', async () => {
    const blob = await toXlsx(dashboardTables(dashboard, tr('zh-CN'), 'zh-CN', 'clock'));
    const sheets = await readExcelFile(Buffer.from(await blob.arrayBuffer()));
    const clerks = sheets.find((s) => s.sheet === '人员效能')!.data;
    expect(clerks[0]).toEqual(['工作人员', '已完成', '平均办理（分:秒）', '在岗（分:秒）', '空闲（分:秒）']);
    expect(clerks[1]![0]).toBe('王丽');
    expect(clerks[1]![1]).toBe(2);
    expect(clerks[1]!.slice(2).every((v) => v instanceof Date)).toBe(true);
    const perHour = sheets.find((s) => s.sheet === '分时段')!.data;
    expect(perHour[1]).toEqual(['10:00–11:00', 3, 0, 0]);
  });
});
