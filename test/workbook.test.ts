import ExcelJS from 'exceljs';
import { spawnSync } from 'node:child_process';
import JSZip from 'jszip';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { DepartmentStatus } from '../src/model.js';
import { REPO } from './helpers/paths.js';
import { locateTable, type TableLayout as Layout } from '../src/table/locate.js';
import { planFill, sumFormula, type CellWrite } from '../src/template/plan.js';
import { exactSum } from '../src/text/values.js';
import { buildTemplate, templateDate } from '../src/template/default.js';
import { fillAfterLabel, isLabel, valueAfterLabel } from '../src/text/labels.js';
import { workbookBytes, writeMergedWorkbook } from '../src/template/write.js';
import { shiftFormulaRows } from '../src/xlsx/refs.js';
import { OFFICIAL_LIKE, makeStatus, makeSubmission, readGrids, testCampaign, xlsxParts } from './fixtures/templates/helpers.js';

const campaign = testCampaign();
/** The campaign as the official-like template has it: without 开展培训, the column it lacks on purpose. */
const officialCampaign = { ...campaign, indicators: campaign.indicators.filter((i) => i.id !== 'trainings') };
const FILL_DATE = '2024-11-12';

/** The layout of the first sheet with a table, read the way the merge reads a template. */
async function locateLayout(bytes: Uint8Array | ExcelJS.Workbook, c = campaign): Promise<Layout | undefined> {
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(await workbookBytes(bytes, new Date('2024-05-01T00:00:00Z')));
  for (const { grid } of await readGrids(data)) {
    const layout = locateTable(grid, c);
    if (layout) return layout;
  }
  return undefined;
}

/** Seven departments: four submitted, one late, two missing; figures chosen to test sums. */
function statuses(): DepartmentStatus[] {
  return [
    makeStatus(campaign, 'market', 'submitted', makeSubmission('market',
      { inspectors: 120, platforms_checked: 300, cases_filed: 12, cases_closed: 10, fines: 12.35, cases_transferred: 1, trainings: 3 },
      {
        tasks: new Map([[1, '核验经营者身份 35 户。'], [3, '=开展普法宣传 3 场']]),
        cases: [
          { title: '=HYPERLINK("http://example.invalid","点我")', task: 2, date: '2024-08-01', summary: '+86 网店无照经营', result: '-罚款', fine: 1.5, exposed: true },
          { title: '@SUM(A1)', task: 1, date: '2024-07-01', summary: '虚假宣传', exposed: false },
        ],
        materials: ['材料/一.jpg', '材料/二.jpg'],
      })),
    makeStatus(campaign, 'cyberspace', 'submitted', makeSubmission('cyberspace', { cases_filed: 2, fines: 0.1 },
      { tasks: new Map([[2, '监测网店 120 家。']]) })),
    makeStatus(campaign, 'culture_tourism', 'late', makeSubmission('culture_tourism', { platforms_checked: 5, fines: 0.2 },
      { submittedAt: '2024-11-13T09:30' })),
    makeStatus(campaign, 'police', 'submitted', makeSubmission('police', { cases_filed: 3, cases_closed: 3, cases_transferred: 2, fines: 3 })),
    makeStatus(campaign, 'forestry', 'missing'),
    makeStatus(campaign, 'commerce', 'submitted', makeSubmission('commerce', { inspectors: 0, cases_filed: 0 })),
    makeStatus(campaign, 'tax', 'missing'),
  ];
}

async function readBack(path: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  return wb;
}

const tmp = () => mkdtempSync(join(tmpdir(), 'report-wb-'));
const at = (ws: ExcelJS.Worksheet, row: number, col: number) => ws.getCell(row, col);

describe('text helpers', () => {
  it('matches labels across newlines, full-width parentheses and units', () => {
    expect(isLabel('罚没款\n（万元）', '罚没款')).toBe(true);
    expect(isLabel('移送\n司法机关\n（件）', '移送司法机关')).toBe(true);
    expect(isLabel('结案(件)', '结案')).toBe(true);
    // A trailing 数 is decoration (issue 14: 出动执法人员数); another word after it is not.
    expect(isLabel('结案数', '结案')).toBe(true);
    expect(isLabel('结案率', '结案')).toBe(false);
    expect(isLabel('立案', '结案')).toBe(false);
  });

  it('fills a value after a label, replacing placeholders and keeping what follows', () => {
    expect(fillAfterLabel('填报日期：    年  月  日', '填报日期', '2024年11月12日')).toBe('填报日期：2024年11月12日');
    expect(fillAfterLabel('填报单位（盖章）：      填报日期：', '填报单位', '某局')).toBe('填报单位（盖章）：某局      填报日期：');
  });

  it('reads a value after a label, up to the next label (统计时间 among them) or the line\'s end', () => {
    expect(valueAfterLabel('填表人：张伟 统计时间：2024年11月', '填表人')).toBe('张伟');
    expect(valueAfterLabel('填报单位（盖章）：某局\n填报日期：', '填报单位')).toBe('某局');
    expect(valueAfterLabel('填表人：　　审核人：李明', '填表人')).toBe('');
    expect(valueAfterLabel('填表人 张伟', '填表人')).toBeUndefined();
  });

  it('shifts only references to the named sheet, never inside strings', () => {
    expect(shiftFormulaRows('SUM(C6:C12)+说明!A9+"C9"', '统计表', true, { at: 8, count: 2 })).toBe('SUM(C6:C14)+说明!A9+"C9"');
    expect(shiftFormulaRows("统计表!$A$1:$J$16", '统计表', false, { at: 8, count: 2 })).toBe('统计表!$A$1:$J$18');
    expect(shiftFormulaRows("'统计表'!$4:$5,LOG10(C9)", '统计表', false, { at: 8, count: 2 })).toBe("'统计表'!$4:$5,LOG10(C9)");
  });
});

