/**
 * Earlier rounds (issue 22) end to end: last year's table as our own merge output
 * (data/previous, made by data/previous/make.mjs) and as an official table filled by hand and
 * saved by LibreOffice (fixtures/history/make-handmade.py); the warnings against history at
 * the figure's line or cell, status's list, the 同比 sheet and the 总结's sentences.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { runCli, runCliJson, tempCopy, tempDir, type ValidateJson } from './helpers/exec.js';
import { CAMPAIGN_FILE, REPO, SAMPLE_SUBMISSIONS, fixture } from './helpers/paths.js';

const AS_OF = ['--as-of', '2024-11-15T09:00+08:00'];
const OWN = join(REPO, 'data', 'previous', '2023网络市场监管专项行动情况统计表.xlsx');
const HANDMADE = fixture('history', '2023年手工填报统计表.xlsx');

/** The sample submissions with some figures changed: `edits` is file → indicator → new text. */
function editedSamples(edits: Record<string, Record<string, string>>): string {
  const dir = tempCopy(SAMPLE_SUBMISSIONS, 'history-');
  for (const [file, figures] of Object.entries(edits)) {
    let text = readFileSync(join(dir, file), 'utf8');
    for (const [id, value] of Object.entries(figures)) text = text.replace(new RegExp(`^(  ${id}:).*$`, 'm'), `$1 ${value}`);
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

type Found = ValidateJson['files'][number]['diagnostics'][number] & { sheet?: string; cell?: string };
const historyFindings = (json: ValidateJson, file: string): Found[] =>
  json.files.find((f) => f.file.endsWith(file))!.diagnostics.filter((d) => d.code.startsWith('history/'));

describe('validate against last year', () => {
  it('warns at the line and column of a figure more than ten times last year, saying last year’s value and where it came from', () => {
    const r = runCli(['validate', join(SAMPLE_SUBMISSIONS, '区文旅体局.yaml'), '--previous', OWN]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('区文旅体局.yaml:10:15 警告 [history/ratio-up] “出动执法人员”218人次是本单位2023年14人次（');
    expect(r.stdout).toContain('2023网络市场监管专项行动情况统计表.xlsx 统计表!C7）的 15.6 倍（超过 10 倍）');
    expect(r.stderr).toContain('上期数据：2023年');
    // The same file without the earlier round: no such warning.
    expect(runCli(['validate', join(SAMPLE_SUBMISSIONS, '区文旅体局.yaml')]).stdout).not.toContain('history/');
  });

  it('fails with --strict on a warning against history', () => {
    const r = runCli(['validate', join(SAMPLE_SUBMISSIONS, '区文旅体局.yaml'), '--previous', OWN, '--strict']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('history/ratio-up');
  });

  it('warns about a figure under a tenth of last year, a 金额 ×10,000 or ÷10,000 of it, but not 1 → 12 (the floor)', () => {
    const dir = editedSamples({
      '区公安分局.yaml': { inspectors: '30', fines: '0.0003' },
      '区市场监管局.yaml': { fines: '634825', sites_closed: '12' },
      '区商务局.yaml': { sites_rectified: '25' },
    });
    const { json } = runCliJson<ValidateJson>(['validate', dir, '--previous', OWN, '--json']);
    const police = historyFindings(json, '区公安分局.yaml');
    expect(police.map((d) => [d.code, d.line, d.column])).toEqual([
      ['history/ratio-down', 10, 15],
      ['history/unit-slip-down', 20, 10],
    ]);
    expect(police[0]!.message).toContain('“出动执法人员”30人次只有本单位2023年365人次（');
    expect(police[1]!.message).toContain('约为本单位2023年2.8万元（');
    expect(police[1]!.message).toContain('万分之一');
    const market = historyFindings(json, '区市场监管局.yaml');
    // 634825 万元 against 51.406: 元 typed as 万元; sites_closed 1 → 12 stays under the floor of 20.
    expect(market.map((d) => [d.code, d.line])).toEqual([['history/unit-slip-up', 20]]);
    expect(market[0]!.message).toContain('像是按“元”填成了“万元”');
    expect(market[0]!.message).toContain('51.406万元');
    // 1 → 25: over the floor, so it is said.
    expect(historyFindings(json, '区商务局.yaml').map((d) => d.code)).toEqual(['history/ratio-up']);
  });

  it('warns at the sheet and cell of a workbook submission; last year’s table filled by hand and saved by LibreOffice', () => {
    const { json, stderr } = runCliJson<ValidateJson>(['validate', join(SAMPLE_SUBMISSIONS, '区委网信办.xlsx'), '--previous', HANDMADE, '--json']);
    const found = historyFindings(json, '区委网信办.xlsx');
    expect(found.map((d) => [d.code, d.sheet, d.cell])).toEqual([['history/ratio-up', '统计表', 'B5']]);
    expect(found[0]!.message).toContain('2023年5人次（');
    expect(found[0]!.message).toContain('2023年手工填报统计表.xlsx Sheet1!D5）');
    // What could not be matched is listed, never guessed.
    expect(stderr).toContain('表中以下单位不是本次活动的单位，未使用：区住建局');
    expect(stderr).toContain('表中没有以下单位，无上期数据：区林业局、区税务局');
    expect(stderr).toContain('表中找不到以下指标的列，这些指标无上期数据：制定制度规定');
  });

  it('reads the hand-filled table by meaning: full names, an alias column, text with a thousands comma, a dash for blank', () => {
    // 黄山区市场监督管理局's 出动执法人员 is the text “1,052”: 1286 against it is no warning, 12 is.
    const dir = editedSamples({ '区市场监管局.yaml': { inspectors: '12', fines: '634825' } });
    const { json } = runCliJson<ValidateJson>(['validate', join(dir, '区市场监管局.yaml'), '--previous', HANDMADE, '--json']);
    const found = historyFindings(json, '区市场监管局.yaml');
    expect(found.map((d) => d.code)).toEqual(['history/ratio-down', 'history/unit-slip-up']);
    expect(found[0]!.message).toContain('2023年1052人次');
    // 罚没金额 is 罚没款's alias: its column C.
    expect(found[1]!.message).toContain('Sheet1!C4');
    // 区公安分局's 检查网站平台网店 is “—” last year: blank, no comparison at all.
    const police = editedSamples({ '区公安分局.yaml': { platforms_checked: '9999' } });
    const p = runCliJson<ValidateJson>(['validate', join(police, '区公安分局.yaml'), '--previous', HANDMADE, '--json']).json;
    expect(historyFindings(p, '区公安分局.yaml')).toEqual([]);
    // No year in the file's name: the period is the year in the table's title.
    const renamed = join(tempDir(), '上年统计表.xlsx');
    writeFileSync(renamed, readFileSync(HANDMADE));
    expect(runCli(['validate', join(SAMPLE_SUBMISSIONS, '区商务局.yaml'), '--previous', renamed]).stderr).toContain('上期数据：2023年，取自');
  });

  it('takes the rounds and the thresholds from the campaign (paths relative to it), z-scores among this round’s departments', () => {
    const dir = tempDir('history-campaign-');
    writeFileSync(join(dir, '上年.xlsx'), readFileSync(OWN));
    // Lower thresholds than the defaults: the sample has six departments.
    writeFileSync(join(dir, 'campaign.yaml'), `${readFileSync(CAMPAIGN_FILE, 'utf8')}\nprevious:\n  - file: 上年.xlsx\n    period: 2023年度\nhistory:\n  ratio: 20\n  min_departments: 5\n  z: 1.9\n`);
    const { json } = runCliJson<ValidateJson>(['validate', SAMPLE_SUBMISSIONS, '--campaign', join(dir, 'campaign.yaml'), '--json']);
    // 15.6 times is under the campaign's ratio of 20.
    expect(historyFindings(json, '区文旅体局.yaml')).toEqual([]);
    const market = historyFindings(json, '区市场监管局.yaml');
    expect(market.length).toBeGreaterThan(0);
    expect(market.every((d) => d.code === 'history/outlier')).toBe(true);
    expect(market[0]!.message).toMatch(/远离本期各单位的水平（\d+ 个单位平均 [\d.]+.+，偏离 [\d.]+ 个标准差）；本单位2023年度为 /);
    expect(market[0]!.message).toContain('上年.xlsx 统计表!');
    // status points at the whole folder for a z-score: the one file alone has no others to compare with.
    const status = runCli(['status', ...AS_OF, '--campaign', join(dir, 'campaign.yaml')]);
    expect(status.stdout).toMatch(/区市场监管局（区市场监管局\.yaml）：\d+ 条，查看：report validate data\/submissions --campaign /);
  });

  it('refuses an earlier round that is missing or no statistics table, with why (exit 2)', () => {
    const missing = runCli(['validate', SAMPLE_SUBMISSIONS, '--previous', 'no-such.xlsx']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('找不到上期统计表：no-such.xlsx');
    const notTable = join(tempDir(), '上年.xlsx');
    writeFileSync(notTable, 'not a workbook');
    const bad = runCli(['validate', SAMPLE_SUBMISSIONS, '--previous', notTable]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('无法读取上期统计表');
    expect(bad.stderr).not.toMatch(/at .*\.js/);
    // A workbook without a statistics table (a fill-in form whose 统计表 was deleted).
    const noTable = runCli(['validate', SAMPLE_SUBMISSIONS, '--previous', fixture('workbooks', 'xlsx-deleted-statistics', '区林业局.xlsx')]);
    expect(noTable.code).toBe(2);
    expect(noTable.stderr).toContain('工作簿中找不到统计表（含“单位”表头和指标名称的工作表）；工作表：基本信息、重点任务');
    // Named in the campaign, relative to it.
    const dir = tempDir('history-campaign-');
    writeFileSync(join(dir, 'campaign.yaml'), `${readFileSync(CAMPAIGN_FILE, 'utf8')}\nprevious:\n  - file: 上年/没有这个文件.xlsx\n    period: 2023年\n`);
    const named = runCli(['status', ...AS_OF, '--campaign', join(dir, 'campaign.yaml')]);
    expect(named.code).toBe(2);
    expect(named.stderr).toContain('找不到上期统计表：上年/没有这个文件.xlsx');
  });
});

describe('cells of an earlier round that are not figures', () => {
  it('are read as blank and listed with their cells (12人次, an error value)', () => {
    const units = runCli(['validate', join(SAMPLE_SUBMISSIONS, '区商务局.yaml'), '--previous', fixture('workbooks', 'xlsx-unit-in-number', '区林业局.xlsx')]);
    expect(units.code).toBe(0);
    expect(units.stderr).toContain('以下 1 个单元格不是数字，按空白处理：统计表!C5');
    const errors = runCli(['validate', join(SAMPLE_SUBMISSIONS, '区商务局.yaml'), '--previous', fixture('workbooks', 'xlsx-error-value', '区林业局.xlsx')]);
    expect(errors.stderr).toContain('以下 2 个单元格不是数字，按空白处理：统计表!C5、统计表!E5');
  });
});

describe('status with last year', () => {
  it('lists the received files that carry warnings against history, with the command to see them', () => {
    const r = runCli(['status', ...AS_OF, '--previous', OWN]);
    expect(r.stdout).toContain('以下文件的数字与上期相比有疑问（1 个文件），请在汇总前与单位核实：');
    expect(r.stdout).toMatch(/区文旅体局（区文旅体局\.yaml）：1 条，查看：report validate data\/submissions\/区文旅体局\.yaml --previous .*2023网络市场监管专项行动情况统计表\.xlsx/);
    const json = runCliJson<{ historyWarnings: { file: string; department: string; count: number }[] }>(['status', ...AS_OF, '--previous', OWN, '--json']).json;
    expect(json.historyWarnings).toEqual([{ file: '区文旅体局.yaml', department: 'culture_tourism', count: 1, amongPeers: false, name: '区文旅体局' }]);
  });
});

/** A sheet's rows as eight values each; a cell covered by a merge (not its first) is null. */
function rowsOf(ws: ExcelJS.Worksheet): unknown[][] {
  const rows: unknown[][] = [];
  for (let r = 1; r <= ws.rowCount; r++)
    rows.push(Array.from({ length: 8 }, (_, c) => {
      const cell = ws.getCell(r, c + 1);
      return cell.type === ExcelJS.ValueType.Merge ? null : (cell.value ?? null);
    }));
  return rows;
}

describe('merge and pack with last year', () => {
  it('adds a 同比 sheet: this round, last round, change and percent per department and total; blanks say why', async () => {
    const out = join(tempDir(), '汇总表.xlsx');
    const r = runCli(['merge', ...AS_OF, '--out', out, '--previous', OWN]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('1 个单位的数字与上期相比有疑问');
    expect(r.stdout).toContain('另附“同比”工作表：与2023年（');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['统计表', '典型案例', '重点任务落实', '报送情况', '工作总结', '同比']);
    const rows = rowsOf(wb.getWorksheet('同比')!);
    expect(rows[0]![0]).toBe('黄山区2024网络市场监管促发展保安全专项行动同比情况表（上期：2023年）');
    expect(rows[1]).toEqual(['指标', '计量单位', '单位', '本期', '上期', '增减', '增减幅度（%）', '说明']);
    const inspectors = rows.slice(2, 10);
    expect(inspectors).toEqual([
      ['出动执法人员', '人次', '区市场监管局', 1286, 1052, 234, 22.2, null],
      [null, null, '区委网信办', 64, 58, 6, 10.3, null],
      [null, null, '区文旅体局', 218, 14, 204, 1457.1, null],
      [null, null, '区公安分局', 412, 365, 47, 12.9, null],
      [null, null, '区林业局', null, 36, null, null, '本期未报送'],
      [null, null, '区商务局', 46, 40, 6, 15, null],
      [null, null, '区税务局', null, null, null, null, '本期未填，上期未报送'],
      [null, null, '合计（两期均有数据的单位）', 2026, 1529, 497, 32.5, '不含：区林业局（本期未报送）'],
    ]);
    const platforms = rows.slice(10, 18);
    expect(platforms[3]).toEqual([null, null, '区公安分局', 185, null, null, null, '上期未填']);
    expect(platforms[7]).toEqual([null, null, '合计（两期均有数据的单位）', 2890, 2358, 532, 22.6, '不含：区公安分局（上期未填）、区林业局（本期未报送）']);
    const fines = rows.find((row) => row[0] === '罚没款')!;
    expect(fines).toEqual(['罚没款', '万元', '区市场监管局', 63.4825, 51.406, 12.0765, 23.5, null]);
  });

  it('takes several earlier rounds, newest first; 同比 is against the newest, a warning against the newest that has the figure', async () => {
    const dir = tempDir();
    const older = join(dir, '2022年统计表.xlsx');
    writeFileSync(older, readFileSync(HANDMADE)); // its file name gives its period
    const out = join(dir, '汇总表.xlsx');
    const r = runCli(['merge', ...AS_OF, '--out', out, '--previous', older, '--previous', OWN]);
    expect(r.code).toBe(0);
    expect(r.stderr.indexOf('上期数据：2023年')).toBeGreaterThanOrEqual(0);
    expect(r.stderr.indexOf('上期数据：2022年')).toBeGreaterThan(r.stderr.indexOf('上期数据：2023年'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.getWorksheet('同比')!.getCell(1, 1).value).toBe('黄山区2024网络市场监管促发展保安全专项行动同比情况表（上期：2023年）');
    // 区公安分局's 检查网站平台网店 is blank in 2023 and “—” in 2022: no figure to compare with in either.
    const police = editedSamples({ '区公安分局.yaml': { platforms_checked: '9999' } });
    const { json } = runCliJson<ValidateJson>(['validate', join(police, '区公安分局.yaml'), '--previous', older, '--previous', OWN, '--json']);
    expect(historyFindings(json, '区公安分局.yaml')).toEqual([]);
    // 区委网信办's 出动执法人员: 58 in 2023 (no warning for 64), though 2022's 5 would have given one.
    const cyber = runCliJson<ValidateJson>(['validate', join(SAMPLE_SUBMISSIONS, '区委网信办.xlsx'), '--previous', older, '--previous', OWN, '--json']).json;
    expect(historyFindings(cyber, '区委网信办.xlsx')).toEqual([]);
  });

  it('has no 同比 sheet without an earlier round', async () => {
    const out = join(tempDir(), '汇总表.xlsx');
    expect(runCli(['merge', ...AS_OF, '--out', out]).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.getWorksheet('同比')).toBeUndefined();
  });

  it('states 同比 in the 总结 only over departments in both rounds, naming the ones left out', async () => {
    const outDir = join(tempDir(), 'out');
    const r = runCli(['pack', ...AS_OF, '--out', outDir, '--previous', OWN]);
    expect(r.code).toBe(0);
    const folder = join(outDir, '黄山区2024网络市场监管促发展保安全专项行动');
    const docx = await JSZip.loadAsync(readFileSync(join(folder, '黄山区市场监督管理局-专项行动总结（汇总稿）.docx')));
    const text = (await docx.file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, '');
    expect(text).toContain('与2023年相比（按两期均有数据的单位计算，不含本期未报送的区林业局、上期未报送的区税务局），出动执法人员2026人次，同比增长32.5%；');
    // A blank last year: the comparison leaves that department out, and says so.
    expect(text).toContain('检查网站平台网店2890个次，同比增长22.6%（不含区公安分局上期未填）');
    expect(text).toContain('罚没款68.2825万元，同比增长23.1%');
    expect(text).toContain('不合格5批次，同比下降16.7%');
    expect(text).toContain('提请关闭网站4个次，与上期持平');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(folder, '黄山区市场监督管理局-2024网络市场监管专项行动情况统计表.xlsx'));
    expect(wb.getWorksheet('同比')).toBeDefined();
  });

  it('compares with the hand-filled table too: its 区住建局 row is not used and an unmatched indicator gets no 同比', async () => {
    const out = join(tempDir(), '汇总表.xlsx');
    const r = runCli(['merge', ...AS_OF, '--out', out, '--previous', HANDMADE]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('区住建局');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const rows = rowsOf(wb.getWorksheet('同比')!);
    expect(rows.find((row) => row[2] === '区市场监管局' && row[0] === '出动执法人员')).toEqual(['出动执法人员', '人次', '区市场监管局', 1286, 1052, 234, 22.2, null]);
    const regulations = rows.findIndex((row) => row[0] === '制定制度规定');
    expect(rows[regulations]![7]).toBe('上期表中无此指标');
    expect(rows[regulations + 7]).toEqual([null, null, '合计（两期均有数据的单位）', null, null, null, null, '没有两期均有数据的单位，不作比较']);
  });
});

describe('an issued template with 上年同期 columns', () => {
  it('fills them with last year’s figures (blank stays blank) and their 合计, leaving the rest of the template as issued', async () => {
    const out = join(tempDir(), '汇总表.xlsx');
    const r = runCli(['merge', ...AS_OF, '--out', out, '--template', fixture('history', '上年同期模板.xlsx'), '--previous', OWN]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('模板中的上年同期列已按2023年的数字填写：出动执法人员、罚没款');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const ws = wb.getWorksheet('统计表')!;
    const rowOf = (name: string) => Array.from({ length: ws.rowCount }, (_, i) => i + 1).find((r) => ws.getCell(r, 2).value === name)!;
    const past = (name: string) => [ws.getCell(rowOf(name), 4).value, ws.getCell(rowOf(name), 15).value];
    expect(past('区市场监管局')).toEqual([1052, 51.406]);
    expect(past('区林业局')).toEqual([36, 0.3]); // not in this year: last year's figure is still last year's
    expect(past('区税务局')).toEqual([null, null]); // did not report last year: blank, never 0
    expect(past('区住建局')).toEqual([18, null]); // a unit outside the campaign keeps its issued cells
    const total = ws.getCell(rowOf('合计'), 4).value as ExcelJS.CellFormulaValue;
    expect(total.formula).toBe('SUM(D3:D10)');
    expect(total.result).toBe(1052 + 58 + 18 + 14 + 365 + 36 + 40);
    expect((ws.getCell(rowOf('合计'), 15).value as ExcelJS.CellFormulaValue).result).toBe(55.756);
    // Without an earlier round the columns stay as issued (blank).
    const plain = join(tempDir(), '汇总表.xlsx');
    expect(runCli(['merge', ...AS_OF, '--out', plain, '--template', fixture('history', '上年同期模板.xlsx')]).code).toBe(0);
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.readFile(plain);
    expect(wb2.getWorksheet('统计表')!.getCell(3, 4).value).toBeNull();
  });
});

describe('inputs are never outputs', () => {
  it('refuses to write the merged table over an earlier round, even with --force', () => {
    const dir = tempDir();
    const previous = join(dir, '上年.xlsx');
    writeFileSync(previous, readFileSync(OWN));
    const r = runCli(['merge', ...AS_OF, '--force', '--out', previous, '--previous', previous]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('就是输入文件');
    expect(readFileSync(previous).equals(readFileSync(OWN))).toBe(true);
  });

  it('says that a department’s own package has no 同比', () => {
    const out = join(tempDir(), 'out');
    const r = runCli(['pack', join(SAMPLE_SUBMISSIONS, '区公安分局.yaml'), ...AS_OF, '--out', out, '--previous', OWN]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('单位自己的材料包不作同比');
  });
});

describe('an issued template with 本期 | 上年同期 under each indicator', () => {
  it('fills 本期 with this round and 上年同期 with last year, their 合计 too', async () => {
    const out = join(tempDir(), '汇总表.xlsx');
    const r = runCli(['merge', ...AS_OF, '--out', out, '--template', fixture('history', '本期上年同期模板.xlsx'), '--previous', OWN]);
    expect(r.code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const ws = wb.getWorksheet('统计表')!;
    expect([2, 3, 4, 5].map((c) => ws.getCell(3, c).value)).toEqual([1286, 1052, 2340, 1890]); // 区市场监管局
    const total = Array.from({ length: ws.rowCount }, (_, i) => i + 1).find((row) => ws.getCell(row, 1).value === '合计')!;
    expect((ws.getCell(total, 3).value as ExcelJS.CellFormulaValue).result).toBe(1052 + 58 + 14 + 365 + 36 + 40);
    // That table as next year's earlier round: 未报送, written in a figure cell for want of 备注, is no odd figure.
    const next = runCli(['validate', SAMPLE_SUBMISSIONS, '--previous', out]);
    expect(next.stderr).toContain('以下单位在上期表中没有任何数字（上期未报送），无上期数据：区林业局');
    expect(next.stderr).not.toContain('不是数字');
  });
});
