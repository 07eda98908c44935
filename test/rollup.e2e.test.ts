/**
 * A two-level roll-up (issue 10, item 2): a city merges the workbooks its districts' `report
 * merge` wrote (data/examples/city-rollup). Each district's 合计 row is its figures; its 典型案例,
 * 重点任务落实 and 工作总结 sheets its cases, tasks and summary.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { runCliAsync as runCli, runCliJsonAsync as runCliJson, tempDir, type StatusJson } from './helpers/exec.js';
import { REPO } from './helpers/paths.js';
import { CITY_AS_OF, CITY_CAMPAIGN, CITY_SUBMISSIONS, lockTemplate, readXlsx } from './helpers/rollup.js';

const CAMPAIGN = CITY_CAMPAIGN;
const SUBMISSIONS = CITY_SUBMISSIONS;
const AS_OF = CITY_AS_OF;

const load = readXlsx;

/** The 合计 row of a merged workbook: label → value (formula results read as numbers). */
function totals(wb: ExcelJS.Workbook): Map<string, number | null> {
  const ws = wb.getWorksheet('统计表')!;
  let totalRow = 0;
  ws.eachRow((row, n) => {
    if (row.getCell(1).value === '合计') totalRow = n;
  });
  const out = new Map<string, number | null>();
  ws.getRow(4).eachCell((cell, col) => {
    const label = String(cell.value).split('\n')[0]!;
    if (col < 3 || label === '备注') return; // 序号 and 单位 are merged down from row 3
    const v = ws.getCell(totalRow, col);
    out.set(label, typeof v.value === 'number' ? v.value : ((v.result as number | undefined) ?? null));
  });
  return out;
}

const bodyRows = (wb: ExcelJS.Workbook, sheet: string) => {
  const rows: ExcelJS.Row[] = [];
  wb.getWorksheet(sheet)!.eachRow((row, n) => {
    if (n > 2 && row.getCell(1).value !== null) rows.push(row);
  });
  return rows;
};

