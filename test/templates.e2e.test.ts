/**
 * The template corpus end to end (test/fixtures/templates: made by openpyxl, saved by
 * LibreOffice, hand-edited for WPS and Excel specifics; see the generator scripts there).
 * For each template the built CLI merges test/fixtures/merge-full (every department with a
 * non-zero figure in every column, 区林业局 missing in a middle row, 区税务局 late in the
 * last) and the test checks what a clerk would: the figures in the cells where the template
 * puts them, the totals after LibreOffice recalculates every formula, and that everything
 * else — cells, styles, merges, heights, widths, notes, drawing anchors, chart ranges,
 * validations, formats, protection, print settings, names, other parts — is as issued, or
 * moved exactly with the inserted rows.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { ORDER, figures } from './fixtures/merge-full-figures.mjs';
import { runCli, tempDir, type CliResult } from './helpers/exec.js';
import { fixture, REPO } from './helpers/paths.js';

const DEFAULT_TEMPLATE = join(REPO, 'templates', 'hsq_2024_wlsc.xlsx');
import { parseCsv } from './helpers/csv.js';
import {
  NO_MOVE, definedNames, expectAnchorsMoved, expectChartMoved, expectNotesMoved, expectPartsKept, expectSettingsKept,
  expectSheetKept, expectedShift, loadWithExceljs, parts, readSheet, valueOf, type Move,
} from './helpers/workbook-compare.js';

const AS_OF = ['--as-of', '2024-11-15T09:00+08:00'];
const DIR = fixture('merge-full');
const IDS = ['inspectors', 'platforms_checked', 'listings_removed', 'accounts_handled', 'sites_rectified', 'sites_closed', 'apps_handled', 'shops_suspended',
  'cases_filed', 'cases_closed', 'fines', 'cases_transferred', 'samples_tested', 'samples_failed', 'cases_exposed', 'practices', 'regulations'];
/** Figures in columns C… (3…19) of every corpus template, 备注 in T (20). */
const FIRST = 3;
const NOTE = 20;
const MISSING = ORDER.indexOf('区林业局');
const LATE = ORDER.indexOf('区税务局');

/** The exact totals over the departments that reported (all but 区林业局); 罚没款 × `factor` (a template in 元). */
function expectedTotals(factor = 1): number[] {
  return IDS.map((id) => {
    const units = ORDER.map((_, d) => d).filter((d) => d !== MISSING).map((d) => Math.round((figures(d)[id] as number) * 10000));
    return (units.reduce((a, b) => a + b, 0) * (id === 'fines' ? factor : 1)) / 10000;
  });
}

/** Department d's figures as a template in which 罚没款 is in a unit `factor` times smaller (元: 10000) shows them. */
function figuresIn(d: number, factor = 1): Record<string, number> {
  const f = figures(d);
  return { ...f, fines: (Math.round(f.fines * 10000) * factor) / 10000 };
}

interface Case {
  file: string;
  sheet: string;
  part: string;
  /** Output row of each department, in the campaign's order. */
  rows: number[];
  /** Output row of 合计, if the template has one, and its formula for column C. */
  total?: { row: number; formula: string };
  move: Move;
  /** Output rows the merge added. */
  added: number[];
  /** Rows that were empty template rows the merge filled (序号 and 单位 written too). */
  filled?: number[];
  /** Lines the merge prints about the template. */
  says: string[];
  /** Parts besides the usual ones that may change (they refer to moved rows). */
  changes?: string[];
  /** 罚没款 is in a smaller unit in the template (元: 10000): figures and totals multiplied. */
  factor?: number;
  /** Cells besides the figures, 备注 and the 填报 line that the merge writes, as `row:col`. */
  written?: string[];
}

