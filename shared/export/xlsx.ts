import writeExcelFile, { type Cell as SheetCell } from 'write-excel-file/universal';
import { clockText, isDuration, type Cell, type ExportTable } from './table';

/** Excel keeps a length of time as a fraction of a day. */
const SECONDS_PER_DAY = 86_400;
/** Elapsed minutes and seconds, as the screen shows them: a 75-minute wait is 75:00, not 1:15. */
const DURATION_FORMAT = '[m]:ss';
/** Column widths in characters: a short header fits; one long name does not push the other columns off screen. */
const MIN_WIDTH = 8;
const MAX_WIDTH = 60;

function sheetCell(v: Cell): SheetCell {
  if (isDuration(v)) return { value: Math.round(v.seconds) / SECONDS_PER_DAY, type: Number, format: DURATION_FORMAT };
  return v;
}

/** How many character widths a value takes: Chinese characters are two wide, as in Excel. */
function widthOf(v: Cell): number {
  const text = v === null ? '' : isDuration(v) ? clockText(v.seconds) : String(v);
  const lineWidth = (line: string) => [...line].reduce((n, ch) => n + (ch.codePointAt(0)! >= 0x2e80 ? 2 : 1), 0);
  return Math.max(0, ...text.split('\n').map(lineWidth));
}

/** Sheet names: at most 31 characters, none of []:*?/\, unique in the workbook. */
function sheetNames(tables: ExportTable[]): string[] {
  const used = new Set<string>();
  return tables.map((t, i) => {
    let name = t.title.replace(/[[\]:*?/\\]/g, ' ').slice(0, 28) || `Sheet${i + 1}`;
    while (used.has(name)) name = `${name.slice(0, 26)}~${i + 1}`;
    used.add(name);
    return name;
  });
}

/**
 * An XLSX workbook, one sheet a table: its header row bold and frozen, its columns sized to what they hold,
 * figures as numbers and durations as time values (the sheet's name is the table's title).
 */
export function toXlsx(tables: ExportTable[]): Promise<Blob> {
  const names = sheetNames(tables);
  return writeExcelFile(
    tables.map((table, i) => ({
      sheet: names[i],
      data: [
        table.headers.map((h) => ({ value: h, fontWeight: 'bold' as const })),
        ...table.rows.map((row) => row.map(sheetCell)),
      ],
      stickyRowsCount: 1,
      columns: table.headers.map((header, c) => ({
        width: Math.min(
          MAX_WIDTH,
          Math.max(MIN_WIDTH, ...[header, ...table.rows.map((r) => r[c] ?? null)].map(widthOf)) + 2,
        ),
      })),
    })),
  ).toBlob();
}