describe('buildTemplate (the default template)', () => {
  const wb = buildTemplate(campaign);
  const ws = wb.getWorksheet('统计表') as ExcelJS.Worksheet;
  const groups = ['执法检查', '查处案件', '宣传培训'];
  const lastCol = 2 + campaign.indicators.length + 1;

  it('has a merged 宋体 title and the period line', () => {
    expect(ws.model.merges).toContain(`A1:${ws.getColumn(lastCol).letter}1`);
    const title = at(ws, 1, 1);
    expect(title.value).toBe(campaign.table_title);
    expect(title.font).toMatchObject({ name: '宋体', bold: true });
    expect(title.font.size).toBeGreaterThanOrEqual(18);
    expect(title.alignment.horizontal).toBe('center');
    const line = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((c) => String(at(ws, 2, c).value ?? '')).join('|');
    expect(line).toContain('填报单位（盖章）：');
    expect(line).toContain('统计时段：2024年6月1日至2024年11月30日');
    expect(line).toContain('填报日期：');
  });

  it('has two header rows: 序号, 单位 and 备注 merged down, groups merged across', () => {
    expect(ws.model.merges).toEqual(expect.arrayContaining(['A3:A4', 'B3:B4', `${ws.getColumn(lastCol).letter}3:${ws.getColumn(lastCol).letter}4`]));
    expect(at(ws, 3, 1).value).toBe('序号');
    expect(at(ws, 3, 2).value).toBe('单位');
    expect(at(ws, 3, lastCol).value).toBe('备注');
    expect([3, 5, 9].map((c) => at(ws, 3, c).value)).toEqual(groups);
    expect(ws.model.merges).toEqual(expect.arrayContaining(['C3:D3', 'E3:H3']));
    expect(at(ws, 4, 7).value).toBe('罚没款\n（万元）');
    for (let c = 1; c <= lastCol; c++) {
      const cell = at(ws, 4, c);
      expect(cell.font.name).toBe('宋体');
      expect(cell.alignment).toMatchObject({ horizontal: 'center', wrapText: true });
    }
  });

  it('lists every department once, then 合计 and the footer', () => {
    campaign.departments.forEach((d, i) => {
      expect(at(ws, 5 + i, 1).value).toBe(i + 1);
      expect(at(ws, 5 + i, 2).value).toBe(d.name);
      for (let c = 3; c < lastCol; c++) expect(at(ws, 5 + i, c).value).toBeNull();
      expect(at(ws, 5 + i, 3).font.name).toMatch(/^仿宋/);
    });
    const total = 5 + campaign.departments.length;
    expect(at(ws, total, 1).value).toBe('合计');
    expect(ws.model.merges).toContain(`A${total}:B${total}`);
    expect(String(at(ws, total + 1, 1).value)).toMatch(/^单位负责人：.*填表人：.*审核人：.*联系电话：$/);
  });

  it('boxes the whole table in thin lines', () => {
    for (let r = 3; r <= 5 + campaign.departments.length; r++) {
      for (let c = 1; c <= lastCol; c++) {
        const b = at(ws, r, c).border;
        expect([b.top?.style, b.left?.style, b.bottom?.style, b.right?.style], `${r}:${c}`).toEqual(['thin', 'thin', 'thin', 'thin']);
      }
    }
  });

  it('prints on A4 landscape, one page wide, headers on every page, frozen below the header', async () => {
    const bytes = await workbookBytes(wb, templateDate(campaign));
    const back = new ExcelJS.Workbook();
    await back.xlsx.load(bytes as unknown as ExcelJS.Buffer);
    const s = back.getWorksheet('统计表') as ExcelJS.Worksheet;
    expect(s.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, horizontalCentered: true, printTitlesRow: '1:4' });
    expect(s.views[0]).toMatchObject({ state: 'frozen', xSplit: 2, ySplit: 4 });
    // Every column keeps an explicit width (exceljs silently drops a width of exactly 9).
    for (let c = 1; c <= lastCol; c++) expect(s.getColumn(c).width, `col ${c}`).toBeGreaterThan(5);
    const parts = await xlsxParts(bytes);
    expect(parts.get('xl/workbook.xml')).toContain('<definedName name="_xlnm.Print_Titles" localSheetId="0">');
    expect(parts.get('docProps/core.xml')).toContain('2024-05-31T16:00:00Z');
  });

  it('is byte-reproducible', async () => {
    const a = await workbookBytes(buildTemplate(campaign), templateDate(campaign));
    await new Promise((r) => setTimeout(r, 2100)); // past the zip format's 2-second clock
    const b = await workbookBytes(buildTemplate(campaign), templateDate(campaign));
    expect(Buffer.compare(a, b)).toBe(0);
  });

  it('is what `npm run template` writes, and what templates/ holds for the bundled campaign', () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-template-'));
    const run = spawnSync(process.execPath, [join(REPO, 'scripts', 'make-template.mjs'), dir], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const written = readFileSync(join(dir, 'hsq_2024_wlsc.xlsx'));
    expect(Buffer.compare(written, readFileSync(join(REPO, 'templates', 'hsq_2024_wlsc.xlsx')))).toBe(0);
  });

  it('is what locate reads', async () => {
    const layout = (await locateLayout(wb, campaign)) as Layout;
    expect(layout.unmatched).toEqual([]);
    expect(layout.headerRows).toEqual([3, 4]);
    expect(Object.keys(layout.departmentRows)).toHaveLength(campaign.departments.length);
    expect(layout.totalRow).toBe(5 + campaign.departments.length);
    expect(layout.fillDateCell?.row).toBe(2);
    expect(layout.issuerCell).toMatchObject({ row: 2, col: 1 });
  });
});

