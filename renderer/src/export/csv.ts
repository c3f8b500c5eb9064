import type { ExportTable } from './table';

const cell = (v: string | number | null): string => {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/**
 * The tables one after another, each under its title and separated by a blank line, CRLF line ends and a
 * UTF-8 byte order mark, so Excel on a Chinese Windows opens the characters as written.
 */
export function toCsv(tables: ExportTable[]): string {
  const lines: string[] = [];
  tables.forEach((table, i) => {
    if (i > 0) lines.push('');
    lines.push(cell(table.title), table.headers.map(cell).join(','));
    for (const row of table.rows) lines.push(row.map(cell).join(','));
  });
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