const CASES: Case[] = [
  {
    file: 'op-basic.xlsx', sheet: '统计表', part: 'xl/worksheets/sheet1.xml', rows: [5, 6, 7, 8, 9, 10, 11],
    total: { row: 12, formula: 'SUM(C5:C11)' }, move: NO_MOVE, added: [], says: [],
  },
  {
    // 合　计 on top; names written otherwise (区市监局, 区文化和旅游体育局, 黄山区公安局); 区住建局 kept; a chart.
    file: 'op-top-total.xlsx', sheet: '统计表', part: 'xl/worksheets/sheet1.xml', rows: [6, 7, 8, 10, 11, 12, 13],
    total: { row: 5, formula: 'SUM(C6:C13)' }, move: { at: 12, count: 2, extendFrom: 6 }, added: [12, 13],
    says: ['模板没有列出的单位已加在表格中：区商务局、区税务局', '区住建局（第 9 行）'], changes: ['xl/drawings/drawing1.xml', 'xl/charts/chart1.xml'],
  },
  {
    // Labels worded otherwise, units in their own row, 总计, nobody listed.
    file: 'op-labels.xlsx', sheet: '统计表', part: 'xl/worksheets/sheet1.xml', rows: [6, 7, 8, 9, 10, 11, 12],
    total: { row: 13, formula: 'SUM(C6:C12)' }, move: { at: 6, count: 7 }, added: [6, 7, 8, 9, 10, 11, 12], says: [],
  },
  {
    file: 'op-no-total.xlsx', sheet: '统计表', part: 'xl/worksheets/sheet1.xml', rows: [6, 8, 9, 5, 10, 11, 7],
    move: { at: 8, count: 4, extendFrom: 5 }, added: [8, 9, 10, 11], says: ['模板没有合计行，按模板原样未添加合计行'],
  },
  {
    file: 'op-blank-rows.xlsx', sheet: '统计表', part: 'xl/worksheets/sheet1.xml', rows: [5, 6, 7, 8, 9, 10, 11],
    total: { row: 15, formula: 'SUM(C5:C14)' }, move: NO_MOVE, added: [], filled: [6, 7, 8, 9, 10, 11], says: [],
  },
  {
    // The table after an instructions sheet; a sheet of formulas on it; a note on 合计; legacy protection.
    file: 'op-two-sheets.xlsx', sheet: '统计表', part: 'xl/worksheets/sheet2.xml', rows: [5, 6, 10, 7, 8, 9, 11],
    total: { row: 12, formula: 'SUM(C5:C11)' }, move: { at: 10, count: 2, extendFrom: 5 }, added: [10, 11],
    says: ['区文旅体局、区税务局'], changes: ['xl/worksheets/sheet3.xml', 'xl/comments/comment1.xml', 'xl/drawings/commentsDrawing1.vml'],
  },
  {
    file: 'wps-cellimages.xlsx', sheet: '统计表', part: 'xl/worksheets/sheet2.xml', rows: [5, 6, 10, 7, 8, 9, 11],
    total: { row: 12, formula: 'SUM(C5:C11)' }, move: { at: 10, count: 2, extendFrom: 5 }, added: [10, 11],
    says: [], changes: ['xl/worksheets/sheet3.xml', 'xl/comments/comment1.xml', 'xl/drawings/commentsDrawing1.vml'],
  },
  {
    file: 'excel-seal.xlsx', sheet: '统计表', part: 'xl/worksheets/sheet1.xml', rows: [6, 7, 8, 10, 11, 12, 13],
    total: { row: 5, formula: 'SUM(C6:C13)' }, move: { at: 12, count: 2, extendFrom: 6 }, added: [12, 13],
    says: ['区住建局（第 9 行）'], changes: ['xl/drawings/drawing1.xml', 'xl/charts/chart1.xml'],
  },
  {
    file: 'prefixed.xlsx', sheet: '统计表', part: 'xl/worksheets/sheet1.xml', rows: [6, 8, 9, 5, 10, 11, 7],
    move: { at: 8, count: 4, extendFrom: 5 }, added: [8, 9, 10, 11], says: [],
  },
  {
    file: 'lo-fit.xlsx', sheet: '统计表', part: 'xl/worksheets/sheet1.xml', rows: [5, 6, 7, 8, 9, 10, 11],
    total: { row: 12, formula: 'SUM(C5:C11)' }, move: { at: 10, count: 2, extendFrom: 5 }, added: [10, 11], says: [],
    changes: ['xl/comments1.xml', 'xl/drawings/vmlDrawing1.vml'],
  },
  {
    file: 'op-table.xlsx', sheet: '统计表', part: 'xl/worksheets/sheet1.xml', rows: [4, 5, 6, 7, 8, 9, 10],
    move: NO_MOVE, added: [], says: ['模板设置了工作簿保护（不能增加工作表），典型案例等附表另存为：'],
  },
  // Issue 20: templates read as a person reads them.
  {
    // 罚没款 in 元 in a 计量单位 row under the labels.
    file: 'op-unit-row.xlsx', sheet: '统计表', part: 'xl/worksheets/sheet1.xml', rows: [6, 7, 8, 9, 10, 11, 12],
    total: { row: 13, formula: 'SUM(C6:C12)' }, move: { at: 11, count: 2, extendFrom: 6 }, added: [11, 12], factor: 10000,
    says: ['工作表“统计表”中“罚没款”一列的单位是元（见 M5），报送数据的单位是万元：已换算为元后填入（×10000），合计也按元计'],
  },
  {
    // 金额单位：元 in a caption above the table; 罚没款 without a unit in its label.
    file: 'op-unit-caption.xlsx', sheet: '统计表', part: 'xl/worksheets/sheet1.xml', rows: [5, 6, 7, 8, 9, 10, 11],
    total: { row: 12, formula: 'SUM(C5:C11)' }, move: NO_MOVE, added: [], factor: 10000, says: ['一列的单位是元（见 H2）'],
  },
  {
    // 金额单位为元 in the note under the table.
    file: 'op-unit-note.xlsx', sheet: '统计表', part: 'xl/worksheets/sheet1.xml', rows: [5, 6, 7, 8, 9, 10, 11],
    total: { row: 12, formula: 'SUM(C5:C11)' }, move: NO_MOVE, added: [], factor: 10000, says: ['一列的单位是元（见 A15）'],
  },
  {
    // Saved by LibreOffice: （单位：件、元） above a table whose labels carry no unit.
    file: 'lo-unit-caption.xlsx', sheet: '统计表', part: 'xl/worksheets/sheet1.xml', rows: [5, 6, 7, 8, 9, 10, 11],
    total: { row: 12, formula: 'SUM(C5:C11)' }, move: { at: 10, count: 2, extendFrom: 5 }, added: [10, 11], factor: 10000,
    says: ['一列的单位是元（见 H2）', '模板没有列出的单位已加在表格中：区商务局、区税务局'],
  },
  {
    // 填报单位（盖章） and 填报日期 with a blank cell after them; the name column headed 单位.
    file: 'op-form-labels.xlsx', sheet: '统计表', part: 'xl/worksheets/sheet1.xml', rows: [5, 6, 7, 8, 9, 10, 11],
    total: { row: 12, formula: 'SUM(C5:C11)' }, move: { at: 10, count: 2, extendFrom: 5 }, added: [10, 11],
    says: ['模板没有列出的单位已加在表格中：区商务局、区税务局'], written: ['2:2', '2:17'],
  },
  {
    // 序号 stored as text.
    file: 'op-seq-text.xlsx', sheet: '统计表', part: 'xl/worksheets/sheet1.xml', rows: [5, 6, 7, 8, 9, 10, 11],
    total: { row: 12, formula: 'SUM(C5:C11)' }, move: { at: 10, count: 2, extendFrom: 5 }, added: [10, 11], says: [],
  },
  {
    // An 其他 row closing the list: added units go above it, it keeps the last 序号.
    file: 'op-other-row.xlsx', sheet: '统计表', part: 'xl/worksheets/sheet1.xml', rows: [5, 6, 7, 8, 9, 10, 11],
    total: { row: 13, formula: 'SUM(C5:C12)' }, move: { at: 10, count: 2, extendFrom: 5 }, added: [10, 11],
    says: ['其他（第 10 行）'], written: ['12:1'],
  },
  {
    // A 填报说明 sheet with an 指标解释 table (指标 | 单位 | 指标解释) before the statistics table.
    file: 'op-explain-first.xlsx', sheet: '统计表', part: 'xl/worksheets/sheet2.xml', rows: [5, 6, 7, 8, 9, 10, 11],
    total: { row: 12, formula: 'SUM(C5:C11)' }, move: NO_MOVE, added: [], says: [],
  },
  {
    // 查办案件, 办结案件, 监督抽检, 抽检不合格, 罚没金额, 检查网站/平台/网店 broken over two lines.
    file: 'op-synonyms.xlsx', sheet: '统计表', part: 'xl/worksheets/sheet1.xml', rows: [5, 6, 7, 8, 9, 10, 11],
    total: { row: 12, formula: 'SUM(C5:C11)' }, move: NO_MOVE, added: [], says: [],
  },
  {
    // An Excel table (ListObject) 表1 with a totals row of SUBTOTAL(109,表1[…]).
    file: 'op-listobject.xlsx', sheet: '统计表', part: 'xl/worksheets/sheet1.xml', rows: [4, 5, 6, 7, 8, 9, 10],
    total: { row: 11, formula: 'SUBTOTAL' }, move: { at: 9, count: 2, extendFrom: 4 }, added: [9, 10],
    says: ['模板没有列出的单位已加在表格中：区商务局、区税务局'], changes: ['xl/tables/table1.xml'],
  },
];

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const hasSoffice = has('soffice');
const hasOpenpyxl = spawnSync('/usr/bin/python3', ['-c', 'import openpyxl']).status === 0;
if (!hasSoffice && process.env.CI !== 'true') console.warn('templates.e2e: soffice not on PATH, LibreOffice recalculation checks skipped (apt-get install libreoffice-calc-nogui)');