describe('locateLayout (official-like template)', () => {
  let layout: Layout;
  beforeAll(async () => {
    layout = (await locateLayout(new Uint8Array(readFileSync(OFFICIAL_LIKE)), campaign)) as Layout;
  });

  it('finds indicator columns by label, whatever their order', () => {
    expect(layout.columns).toEqual({ cases_filed: 3, cases_closed: 4, fines: 5, cases_transferred: 6, platforms_checked: 7, inspectors: 8 });
    expect(layout.unmatched.map((u) => u.label)).toEqual(['开展培训']);
    expect(layout).toMatchObject({ seqCol: 1, nameCol: 2, noteCol: 10, headerRows: [4, 5], totalRow: 13, insertAt: 13 });
  });

  it('finds department rows by name or alias', () => {
    expect(layout.departmentRows).toEqual({ tax: 6, police: 7, market: 8, cyberspace: 9, forestry: 10, culture_tourism: 11, commerce: 12 });
    expect(layout.blankRows).toEqual([]);
  });

  it('finds 填报日期 and 填报单位 in the title lines', () => {
    expect(layout.fillDateCell).toMatchObject({ row: 3, col: 8 });
    expect(layout.issuerCell).toMatchObject({ row: 3, col: 1 });
  });
});

describe('planFill', () => {
  /** A plain layout: 序号 A, 单位 B, inspectors C, fines D, cases_filed E, 备注 F; rows 5–11, 合计 12. */
  function layout(over: Partial<Layout> = {}): Layout {
    return {
      headerRows: [3, 4],
      seqCol: 1,
      nameCol: 2,
      noteCol: 6,
      columns: { inspectors: 3, fines: 4, cases_filed: 5 },
      unmatched: [{ id: 'platforms_checked', label: '检查网站平台网店', unit: '个次' }],
      unusedHeaders: [],
      departmentRows: Object.fromEntries(campaign.departments.map((d, i) => [d.id, 5 + i])),
      otherRows: [],
      blankRows: [],
      block: [5, 11],
      totalRow: 12,
      insertAt: 12,
      styleRow: 5,
      ...over,
    };
  }
  const cell = (writes: CellWrite[], row: number, col: number) => writes.find((w) => w.row === row && w.col === col)?.content;

  it('gives a missing department 未报送 and empty figures, never 0', () => {
    const plan = planFill(layout(), { campaign, statuses: statuses(), fillDate: FILL_DATE });
    const forestry = 5 + campaign.departments.findIndex((d) => d.id === 'forestry');
    expect(cell(plan.writes, forestry, 6)).toEqual({ type: 'text', value: '未报送' });
    for (const col of [3, 4, 5]) expect(cell(plan.writes, forestry, col)).toEqual({ type: 'empty' });
    expect(plan.writes.some((w) => w.row === forestry && w.content.type === 'number')).toBe(false);
  });

  it('treats a department with no status at all as missing', () => {
    const plan = planFill(layout(), { campaign, statuses: statuses().filter((s) => s.id !== 'commerce'), fillDate: FILL_DATE });
    expect(cell(plan.writes, 10, 6)).toEqual({ type: 'text', value: '未报送' });
  });

  it('leaves an indicator a department left out empty, and keeps a reported 0', () => {
    const plan = planFill(layout(), { campaign, statuses: statuses(), fillDate: FILL_DATE });
    expect(cell(plan.writes, 6, 3)).toEqual({ type: 'empty' }); // 网信办 gave no inspectors
    expect(cell(plan.writes, 10, 3)).toEqual({ type: 'number', value: 0, numFmt: '0' }); // 商务局 reported 0
  });

  it('writes every amount in the one format of 罚没款 (3.00, 12.35), as the case sheets do', () => {
    const plan = planFill(layout(), { campaign, statuses: statuses(), fillDate: FILL_DATE });
    expect(cell(plan.writes, 5, 4)).toEqual({ type: 'number', value: 12.35, numFmt: '0.00##' });
    expect(cell(plan.writes, 8, 4)).toEqual({ type: 'number', value: 3, numFmt: '0.00##' });
  });

  it('totals with SUM formulas over the department rows and exact results', () => {
    const only = [
      makeStatus(campaign, 'market', 'submitted', makeSubmission('market', { fines: 0.1 })),
      makeStatus(campaign, 'cyberspace', 'submitted', makeSubmission('cyberspace', { fines: 0.2 })),
    ];
    const plan = planFill(layout(), { campaign, statuses: only, fillDate: FILL_DATE });
    // In floating point 0.1 + 0.2 is 0.30000000000000004: the total must still be 0.3.
    expect(cell(plan.writes, 12, 4)).toEqual({ type: 'formula', formula: 'SUM(D5:D11)', result: 0.3, numFmt: '0.00##' });
    expect(plan.totals.fines).toBe(0.3);
    // Nobody reported inspectors: the total stays empty, not 0.
    expect(cell(plan.writes, 12, 3)).toEqual({ type: 'empty' });
    expect(plan.totals.inspectors).toBeUndefined();
    expect(exactSum('amount', [12.35, 0.1, 0.2, 3])).toBe(15.65);
    expect(sumFormula(3, [5, 6, 7, 9, 11, 12])).toBe('SUM(C5:C7,C9,C11:C12)');
  });

  it('names the departments the 合计 leaves out, and marks late ones', () => {
    const plan = planFill(layout(), { campaign, statuses: statuses(), fillDate: FILL_DATE });
    expect(cell(plan.writes, 12, 6)).toEqual({ type: 'text', value: '未含：区林业局、区税务局（未报送）' });
    expect(cell(plan.writes, 7, 6)).toEqual({ type: 'text', value: '逾期报送（2024年11月13日 09:30）' });
    expect(plan.missingLabels).toEqual(['检查网站平台网店']);
  });

  it('writes 未报送 in the first figure cell when there is no 备注 column', () => {
    const { noteCol: _none, ...rest } = layout();
    const plan = planFill(rest, { campaign, statuses: statuses(), fillDate: FILL_DATE });
    expect(cell(plan.writes, 9, 3)).toEqual({ type: 'text', value: '未报送' });
    expect(cell(plan.writes, 9, 4)).toEqual({ type: 'empty' });
    expect(plan.writes.filter((w) => w.row === 9 && w.col === 3)).toHaveLength(1);
  });

  it('adds rows above 合计 when the template lists no departments, numbering them', () => {
    const plan = planFill(layout({ departmentRows: {}, block: undefined, totalRow: 5, insertAt: 5, styleRow: 5 }), { campaign, statuses: statuses(), fillDate: FILL_DATE });
    expect(plan.insert).toEqual({ at: 5, count: 7, styleRow: 5 });
    campaign.departments.forEach((d, i) => {
      expect(cell(plan.writes, 5 + i, 1)).toEqual({ type: 'number', value: i + 1, numFmt: '0' });
      expect(cell(plan.writes, 5 + i, 2)).toEqual({ type: 'text', value: d.name });
    });
    expect(cell(plan.writes, 12, 5)).toMatchObject({ type: 'formula', formula: 'SUM(E5:E11)', result: 17 });
  });

  it('fills blank table rows before adding any', () => {
    const plan = planFill(layout({ departmentRows: { market: 5 }, blankRows: [6, 7, 8, 9, 10, 11] }), { campaign, statuses: statuses(), fillDate: FILL_DATE });
    expect(plan.insert).toBeUndefined();
    expect(cell(plan.writes, 11, 2)).toEqual({ type: 'text', value: '区税务局' });
  });

  it('keeps formula-like text a string', () => {
    const odd = { ...campaign, issuer: '=cmd|"/c calc"!A1' };
    const plan = planFill(layout({ issuerCell: { row: 2, col: 1, text: '填报单位：' } }), { campaign: odd, statuses: statuses(), fillDate: FILL_DATE });
    expect(cell(plan.writes, 2, 1)).toEqual({ type: 'text', value: '填报单位：=cmd|"/c calc"!A1' });
    expect(plan.writes.every((w) => w.content.type !== 'formula' || w.content.formula.startsWith('SUM('))).toBe(true);
  });
});

