/** Columns that share a title on screen and paper (a two-row header); exports keep the flat headers. */
export interface ColumnGroup {
  title: string;
  /** Index of the group's first column. */
  from: number;
  /** The short labels of its columns under the title. */
  labels: string[];
}

/** One exported table: a sheet of the workbook, a section of the CSV. */
export interface ExportTable {
  title: string;
  headers: string[];
  rows: (string | number | null)[][];
  groups?: ColumnGroup[];
}
