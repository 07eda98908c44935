/**
 * The sheets the merge adds: what 重点任务落实 holds (one row per task and department,
 * task cells merged down), how the bodies are written as XML, and Excel's cell limit.
 */
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { mkdtempSync } from 'node:fs';
import zlib from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DepartmentStatus } from '../src/model.js';
import { fillBody, rowHeights, type Table } from '../src/template/body.js';
import { graftGenerated } from '../src/template/graft.js';
import { XlsxPackage } from '../src/xlsx/package.js';
import { NO_TASK_TEXT, addTableFrame, summaryTables } from '../src/template/sheets.js';
import { StyleBook } from '../src/xlsx/styles.js';
import { buildTemplate, templateDate } from '../src/template/default.js';
import { CELL_LIMIT, TRUNCATION_MARK, fitCell } from '../src/text/labels.js';
import { workbookBytes, writeMergedWorkbook } from '../src/template/write.js';
import { parseXml, type Document } from '../src/xlsx/xml.js';
import { tableCrc32 } from '../src/xlsx/zip.js';
import { finishXlsx } from '../src/xlsx/package.js';
import { makeStatus, makeSubmission, testCampaign } from './fixtures/templates/helpers.js';

const campaign = testCampaign(); // tasks: 1 → market; 2 → market, cyberspace; 3 → all
const FILL_DATE = '2024-11-12';
const LONG = '网'.repeat(CELL_LIMIT + 5000);

function statuses(): DepartmentStatus[] {
  return [
    makeStatus(campaign, 'market', 'submitted', makeSubmission('market', { cases_filed: 1 }, {
      tasks: new Map([[3, '开展普法宣传 3 场。']]),
      cases: [{ title: '长案', task: 3, date: '2024-08-01', summary: LONG, exposed: false }],
      summary: LONG,
    })),
    makeStatus(campaign, 'cyberspace', 'submitted', makeSubmission('cyberspace', { cases_filed: 2 }, { tasks: new Map([[2, '监测网店 120 家。']]) })),
    makeStatus(campaign, 'police', 'submitted', makeSubmission('police', { cases_filed: 3 }, { tasks: new Map([[1, '协助核查。'], [3, LONG]]) })),
    makeStatus(campaign, 'culture_tourism', 'missing'),
    makeStatus(campaign, 'forestry', 'missing'),
    makeStatus(campaign, 'commerce', 'submitted', makeSubmission('commerce', { cases_filed: 0 })),
    makeStatus(campaign, 'tax', 'missing'),
  ];
}

describe('fitCell', () => {
  it('keeps a text up to the limit and cuts a longer one to the limit, with a visible mark', () => {
    expect(fitCell('短')).toBe('短');
    expect(fitCell('a'.repeat(CELL_LIMIT))).toHaveLength(CELL_LIMIT);
    const cut = fitCell(LONG);
    expect(cut).toHaveLength(CELL_LIMIT);
    expect(cut.endsWith(TRUNCATION_MARK)).toBe(true);
    expect(cut.startsWith('网网网')).toBe(true);
  });

  it('never splits a character outside the BMP', () => {
    const emoji = '😀'.repeat(CELL_LIMIT); // two code units each
    const cut = fitCell(emoji);
    expect(cut.length).toBeLessThanOrEqual(CELL_LIMIT);
    expect(cut.slice(0, -TRUNCATION_MARK.length)).toMatch(/^(?:😀)+$/u);
  });
});

