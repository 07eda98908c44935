/**
 * A two-level roll-up (issue 10, item 2): a city merges the workbooks its districts' `report
 * merge` wrote (data/examples/city-rollup). Each district's 合计 row is its figures; its 典型案例,
 * 重点任务落实 and 工作总结 sheets its cases, tasks and summary.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { runCliAsync as runCli, runCliJsonAsync as runCliJson, tempDir, type StatusJson } from './helpers/exec.js';
import { REPO } from './helpers/paths.js';

const EXAMPLE = join(REPO, 'data', 'examples', 'city-rollup');
const CAMPAIGN = join(EXAMPLE, 'campaign.yaml');
const SUBMISSIONS = join(EXAMPLE, 'submissions');
const AS_OF = '2024-11-18T09:00';

async function load(file: string) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return wb;
}

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
    expect(new Set(cases.map((r) => r.getCell(2).value))).toEqual(new Set(['黄山区', '屯溪区', '徽州区']));
    // A task's text names the district's unit that wrote it.
    const taskTexts = bodyRows(city, '重点任务落实').map((r) => String(r.getCell(6).value ?? ''));
    expect(taskTexts.some((t) => t.startsWith('区市场监管局：'))).toBe(true);
    const summaries = bodyRows(city, '工作总结').map((r) => String(r.getCell(2).value ?? ''));
    expect(summaries[0]).toMatch(/^区市场监管局：\n/);
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