describe('writeMergedWorkbook into the official-like template', () => {
  let dir: string;
  let out: string;
  let result: Awaited<ReturnType<typeof writeMergedWorkbook>>;
  let template: ExcelJS.Workbook;
  let merged: ExcelJS.Workbook;
  beforeAll(async () => {
    dir = tmp();
    out = join(dir, '汇总.xlsx');
    result = await writeMergedWorkbook({ campaign: officialCampaign, statuses: statuses(), templatePath: OFFICIAL_LIKE, outPath: out, fillDate: FILL_DATE });
    template = await readBack(OFFICIAL_LIKE);
    merged = await readBack(out);
  });

  it('reports totals', () => {
    expect(result.sheetName).toBe('统计表');
    expect(result.notes).toEqual([]); // every unit listed, a 合计 row: nothing to say about the template
    expect(result.totals).toMatchObject({ cases_filed: 17, fines: 15.65, inspectors: 120 });
  });

  it('writes nothing when an indicator has no column, naming it, the unused headers and the closest one', async () => {
    const refused = join(dir, 'refused.xlsx');
    const error = await writeMergedWorkbook({ campaign, statuses: statuses(), templatePath: OFFICIAL_LIKE, outPath: refused, fillDate: FILL_DATE }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'merge/unmatched-indicators', exitCode: 1 });
    const message = (error as Error).message;
    expect(message).toContain('开展培训（场次）');
    expect(message).toContain('模板中没有用上的表头：“其他”、“校验”');
    expect(message).toContain('aliases:');
    expect(existsSync(refused)).toBe(false);
  });

  it('fills rows found by name, in the template order', () => {
    const ws = merged.getWorksheet('统计表') as ExcelJS.Worksheet;
    expect(at(ws, 8, 3).value).toBe(12); // 区市场监管局 立案
    expect(at(ws, 8, 5).value).toBe(12.35);
    expect(at(ws, 7, 6).value).toBe(2); // 黄山区公安分局 移送
    expect(at(ws, 10, 10).value).toBe('未报送'); // 区林业局
    for (let c = 3; c <= 8; c++) expect(at(ws, 10, c).value).toBeNull();
    expect(at(ws, 11, 10).value).toBe('逾期报送（2024年11月13日 09:30）');
    expect(at(ws, 11, 10).alignment.wrapText).toBe(true); // too long for the column: wrapped, row grown
    expect(at(ws, 12, 10).alignment.wrapText).toBeUndefined(); // the template's style elsewhere is untouched
    expect(at(ws, 7, 10).value).toBe('含网安大队数据'); // the template's own note stays
    expect(at(ws, 13, 3).value).toEqual({ formula: 'SUM(C6:C12)', result: 17 });
    expect(at(ws, 13, 5).value).toEqual({ formula: 'SUM(E6:E12)', result: 15.65 });
    expect(at(ws, 13, 5).numFmt).toBe('0.00'); // the template's own format wins
    expect(at(ws, 13, 10).value).toBe('未含：区林业局、区税务局（未报送）');
    expect(at(ws, 3, 8).value).toBe('填报日期：2024年11月12日');
    expect(at(ws, 3, 1).value).toBe('填报单位（盖章）：黄山区市场监督管理局');
  });

  it('keeps every other cell, style, merge, width and height of the template', async () => {
    const filled = new Set<string>();
    const layout = (await locateLayout(new Uint8Array(readFileSync(OFFICIAL_LIKE)), officialCampaign)) as Layout;
    const grown = new Set([11, 13]);
    for (const w of planFill(layout, { campaign: officialCampaign, statuses: statuses(), fillDate: FILL_DATE }).writes) filled.add(`${w.row}:${w.col}`);
    for (const name of ['统计表', '说明']) {
      const a = template.getWorksheet(name) as ExcelJS.Worksheet;
      const b = merged.getWorksheet(name) as ExcelJS.Worksheet;
      expect(b.model.merges.sort(), name).toEqual(a.model.merges.sort());
      expect(b.rowCount).toBe(a.rowCount);
      expect(b.columnCount).toBe(a.columnCount);
      for (let c = 1; c <= a.columnCount; c++) expect(b.getColumn(c).width, `${name} col ${c}`).toBe(a.getColumn(c).width);
      for (let r = 1; r <= a.rowCount; r++) {
        // A row may only grow, to show a wrapped note we wrote (the 合计 row's 未含：…).
        if (name === '统计表' && grown.has(r)) expect(b.getRow(r).height ?? 0).toBeGreaterThan(a.getRow(r).height ?? 0);
        else expect(b.getRow(r).height, `${name} row ${r}`).toBe(a.getRow(r).height);
        for (let c = 1; c <= a.columnCount; c++) {
          const ca = a.getCell(r, c);
          const cb = b.getCell(r, c);
          const where = `${name}!${ca.address}`;
          const { numFmt: fa, alignment: aa, ...sa } = ca.style;
          const { numFmt: fb, alignment: ab, ...sb } = cb.style;
          expect(sb, where).toEqual(sa);
          if (filled.has(`${r}:${c}`) && name === '统计表') {
            // A filled cell keeps its look, except a number format and wrapping for a long note.
            expect({ ...ab, wrapText: undefined }, where).toEqual({ ...aa, wrapText: undefined });
            continue;
          }
          expect(ab, where).toEqual(aa);
          if (ca.isMerged && ca.master !== ca) continue; // shows its master's value; merges compared above
          expect(fb, where).toEqual(fa);
          if (ca.type === ExcelJS.ValueType.Formula) expect(cb.formula, where).toBe(ca.formula);
          else expect(cb.value, where).toEqual(ca.value);
        }
      }
    }
    const s = merged.getWorksheet('统计表') as ExcelJS.Worksheet;
    expect(s.views[0]).toMatchObject({ state: 'frozen', xSplit: 2, ySplit: 5 });
    expect(s.pageSetup).toMatchObject({ orientation: 'landscape', fitToWidth: 1, fitToHeight: 0, horizontalCentered: true, printArea: 'A1:J16', printTitlesRow: '4:5' });
  });

  it('keeps shared formulas working (as plain formulas)', () => {
    const ws = merged.getWorksheet('统计表') as ExcelJS.Worksheet;
    for (let r = 6; r <= 12; r++) expect(at(ws, r, 11).formula).toBe(`IF(D${r}>C${r},"结案数大于立案数","")`);
  });

  it('keeps data validations, conditional formats, print titles, print area and names in the XML', async () => {
    const parts = await xlsxParts(readFileSync(out));
    const tParts = await xlsxParts(readFileSync(OFFICIAL_LIKE));
    const sheet = parts.get('xl/worksheets/sheet1.xml') ?? '';
    const tSheet = tParts.get('xl/worksheets/sheet1.xml') ?? '';
    const grab = (xml: string, re: RegExp) => xml.match(re)?.[0];
    for (const re of [/<dataValidations[\s\S]*?<\/dataValidations>/, /<conditionalFormatting[\s\S]*?<\/conditionalFormatting>/, /<extLst>[\s\S]*<\/extLst>/, /<printOptions[^>]*>/, /<pageMargins[^>]*>/]) {
      expect(grab(sheet, re), String(re)).toBe(grab(tSheet, re));
      expect(grab(sheet, re)).toBeDefined();
    }
    expect(sheet).toContain('<xm:f>说明!$A$2:$A$3</xm:f>');
    // The grafted validation carries Excel's xr:uid: its namespace is declared on the root.
    expect(sheet).toContain('xr:uid="{0A1B2C3D-4E5F-4061-8273-9405A6B7C8D9}"');
    expect(sheet).toMatch(/<worksheet [^>]*xmlns:xr="http:\/\/schemas.microsoft.com\/office\/spreadsheetml\/2014\/revision"/);
    expect(sheet).toMatch(/<worksheet [^>]*mc:Ignorable="x14ac xr xr2 xr3"/);
    const book = parts.get('xl/workbook.xml') ?? '';
    expect(book).toContain('<definedName name="_xlnm.Print_Area" localSheetId="0">统计表!$A$1:$J$16</definedName>');
    expect(book).toContain('<definedName name="_xlnm.Print_Titles" localSheetId="0">统计表!$4:$5</definedName>');
    expect(book).toContain('<definedName name="统计数据">统计表!$C$6:$H$12</definedName>');
    expect(book).toMatch(/fullCalcOnLoad="1"/);
    // The added sheets keep their own print titles.
    expect(book).toMatch(/<definedName name="_xlnm.Print_Titles" localSheetId="2">(?:'|&apos;)典型案例(?:'|&apos;)!\$1:\$2<\/definedName>/);
    // The conditional format's red font is still the dxf it points at.
    expect(grab(parts.get('xl/styles.xml') ?? '', /<dxfs[\s\S]*?<\/dxfs>/)).toBe(grab(tParts.get('xl/styles.xml') ?? '', /<dxfs[\s\S]*?<\/dxfs>/));
    // Our own x14 uids never appear: nothing random in the file.
    expect(sheet).not.toMatch(/x14:id/);
  });

  it('adds the four summary sheets after the template sheets', () => {
    expect(merged.worksheets.map((w) => w.name)).toEqual(['统计表', '说明', '典型案例', '重点任务落实', '报送情况', '工作总结']);
    const cases = merged.getWorksheet('典型案例') as ExcelJS.Worksheet;
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((c) => at(cases, 2, c).value)).toEqual(
      ['序号', '单位', '任务序号', '任务类别', '案例名称', '日期', '基本案情', '处理结果', '罚没款（万元）', '是否曝光']);
    expect(at(cases, 3, 5).value).toBe('@SUM(A1)'); // task 1 before task 2
    expect(at(cases, 4, 9).value).toBe(1.5);
    expect(at(cases, 4, 10).value).toBe('是');
    const tasks = merged.getWorksheet('重点任务落实') as ExcelJS.Worksheet;
    expect([1, 2, 3, 4, 5, 6, 7].map((c) => at(tasks, 2, c).value)).toEqual(
      ['序号', '类别', '任务', '责任单位', '报送单位', '落实情况', '未填写的责任单位']);
    expect(at(tasks, 5, 4).value).toBe('各有关单位');
    expect(at(tasks, 5, 5).value).toBe('区市场监管局');
    expect(at(tasks, 5, 6).value).toBe('=开展普法宣传 3 场');
    expect(at(tasks, 5, 6).type).toBe(ExcelJS.ValueType.String);
    expect(String(at(tasks, 4, 7).value)).toBe('区市场监管局');
    expect(String(at(tasks, 5, 7).value)).toContain('区林业局（未报送）');
    // The body looks like the header's table: 仿宋 11, boxed, wrapped; task cells from the top.
    expect(at(tasks, 5, 6).font).toMatchObject({ name: '仿宋', size: 11 });
    expect(at(tasks, 5, 6).border).toMatchObject({ top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } });
    expect(at(tasks, 5, 6).alignment).toMatchObject({ horizontal: 'left', vertical: 'middle', wrapText: true });
    expect(at(tasks, 5, 3).alignment).toMatchObject({ horizontal: 'left', vertical: 'top', wrapText: true });
    expect(at(cases, 4, 9).numFmt).toBe('0.00##');
    expect(tasks.getColumn(6).width).toBe(60);
    expect(tasks.pageSetup).toMatchObject({ orientation: 'landscape', paperSize: 9, fitToWidth: 1, printTitlesRow: '1:2' });
    expect(tasks.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    const register = merged.getWorksheet('报送情况') as ExcelJS.Worksheet;
    expect(at(register, 7, 3).value).toBe('未报送');
    expect(at(register, 7, 5).value).toBe('联系人：钱七');
    expect(at(register, 7, 7).value).toBe('0559-8510030');
    expect(at(register, 3, 9).value).toBe('ab'.repeat(32));
    expect(at(register, 3, 10).value).toBe(2);
    const summary = merged.getWorksheet('工作总结') as ExcelJS.Worksheet;
    expect(at(summary, 7, 2).value).toBe('（未报送）');
  });

  it('stores text that looks like a formula as a string', async () => {
    const cases = merged.getWorksheet('典型案例') as ExcelJS.Worksheet;
    for (const [r, c] of [[3, 5], [4, 5], [4, 7], [4, 8]] as const) expect(at(cases, r, c).type).toBe(ExcelJS.ValueType.String);
    const parts = await xlsxParts(readFileSync(out));
    const sheets = [...parts].filter(([k]) => k.startsWith('xl/worksheets/')).map(([, v]) => v).join('');
    expect(sheets).not.toMatch(/<f>[^<]*HYPERLINK/);
    expect(sheets).toContain('t="inlineStr"><is><t>=HYPERLINK("http://example.invalid","点我")</t></is>');
  });

  it('gives the same bytes on a second run', async () => {
    const again = join(dir, 'again.xlsx');
    await new Promise((r) => setTimeout(r, 2100));
    await writeMergedWorkbook({ campaign: officialCampaign, statuses: statuses(), templatePath: OFFICIAL_LIKE, outPath: again, fillDate: FILL_DATE });
    expect(Buffer.compare(readFileSync(out), readFileSync(again))).toBe(0);
  });
});