describe('重点任务落实', () => {
  const table = () => summaryTables(campaign, statuses()).find((t) => t.name === '重点任务落实') as Table;

  it('has one row per task and department that wrote about it, the task on each of its rows', () => {
    const { rows } = table();
    expect(rows.map((r) => [r[0], r[4]])).toEqual([
      [1, '区公安分局'], [1, undefined], // a non-responsible writer, then who was due
      [2, '区委网信办'],
      [3, '区市场监管局'], [3, '区公安分局'],
    ]);
    expect(rows[1]).toEqual([1, expect.any(String), '严把网络经营主体登记关', '区市场监管局', undefined, NO_TASK_TEXT, '区市场监管局']);
    expect(rows[0]?.[6]).toBe('区市场监管局');
    expect(rows[2]?.slice(3)).toEqual(['区市场监管局、区委网信办', '区委网信办', '监测网店 120 家。', '区市场监管局']);
    expect(rows[3]?.[3]).toBe('各有关单位'); // never a list of every unit
    expect(rows[3]?.[6]).toBe('区委网信办、区文化旅游体育局（未报送）、区林业局（未报送）、区商务局、区税务局（未报送）');
  });

  it('says so when nobody responsible wrote, and merges no task over its rows', () => {
    const only = summaryTables(campaign, [makeStatus(campaign, 'market', 'missing')]).find((t) => t.name === '重点任务落实') as Table;
    expect(only.rows).toHaveLength(3);
    expect(only.rows[0]).toEqual([1, expect.any(String), '严把网络经营主体登记关', '区市场监管局', undefined, NO_TASK_TEXT, '区市场监管局（未报送）']);
    expect(table().merges ?? []).toEqual([]);
  });

  it('grows the last row of a merge whose text does not fit its rows', () => {
    const t: Table = {
      name: 't', title: 't', columns: [{ header: 'a', width: 10 }, { header: 'b', width: 10 }],
      rows: [['很长'.repeat(40), 'x'], [undefined, 'y']], merges: [{ col: 0, first: 0, last: 1 }],
    };
    const [a = 0, b = 0] = rowHeights(t);
    expect(a).toBe(rowHeights({ ...t, rows: [['', 'x']], merges: [] })[0]);
    expect(a + b).toBeGreaterThanOrEqual(rowHeights({ ...t, rows: [[t.rows[0]?.[0], '']], merges: [] })[0] ?? Infinity);
  });
});

/** The XML a body makes, all of it (the zip writer takes it block by block). */
const made = (chunks: () => Iterable<Uint8Array>) => Buffer.concat([...chunks()]).toString('utf8');