describe('the city merges its districts\' merged workbooks', () => {
  it('validate and status take each district\'s workbook as that district\'s submission', async () => {
    const validate = await runCliJson<{ files: { file: string; department: string; ok: boolean }[] }>(['validate', '--campaign', CAMPAIGN, SUBMISSIONS]);
    expect(validate.code).toBe(0);
    expect(validate.json.files.map((f) => [f.department, f.ok]).sort()).toEqual([['hsq', true], ['hzq', true], ['txq', true]]);
    const status = await runCliJson<StatusJson>(['status', '--campaign', CAMPAIGN, '--dir', SUBMISSIONS, '--as-of', AS_OF]);
    expect(status.code).toBe(0);
    expect(status.json.departments.map((d) => [d.name, d.state, d.submittedAt])).toEqual([
      ['黄山区', 'submitted', '2024-11-13'],
      ['屯溪区', 'submitted', '2024-11-13'],
      ['徽州区', 'submitted', '2024-11-13'],
    ]);
  });

  it('the city\'s totals are the sum of the districts\' 合计 rows; cases and task texts come along', async () => {
    const out = join(tempDir(), '黄山市汇总表.xlsx');
    const result = await runCli(['merge', '--campaign', CAMPAIGN, '--dir', SUBMISSIONS, '--as-of', AS_OF, '--out', out]);
    expect(result.code).toBe(0);
    const city = await load(out);
    const districts = await Promise.all(['黄山区', '屯溪区', '徽州区'].map((n) => load(join(SUBMISSIONS, `${n}.xlsx`))));
    const cityTotals = totals(city);
    const parts = districts.map(totals);
    expect(cityTotals.size).toBe(17);
    for (const [label, value] of cityTotals) {
      const sum = parts.map((p) => p.get(label)).filter((v): v is number => typeof v === 'number');
      if (sum.length === 0) expect(value, label).toBeNull(); // no district reported it: blank, not 0
      else expect(value, label).toBeCloseTo(sum.reduce((a, b) => a + b, 0), 4);
    }
    // Each district's cases, under the district's name.
    const cases = bodyRows(city, '典型案例');
    expect(cases).toHaveLength(districts.map((d) => bodyRows(d, '典型案例').length).reduce((a, b) => a + b, 0));
    expect(new Set(cases.map((r) => String(r.getCell(2).value).split('／')[0]))).toEqual(new Set(['黄山区', '屯溪区', '徽州区']));
    expect(cases.map((r) => r.getCell(2).value)).toContain('黄山区／区市场监管局');
    // Every row a district sent comes up as a row of its own, named by the district's unit that wrote it.
    const unitRows = (wb: ExcelJS.Workbook, sheet: string, unitCol: number, textCol: number) => {
      const rows: string[] = [];
      wb.getWorksheet(sheet)!.eachRow((row, n) => {
        const unit = row.getCell(unitCol).value;
        const text = row.getCell(textCol).value;
        if (n > 2 && unit && text && !['（未报送）', '（未填写）'].includes(String(text))) rows.push(`${String(unit)}|${String(text)}`);
      });
      return rows;
    };
    for (const [sheet, unitCol, textCol] of [['重点任务落实', 5, 6], ['工作总结', 1, 2], ['典型案例', 2, 5]] as const) {
      const cityRows = unitRows(city, sheet, unitCol, textCol);
      const names = ['黄山区', '屯溪区', '徽州区'];
      const expected = districts.flatMap((d, i) => unitRows(d, sheet, unitCol, textCol).map((r) => `${names[i]}／${r}`));
      expect(cityRows.length, sheet).toBeGreaterThan(10);
      expect([...cityRows].sort(), sheet).toEqual([...expected].sort());
    }
  });

  it('a merged workbook whose unit is not in the campaign is a clear error', async () => {
    // The city's campaign without 屯溪区, and 屯溪区's table under a name that names no unit.
    const dir = tempDir();
    const city = parse(readFileSync(CAMPAIGN, 'utf8')) as { departments: { id: string }[] };
    city.departments = city.departments.filter((d) => d.id !== 'txq');
    writeFileSync(join(dir, 'campaign.yaml'), stringify(city));
    copyFileSync(join(SUBMISSIONS, '屯溪区.xlsx'), join(dir, '汇总表.xlsx'));
    const result = await runCliJson<{ files: { diagnostics: { code: string; message: string; sheet?: string }[] }[] }>(['validate', '--campaign', join(dir, 'campaign.yaml'), join(dir, '汇总表.xlsx')]);
    expect(result.code).toBe(1);
    expect(result.json.files[0]!.diagnostics).toEqual([expect.objectContaining({ code: 'workbook/merged-unit', sheet: '统计表', message: expect.stringContaining('屯溪区市场监督管理局') })]);
  });
});