describe('writeMergedWorkbook into a template without calcPr', () => {
  it('adds calcPr where CT_Workbook puts it: before fileRecoveryPr and extLst', async () => {
    const dir = tmp();
    const zip = await JSZip.loadAsync(readFileSync(OFFICIAL_LIKE));
    const book = (await zip.file('xl/workbook.xml')?.async('string')) ?? '';
    expect(book).toMatch(/<calcPr [^>]*\/>/);
    zip.file('xl/workbook.xml', book.replace(/<calcPr [^>]*\/>/, '<fileRecoveryPr repairLoad="1"/><extLst><ext uri="{00000000-0000-0000-0000-000000000000}"/></extLst>'));
    const path = join(dir, 'no-calc.xlsx');
    writeFileSync(path, await zip.generateAsync({ type: 'nodebuffer' }));
    const out = join(dir, 'out.xlsx');
    await writeMergedWorkbook({ campaign: officialCampaign, statuses: statuses(), templatePath: path, outPath: out, fillDate: FILL_DATE });
    const merged = (await xlsxParts(readFileSync(out))).get('xl/workbook.xml') ?? '';
    expect(merged).toMatch(/<\/definedNames><calcPr fullCalcOnLoad="1"\/><fileRecoveryPr repairLoad="1"\/><extLst>/);
  });
});