describe('fillBody', () => {
  const frame =
    '<worksheet><dimension ref="A1:B3"/><sheetData><row r="1"><c r="A1" s="1" t="s"><v>0</v></c></row>' +
    '<row r="2" ht="28"><c r="A2" s="2"/><c r="B2" s="2"/></row><row r="3" spans="1:2"><c r="A3" s="7"/><c r="B3" s="8"/></row></sheetData>' +
    '<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells><pageMargins/></worksheet>';
  const table: Table = {
    name: 't', title: 't', columns: [{ header: 'a', width: 10 }, { header: 'b', width: 20 }],
    rows: [[1, ' <a & b> '], [undefined, '=SUM(A1)\u0001'], [2.5, '']],
    merges: [{ col: 0, first: 0, last: 1 }],
  };

  it('replaces the styled row with the body, keeping each column\'s style, and adds merges', () => {
    const xml = made(fillBody(parseXml(frame), table));
    expect(xml).toContain('<dimension ref="A1:B5"/>');
    expect(xml).toContain('<row r="3" ht="24" customHeight="1"><c r="A3" s="7"><v>1</v></c><c r="B3" s="8" t="inlineStr"><is><t xml:space="preserve"> &lt;a &amp; b&gt; </t></is></c></row>');
    expect(xml).toContain('<c r="A4" s="7"/><c r="B4" s="8" t="inlineStr"><is><t>=SUM(A1)</t></is></c>');
    expect(xml).toContain('<c r="A5" s="7"><v>2.5</v></c><c r="B5" s="8"/></row></sheetData>');
    expect(xml).toContain('<mergeCells count="2"><mergeCell ref="A1:B1"/><mergeCell ref="A3:A4"/></mergeCells>');
    expect(xml).not.toContain('spans="1:2"');
  });

  it('adds mergeCells where CT_Worksheet puts it when the frame has none', () => {
    const bare = frame.replace('<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>', '<sheetProtection sheet="1"/>');
    const xml = made(fillBody(parseXml(bare), table));
    expect(xml).toContain('</sheetData><sheetProtection sheet="1"/><mergeCells count="1"><mergeCell ref="A3:A4"/></mergeCells><pageMargins/>');
  });

  it('leaves only the header when the table is empty', () => {
    const xml = made(fillBody(parseXml(frame), { ...table, rows: [], merges: [] }));
    expect(xml).toContain('<dimension ref="A1:B2"/>');
    expect(xml).toMatch(/<\/row><\/sheetData>/);
    expect(xml).not.toContain('<row r="3"');
  });

  it('writes odd characters, long texts and empty figures as the plain rules do, in blocks of any size', () => {
    // The rules, written the slow and obvious way: drop what XML cannot hold, escape markup, keep
    // white space at either end, count lines paragraph by paragraph, and encode the whole string.
    const plainCell = (ref: string, s: number, v: string | number | undefined) => {
      if (typeof v === 'number') return `<c r="${ref}" s="${s}"><v>${v}</v></c>`;
      if (v === undefined || v === '') return `<c r="${ref}" s="${s}"/>`;
      const text = fitCell(v).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      return `<c r="${ref}" s="${s}" t="inlineStr"><is><t${/^\s|\s$/.test(text) ? ' xml:space="preserve"' : ''}>${text}</t></is></c>`;
    };
    const plainLines = (text: string, width: number) =>
      text.split('\n').reduce((n, p) => n + Math.max(1, Math.ceil([...p].reduce((u, ch) => u + (ch.charCodeAt(0) <= 0xff ? 1.1 : 2.2), 0) / Math.max(1, width))), 0);
    const odd = [
      '', ' ', '\u3000全角空格开头', '结尾全角空格\u3000', '换行\n\n两段\n', '\t制表', 'a&b<c>d', '控制\u0001\u001f字符\ufffe', '😀表情𠀀', '孤\ud800代理', '\ud83d', 'x'.repeat(100),
      '网'.repeat(CELL_LIMIT + 10), // cut to the cell limit
    ];
    const rows = Array.from({ length: 450 }, (_, i) => [i % 7 === 0 ? undefined : i * 0.25, odd[i % odd.length], odd[(i * 5) % odd.length]]);
    rows.push(['网'.repeat(CELL_LIMIT), '网'.repeat(CELL_LIMIT), '网'.repeat(CELL_LIMIT)].map((v, j) => (j === 0 ? 0 : v))); // a row far bigger than a block's first buffer
    const wide: Table = { name: 't', title: 't', columns: [{ header: 'a', width: 6 }, { header: 'b', width: 30 }, { header: 'c', width: 60 }], rows };
    const threeColumns = frame.replace('<c r="B3" s="8"/>', '<c r="B3" s="8"/><c r="C3" s="9"/>');
    const xml = made(fillBody(parseXml(threeColumns), wide));

    let expected = '';
    rows.forEach((values, i) => {
      const r = 3 + i;
      const lines = Math.max(1, ...values.map((v, j) => (typeof v === 'string' && v !== '' ? plainLines(v, (wide.columns[j]?.width ?? 0) - 1) : 1)));
      expected += `<row r="${r}" ht="${Math.min(409, Math.max(24, lines * 15 + 8))}" customHeight="1">`;
      expected += values.map((v, j) => plainCell(`${'ABC'[j]}${r}`, [7, 8, 9][j] ?? 0, v)).join('') + '</row>';
    });
    const body = xml.slice(xml.indexOf('<row r="3" '), xml.indexOf('</sheetData>'));
    expect(Buffer.from(body, 'utf8').equals(Buffer.from(expected, 'utf8'))).toBe(true);
  });
});