const out = tempDir('templates-');
const results = new Map<string, CliResult>();
const outFile = (c: Case) => join(out, c.file.replace(/\.\w+$/, '.xlsx'));
let csvDir: string;

/** Converts outputs to CSV in one LibreOffice run, recalculating every formula on load; one file per sheet. */
function recalculate(files: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'report-lo-csv-'));
  const profile = join(dir, 'profile');
  mkdirSync(join(profile, 'user'), { recursive: true });
  writeFileSync(
    join(profile, 'user', 'registrymodifications.xcu'),
    '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
      '<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item></oor:items>\n',
  );
  // Values as stored (not as shown), every sheet to its own file: name-SheetName.csv.
  const filter = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1';
  execFileSync('soffice', [`-env:UserInstallation=${pathToFileURL(profile).href}`, '--headless', '--calc', '--convert-to', filter, '--outdir', dir, ...files], { stdio: 'pipe', timeout: 300_000 });
  return dir;
}

/** Templates laid out otherwise than the corpus (columns not C…S), checked on their own below. */
const OTHERS = ['op-split-sheets.xlsx', 'op-turned-full.xlsx'];

beforeAll(() => {
  for (const c of CASES) results.set(c.file, runCli(['merge', '--dir', DIR, '--template', fixture('templates', c.file), '--out', outFile(c), ...AS_OF]));
  for (const file of OTHERS) results.set(file, runCli(['merge', '--dir', DIR, '--template', fixture('templates', file), '--out', join(out, file), ...AS_OF]));
  if (hasSoffice) csvDir = recalculate([...CASES.map(outFile), ...OTHERS.map((f) => join(out, f))].filter((f) => existsSync(f)));
}, 600_000);

const readBook = (file: string) => loadWithExceljs(new Uint8Array(readFileSync(file)));
const letter = (col: number): string => (col > 26 ? letter(Math.floor((col - 1) / 26)) : '') + String.fromCharCode(65 + ((col - 1) % 26));
const sheetOf = async (file: string, name = '统计表') => readSheet(await parts(readFileSync(file)), name);
const sheetNames = async (file: string) => [...(await parts(readFileSync(file))).get('xl/workbook.xml')!.toString().matchAll(/<(?:\w+:)?sheet [^>]*name="([^"]*)"/g)].map((m) => m[1]);

describe.each(CASES)('template $file', (c) => {
  it('is filled: exit 0, what is said about the template', () => {
    const r = results.get(c.file) as CliResult;
    expect(r.code, r.stderr).toBe(0);
    for (const line of c.says) expect(r.stderr).toContain(line);
    expect(r.stderr).not.toMatch(/\n\s+at |JSZip|Error:/);
  });

  it('puts each figure in its department\'s row, empty (never 0) for the missing one, and the exact SUM', async () => {
    const ws = readSheet(await parts(readFileSync(outFile(c))), c.sheet);
    const at = (row: number, col: number) => `${letter(col)}${row}`;
    c.rows.forEach((row, d) => {
      expect(String(valueOf(ws, at(row, 2)) ?? '').length, `row ${row}`).toBeGreaterThan(0);
      const want = figuresIn(d, c.factor);
      IDS.forEach((id, i) => {
        const value = valueOf(ws, at(row, FIRST + i));
        if (d === MISSING) expect(value, `${ORDER[d]} ${id}`).toBeNull();
        else expect(value, `${ORDER[d]} ${id} at ${at(row, FIRST + i)}`).toBe(want[id]);
      });
    });
    expect(valueOf(ws, at(c.rows[MISSING] as number, NOTE))).toBe('未报送');
    expect(valueOf(ws, at(c.rows[LATE] as number, NOTE))).toBe('逾期报送（2024年11月14日）');
    if (c.total) {
      const totals = expectedTotals(c.factor);
      IDS.forEach((id, i) => {
        const cell = ws.cells.get(at(c.total!.row, FIRST + i));
        if (c.total!.formula === 'SUBTOTAL') expect(cell?.f, id).toMatch(/^SUBTOTAL\(109,表1\[[^\]]+\]\)$/);
        else expect(cell?.f, id).toBe(c.total!.formula.replace(/C(?=\d)/g, letter(FIRST + i)));
        expect(Number(cell?.v), id).toBe(totals[i]);
      });
      expect(valueOf(ws, at(c.total.row, NOTE))).toBe('未含：区林业局（未报送）');
    }
    for (const row of c.added) {
      // An added row looks like a department row (the same formats), never like 合计.
      const listed = c.rows.find((r) => !c.added.includes(r) && !(c.filled ?? []).includes(r));
      for (let col = 1; col <= NOTE; col++) {
        const look = ws.cells.get(at(listed ?? row, col))?.s;
        // 序号 and 罚没款 may get a number format of their own where the template's is General.
        if (listed !== undefined && col !== 1 && col !== FIRST + IDS.indexOf('fines')) expect(ws.cells.get(at(row, col))?.s, at(row, col)).toBe(look);
      }
    }
  });

  it.skipIf(!hasSoffice && process.env.CI !== 'true')('has the same totals after LibreOffice recalculates every formula', () => {
    if (!hasSoffice) throw new Error('soffice is required in CI');
    const csv = join(csvDir, `${basename(outFile(c), '.xlsx')}-${c.sheet}.csv`);
    const rows = parseCsv(readFileSync(csv, 'utf8'));
    c.rows.forEach((row, d) => {
      const values = (rows[row - 1] ?? []).slice(FIRST - 1, FIRST - 1 + IDS.length);
      if (d === MISSING) expect(values.every((v) => v === ''), `${ORDER[d]}`).toBe(true);
      else expect(values.map(Number), `${ORDER[d]}`).toEqual(IDS.map((id) => figuresIn(d, c.factor)[id]));
    });
    if (c.total) expect((rows[c.total.row - 1] ?? []).slice(FIRST - 1, FIRST - 1 + IDS.length).map(Number), '合计').toEqual(expectedTotals(c.factor));
  });

  it('keeps every other cell, style, merge, height, width and setting, or moves it exactly with the inserted rows', async () => {
    const [tp, op] = [await parts(readFileSync(fixture('templates', c.file))), await parts(readFileSync(outFile(c)))];
    const written = new Set<string>();
    c.rows.forEach((row) => {
      const all = c.filled?.includes(row) ? 1 : FIRST;
      for (let col = all; col <= NOTE; col++) written.add(`${row}:${col}`);
    });
    if (c.total) for (let col = FIRST; col <= NOTE; col++) written.add(`${c.total.row}:${col}`);
    written.add('2:1').add('2:16'); // 填报单位 and 填报日期
    for (const cell of c.written ?? []) written.add(cell);
    const grown = new Set([c.rows[LATE] as number, ...(c.total ? [c.total.row] : [])]);
    expectSheetKept(tp, op, { sheet: c.sheet, move: c.move, written, addedRows: new Set(c.added), grown });
    expectSettingsKept(tp.get(c.part), op.get(c.part), c.move);
    const usual = new Set([c.part, 'xl/workbook.xml', 'xl/styles.xml', '[Content_Types].xml', 'xl/_rels/workbook.xml.rels', '_rels/.rels', 'docProps/app.xml', 'docProps/core.xml', 'docProps/custom.xml', ...(c.changes ?? [])]);
    expectPartsKept(tp, op, (name) => usual.has(name));
    for (const name of c.changes ?? []) {
      if (name.includes('drawings/drawing')) expectAnchorsMoved(tp.get(name), op.get(name), c.move);
      if (name.includes('charts/')) expectChartMoved(tp.get(name), op.get(name), c.sheet, c.move);
    }
    const comments = (c.changes ?? []).find((n) => /comment/.test(n));
    const vml = (c.changes ?? []).find((n) => n.endsWith('.vml'));
    if (comments) expectNotesMoved(tp.get(comments), op.get(comments), vml && tp.get(vml), vml && op.get(vml), c.move);
    // Defined names (print area and titles, the template's own) moved with the rows.
    const names = definedNames(op.get('xl/workbook.xml'));
    for (const [name, text] of Object.entries(definedNames(tp.get('xl/workbook.xml')))) expect(names[name], name).toBe(expectedShift(text, c.move, c.sheet));
  });
});