describe('writeMergedWorkbook into a table whose sheet name has an apostrophe', () => {
  it("moves other sheets' references to it, where formulas write the name quoted: '表''一'!B2", async () => {
    const dir = tmp();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("表'一");
    ['单位', '立案（件）', '罚没款（万元）', '结案（件）', '备注'].forEach((t, i) => { ws.getCell(1, i + 1).value = t; });
    ws.getCell('A2').value = '合计';
    wb.addWorksheet('说明').getCell('A1').value = { formula: "'表''一'!B2*2", result: 0 };
    const path = join(dir, 'quoted.xlsx');
    await wb.xlsx.writeFile(path);
    const bare = { ...campaign, indicators: campaign.indicators.filter((i) => ['cases_filed', 'fines', 'cases_closed'].includes(i.id)) };
    const out = join(dir, 'out.xlsx');
    await writeMergedWorkbook({ campaign: bare, statuses: statuses(), templatePath: path, outPath: out, fillDate: FILL_DATE });
    const back = await readBack(out);
    expect(back.getWorksheet("表'一")?.getCell(2 + campaign.departments.length, 1).value).toBe('合计');
    expect(back.getWorksheet('说明')?.getCell('A1').formula).toBe(`'表''一'!B${2 + campaign.departments.length}*2`);
  });
});