describe('the progress of the added sheets', () => {
  it('counts rows as their blocks are made for the zip, not when the sheets are added', async () => {
    const cases = Array.from({ length: 450 }, (_, i) => ({ title: `案例${i}`, task: 1, date: '2024-08-01', summary: '案情', exposed: false }));
    const tables = summaryTables(campaign, [makeStatus(campaign, 'market', 'submitted', makeSubmission('market', { cases_filed: 1 }, { cases }))]);
    const wb = new ExcelJS.Workbook();
    const names = tables.map((table) => addTableFrame(wb, table));
    const scratch = XlsxPackage.load(new Uint8Array(await wb.xlsx.writeBuffer({ zip: { compression: 'STORE' } })));
    const pkg = XlsxPackage.load(await workbookBytes(buildTemplate(campaign), templateDate(campaign)));
    const book = pkg.workbookName() as string;
    const told: number[] = [];
    graftGenerated(pkg, book, new StyleBook(pkg.doc('xl/styles.xml') as Document), { scratch, tables: names.map((name, i) => ({ name, table: tables[i] as Table })) }, (done) => told.push(done));
    expect(told).toEqual([]); // nothing is written yet
    await pkg.toBytes(new Date('2024-11-12T00:00:00+08:00'));
    const total = tables.reduce((n, table) => n + table.rows.length, 0);
    expect(told.length).toBeGreaterThan(tables.length); // 典型案例's 450 rows in blocks
    expect(told.at(-1)).toBe(total);
    told.forEach((done, i) => expect(done).toBeGreaterThan(told[i - 1] ?? 0));
  });
});

describe('text longer than a cell holds, in the merged workbook', () => {
  let wb: ExcelJS.Workbook;
  beforeAll(async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'report-wb-')), '汇总.xlsx');
    await writeMergedWorkbook({ campaign, statuses: statuses(), outPath: out, fillDate: FILL_DATE });
    wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
  });

  it('is cut to the limit with the mark, wherever it is', () => {
    const cells = [
      wb.getWorksheet('典型案例')?.getCell(3, 7),
      wb.getWorksheet('重点任务落实')?.getCell(7, 6),
      wb.getWorksheet('工作总结')?.getCell(3, 2),
    ];
    for (const cell of cells) {
      const text = String(cell?.value);
      expect(text, cell?.address).toHaveLength(CELL_LIMIT);
      expect(text.endsWith(TRUNCATION_MARK), cell?.address).toBe(true);
    }
    // Every string cell of every sheet is within the limit.
    for (const ws of wb.worksheets) {
      ws.eachRow((row) => row.eachCell((cell) => expect(String(cell.value ?? '').length).toBeLessThanOrEqual(CELL_LIMIT)));
    }
  });

  it('repeats a task on each of its rows, merging none: a block split by a page break still names its task', () => {
    const ws = wb.getWorksheet('重点任务落实')!;
    expect(ws.model.merges.filter((m) => !/^A1:/.test(m))).toEqual([]);
    expect(ws.getCell(4, 6).value).toBe(NO_TASK_TEXT);
    for (const col of [1, 2, 3, 4, 7]) expect(ws.getCell(4, col).value, `column ${col}`).toEqual(ws.getCell(3, col).value);
  });
});

describe('finishXlsx writes the package itself', () => {
  it('deflates every entry once, with checksums a zip reader accepts and one fixed date', async () => {
    const source = new JSZip();
    source.file('a.xml', '<a>网</a>'.repeat(1000));
    source.file('b/c.xml', '');
    const stored = await source.generateAsync({ type: 'uint8array', compression: 'STORE' });
    const date = new Date('2024-11-12T00:00:00+08:00');
    const bytes = await finishXlsx(stored, date);
    expect(bytes.length).toBeLessThan(stored.length);
    const zip = await JSZip.loadAsync(bytes, { checkCRC32: true });
    expect(await zip.file('a.xml')?.async('string')).toBe('<a>网</a>'.repeat(1000));
    expect(await zip.file('b/c.xml')?.async('string')).toBe('');
    for (const f of Object.values(zip.files)) expect(f.date.getTime()).toBe(date.getTime());
    expect(Buffer.compare(bytes, await finishXlsx(stored, date))).toBe(0);
  });

  it('has a CRC-32 of its own for Node versions without zlib.crc32', () => {
    for (const s of ['', 'a', '网'.repeat(999)]) expect(tableCrc32(Buffer.from(s))).toBe(zlib.crc32(Buffer.from(s)));
  });
});
