import { describe, expect, it } from 'vitest';
import type { IntakeStats } from '@shared/api';
import { analysisQuerySchema, type AnalysisRow } from '@shared/console/analysis';
import { analysisFiguresOf, promiseMargin } from '@shared/console/analysis-figures';
import { toCsv } from '@shared/export/csv';
import { intakeStatsOf } from '@shared/intake/intake-stats';
import { analysisTables, COLUMNS, sortRows } from '../../central/console/src/components/analysis/analysis-columns';
import enUS from '../../central/console/src/i18n/en-US';
import zhCN from '../../central/console/src/i18n/zh-CN';

const HALL = '0b9c3d2e-4f5a-4b6c-8d7e-9f0a1b2c3d4e';
const issues = (q: Record<string, string>) =>
  analysisQuerySchema
    .safeParse(q)
    .error?.issues.map((i) => ({ path: i.path.join('.'), params: 'params' in i ? i.params : undefined }));

describe('the analysis query', () => {
  it('takes a range of at most 366 days, both ends counted, and hall ids comma-separated', () => {
    expect(analysisQuerySchema.parse({ from: '2028-01-01', to: '2028-12-31' })).toEqual({
      from: '2028-01-01',
      to: '2028-12-31',
    });
    expect(analysisQuerySchema.parse({ from: '2026-03-01', to: '2026-03-01', hallIds: `${HALL},` }).hallIds).toEqual([
      HALL,
    ]);
    expect(issues({ from: '2025-02-28', to: '2026-03-01' })).toEqual([{ path: 'to', params: { reason: 'tooLong' } }]);
    expect(issues({ from: '2026-03-02', to: '2026-03-01' })).toEqual([
      { path: 'from', params: { reason: 'fromAfterTo' } },
    ]);
    expect(issues({ from: '2026-03-01', to: '2026-03-02', hallIds: 'x' })).toEqual([
      { path: 'hallIds.0', params: undefined },
    ]);
    expect(issues({ from: '2026-03-01', to: '2026-03-02', hallIds: ',' })).toEqual([
      { path: 'hallIds', params: undefined },
    ]);
  });
});

const intake = (states: Record<string, number>, levels: Record<number, number> = {}): IntakeStats =>
  intakeStatsOf({
    casesByState: Object.entries(states).map(([state, count]) => ({ state, count })),
    casesByMatter: [],
    overdue: [],
    feedbackByKindStatus: [{ kind: 'complaint', status: 'open', count: 2 }],
    returnVisits: { scheduled: 0, scheduledDone: 0, done: 0 },
    ratingsByLevel: Object.entries(levels).map(([level, count]) => ({ level: Number(level), count })),
    rectification: [],
  });
const rules = { bad: 0, rectified: 0, revisitDue: 0, revisited: 0 };

describe('the analysis figures', () => {
  it('count as accepted every case but a draft, a 一次性告知 and a refusal; satisfied is not a 差评', () => {
    const f = analysisFiguresOf({
      intake: intake({ draft: 1, notice_issued: 2, rejected: 1, dispatched: 3, completed: 2 }, { 5: 2, 3: 1, 1: 1 }),
      overdue: 1,
      promise: { timed: 0, daysAgainstPromise: null },
      tickets: null,
      rules: { bad: 2, rectified: 1, revisitDue: 4, revisited: 3 },
    });
    expect(f.cases).toMatchObject({ accepted: 5, completed: 2, overdue: 1 });
    expect(f.ratings).toEqual({
      total: 4,
      satisfied: 3,
      satisfactionRate: 0.75,
      bad: 2,
      rectified: 1,
      rectificationRate: 0.5,
    });
    expect(f.feedback).toEqual({ complaints: 2, revisitDue: 4, revisited: 3, returnVisitRate: 0.75 });
    expect(f.tickets).toBeNull();
  });

  it('average working days against the promise by each hall’s calendar, to one decimal', () => {
    // Hall B has Wednesday 4 March 2026 off; hall A works it.
    const calendar = (hallId: string) => [{ year: 2026, holidays: hallId === 'B' ? ['2026-03-04'] : [], workdays: [] }];
    const rows = [
      // Completed Monday, promised Thursday: 3 working days early in A, 2 in B.
      { hallId: 'A', promisedDate: '2026-03-05', completedOn: '2026-03-02', count: 2 },
      { hallId: 'B', promisedDate: '2026-03-05', completedOn: '2026-03-02', count: 1 },
      // Completed the Monday after a Friday promise: one working day late.
      { hallId: 'A', promisedDate: '2026-03-06', completedOn: '2026-03-09', count: 1 },
    ];
    expect(promiseMargin(rows, calendar)).toEqual({ timed: 4, daysAgainstPromise: 1.8 });
    expect(promiseMargin([], calendar)).toEqual({ timed: 0, daysAgainstPromise: null });
  });
});

const row = (name: string, avgWait: number | null, accepted: number): AnalysisRow => ({
  id: name,
  code: null,
  name,
  ...analysisFiguresOf({
    intake: intake({ dispatched: accepted }),
    overdue: 0,
    promise: { timed: 0, daysAgainstPromise: null },
    tickets: null,
    rules,
  }),
  tickets: { issued: 1, served: 1, waited: 1, avgWaitSeconds: avgWait, p90WaitSeconds: avgWait },
});

describe('the rankings', () => {
  const rows = [row('乙厅', 300, 2), row('甲厅', null, 2), row('丙厅', 600, 5)];
  const names = (key: string, order: 'asc' | 'desc') => sortRows(rows, { key, order }).map((r) => r.name);

  // By pinyin: 丙 bǐng, 甲 jiǎ, 乙 yǐ.
  it('sort by any figure either way, a figure nobody has last, ties by name', () => {
    expect(names('ticketsAvgWait', 'desc')).toEqual(['丙厅', '乙厅', '甲厅']);
    expect(names('ticketsAvgWait', 'asc')).toEqual(['乙厅', '丙厅', '甲厅']);
    expect(names('casesAccepted', 'desc')).toEqual(['丙厅', '甲厅', '乙厅']);
    expect(names('name', 'asc')).toEqual(['丙厅', '甲厅', '乙厅']);
  });

  it('export in the order shown, a text cell that looks like a formula as text', () => {
    const evil = { ...row('=HYPERLINK("x")', 60, 1), code: '+A1' };
    const tables = analysisTables(
      { from: '2026-03-01', to: '2026-03-31', generatedAt: '2026-03-31T08:00:00.000Z', halls: [evil], departments: [] },
      { halls: [evil], departments: [] },
      (key, params) => `${key}${params ? JSON.stringify(params) : ''}`,
      'seconds',
      '2026-03-31 16:00',
    );
    const line = toCsv(tables)
      .split('\r\n')
      .find((l) => l.startsWith('1,'))!;
    expect(line).toBe('1,"\'=HYPERLINK(""x"")","\'+A1",1,0,0,,1,1,60,60,0,,0,,2,');
  });

  it('have words for every figure and refusal in both languages', () => {
    for (const m of [zhCN, enUS]) {
      expect(Object.keys(m.analysis.col).sort()).toEqual(COLUMNS.map((c) => c.key).sort());
      expect(Object.keys(m.analysis.invalid)).toEqual(expect.arrayContaining(['fromAfterTo', 'tooLong']));
    }
  });
});