describe('a district whose template locks its structure sends its table and the second workbook (附表) beside it', () => {
  const DISTRICT = join(REPO, 'data', 'submissions');
  const AS_OF_DISTRICT = '2024-11-15T09:00+08:00';

  /** The city's folder: 屯溪区 and 徽州区 as in the example, 黄山区 merged by the district with `template` (its second workbook beside it, if any). */
  async function cityFolder(template?: string): Promise<string> {
    const dir = tempDir('rollup-');
    for (const n of ['屯溪区', '徽州区']) copyFileSync(join(SUBMISSIONS, `${n}.xlsx`), join(dir, `${n}.xlsx`));
    const args = ['merge', '--dir', DISTRICT, '--as-of', AS_OF_DISTRICT, '--out', join(dir, '黄山区.xlsx'), ...(template ? ['--template', template] : [])];
    const merged = await runCli(args);
    expect(merged.code, merged.stderr).toBe(0);
    return dir;
  }

  const lockedTemplate = () => lockTemplate();

  it('status counts the two files as one submission; merge takes the cases, tasks and summary from the second', async () => {
    const locked = await cityFolder(await lockedTemplate());
    expect(readdirSync(locked).sort()).toEqual(['屯溪区.xlsx', '徽州区.xlsx', '黄山区.xlsx', '黄山区（附表）.xlsx'].sort());
    const status = await runCliJson<StatusJson>(['status', '--campaign', CAMPAIGN, '--dir', locked, '--as-of', AS_OF]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.json.departments.map((d) => [d.name, d.state, d.files])).toEqual([
      ['黄山区', 'submitted', ['黄山区.xlsx']],
      ['屯溪区', 'submitted', ['屯溪区.xlsx']],
      ['徽州区', 'submitted', ['徽州区.xlsx']],
    ]);
    // The same city workbook as from a district table with its sheets inside (an unlocked template).
    const plain = await cityFolder();
    const rows = async (dir: string, sheet: string) => {
      const out = join(tempDir(), 'city.xlsx');
      const r = await runCli(['merge', '--campaign', CAMPAIGN, '--dir', dir, '--as-of', AS_OF, '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      return bodyRows(await load(out), sheet).map((row) => JSON.stringify(row.values));
    };
    for (const sheet of ['典型案例', '重点任务落实', '工作总结']) {
      const fromLocked = await rows(locked, sheet);
      expect(fromLocked.some((r) => r.includes('黄山区'))).toBe(true);
      expect(fromLocked, sheet).toEqual(await rows(plain, sheet));
    }
  }, 90_000); // nine merges, one after another

  it('validate of both files (a *.xlsx wildcard) checks the table once, with its second workbook', async () => {
    const dir = await cityFolder(await lockedTemplate());
    const r = await runCliJson<{ files: { file: string; ok: boolean }[] }>(['validate', '--campaign', CAMPAIGN, join(dir, '黄山区.xlsx'), join(dir, '黄山区（附表）.xlsx')]);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json.files.map((f) => [f.file, f.ok])).toEqual([[join(dir, '黄山区.xlsx'), true]]);
  });

  it('a second workbook that cannot be read is an error of the table, named; once mended, the table is fine (not a kept result)', async () => {
    const dir = await cityFolder(await lockedTemplate());
    const second = join(dir, '黄山区（附表）.xlsx');
    const good = readFileSync(second);
    writeFileSync(second, 'not a workbook');
    const r = await runCliJson<{ files: { ok: boolean; diagnostics: { code: string; message: string }[] }[] }>(['validate', '--campaign', CAMPAIGN, join(dir, '黄山区.xlsx')]);
    expect(r.code).toBe(1);
    expect(r.json.files[0]!.diagnostics).toContainEqual(expect.objectContaining({ code: 'workbook/second-file', message: expect.stringContaining('黄山区（附表）.xlsx 无法读取') }));
    // The table's bytes are the same: its kept check must not be the one made with the broken second file.
    writeFileSync(second, good);
    const again = await runCliJson<{ files: { ok: boolean }[] }>(['validate', '--campaign', CAMPAIGN, join(dir, '黄山区.xlsx')]);
    expect(again.code).toBe(0);
    expect(again.json.files[0]!.ok).toBe(true);
  });

  it('a district table from a template without a 合计 row is refused with why, not read as one department\'s row', async () => {
    const dir = await cityFolder(join(REPO, 'test', 'fixtures', 'templates', 'op-no-total.xlsx'));
    const r = await runCliJson<{ files: { diagnostics: { code: string; sheet?: string }[] }[] }>(['validate', '--campaign', CAMPAIGN, join(dir, '黄山区.xlsx')]);
    expect(r.code).toBe(1);
    expect(r.json.files[0]!.diagnostics).toEqual([expect.objectContaining({ code: 'workbook/merged-no-total', sheet: '统计表' })]);
  });

  it('the city\'s package lists the second workbook with its hash', async () => {
    const dir = await cityFolder(await lockedTemplate());
    const out = join(tempDir(), 'pkg');
    const r = await runCli(['pack', '--campaign', CAMPAIGN, '--dir', dir, '--as-of', AS_OF, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const folder = join(out, readdirSync(out).find((n) => !n.endsWith('.zip'))!);
    const manifest = readFileSync(join(folder, '黄山市市场监督管理局-报送清单.txt'), 'utf8');
    const sha = createHash('sha256').update(readFileSync(join(dir, '黄山区（附表）.xlsx'))).digest('hex');
    expect(manifest).toMatch(new RegExp(`^黄山区 {2}\\S+ {2}${sha} {2}\\d+ {2}黄山区（附表）\\.xlsx`, 'm'));
  });
});
