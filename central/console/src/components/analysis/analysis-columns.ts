import type { Analysis, AnalysisRow } from '@shared/console/analysis';
import { clockText, type Cell, type DurationUnit, type ExportTable } from '@shared/export/table';

type T = (key: string, params?: Record<string, unknown>) => string;

/** How a figure reads: a count, a share (shown as a percentage), a length of time, working days (±). */
export type ColumnKind = 'count' | 'rate' | 'seconds' | 'days';
export type ColumnGroup = 'cases' | 'tickets' | 'ratings' | 'feedback';
export type RankingTable = 'halls' | 'departments';

export interface AnalysisColumn {
  /** Its sort key and the name of its words (`analysis.col.<key>`). */
  key: string;
  group: ColumnGroup;
  kind: ColumnKind;
  value: (r: AnalysisRow) => number | null;
}

/** Every figure of a ranking, in the order the table shows them under their group. */
export const COLUMNS: readonly AnalysisColumn[] = [
  { key: 'casesAccepted', group: 'cases', kind: 'count', value: (r) => r.cases.accepted },
  { key: 'casesCompleted', group: 'cases', kind: 'count', value: (r) => r.cases.completed },
  { key: 'casesOverdue', group: 'cases', kind: 'count', value: (r) => r.cases.overdue },
  { key: 'casesAgainstPromise', group: 'cases', kind: 'days', value: (r) => r.cases.daysAgainstPromise },
  { key: 'ticketsIssued', group: 'tickets', kind: 'count', value: (r) => r.tickets?.issued ?? null },
  { key: 'ticketsServed', group: 'tickets', kind: 'count', value: (r) => r.tickets?.served ?? null },
  { key: 'ticketsAvgWait', group: 'tickets', kind: 'seconds', value: (r) => r.tickets?.avgWaitSeconds ?? null },
  { key: 'ticketsP90Wait', group: 'tickets', kind: 'seconds', value: (r) => r.tickets?.p90WaitSeconds ?? null },
  { key: 'ratingsTotal', group: 'ratings', kind: 'count', value: (r) => r.ratings.total },
  { key: 'ratingsSatisfaction', group: 'ratings', kind: 'rate', value: (r) => r.ratings.satisfactionRate },
  { key: 'ratingsBad', group: 'ratings', kind: 'count', value: (r) => r.ratings.bad },
  { key: 'ratingsRectification', group: 'ratings', kind: 'rate', value: (r) => r.ratings.rectificationRate },
  { key: 'feedbackComplaints', group: 'feedback', kind: 'count', value: (r) => r.feedback.complaints },
  { key: 'feedbackReturnVisit', group: 'feedback', kind: 'rate', value: (r) => r.feedback.returnVisitRate },
];

/** A department has no queue of its own: its ranking leaves the tickets out. */
export const columnsOf = (table: RankingTable): readonly AnalysisColumn[] =>
  table === 'halls' ? COLUMNS : COLUMNS.filter((c) => c.group !== 'tickets');

/** The columns under each group's heading, in order. */
export function groupsOf(table: RankingTable): { group: ColumnGroup; columns: AnalysisColumn[] }[] {
  const groups: { group: ColumnGroup; columns: AnalysisColumn[] }[] = [];
  for (const c of columnsOf(table)) {
    const last = groups.at(-1);
    if (last?.group === c.group) last.columns.push(c);
    else groups.push({ group: c.group, columns: [c] });
  }
  return groups;
}

export interface RankingSort {
  /** `name`, or a column's key. */
  key: string;
  order: 'asc' | 'desc';
}

/**
 * The rows in the chosen order. A figure nobody has (no rating, no case timed) sorts last either way:
 * "no data" is neither the best nor the worst. Ties keep the name order, so the ranking is stable.
 */
export function sortRows(rows: readonly AnalysisRow[], sort: RankingSort): AnalysisRow[] {
  // Halls and departments are named in Chinese: in the order a Chinese reader expects, whatever the page's language.
  const byName = (a: AnalysisRow, b: AnalysisRow) => a.name.localeCompare(b.name, 'zh-CN') || a.id.localeCompare(b.id);
  const column = COLUMNS.find((c) => c.key === sort.key);
  const sign = sort.order === 'asc' ? 1 : -1;
  if (!column) return [...rows].sort((a, b) => sign * byName(a, b));
  return [...rows].sort((a, b) => {
    const [x, y] = [column.value(a), column.value(b)];
    if (x === null || y === null) return x === y ? byName(a, b) : x === null ? 1 : -1;
    return sign * (x - y) || byName(a, b);
  });
}

/** A figure as the table shows it: 66.7%, 7:03, +2.5 working days; — for none. */
export function shown(kind: ColumnKind, v: number | null): string {
  if (v === null) return '—';
  if (kind === 'rate') return `${(v * 100).toFixed(1)}%`;
  if (kind === 'seconds') return clockText(v);
  if (kind === 'days') return `${v > 0 ? '+' : ''}${v.toFixed(1)}`;
  return String(v);
}

/** A figure as a spreadsheet takes it: a percentage number, a duration (see `Duration`), a number. */
function cell(kind: ColumnKind, v: number | null): Cell {
  if (v === null) return null;
  if (kind === 'rate') return Math.round(v * 1000) / 10;
  if (kind === 'seconds') return { seconds: v };
  return v;
}

/** What the figures mean, under the tables and in the exports. */
export const NOTES = ['againstPromiseNote', 'overdueNote', 'ticketsNote', 'departmentsNote'] as const;

/**
 * The rankings as the CSV and XLSX exports hold them, each in the order shown, after a note of the range.
 * `unit`: what the headers call a duration's unit: seconds in a CSV, minutes and seconds in an XLSX.
 */
export function analysisTables(
  a: Analysis,
  rows: Record<RankingTable, readonly AnalysisRow[]>,
  t: T,
  unit: DurationUnit,
  generatedAt: string,
): ExportTable[] {
  const header = (c: AnalysisColumn) => {
    const label = t('analysis.fullLabel', { group: t(`analysis.group.${c.group}`), label: t(`analysis.col.${c.key}`) });
    if (c.kind === 'rate') return `${label}${t('analysis.unit.percent')}`;
    if (c.kind === 'seconds') return `${label}${t(`analysis.unit.${unit}`)}`;
    return label;
  };
  const ranking = (table: RankingTable): ExportTable => {
    const columns = columnsOf(table);
    const named = table === 'halls' ? [t('analysis.hall'), t('analysis.code')] : [t('analysis.department')];
    return {
      title: t(`analysis.${table}Title`),
      headers: [t('analysis.rank'), ...named, ...columns.map(header)],
      rows: rows[table].map((r, i) => [
        i + 1,
        ...(table === 'halls' ? [r.name, r.code] : [r.name]),
        ...columns.map((c) => cell(c.kind, c.value(r))),
      ]),
    };
  };
  return [
    {
      title: t('analysis.about'),
      headers: [t('analysis.item'), t('analysis.value')],
      rows: [
        [t('analysis.range'), `${a.from} – ${a.to}`],
        [t('analysis.generated'), generatedAt],
        ...NOTES.map((note): Cell[] => [t('analysis.note'), t(`analysis.${note}`)]),
      ],
    },
    ranking('halls'),
    ranking('departments'),
  ];
}
