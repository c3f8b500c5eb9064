import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { toCsv } from '../../renderer/src/export/csv';
import { toXlsx } from '../../renderer/src/export/xlsx';
import { crc32, zip } from '../../renderer/src/export/zip';
import { tempDir } from '../fixtures/temp-dir';

const tmp = tempDir('ow-export-');
afterEach(() => fs.rmSync(path.join(tmp.dir, 'out'), { recursive: true, force: true }));

const tables = [
  {
    title: '概况',
    headers: ['项目', '数值'],
    rows: [
      ['取号', 12],
      ['说明', 'a "quoted", line\nbreak'],
      ['空', null],
    ],
  },
  { title: '按业务队列', headers: ['业务', '取号'], rows: [['综合受理 <A&B>', 3]] },
];

describe('export writers', () => {
  it('CSV: BOM, CRLF, quoting of commas, quotes and line breaks, blank line between tables', () => {
    expect(toCsv(tables)).toBe(
      '\uFEFF概况\r\n项目,数值\r\n取号,12\r\n说明,"a ""quoted"", line\nbreak"\r\n空,\r\n\r\n按业务队列\r\n业务,取号\r\n综合受理 <A&B>,3\r\n',
    );
  });

  it('CRC-32 of the standard check string', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('ZIP and XLSX that unzip reads back byte for byte', () => {
    const dir = path.join(tmp.dir, 'out');
    fs.mkdirSync(dir);
    const archive = path.join(dir, 'a.zip');
    fs.writeFileSync(archive, zip([{ name: 'dir/file.txt', data: new TextEncoder().encode('一窗通') }]));
    expect(execFileSync('unzip', ['-p', archive, 'dir/file.txt'], { encoding: 'utf8' })).toBe('一窗通');

    const book = path.join(dir, 'b.xlsx');
    fs.writeFileSync(book, toXlsx(tables));
    execFileSync('unzip', ['-tq', book]);
    const sheet2 = execFileSync('unzip', ['-p', book, 'xl/worksheets/sheet2.xml'], { encoding: 'utf8' });
    expect(sheet2).toContain('<t xml:space="preserve">综合受理 &lt;A&amp;B&gt;</t>');
    expect(sheet2).toContain('<c r="B3"><v>3</v></c>');
    const sheet1 = execFileSync('unzip', ['-p', book, 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' });
    expect(sheet1).toContain('<c r="B5"/>');
    expect(execFileSync('unzip', ['-p', book, 'xl/workbook.xml'], { encoding: 'utf8' })).toContain(
      '<sheet name="按业务队列" sheetId="2" r:id="rId2"/>',
    );
  });
});