describe('writeMergedWorkbook beside a workbook whose structure is locked', () => {
  it('writes the generated sheets to a second file, the same bytes whenever it runs, dated by the fill date', async () => {
    const dir = tmp();
    const zip = await JSZip.loadAsync(await workbookBytes(buildTemplate(campaign), templateDate(campaign)));
    const book = (await zip.file('xl/workbook.xml')?.async('string')) ?? '';
    zip.file('xl/workbook.xml', book.replace('<sheets>', '<workbookProtection lockStructure="1"/><sheets>'));
    const path = join(dir, 'locked.xlsx');
    writeFileSync(path, await zip.generateAsync({ type: 'nodebuffer' }));
    const runAt = async (name: string, now: string) => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date(now));
      try {
        return await writeMergedWorkbook({ campaign, statuses: statuses(), templatePath: path, outPath: join(dir, name), fillDate: FILL_DATE });
      } finally {
        vi.useRealTimers();
      }
    };
    const a = await runAt('a.xlsx', '2025-01-01T08:00:00Z');
    const b = await runAt('b.xlsx', '2025-03-04T09:10:11Z');
    expect(a.secondFile).toBe(join(dir, 'a（附表）.xlsx'));
    expect(Buffer.compare(readFileSync(a.secondFile as string), readFileSync(b.secondFile as string))).toBe(0);
    const core = (await xlsxParts(readFileSync(a.secondFile as string))).get('docProps/core.xml') ?? '';
    expect(core).toContain('2024-11-11T16:00:00Z</dcterms:modified>');
  });
});

describe('writeMergedWorkbook inserting rows, with another sheet that only may mention the table', () => {
  it('keeps that sheet byte for byte when nothing in it refers to the table (a character reference is only a maybe)', async () => {
    const dir = tmp();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('表一');
    ['单位', '立案（件）', '罚没款（万元）', '结案（件）', '备注'].forEach((t, i) => { ws.getCell(1, i + 1).value = t; });
    ws.getCell('A2').value = '合计';
    wb.addWorksheet('说明').getCell('A1').value = { formula: 'B1*2', result: 0 };
    const zip = await JSZip.loadAsync(await wb.xlsx.writeBuffer());
    const other = (await zip.file('xl/worksheets/sheet2.xml')?.async('string')) ?? '';
    const edited = other.replace('</sheetData>', '<row r="5"><c r="A5" t="inlineStr"><is><t>&#32479;&#35745;</t></is></c></row></sheetData>');
    expect(edited).not.toBe(other);
    zip.file('xl/worksheets/sheet2.xml', edited);
    const path = join(dir, 'maybe.xlsx');
    writeFileSync(path, await zip.generateAsync({ type: 'nodebuffer' }));
    const bare = { ...campaign, indicators: campaign.indicators.filter((i) => ['cases_filed', 'fines', 'cases_closed'].includes(i.id)) };
    const out = join(dir, 'out.xlsx');
    await writeMergedWorkbook({ campaign: bare, statuses: statuses(), templatePath: path, outPath: out, fillDate: FILL_DATE });
    expect((await readBack(out)).getWorksheet('表一')?.getCell(2 + campaign.departments.length, 1).value).toBe('合计'); // rows were inserted
    expect((await xlsxParts(readFileSync(out))).get('xl/worksheets/sheet2.xml')).toBe(edited);
  });
});

