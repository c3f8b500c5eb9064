import { isDuration, type Cell, type ExportTable } from './table';

/**
 * What a spreadsheet takes for a formula at the start of a cell (= + - @, and a tab or carriage return
 * before one): a name typed at a counter or a catalog entry such as `=HYPERLINK(…)` would run when the CSV
 * is opened (OWASP "CSV injection"). Numbers are written as numbers and never match: −3 stays a number.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

const text = (v: Cell): string => {
  if (v === null) return '';
  if (isDuration(v)) return String(Math.round(v.seconds));
  if (typeof v === 'number') return String(v);
  // A leading apostrophe makes the cell text in Excel, WPS and LibreOffice; the quotes keep it one cell.
  const s = FORMULA_START.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) || s !== v ? `"${s.replaceAll('"', '""')}"` : s;
};

/**
 * The tables one after another, each under its title and separated by a blank line, CRLF line ends and a
 * UTF-8 byte order mark, so Excel on a Chinese Windows opens the characters as written. Durations are
 * whole seconds: the tables for a CSV say so in their headers (`DurationUnit` 'seconds'). A text that a
 * spreadsheet would read as a formula is written as text (see FORMULA_START).
 */
export function toCsv(tables: ExportTable[]): string {
  const lines: string[] = [];
  tables.forEach((table, i) => {
    if (i > 0) lines.push('');
    lines.push(text(table.title), table.headers.map(text).join(','));
    for (const row of table.rows) lines.push(row.map(text).join(','));
  });
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