describe('what each template keeps in particular', () => {
  const book = (file: string) => readBook(join(out, file));

  it('op-basic: notes, hyperlinks, the 校验 formulas and the legacy sheet password stay', async () => {
    const ws = await sheetOf(join(out, 'op-basic.xlsx'));
    expect(ws.cells.get('U5')?.f).toBe('IF(L5>K5,"结案多于立案","")');
    const op = await parts(readFileSync(join(out, 'op-basic.xlsx')));
    expect(op.get('xl/comments/comment1.xml')?.toString()).toMatch(/<comment ref="B8" authorId="\d+"[^>]*><text><t>含网安大队数据<\/t>/);
    expect(op.get('xl/worksheets/sheet1.xml')?.toString()).toMatch(/<hyperlink [^>]*ref="V14"[^>]*\/><hyperlink [^>]*ref="V15"/);
    const protection = (xml: string | undefined) => /<sheetProtection [^>]*password="([0-9A-F]{4})"/.exec(xml ?? '')?.[1];
    const tp = await parts(readFileSync(fixture('templates', 'op-basic.xlsx')));
    expect(protection(op.get('xl/worksheets/sheet1.xml')?.toString())).toBe(protection(tp.get('xl/worksheets/sheet1.xml')?.toString()));
    expect(protection(op.get('xl/worksheets/sheet1.xml')?.toString())).toBeDefined();
  });

  it('op-top-total: the chart takes the new rows and sits below them; 区住建局 stays in its row with nothing written', async () => {
    const op = await parts(readFileSync(join(out, 'op-top-total.xlsx')));
    expect(op.get('xl/charts/chart1.xml')?.toString()).toContain("'统计表'!$C$6:$C$13");
    const ws = await sheetOf(join(out, 'op-top-total.xlsx'));
    expect(valueOf(ws, 'B9')).toBe('区住建局');
    for (let col = FIRST; col <= NOTE; col++) expect(valueOf(ws, `${letter(col)}9`)).toBeNull();
    // 序号 go on after the last number in the table.
    expect([valueOf(ws, 'A12'), valueOf(ws, 'A13')]).toEqual([7, 8]);
    expect(valueOf(ws, 'A9')).toBe(4);
  });

  it('op-no-total: new rows get the 校验 formula, the validations and formats cover them', async () => {
    const ws = await sheetOf(join(out, 'op-no-total.xlsx'));
    for (const r of [8, 9, 10, 11]) expect(ws.cells.get(`U${r}`)?.f).toBe(`IF(L${r}>K${r},"结案多于立案","")`);
    const sheet = (await parts(readFileSync(join(out, 'op-no-total.xlsx')))).get('xl/worksheets/sheet1.xml')?.toString() ?? '';
    expect(sheet).toMatch(/<dataValidation [^>]*sqref="C5:S11"/);
    expect(sheet).toMatch(/<conditionalFormatting sqref="C5:S11"/);
    expect([valueOf(ws, 'A8'), valueOf(ws, 'A11')]).toEqual([4, 7]);
  });

  it('op-labels: labels worded otherwise are matched (其中：, 数, 顿号, App, the 罚没金额 alias) and units stay in their row', async () => {
    const ws = await sheetOf(join(out, 'op-labels.xlsx'));
    expect(valueOf(ws, 'L4')).toBe('其中：结案');
    expect(valueOf(ws, 'M4')).toBe('罚没金额');
    expect(valueOf(ws, 'C5')).toBe('（人次）');
    expect(valueOf(ws, 'B6')).toBe('区市场监管局');
    expect(valueOf(ws, 'A13')).toBe('总计');
    expect(ws.merges).toContain('A13:B13'); // the 总计 row's merge moved, and no new row took it
    expect(ws.merges.filter((m) => /^A(6|7|8|9|10|11|12):/.test(m))).toEqual([]);
  });

  it('op-blank-rows: units fill the empty numbered rows, the numbers stay, the rest stays empty', async () => {
    const ws = await sheetOf(join(out, 'op-blank-rows.xlsx'));
    expect([5, 6, 7, 8, 9, 10, 11, 12, 13, 14].map((r) => valueOf(ws, `A${r}`))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect([12, 13, 14].map((r) => valueOf(ws, `B${r}`))).toEqual([null, null, null]);
  });

  it('op-two-sheets: formulas on another sheet follow the 合计 row; the instructions sheet stays first', async () => {
    const file = join(out, 'op-two-sheets.xlsx');
    expect(await sheetNames(file)).toEqual(['填表说明', '统计表', '汇总分析', '典型案例', '重点任务落实', '报送情况', '工作总结']);
    const other = await sheetOf(file, '汇总分析');
    expect(other.cells.get('B1')?.f).toBe("'统计表'!C12");
    expect(other.cells.get('B2')?.f).toBe("'统计表'!B5");
  });

  it('wps-cellimages: the in-cell picture, its part and the custom properties stay; SHA-512 protection stays', async () => {
    const [tp, op] = [await parts(readFileSync(fixture('templates', 'wps-cellimages.xlsx'))), await parts(readFileSync(join(out, 'wps-cellimages.xlsx')))];
    for (const name of ['xl/cellimages.xml', 'xl/_rels/cellimages.xml.rels', 'xl/media/image1.png']) expect(Buffer.compare(op.get(name) as Buffer, tp.get(name) as Buffer), name).toBe(0);
    expect(op.get('xl/_rels/workbook.xml.rels')?.toString()).toContain('http://www.wps.cn/officeDocument/2020/cellImage');
    expect(op.get('[Content_Types].xml')?.toString()).toContain('application/vnd.wps-officedocument.cellimage+xml');
    const custom = op.get('docProps/custom.xml')?.toString() ?? '';
    expect(custom).toContain('KSOProductBuildVer');
    expect(custom).toContain('2052-12.1.0.16120');
    const sheet = op.get('xl/worksheets/sheet2.xml')?.toString() ?? '';
    expect(sheet).toContain('<f>_xlfn.DISPIMG("ID_4F1E2D3C5B6A",1)</f>');
    expect(sheet).toMatch(/<sheetProtection [^>]*algorithmName="SHA-512"/);
    // The figure cells of the added rows are unlocked like the listed ones: the same format.
    const ws = await sheetOf(join(out, 'wps-cellimages.xlsx'));
    expect(ws.cells.get('C10')?.s).toBe(ws.cells.get('C5')?.s);
    const xf = [...(op.get('xl/styles.xml')?.toString() ?? '').matchAll(/<xf [^>]*?(?:\/>|>[\s\S]*?<\/xf>)/g)].map((m) => m[0]);
    const cellXfs = xf.slice(xf.length - Number(/<cellXfs count="(\d+)"/.exec(op.get('xl/styles.xml')?.toString() ?? '')?.[1]));
    expect(cellXfs[Number(ws.cells.get('C10')?.s)]).toMatch(/<protection locked="0"/);
  });

  it('excel-seal: the 公章 moves with the footer, never over the figures; the calcChain goes; the shared 合计 is explicit', async () => {
    const op = await parts(readFileSync(join(out, 'excel-seal.xlsx')));
    const drawing = op.get('xl/drawings/drawing1.xml')?.toString() ?? '';
    expect(drawing).toMatch(/<from><col>16<\/col><colOff>0<\/colOff><row>13<\/row>/);
    expect(op.has('xl/calcChain.xml')).toBe(false);
    expect(op.get('[Content_Types].xml')?.toString()).not.toContain('calcChain');
    expect(op.get('xl/_rels/workbook.xml.rels')?.toString()).not.toContain('calcChain');
    expect(op.get('xl/workbook.xml')?.toString()).toMatch(/fullCalcOnLoad="1"/);
    const sheet = op.get('xl/worksheets/sheet1.xml')?.toString() ?? '';
    expect(sheet).toContain('<xm:sqref>T6:T13</xm:sqref>');
    expect(sheet).toContain('xr:uid="{5C3E1A2B-0D4F-4E6A-9B1C-2D3E4F5A6B7C}"');
  });

  it('prefixed: SpreadsheetML with an x: prefix is read and written with it', async () => {
    const op = await parts(readFileSync(join(out, 'prefixed.xlsx')));
    const sheet = op.get('xl/worksheets/sheet1.xml')?.toString() ?? '';
    expect(sheet).toMatch(/<x:row r="11"[^>]*><x:c r="A11"[^>]*>/);
    expect(sheet).not.toMatch(/<row |<c r=/);
    expect(sheet).toContain('<x:v>601</x:v>'); // 区商务局's 出动执法人员
    expect(op.get('xl/workbook.xml')?.toString()).toMatch(/<x:sheet name="典型案例"/);
  });

  it('op-unit-row: 罚没款 goes in as 元, in the issued number format; the 计量单位 row stays the header', async () => {
    const ws = await sheetOf(join(out, 'op-unit-row.xlsx'));
    expect(valueOf(ws, 'M5')).toBe('元');
    expect(valueOf(ws, 'B5')).toBe('计量单位');
    expect(valueOf(ws, 'M6')).toBe(1011234); // 101.1234 万元
    const tp = readSheet(await parts(readFileSync(fixture('templates', 'op-unit-row.xlsx'))), '统计表');
    expect(ws.cells.get('M6')?.s).toBe(tp.cells.get('M6')?.s);
    expect(results.get('op-unit-row.xlsx')?.stderr.match(/已换算为元/g)).toHaveLength(1); // said once
  });

  it('op-form-labels: 填报单位（盖章） is the form\'s, not the name column: the issuer and the date go in the blanks after the labels', async () => {
    const ws = await sheetOf(join(out, 'op-form-labels.xlsx'));
    expect(valueOf(ws, 'A2')).toBe('填报单位（盖章）');
    expect(valueOf(ws, 'B2')).toBe('黄山区市场监督管理局');
    expect(valueOf(ws, 'P2')).toBe('填报日期');
    expect(valueOf(ws, 'Q2')).toBe('2024年11月15日');
    expect([5, 6, 7, 8, 9, 10, 11].map((r) => valueOf(ws, `A${r}`))).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('op-seq-text: 序号 stored as text goes on as text', async () => {
    const ws = await sheetOf(join(out, 'op-seq-text.xlsx'));
    expect([5, 6, 7, 8, 9, 10, 11].map((r) => valueOf(ws, `A${r}`))).toEqual(['1', '2', '3', '4', '5', '6', '7']);
  });

  it('op-other-row: added units go above 其他, which keeps the last 序号', async () => {
    const ws = await sheetOf(join(out, 'op-other-row.xlsx'));
    expect([9, 10, 11, 12].map((r) => valueOf(ws, `B${r}`))).toEqual(['区林业局', '区商务局', '区税务局', '其他']);
    expect([5, 6, 7, 8, 9, 10, 11, 12].map((r) => valueOf(ws, `A${r}`))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('op-explain-first: the 指标解释 table on the first sheet is left alone, the statistics table on the second is filled', async () => {
    const file = join(out, 'op-explain-first.xlsx');
    const tp = await parts(readFileSync(fixture('templates', 'op-explain-first.xlsx')));
    const op = await parts(readFileSync(file));
    expect(op.get('xl/worksheets/sheet1.xml')?.toString()).toBe(tp.get('xl/worksheets/sheet1.xml')?.toString());
  });

  it('op-listobject: the table 表1 grows over the new rows, its totals row stays its totals row with SUBTOTAL as issued; openpyxl loads it', async () => {
    const file = join(out, 'op-listobject.xlsx');
    const op = await parts(readFileSync(file));
    const table = op.get('xl/tables/table1.xml')?.toString() ?? '';
    expect(table).toMatch(/<table [^>]*ref="A3:T11"[^>]*totalsRowCount="1"/);
    expect(table).toContain('<autoFilter ref="A3:T10"/>');
    const ws = await sheetOf(file);
    expect(ws.cells.get('M11')?.f).toBe('SUBTOTAL(109,表1[罚没款（万元）])');
    expect(valueOf(ws, 'B11')).toBe('合计');
    // openpyxl validates tables as it loads them (Debian's python3-openpyxl, as CI installs it).
    if (!hasOpenpyxl && process.env.CI !== 'true') return console.warn('templates.e2e: python3-openpyxl missing, the table not validated by openpyxl');
    const py = spawnSync('/usr/bin/python3', ['-c', 'import sys\nfrom openpyxl import load_workbook\nt = load_workbook(sys.argv[1])["统计表"].tables["表1"]\nprint(t.ref, t.totalsRowCount)', file], { encoding: 'utf8' });
    expect(py.stderr).toBe('');
    expect(py.stdout.trim()).toBe('A3:T11 1');
  });

  it('op-table: the table grows with nothing to add; the structure is locked, so the sheets go to a second file', async () => {
    const op = await parts(readFileSync(join(out, 'op-table.xlsx')));
    expect([...op.keys()].filter((k) => k.startsWith('xl/worksheets/sheet'))).toEqual(['xl/worksheets/sheet1.xml']);
    const second = await book('op-table（附表）.xlsx');
    expect(second.worksheets.map((w) => w.name)).toEqual(['典型案例', '重点任务落实', '报送情况', '工作总结']);
  });
});

describe('indicators split over two sheets (表1 with 8, 表2 with 9, each with 单位 and 合计)', () => {
  const file = 'op-split-sheets.xlsx';
  const split: [string, string[]][] = [['表1', IDS.slice(0, 8)], ['表2', IDS.slice(8)]];

  it('fills both sheets: each figure in its sheet, department row and column, the exact SUMs, and says so', async () => {
    const r = results.get(file) as CliResult;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('模板的指标分在几个工作表中（“表1”、“表2”），已各自填写');
    const op = await parts(readFileSync(join(out, file)));
    const totals = expectedTotals();
    for (const [name, ids] of split) {
      const ws = readSheet(op, name);
      ORDER.forEach((unit, d) => {
        const row = 3 + d;
        expect(valueOf(ws, `B${row}`), name).toBe(unit);
        ids.forEach((id, i) => expect(valueOf(ws, `${letter(3 + i)}${row}`), `${name} ${unit} ${id}`).toBe(d === MISSING ? null : figures(d)[id]));
      });
      ids.forEach((id, i) => {
        const cell = ws.cells.get(`${letter(3 + i)}10`);
        expect(cell?.f, `${name} ${id}`).toBe(`SUM(${letter(3 + i)}3:${letter(3 + i)}9)`);
        expect(Number(cell?.v), `${name} ${id}`).toBe(totals[IDS.indexOf(id)]);
      });
      expect(valueOf(ws, `${letter(3 + ids.length)}7`), name).toBe('未报送');
    }
  });

  it.skipIf(!hasSoffice && process.env.CI !== 'true')('has the same totals on both sheets after LibreOffice recalculates', () => {
    const totals = expectedTotals();
    for (const [name, ids] of split) {
      const rows = parseCsv(readFileSync(join(csvDir, `op-split-sheets-${name}.csv`), 'utf8'));
      expect((rows[9] ?? []).slice(2, 2 + ids.length).map(Number), name).toEqual(ids.map((id) => totals[IDS.indexOf(id)]));
    }
  });
});

describe('a turned table listing every unit (indicators as rows, units as columns, a 合计 column; 罚没款 in 元 in its 单位 column)', () => {
  const file = 'op-turned-full.xlsx';
  const col = (d: number) => letter(3 + d);

  it('is filled as it is: each figure at its indicator\'s row and unit\'s column, 罚没款 ×10000, the exact SUMs; said so', async () => {
    const r = results.get(file) as CliResult;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('工作表“统计表”中的统计表是横排的（指标占行、单位占列），已按横排填写');
    expect(r.stderr).toContain('“罚没款”一列的单位是元（见 B13）');
    const ws = await sheetOf(join(out, file));
    const totals = expectedTotals(10000);
    IDS.forEach((id, i) => {
      const row = 3 + i;
      ORDER.forEach((_, d) => expect(valueOf(ws, `${col(d)}${row}`), `${id} ${ORDER[d]}`).toBe(d === MISSING ? null : figuresIn(d, 10000)[id]));
      const total = ws.cells.get(`J${row}`);
      expect(total?.f, id).toBe(`SUM(C${row}:I${row})`);
      expect(Number(total?.v), id).toBe(totals[i]);
    });
  });

  it('keeps every other cell as issued', async () => {
    const [tp, op] = [readSheet(await parts(readFileSync(fixture('templates', file))), '统计表'), readSheet(await parts(readFileSync(join(out, file))), '统计表')];
    for (const [ref, cell] of tp.cells) {
      const m = /^([A-Z]+)(\d+)$/.exec(ref)!;
      const figure = Number(m[2]) >= 3 && m[1]! >= 'C' && m[1]!.length === 1 && m[1]! <= 'J';
      if (!figure) expect(op.cells.get(ref), ref).toEqual(cell);
    }
  });

  it.skipIf(!hasSoffice && process.env.CI !== 'true')('has the same totals after LibreOffice recalculates', () => {
    const rows = parseCsv(readFileSync(join(csvDir, 'op-turned-full-统计表.csv'), 'utf8'));
    expect(IDS.map((_, i) => Number(rows[2 + i]?.[9]))).toEqual(expectedTotals(10000));
  });
});

describe('a table printing full names (黄山区市场监督管理局 …)', () => {
  it('gets the added units by their full names (the campaign\'s full_name), each in its row; short names where a table prints short ones', async () => {
    const dir = tempDir();
    const campaign = join(dir, 'campaign.yaml');
    const yaml = readFileSync(join(REPO, 'data', 'campaign.yaml'), 'utf8')
      .replace('    name: 区商务局\n', '    name: 区商务局\n    full_name: 黄山区商务局\n')
      .replace('    name: 区税务局\n', '    name: 区税务局\n    full_name: 国家税务总局黄山市黄山区税务局\n');
    writeFileSync(campaign, yaml);
    const target = join(dir, 'out.xlsx');
    const r = runCli(['merge', '--dir', DIR, '--campaign', campaign, '--template', fixture('templates', 'op-full-names.xlsx'), '--out', target, ...AS_OF]);
    expect(r.code, r.stderr).toBe(0);
    const ws = await sheetOf(target);
    expect([5, 9, 10, 11].map((row) => valueOf(ws, `B${row}`))).toEqual(['黄山区市场监督管理局', '黄山区林业局', '黄山区商务局', '国家税务总局黄山市黄山区税务局']);
    expect([valueOf(ws, 'C10'), valueOf(ws, 'C11')]).toEqual([figures(5).inspectors, figures(6).inspectors]);
    const short = join(dir, 'short.xlsx');
    expect(runCli(['merge', '--dir', DIR, '--campaign', campaign, '--template', fixture('templates', 'op-seq-text.xlsx'), '--out', short, ...AS_OF]).code).toBe(0);
    expect(valueOf(await sheetOf(short), 'B10')).toBe('区商务局');
  });
});

describe('templates that cannot be filled', () => {
  const run = (file: string, env?: Record<string, string>) => {
    const target = join(tempDir(), 'out.xlsx');
    const r = runCli(['merge', '--dir', DIR, '--template', isAbsolute(file) ? file : fixture('templates', file), '--out', target, ...AS_OF], env ? { env } : {});
    expect(existsSync(target), 'nothing written').toBe(false);
    expect(r.stderr).not.toMatch(/\n\s+at |JSZip|Error:|internal/i);
    return r;
  };

  it('a table without a column for some indicators: no workbook, exit 1, each one with the closest header and how to add an alias', () => {
    const r = run('op-unmatched.xlsx');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('抽检（批次）：最接近的表头是“抽样检测（批次）”');
    expect(r.stderr).toContain('罚没款（万元）：最接近的表头是“罚款金额（万元）”');
    expect(r.stderr).toContain('aliases: [罚款金额（万元）]');
  });

  it('a column in a unit that does not convert (罚没款 in 美元): no workbook, exit 1, the sheet, the cell and what to do', () => {
    const r = run('op-unit-unknown.xlsx');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('工作表“统计表”中，以下指标的列所用的单位不能准确换算，未生成汇总表');
    expect(r.stderr).toContain('罚没款：模板写的单位是“美元”（见 M4），活动配置的单位是万元，二者不能换算');
    expect(r.stderr).toContain('请把模板中这些列的单位改为活动配置的单位');
  });

  it('a turned table without a column for every unit (indicators down a column, units across a row): no workbook, exit 1, said to be turned, with where and what to do', () => {
    const r = run('op-turned.xlsx');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('工作表“统计表”中的统计表是横竖颠倒的：指标在 A3:A19 一列往下排，单位在 C2:G2 一行往右排，未生成汇总表');
    expect(r.stderr).toContain('横排的表要每个单位都有一列、每个指标都有一行才能直接填写；请补上缺少的单位列，或把表格转置');
    expect(r.stderr).not.toContain('aliases');
  });

  it('a table without a column for some indicators names the sheet and the header cells it read', () => {
    const r = run('op-unmatched.xlsx');
    expect(r.stderr).toContain('（读取的是工作表“统计表”的表头 A3:T4）');
  });

  it('a table where nothing matches: the labels looked for are listed', () => {
    const r = run('op-nothing.xlsx');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('出动执法人员、检查网站平台网店');
    expect(r.stderr).toContain('单位名称');
    expect(r.stderr).toContain('读过的工作表：“统计表”（各读前 40 行、前 120 列）');
  });

  it('an .ods is named as such', () => {
    const r = run('lo-sheet.ods');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('OpenDocument 表格（.ods）');
  });

  it('an encrypted workbook is named as such', () => {
    const r = run('encrypted.xlsx');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('加密的工作簿');
  });

  it('a template that would unpack to more than 200 MB (a zip bomb) is refused before it fills memory', async () => {
    const zip = await JSZip.loadAsync(readFileSync(DEFAULT_TEMPLATE));
    zip.file('xl/media/big.bin', Buffer.alloc(210 * 1024 ** 2), { compression: 'DEFLATE', compressionOptions: { level: 1 } });
    const file = join(tempDir(), 'bomb.xlsx');
    writeFileSync(file, await zip.generateAsync({ type: 'nodebuffer' }));
    const r = run(file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bomb.xlsx 解压后超过 200 MB');
  });

  it('a template with a part that does not inflate is named with the part', async () => {
    const zip = await JSZip.loadAsync(readFileSync(DEFAULT_TEMPLATE));
    const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    // The sheet's compressed data, after its local header, overwritten with bytes deflate refuses.
    const name = Buffer.from('xl/worksheets/sheet1.xml');
    const LOCAL = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
    let at = bytes.indexOf(LOCAL);
    while (at >= 0 && !bytes.subarray(at + 30, at + 30 + name.length).equals(name)) at = bytes.indexOf(LOCAL, at + 4);
    expect(at).toBeGreaterThanOrEqual(0);
    const data = at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28);
    bytes.fill(0xff, data, data + 64);
    const file = join(tempDir(), 'damaged-part.xlsx');
    writeFileSync(file, bytes);
    const r = run(file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('damaged-part.xlsx 已损坏或不完整（xl/worksheets/sheet1.xml 无法读取）');
  });

  it('a legacy .xls is refused with what to do when LibreOffice is not installed', () => {
    const r = run('lo-legacy.xls', { PATH: '/nonexistent' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('请在 Excel/WPS 中另存为 .xlsx 后再试');
  });
});

describe.skipIf(!hasSoffice && process.env.CI !== 'true')('a legacy .xls template with LibreOffice installed', () => {
  it('is converted, filled, and the output says so', async () => {
    const target = join(tempDir(), 'out.xlsx');
    const r = runCli(['merge', '--dir', DIR, '--template', fixture('templates', 'lo-legacy.xls'), '--out', target, ...AS_OF]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('是旧版 .xls 工作簿，已用 LibreOffice 转换为 .xlsx 后填写');
    const ws = await sheetOf(target);
    expect(valueOf(ws, 'C5')).toBe(101);
    expect(valueOf(ws, 'B11')).toBe('区税务局');
    expect(ws.cells.get('C12')?.f).toBe('SUM(C5:C11)');
  });
});

describe('an earlier output used as the template (last round\'s table sent back)', () => {

  it('has its added sheets replaced, not kept beside new copies, and its figures rewritten', async () => {
    const again = join(tempDir(), 'again.xlsx');
    const r = runCli(['merge', '--dir', DIR, '--template', join(out, 'op-top-total.xlsx'), '--out', again, ...AS_OF]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('模板是以前生成的汇总表，其中的附表（典型案例、重点任务落实、报送情况、工作总结）已换成本次的内容');
    expect(await sheetNames(again)).toEqual(['统计表', '典型案例', '重点任务落实', '报送情况', '工作总结']);
    const ws = await sheetOf(again);
    expect(valueOf(ws, 'B13')).toBe('区税务局'); // no second row for a unit added last time
    expect(valueOf(ws, 'B14')).toBeNull();
    expect(ws.cells.get('C5')?.f).toBe('SUM(C6:C13)');
    expect(Number(ws.cells.get('C5')?.v)).toBe(expectedTotals()[0]);
    expect(valueOf(ws, 'T11')).toBe('未报送');
  });

  it('is taken however large its added sheets are (a province\'s last round): they are dropped unread, not held against the 200 MB bound', async () => {
    const zip = await JSZip.loadAsync(readFileSync(join(out, 'op-top-total.xlsx')));
    // The 典型案例 sheet's part, grown past the bound a template may inflate to (200 MB).
    const book = await zip.file('xl/workbook.xml')!.async('string');
    const rid = /<sheet [^>]*name="典型案例"[^>]*r:id="([^"]+)"/.exec(book)![1]!;
    const rels = await zip.file('xl/_rels/workbook.xml.rels')!.async('string');
    const part = `xl/${new RegExp(`Id="${rid}"[^>]*Target="([^"]+)"`).exec(rels)![1]!.replace(/^\/?xl\//, '')}`;
    const sheet = await zip.file(part)!.async('string');
    zip.file(part, sheet.replace('</worksheet>', `${' '.repeat(210 * 1024 ** 2)}</worksheet>`), { compression: 'DEFLATE', compressionOptions: { level: 1 } });
    const template = join(tempDir(), '上一轮的汇总表.xlsx');
    writeFileSync(template, await zip.generateAsync({ type: 'nodebuffer' }));
    const again = join(tempDir(), 'again.xlsx');
    const r = runCli(['merge', '--dir', DIR, '--template', template, '--out', again, ...AS_OF]);
    expect(r.code, r.stderr).toBe(0);
    expect(await sheetNames(again)).toEqual(['统计表', '典型案例', '重点任务落实', '报送情况', '工作总结']);
  });

  it('is recognised by its sheets when the marker property is gone (saved by another program)', async () => {
    const zip = await JSZip.loadAsync(readFileSync(join(out, 'op-top-total.xlsx')));
    zip.remove('docProps/custom.xml');
    const rels = (await zip.file('_rels/.rels')?.async('string')) ?? '';
    zip.file('_rels/.rels', rels.replace(/<Relationship [^>]*custom-properties[^>]*\/>/, ''));
    const types = (await zip.file('[Content_Types].xml')?.async('string')) ?? '';
    zip.file('[Content_Types].xml', types.replace(/<Override PartName="\/docProps\/custom.xml"[^>]*\/>/, ''));
    const template = join(tempDir(), '上次的汇总表.xlsx');
    writeFileSync(template, await zip.generateAsync({ type: 'nodebuffer' }));
    const again = join(tempDir(), 'again.xlsx');
    const r = runCli(['merge', '--dir', DIR, '--template', template, '--out', again, ...AS_OF]);
    expect(r.code, r.stderr).toBe(0);
    expect(await sheetNames(again)).toEqual(['统计表', '典型案例', '重点任务落实', '报送情况', '工作总结']);
  });

  it('still keeps a sheet of the template that only shares a name with an added one', async () => {
    const wb = await readBook(fixture('templates', 'op-no-total.xlsx'));
    wb.addWorksheet('工作总结').getCell('A1').value = '模板自带的总结页';
    const template = join(tempDir(), '带总结页.xlsx');
    await wb.xlsx.writeFile(template);
    const merged = join(tempDir(), 'out.xlsx');
    const r = runCli(['merge', '--dir', DIR, '--template', template, '--out', merged, ...AS_OF]);
    expect(r.code, r.stderr).toBe(0);
    expect(await sheetNames(merged)).toEqual(['统计表', '工作总结', '典型案例', '重点任务落实', '报送情况', '工作总结(汇总)']);
  });
});

describe('the same inputs give the same bytes with an issued template', () => {
  it('excel-seal, twice', () => {
    const second = join(tempDir(), 'again.xlsx');
    const r = runCli(['merge', '--dir', DIR, '--template', fixture('templates', 'excel-seal.xlsx'), '--out', second, ...AS_OF]);
    expect(r.code, r.stderr).toBe(0);
    const first = CASES.find((c) => c.file === 'excel-seal.xlsx') as Case;
    expect(Buffer.compare(readFileSync(second), readFileSync(outFile(first)))).toBe(0);
  });
});
