/** One exported table: a sheet of the workbook, a section of the CSV. */
export interface ExportTable {
  title: string;
  headers: string[];
  rows: (string | number | null)[][];
}
