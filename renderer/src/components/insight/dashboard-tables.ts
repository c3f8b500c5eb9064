import { INSIGHT_BUCKET_EDGES, type Dashboard, type Histogram } from '@shared/api';
import { clockText, type ColumnGroup, type Duration, type DurationUnit, type ExportTable } from '@shared/export/table';

type T = (key: string, params?: Record<string, unknown>) => string;

/** A tile's duration as m:ss, as the tables show theirs. */
export const duration = (s: number | null): string | null => (s === null ? null : clockText(s));
/** A duration cell of a table (see `Duration`). */
const seconds = (s: number | null): Duration | null => (s === null ? null : { seconds: s });
export const percent = (r: number | null): number | null => (r === null ? null : Math.round(r * 1000) / 10);

/** The label of each histogram bucket: "0–5", "5–10", … "60+" minutes. */
export const bucketLabels = (): string[] =>
  INSIGHT_BUCKET_EDGES.map((edge, i) => `${i === 0 ? 0 : INSIGHT_BUCKET_EDGES[i - 1]! / 60}–${edge / 60}`).concat(
    `${INSIGHT_BUCKET_EDGES.at(-1)! / 60}+`,
  );

/** A time slot's hour, two digits. */
const hh = (hour: number) => String(hour).padStart(2, '0');

const histCells = (h: Histogram) => [h.count, seconds(h.avgSeconds), seconds(h.p50Seconds), seconds(h.p90Seconds)];

/**
 * Every number of the dashboard as tables, in the page's language: what the CSV and XLSX exports hold
 * and what the screen and the printed daily report show. `unit`: what the headers call the durations'
 * unit, 'seconds' for a CSV (which writes them as seconds), 'clock' (m:ss) everywhere else.
 */
