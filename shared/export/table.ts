/** Columns that share a title on screen and paper (a two-row header); exports keep the flat headers. */
export interface ColumnGroup {
  title: string;
  /** Index of the group's first column. */
  from: number;
  /** The short labels of its columns under the title. */
  labels: string[];
}

/**
 * A length of time: m:ss on screen and paper, whole seconds in a CSV (Excel would read 7:03 as a time of
 * day), a time value with a duration format in an XLSX.
 */
export interface Duration {
  seconds: number;
}

export type Cell = string | number | null | Duration;

export const isDuration = (cell: Cell): cell is Duration => typeof cell === 'object' && cell !== null;

/** How headers name the unit of durations: minutes and seconds (screen, paper, XLSX) or seconds (CSV). */
export type DurationUnit = 'clock' | 'seconds';

/** One exported table: a sheet of the workbook, a section of the CSV. */
export interface ExportTable {
  title: string;
  headers: string[];
  rows: Cell[][];
  groups?: ColumnGroup[];
}

/** Seconds as m:ss: a one-second service reads 0:01, not 0 minutes, and the counter's 1分5秒 is 1:05. */
export function clockText(seconds: number): string {
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}
