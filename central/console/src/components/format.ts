/** Dates and times as the console shows them: the browser's own time zone, 24-hour, no seconds. */
const pad = (n: number) => String(n).padStart(2, '0');

export function dateTime(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A calendar date (YYYY-MM-DD) stays as it is; a timestamp shows its local date. */
export function dateOnly(iso: string | null): string {
  if (!iso) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  return dateTime(iso).slice(0, 10);
}

/** Today in the browser's time zone as YYYY-MM-DD. */
export function todayIso(): string {
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export const percent = (rate: number | null) => (rate === null ? null : `${(rate * 100).toFixed(1)}%`);

/** One step of a case's or an item's history as the timeline shows it. */
export interface HistoryLine {
  at: string;
  action: string;
  from: string | null;
  to: string;
  actor: string | null;
  note: string | null;
}