export function dashboardTables(d: Dashboard, t: T, locale: string, unit: DurationUnit): ExportTable[] {
  const en = locale.startsWith('en');
  const unitText = t(`insight.unit.${unit}`);
  const k = (key: string, params?: Record<string, unknown>) => t(`insight.${key}`, { unit: unitText, ...params });
  /** A wait or service histogram: how many were measured, then its times; a group under one title on paper. */
  const hist = (what: 'wait' | 'service', from: number): { headers: string[]; group: ColumnGroup } => {
    const labels = [k(`col.${what}Count`), k('col.avg'), 'P50', 'P90'];
    return {
      headers: labels.map((label, i) =>
        k(i === 0 ? 'col.countOf' : 'col.durationOf', { what: k(`col.${what}`), label }),
      ),
      group: { title: k(`col.${what}Duration`), from, labels },
    };
  };
  const tables: ExportTable[] = [
    {
      title: k('table.summary'),
      headers: [k('col.item'), k('col.value')],
      rows: [
        [k('col.range'), `${d.from} – ${d.to}`],
        [k('kpi.issued'), d.tickets?.totals.issued ?? null],
        [k('kpi.called'), d.tickets?.totals.called ?? null],
        [k('kpi.served'), d.tickets?.totals.served ?? null],
        [k('kpi.noShow'), d.tickets?.totals.noShow ?? null],
        [k('kpi.noShowRate'), percent(d.tickets?.totals.noShowRate ?? null)],
        [k('kpi.avgWait'), seconds(d.tickets?.wait.avgSeconds ?? null)],
        [k('kpi.avgService'), seconds(d.tickets?.service.avgSeconds ?? null)],
        [k('kpi.cases'), d.cases.total],
        [k('kpi.overdue'), d.cases.overdue.length],
        [k('kpi.ratings'), d.ratings.total],
        [k('kpi.badRatings'), d.ratings.badTotal],
        [k('kpi.returnVisitRate'), percent(d.feedback.returnVisits.completionRate)],
      ],
    },
  ];
  if (d.tickets) {
    const s = d.tickets;
    const [queueWait, queueService] = [hist('wait', 4), hist('service', 8)];
    const [counterWait, counterService] = [hist('wait', 2), hist('service', 6)];
    tables.push(
      {
        title: k('table.perHour'),
        headers: [k('col.hour'), k('kpi.issued'), k('kpi.called'), k('kpi.served')],
        rows: s.perHour
          .filter((h) => h.issued || h.called || h.served)
          .map((h) => [`${hh(h.hour)}:00–${hh(h.hour + 1)}:00`, h.issued, h.called, h.served]),
      },
      {
        title: k('table.byQueue'),
        headers: [
          k('col.queue'),
          k('kpi.issued'),
          k('kpi.served'),
          k('kpi.noShow'),
          ...queueWait.headers,
          ...queueService.headers,
        ],
        groups: [queueWait.group, queueService.group],
        rows: s.byQueue.map((q) => [
          en ? q.nameEn : q.nameZh,
          q.issued,
          q.served,
          q.noShow,
          ...histCells(q.wait),
          ...histCells(q.service),
        ]),
      },
      {
        title: k('table.byCounter'),
        headers: [k('col.counter'), k('kpi.served'), ...counterWait.headers, ...counterService.headers],
        groups: [counterWait.group, counterService.group],
        rows: s.byCounter.map((c) => [c.name, c.served, ...histCells(c.wait), ...histCells(c.service)]),
      },
      {
        title: k('table.waitBuckets'),
        headers: [k('col.bucket'), k('col.waitCount'), k('col.serviceCount')],
        rows: bucketLabels().map((label, i) => [label, s.wait.buckets[i]!, s.service.buckets[i]!]),
      },
      {
        title: k('table.clerks'),
        headers: [k('col.clerk'), k('kpi.served'), k('col.avgService'), k('col.onDuty'), k('col.idle')],
        rows: s.clerks.map((c) => [
          c.name,
          c.served,
          seconds(c.avgServiceSeconds),
          seconds(c.onDutySeconds),
          seconds(c.idleSeconds),
        ]),
      },
    );
  }
  tables.push(
    {
      title: k('table.casesByMatter'),
      headers: [k('col.matter'), k('col.count')],
      rows: d.cases.byMatter.map((m) => [en ? m.nameEn : m.nameZh, m.count]),
    },
    {
      title: k('table.casesByStatus'),
      headers: [k('col.status'), k('col.count')],
      rows: d.cases.byStatus.map((s) => [t(`states.caseState.${s.state}`), s.count]),
    },
    {
      title: k('table.overdue'),
      headers: [k('col.caseNumber'), k('col.matter'), k('col.status'), k('col.promised')],
      rows: d.cases.overdue.map((c) => [
        c.caseNumber,
        en ? c.matterNameEn : c.matterNameZh,
        t(`states.caseState.${c.state}`),
        c.promisedDate,
      ]),
    },
    {
      title: k('table.feedback'),
      headers: [
        k('col.kind'),
        k('col.total'),
        ...d.feedback.byKind[0]!.byStatus.map((s) => t(`states.feedbackStatus.${s.status}`)),
      ],
      rows: d.feedback.byKind.map((f) => [
        t(`states.feedbackKind.${f.kind}`),
        f.total,
        ...f.byStatus.map((s) => s.count),
      ]),
    },
    {
      title: k('table.returnVisits'),
      headers: [k('col.scheduled'), k('col.done'), k('kpi.returnVisitRate')],
      rows: [
        [
          d.feedback.returnVisits.scheduled,
          d.feedback.returnVisits.done,
          percent(d.feedback.returnVisits.completionRate),
        ],
      ],
    },
    {
      title: k('table.ratings'),
      headers: [k('col.level'), k('col.count')],
      rows: d.ratings.byLevel.map((r) => [t(`states.ratingLevel.${r.level}`), r.count]),
    },
    {
      title: k('table.rectification'),
      headers: [k('col.status'), k('col.count')],
      rows: d.ratings.rectification.map((r) => [t(`states.feedbackStatus.${r.status}`), r.count]),
    },
  );
  return tables;
}
