/**
 * Excel workbooks as submissions (issue 10): read like YAML by validate, status and merge, with
 * findings at `sheet!cell`. Every workbook here was written by another program than ours —
 * openpyxl, LibreOffice, or XML put in by hand for what WPS writes (test/fixtures/workbooks/
 * make-workbooks.mjs) — apart from the blank they were filled from.
 */
import { cpSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { runCliAsync as runCli, runCliJsonAsync as runCliJson, tempCopy, tempDir, type StatusJson, type ValidateJson } from './helpers/exec.js';
import { CAMPAIGN_FILE, fixture } from './helpers/paths.js';

const workbook = (...parts: string[]) => fixture('workbooks', ...parts);
const AS_OF = '2024-11-12T18:00';


async function validateFolder(folder: string) {
  const result = await runCliJson<ValidateJson>(['validate', workbook(folder)]);
  return { code: result.code, files: result.json.files, diagnostics: result.json.files.flatMap((f) => f.diagnostics) };
}

/** Status of a folder, the one department's row. */
async function forestry(dir: string) {
  const result = await runCliJson<StatusJson>(['status', '--dir', dir, '--as-of', AS_OF]);
  return { result, row: result.json.departments.find((d) => d.id === 'forestry')! };
}

/** Merge a folder and read the workbook back: 区林业局's figures and the cases sheet. */
async function merged(dir: string) {
  const out = join(tempDir(), '汇总.xlsx');
  const result = await runCli(['merge', '--dir', dir, '--out', out, '--as-of', AS_OF]);
  expect(result.stderr + result.stdout).not.toContain('内部错误');
  expect(result.code).toBe(0);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(out);
  const stats = wb.getWorksheet('统计表')!;
  const headers = new Map<string, number>();
  stats.getRow(4).eachCell((c, col) => headers.set(String(c.value).split('\n')[0]!, col));
  let row = 0;
  stats.eachRow((r, n) => {
    if (r.getCell(2).value === '区林业局') row = n;
  });
  const figure = (label: string) => stats.getCell(row, headers.get(label)!).value;
  const cases: unknown[][] = [];
  wb.getWorksheet('典型案例')!.eachRow((r, n) => {
    if (n > 2 && r.getCell(2).value) cases.push((r.values as unknown[]).slice(1));
  });
  return { figure, cases, wb };
}

describe.concurrent('the fill-in workbook, filled by other programs', () => {
  it('openpyxl: passes, and status and merge read it like YAML', async () => {
    const { code, files } = await validateFolder('xlsx-ok');
    expect(code).toBe(0);
    expect(files[0]).toMatchObject({ department: 'forestry', ok: true, diagnostics: [] });
    const { row } = await forestry(workbook('xlsx-ok'));
    expect(row).toMatchObject({ state: 'submitted', submittedAt: '2024-11-10', filledBy: '王静辉', files: ['区林业局.xlsx'] });
    const { figure, cases } = await merged(workbook('xlsx-ok'));
    expect(figure('出动执法人员')).toBe(12);
    expect(figure('罚没款')).toBe(1.5);
    expect(figure('处置违法违规APP')).toBeNull(); // left empty: not reported, never 0
    expect(cases).toHaveLength(1);
    expect(cases[0]).toEqual(expect.arrayContaining(['区林业局', 32, '黄山区某花卉店网售野生兰花案', '2024年9月12日', 0.3, '是']));
  });

  it('LibreOffice: a filled workbook saved by soffice passes with the same figures', async () => {
    expect((await validateFolder('lo-roundtrip')).code).toBe(0);
    const { figure, cases } = await merged(workbook('lo-roundtrip'));
    expect([figure('出动执法人员'), figure('检查网站平台网店'), figure('罚没款'), figure('抽检'), figure('不合格')]).toEqual([12, 30, 1.5, 4, 1]);
    expect(cases).toHaveLength(1);
  });

  it('human output names file, sheet and cell, with no source line under it', async () => {
    const result = await runCli(['validate', workbook('xlsx-unit-in-number', '区林业局.xlsx')], { cwd: workbook('xlsx-unit-in-number') });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${workbook('xlsx-unit-in-number', '区林业局.xlsx')} 统计表!C5 错误 [value/unit-in-number] “检查网站平台网店”里多了单位或文字：请只写数字 12`);
    expect(result.stdout).not.toMatch(/\|\s/);
  });

  it('a form made for another campaign is read by its labels, with a warning', async () => {
    const campaign = join(tempDir(), 'campaign.yaml');
    writeFileSync(campaign, readFileSync(CAMPAIGN_FILE, 'utf8').replace('id: hsq_2024_wlsc', 'id: hsq_2025_wlsc'));
    const result = await runCliJson<ValidateJson>(['validate', '--campaign', campaign, workbook('xlsx-ok', '区林业局.xlsx')]);
    expect(result.code).toBe(0);
    expect(result.json.files[0]!.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', code: 'workbook/other-campaign', message: expect.stringContaining('hsq_2024_wlsc') })]);
  });

  it('status --remind names the sheet and cell of each error, not a line', async () => {
    const result = await runCliJson<StatusJson>(['status', '--dir', workbook('xlsx-unit-in-number'), '--as-of', AS_OF, '--remind']);
    const text = result.json.reminders!.find((r) => r.id === 'forestry')!.text;
    expect(text).toContain('区林业局.xlsx 有 1 处错误');
    expect(text).toContain('  统计表!C5：“检查网站平台网店”里多了单位或文字');
    expect(text).not.toContain('第 1 行');
  });

  it('--lang en: the same finding in English', async () => {
    const result = await runCliJson<ValidateJson>(['validate', workbook('xlsx-negative'), '--lang', 'en']);
    expect(result.json.files[0]!.diagnostics).toEqual([expect.objectContaining({ code: 'value/negative', sheet: '统计表', cell: 'C5', message: expect.stringMatching(/negative/) })]);
  });
});

describe.concurrent('item 3: each way of typing a value, at its sheet and cell', () => {
  it.each([
    ['xlsx-unit-in-number', 'value/unit-in-number', '统计表', 'C5', ['statistics', 'platforms_checked']],
    ['xlsx-fullwidth-digits', 'value/fullwidth-digits', '统计表', 'C5', ['statistics', 'platforms_checked']],
    ['xlsx-thousands', 'value/thousands-separator', '统计表', 'C5', ['statistics', 'platforms_checked']],
    ['xlsx-negative', 'value/negative', '统计表', 'C5', ['statistics', 'platforms_checked']],
    ['xlsx-fraction', 'value/not-integer', '统计表', 'C5', ['statistics', 'platforms_checked']],
    ['xlsx-decimals', 'value/too-many-decimals', '统计表', 'L5', ['statistics', 'fines']],
    ['xlsx-formula-uncalculated', 'workbook/uncalculated', '统计表', 'C5', undefined],
    ['xlsx-merged-figure', 'workbook/merged-figure', '统计表', 'B5', undefined],
    ['xlsx-date-invalid', 'value/date-invalid', '典型案例', 'D4', ['cases', 0, 'date']],
    ['wps-dispimg', 'workbook/picture', '图片视频资料', 'B4', undefined],
  ])('%s: one error %s at %s!%s', async (folder, code, sheet, cell, path) => {
    const { code: exit, diagnostics } = await validateFolder(folder);
    expect(exit).toBe(1);
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'error', code, sheet, cell, ...(path && { path }) })]);
    expect(diagnostics[0]!.line).toBeUndefined();
  });

  it('a formula: its cached value is used (LibreOffice calculated =10+2 and =5/2; 2.5 is no count)', async () => {
    const { diagnostics } = await validateFolder('lo-formula');
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'value/not-integer', sheet: '统计表', cell: 'E5', message: expect.stringContaining('2.5') })]);
  });

  it('a formula with no cached value asks to open and save the file in Excel/WPS', async () => {
    const { diagnostics } = await validateFolder('xlsx-formula-uncalculated');
    expect(diagnostics[0]!.message).toContain('请用 WPS 或 Excel 打开此文件，保存后重新报送');
  });

  it('error values: #DIV/0! and #REF!, each at its cell', async () => {
    const { diagnostics } = await validateFolder('xlsx-error-value');
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: 'workbook/error-value', cell: 'C5', message: expect.stringContaining('#DIV/0!') }),
      expect.objectContaining({ code: 'workbook/error-value', cell: 'E5', message: expect.stringContaining('#REF!') }),
    ]);
  });

  it('dates: a serial with no date format, a date cell, and text in each accepted form', async () => {
    expect((await validateFolder('xlsx-dates')).code).toBe(0);
    const { row } = await forestry(workbook('xlsx-dates'));
    expect(row.submittedAt).toBe('2024-11-10'); // 45606, General format
    const { cases } = await merged(workbook('xlsx-dates'));
    expect(cases.map((c) => c[5])).toEqual(['2024年9月12日', '2024年9月13日', '2024年9月14日', '2024年9月15日 16:30']);
  });

  it('dates as WPS writes them: CJK built-in formats 31 and 57 with no definition, an ISO date cell', async () => {
    expect((await validateFolder('wps-dates')).code).toBe(0);
    const { row } = await forestry(workbook('wps-dates'));
    expect(row.submittedAt).toBe('2024-11-10');
    const { cases } = await merged(workbook('wps-dates'));
    expect(cases.map((c) => [c[4], c[5]])).toEqual([['黄山区某花卉店网售野生兰花案', '2024年9月12日'], ['第二个案例', '2024年9月13日']]);
  });

  it('rich text (inline and shared, a bare <t/> before the runs) and shared formulas read as shown', async () => {
    expect((await validateFolder('wps-rich-text')).code).toBe(0);
    const { row } = await forestry(workbook('wps-rich-text'));
    expect(row.filledBy).toBe('王静辉');
    const { figure } = await merged(workbook('wps-rich-text'));
    expect([figure('出动执法人员'), figure('检查网站平台网店')]).toEqual([12, 30]);
  });

  it('a hidden row: its case is read, with a warning at the row', async () => {
    const { code, diagnostics } = await validateFolder('xlsx-hidden-row');
    expect(code).toBe(0);
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'warning', code: 'workbook/hidden-row', sheet: '典型案例', cell: 'B5' })]);
    expect((await merged(workbook('xlsx-hidden-row'))).cases).toHaveLength(2);
  });

  it('renamed sheets are found by what they hold', async () => {
    expect((await validateFolder('xlsx-renamed-sheet')).code).toBe(0);
    const { figure, cases } = await merged(workbook('xlsx-renamed-sheet'));
    expect(figure('出动执法人员')).toBe(12);
    expect(cases).toHaveLength(1);
  });

  it('a deleted 统计表 is an error naming the sheets there are', async () => {
    const { diagnostics } = await validateFolder('xlsx-deleted-statistics');
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'workbook/missing-sheet', message: expect.stringContaining('统计表') })]);
    expect(diagnostics[0]!.message).toContain('基本信息、重点任务、典型案例、工作总结、图片视频资料');
  });

  it('a deleted 典型案例 reads as no cases, with a warning', async () => {
    const { code, diagnostics } = await validateFolder('xlsx-deleted-cases');
    expect(code).toBe(0);
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'warning', code: 'workbook/missing-sheet-optional', message: expect.stringContaining('典型案例') })]);
  });

  it('a blank row between cases: the case after it is read, and its 任务序号 not in the plan is placed on its row', async () => {
    const { diagnostics } = await validateFolder('xlsx-blank-row-unknown-task');
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'rule/case-task', sheet: '典型案例', cell: 'C6', path: ['cases', 1, 'task'] })]);
  });
});

describe.concurrent('item 4: unreadable workbooks get one clear line', () => {
  it.each([
    ['file-legacy-xls', '区林业局.xls', 'workbook/legacy', '另存为'],
    ['file-legacy-et', '区林业局.et', 'workbook/legacy', '.xlsx'],
    ['file-encrypted', '区林业局.xlsx', 'workbook/encrypted', '密码'],
    ['file-damaged', '区林业局.xlsx', 'workbook/damaged', '损坏'],
    ['file-no-sheets', '区林业局.xlsx', 'workbook/no-sheets', '没有工作表'],
  ])('%s', async (folder, file, code, words) => {
    const result = await runCli(['validate', workbook(folder, file)]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(2); // the finding and the verdict
    expect(lines[0]).toContain(`[${code}]`);
    expect(lines[0]).toContain(words);
    expect(result.stdout).not.toMatch(/at .*\.js:\d+/);
  });

  it('a folder lists .xls and .et files so they get their message, and status counts them as invalid', async () => {
    const dir = tempCopy(workbook('file-legacy-xls'));
    const { row } = await forestry(dir);
    expect(row).toMatchObject({ state: 'invalid', files: ['区林业局.xls'] });
  });

  it('an Excel lock file ~$区林业局.xlsx is ignored, not an unknown file', async () => {
    const dir = workbook('file-lock');
    expect(readdirSync(dir)).toContain('~$区林业局.xlsx');
    const { result, row } = await forestry(dir);
    expect(row.state).toBe('submitted');
    expect(result.json.unknownFiles).toEqual([]);
  });

  it('a 50 MB workbook is refused with its size before it is read', async () => {
    const dir = tempDir();
    const file = join(dir, '区林业局.xlsx');
    cpSync(workbook('xlsx-ok', '区林业局.xlsx'), file);
    truncateSync(file, 50 * 1024 * 1024); // sparse: nothing is written, nothing read
    const result = await runCliJson<ValidateJson>(['validate', file]);
    expect(result.json.files[0]!.diagnostics).toEqual([expect.objectContaining({ code: 'workbook/too-large', message: expect.stringContaining('50 MB') })]);
  });
});

describe.concurrent('a copy of the statistics table with the department\'s row filled', () => {
  it('the filled row names the department; footer and 填报日期 give who and when', async () => {
    const { code, files } = await validateFolder('table-ok');
    expect(code).toBe(0);
    expect(files[0]!.department).toBe('forestry');
    const { row } = await forestry(workbook('table-ok'));
    expect(row).toMatchObject({ state: 'submitted', filledBy: '王静辉', submittedAt: '2024-11-10' });
    expect((await merged(workbook('table-ok'))).figure('不合格')).toBe(1);
  });

  it('two filled rows, and a file name that names neither: an error', async () => {
    const { diagnostics } = await validateFolder('table-two-rows');
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'workbook/two-rows', sheet: '统计表', message: expect.stringContaining('区林业局、区商务局') })]);
  });

  it('figures in another department\'s row of 区林业局.xlsx: an error at that row', async () => {
    const { diagnostics } = await validateFolder('table-other-row');
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([expect.objectContaining({ code: 'workbook/other-row', sheet: '统计表', cell: 'B10', message: expect.stringContaining('区商务局') })]);
  });

  it('no footer filled: 填表人 and 联系电话 are asked for, by their names', async () => {
    const { diagnostics } = await validateFolder('table-no-footer');
    const errors = diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => [d.code, d.message])).toEqual([
      ['value/empty', '“填表人”不能为空'],
      ['value/empty', '“联系电话”不能为空'],
    ]);
  });
});

describe('the check cache keys workbooks by their bytes', () => {
  it('a second status is served from the cache; a changed workbook is checked again', async () => {
    const dir = tempCopy(workbook('xlsx-ok'));
    const cache = tempDir();
    const env = { REPORT_CACHE_DIR: cache };
    const first = await runCliJson<StatusJson>(['status', '--dir', dir, '--as-of', AS_OF], { env });
    expect(first.json.departments.find((d) => d.id === 'forestry')!.state).toBe('submitted');
    expect(readdirSync(cache).length).toBeGreaterThan(0);
    // The unit-in-number copy under the same name: new bytes, a new check.
    cpSync(workbook('xlsx-unit-in-number', '区林业局.xlsx'), join(dir, '区林业局.xlsx'));
    const second = await runCliJson<StatusJson>(['status', '--dir', dir, '--as-of', AS_OF], { env });
    expect(second.json.departments.find((d) => d.id === 'forestry')!.state).toBe('invalid');
  });
});

describe('report init --format xlsx', () => {
  it('writes the fill-in workbook, never over an existing file, and the blank validates as the unit\'s own', async () => {
    const dir = tempDir();
    const first = await runCli(['init', '区林业局', '--format', 'xlsx', '--out', dir]);
    expect(first.code).toBe(0);
    expect(readdirSync(dir)).toEqual(['区林业局.xlsx']);
    writeFileSync(join(dir, 'marker'), '');
    const again = await runCli(['init', '区林业局', '--format', 'xlsx', '--out', dir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('文件已存在，未覆盖');
    const blank = await runCliJson<ValidateJson>(['validate', join(dir, '区林业局.xlsx')]);
    expect(blank.json.files[0]!.department).toBe('forestry');
    // Empty: 填表人 and 联系电话 are asked for at their cells; nothing is taken as 0.
    expect(blank.json.files[0]!.diagnostics.filter((d) => d.severity === 'error')).toEqual([
      expect.objectContaining({ code: 'value/empty', sheet: '基本信息', cell: 'B4' }),
      expect.objectContaining({ code: 'value/empty', sheet: '基本信息', cell: 'B6' }),
    ]);
  });

  it('--all writes one workbook per department', async () => {
    const dir = tempDir();
    const result = await runCli(['init', '--all', '--format', 'xlsx', '--out', dir]);
    expect(result.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['区公安分局.xlsx', '区商务局.xlsx', '区委网信办.xlsx', '区市场监管局.xlsx', '区文旅体局.xlsx', '区林业局.xlsx', '区税务局.xlsx'].sort());
  });

  it('--format other than yaml or xlsx is a usage error', async () => {
    const result = await runCli(['init', '区林业局', '--format', 'docx', '--out', tempDir()]);
    expect(result.code).toBe(2);
  });
});