describe('writeMergedWorkbook with the default template', () => {
  it('fills it and stays reproducible', async () => {
    const dir = tmp();
    const a = join(dir, 'a.xlsx');
    const b = join(dir, 'b.xlsx');
    const r = await writeMergedWorkbook({ campaign, statuses: statuses(), outPath: a, fillDate: FILL_DATE });
    await writeMergedWorkbook({ campaign, statuses: statuses(), outPath: b, fillDate: FILL_DATE });
    expect(Buffer.compare(readFileSync(a), readFileSync(b))).toBe(0);
    expect(r.notes).toEqual([]); // the default template fits the campaign: nothing to say about it
    const ws = (await readBack(a)).getWorksheet('统计表') as ExcelJS.Worksheet;
    const total = 5 + campaign.departments.length;
    expect(at(ws, total, 7).value).toEqual({ formula: 'SUM(G5:G11)', result: 15.65 });
    expect(at(ws, total, 9).value).toEqual({ formula: 'SUM(I5:I11)', result: 3 });
    expect(at(ws, 2, 1).value).toBe('填报单位（盖章）：黄山区市场监督管理局');
    // The late department's wrapped note made its row taller; the others keep 24.
    expect(at(ws, 7, 10).value).toBe('逾期报送（2024年11月13日 09:30）');
    expect(ws.getRow(7).height).toBeGreaterThan(24);
    expect(ws.getRow(6).height).toBe(24);
    const line = Array.from({ length: ws.columnCount }, (_, i) => String(at(ws, 2, i + 1).value ?? '')).join('|');
    expect(line).toContain('|填报日期：2024年11月12日');
  });

  it('rejects a template without a statistics sheet, and an unreadable one', async () => {
    const dir = tmp();
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('其他').getCell('A1').value = '无关内容';
    const empty = join(dir, 'empty.xlsx');
    await wb.xlsx.writeFile(empty);
    await expect(writeMergedWorkbook({ campaign, statuses: [], templatePath: empty, outPath: join(dir, 'o.xlsx'), fillDate: FILL_DATE }))
      .rejects.toMatchObject({ code: 'usage/template-no-sheet' });
    const junk = join(dir, 'junk.xlsx');
    writeFileSync(junk, 'not a zip');
    await expect(writeMergedWorkbook({ campaign, statuses: [], templatePath: junk, outPath: join(dir, 'o.xlsx'), fillDate: FILL_DATE }))
      .rejects.toMatchObject({ code: 'template/not-xlsx' });
  });
});

describe('writeMergedWorkbook into a template without department rows', () => {
  it('inserts rows above 合计, moves merges, names and validations below them, keeps template sheets', async () => {
    const dir = tmp();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('表一', { pageSetup: { printArea: 'A1:E6', printTitlesRow: '2:2' } });
    ws.mergeCells('A1:E1');
    ws.getCell('A1').value = '情况统计表';
    ['单位', '立案（件）', '罚没款（万元）', '结案（件）', '备注'].forEach((t, i) => { ws.getCell(2, i + 1).value = t; });
    ws.getCell('A3').value = '合计';
    for (let c = 1; c <= 5; c++) {
      ws.getCell(3, c).border = { top: { style: 'thin' }, bottom: { style: 'thin' }, left: { style: 'thin' }, right: { style: 'thin' } };
      ws.getCell(3, c).font = { name: '仿宋_GB2312', size: 14 };
    }
    ws.getRow(3).height = 30;
    ws.mergeCells('A5:E5');
    ws.getCell('A5').value = '填表人：            填报日期：';
    ws.getCell('A6').value = { formula: 'B3*2', result: 0 };
    ws.dataValidations.add('B5:B5', { type: 'whole', operator: 'greaterThanOrEqual', formulae: [0], allowBlank: true });
    wb.addWorksheet('工作总结').getCell('A1').value = '模板自带的总结页';
    const path = join(dir, 'bare.xlsx');
    await wb.xlsx.writeFile(path);

    const out = join(dir, 'out.xlsx');
    // The campaign as this table has it: 立案, 罚没款 and 结案.
    const bare = { ...campaign, indicators: campaign.indicators.filter((i) => ['cases_filed', 'fines', 'cases_closed'].includes(i.id)) };
    const result = await writeMergedWorkbook({ campaign: bare, statuses: statuses(), templatePath: path, outPath: out, fillDate: FILL_DATE });
    expect(result.totals.cases_filed).toBe(17);
    const book = await readBack(out);
    // A template sheet is never replaced: ours takes a suffixed name.
    expect(book.worksheets.map((w) => w.name)).toEqual(['表一', '工作总结', '典型案例', '重点任务落实', '报送情况', '工作总结(汇总)']);
    expect(book.getWorksheet('工作总结')?.getCell('A1').value).toBe('模板自带的总结页');
    const back = book.getWorksheet('表一') as ExcelJS.Worksheet;
    campaign.departments.forEach((d, i) => {
      expect(at(back, 3 + i, 1).value).toBe(d.name);
      expect(at(back, 3 + i, 1).font).toMatchObject({ name: '仿宋_GB2312', size: 14 });
      expect(back.getRow(3 + i).height).toBeGreaterThanOrEqual(30); // grown where a long name wraps in the narrow column
    });
    expect(at(back, 10, 1).value).toBe('合计');
    expect(at(back, 10, 2).value).toEqual({ formula: 'SUM(B3:B9)', result: 17 });
    expect(back.model.merges.sort()).toEqual(['A12:E12', 'A1:E1'].sort());
    expect(at(back, 12, 1).value).toBe('填表人：            填报日期：2024年11月12日');
    expect(at(back, 13, 1).formula).toBe('B10*2');
    const parts = await xlsxParts(readFileSync(out));
    // The print area moves down with the rows (exceljs itself wrote the template's rows without $).
    expect(parts.get('xl/workbook.xml')).toContain("'表一'!$A1:$E13");
    expect(parts.get('xl/worksheets/sheet1.xml')).toMatch(/sqref="B12(:B12)?"/);
  });
});
