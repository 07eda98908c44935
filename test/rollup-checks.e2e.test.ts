/**
 * Issue 19, item 3: a lower level's merged table is checked, not trusted. Each case is the
 * example's district table (data/examples/city-rollup) changed as a careless or hurried
 * district would send it: its XML edited here, as another program would leave it.
 */
import { copyFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { loadCampaign } from '../src/source/campaign.js';
import { readWorkbookSource } from '../src/source/workbook.js';
import { runCliAsync as runCli, runCliJsonAsync as runCliJson, tempDir } from './helpers/exec.js';
import { REPO } from './helpers/paths.js';
import { CITY_AS_OF, CITY_CAMPAIGN, CITY_SUBMISSIONS, lockTemplate } from './helpers/rollup.js';

const CAMPAIGN = CITY_CAMPAIGN;
const SUBMISSIONS = CITY_SUBMISSIONS;
const AS_OF = CITY_AS_OF;

interface Finding { code: string; message: string; sheet?: string; cell?: string; severity: string }
type ValidateJson = { files: { file: string; ok: boolean; diagnostics: Finding[] }[] };

/** A copy of the city's folder; 黄山区.xlsx with `edit` applied to its parts. */
async function cityWith(edit?: (zip: JSZip) => Promise<void>): Promise<string> {
  const dir = tempDir('rollup-checks-');
  for (const n of ['黄山区', '屯溪区', '徽州区']) copyFileSync(join(SUBMISSIONS, `${n}.xlsx`), join(dir, `${n}.xlsx`));
  if (edit) {
    const file = join(dir, '黄山区.xlsx');
    const zip = await JSZip.loadAsync(readFileSync(file));
    await edit(zip);
    writeFileSync(file, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  }
  return dir;
}

/** Replaces `from` by `to` in a part, which must hold it. */
async function replaceIn(zip: JSZip, part: string, from: string, to: string): Promise<void> {
  const xml = await zip.file(part)!.async('string');
  expect(xml, part).toContain(from);
  zip.file(part, xml.replace(from, to));
}

const validate = (file: string) => runCliJson<ValidateJson>(['validate', '--campaign', CAMPAIGN, file]);

describe('a lower level\'s table is checked before its figures are used', () => {
  it('a 合计 typed over by hand is an error at that cell; merge stops', async () => {
    const dir = await cityWith((zip) => replaceIn(zip, 'xl/worksheets/sheet1.xml', '<f>SUM(C5:C11)</f><v>2026</v>', '<f>SUM(C5:C11)</f><v>99999</v>'));
    const r = await validate(join(dir, '黄山区.xlsx'));
    expect(r.code).toBe(1);
    expect(r.json.files[0]!.diagnostics).toEqual([
      expect.objectContaining({ code: 'workbook/merged-total-differs', severity: 'error', sheet: '统计表', cell: 'C12', message: expect.stringContaining('合计为 99999，各行相加为 2026') }),
    ]);
    const merge = await runCli(['merge', '--campaign', CAMPAIGN, '--dir', dir, '--as-of', AS_OF, '--out', join(tempDir(), 'city.xlsx')]);
    expect(merge.code).toBe(1);
  });

  it('a row with figures that the 合计\'s SUM leaves out is named', async () => {
    const dir = await cityWith((zip) => replaceIn(zip, 'xl/worksheets/sheet1.xml', '<f>SUM(C5:C11)</f><v>2026</v>', '<f>SUM(C5:C9)</f><v>1980</v>'));
    const r = await validate(join(dir, '黄山区.xlsx'));
    expect(r.code).toBe(1);
    expect(r.json.files[0]!.diagnostics).toContainEqual(expect.objectContaining({ code: 'workbook/merged-row-outside', cell: 'B10', message: expect.stringContaining('第 10 行（区商务局）') }));
  });

  it('the city\'s own merged table put in as a district is refused, without advice to rename it', async () => {
    const dir = await cityWith();
    const own = join(tempDir(), '黄山市汇总表.xlsx');
    const merged = await runCli(['merge', '--campaign', CAMPAIGN, '--dir', dir, '--as-of', AS_OF, '--out', own]);
    expect(merged.code, merged.stderr).toBe(0);
    copyFileSync(own, join(dir, '黄山区.xlsx'));
    const r = await validate(join(dir, '黄山区.xlsx'));
    expect(r.code).toBe(1);
    const [finding] = r.json.files[0]!.diagnostics;
    expect(finding).toEqual(expect.objectContaining({ code: 'workbook/merged-own', message: expect.stringContaining('黄山市市场监督管理局') }));
    expect(finding!.message).not.toMatch(/命名|改名/);
    // A caller reading last year's own table on purpose (同比) is not stopped by this check.
    const read = readWorkbookSource(readFileSync(own), await loadCampaign(CAMPAIGN), '黄山市汇总表.xlsx', undefined, { anyRound: true });
    expect(read.diagnostics.map((d) => d.code)).not.toContain('workbook/merged-own');
  });

  it('another round\'s table (its period is not this campaign\'s) is refused; a caller that reads last year\'s on purpose may', async () => {
    const dir = await cityWith(async (zip) => {
      await replaceIn(zip, 'docProps/custom.xml', '2024-06-01/2024-11-30', '2023-06-01/2023-11-30');
      await replaceIn(zip, 'docProps/custom.xml', 'hsq_2024_wlsc', 'hsq_2023_wlsc');
    });
    const r = await validate(join(dir, '黄山区.xlsx'));
    expect(r.code).toBe(1);
    expect(r.json.files[0]!.diagnostics).toEqual([expect.objectContaining({ code: 'workbook/merged-other-round', message: expect.stringContaining('hsq_2023_wlsc') })]);
    const campaign = await loadCampaign(CAMPAIGN);
    const read = readWorkbookSource(readFileSync(join(dir, '黄山区.xlsx')), campaign, '黄山区.xlsx', undefined, { anyRound: true });
    expect(read.diagnostics).toEqual([]);
    expect(read.data).toEqual(expect.objectContaining({ department: '黄山区' }));
  });

  it('a table without those properties (an older tool\'s) of another round is refused by its 统计时段 line', async () => {
    const dir = await cityWith(async (zip) => {
      zip.remove('docProps/custom.xml');
      for (const part of ['xl/sharedStrings.xml', 'xl/worksheets/sheet1.xml']) {
        const xml = await zip.file(part)?.async('string');
        if (xml?.includes('统计时段：2024年')) zip.file(part, xml.replace('统计时段：2024年', '统计时段：2023年'));
      }
    });
    const r = await validate(join(dir, '黄山区.xlsx'));
    expect(r.code).toBe(1);
    expect(r.json.files[0]!.diagnostics).toEqual([expect.objectContaining({ code: 'workbook/merged-other-period', sheet: '统计表', message: expect.stringContaining('“2023年6月1日至') })]);
  });

  it('a table without its 典型案例 sheet is refused, not read as 0 cases', async () => {
    const dir = await cityWith(async (zip) => {
      const book = await zip.file('xl/workbook.xml')!.async('string');
      zip.file('xl/workbook.xml', book.replace(/<sheet name="典型案例"[^>]*\/>/, ''));
    });
    const r = await validate(join(dir, '黄山区.xlsx'));
    expect(r.code).toBe(1);
    expect(r.json.files[0]!.diagnostics).toEqual([expect.objectContaining({ code: 'workbook/merged-sheet-missing', message: expect.stringContaining('“典型案例”') })]);
  });
});

describe('a table whose added sheets are in its 附表 (a template that locks its structure)', () => {
  const DISTRICT = join(REPO, 'data', 'submissions');

  const lockedTemplate = () => lockTemplate();

  /** 黄山区's table and 附表 merged by the district as of `asOf`, into `dir`. */
  async function mergeDistrict(dir: string, template: string, asOf: string): Promise<void> {
    const r = await runCli(['merge', '--dir', DISTRICT, '--template', template, '--as-of', asOf, '--out', join(dir, '黄山区.xlsx')]);
    expect(r.code, r.stderr).toBe(0);
  }

  it('without its 附表 it is refused, naming the missing file (not read as a blank 黄山区)', async () => {
    const dir = tempDir('rollup-locked-');
    await mergeDistrict(dir, await lockedTemplate(), '2024-11-15T09:00+08:00');
    renameSync(join(dir, '黄山区（附表）.xlsx'), join(tempDir(), 'elsewhere.xlsx'));
    const r = await validate(join(dir, '黄山区.xlsx'));
    expect(r.code).toBe(1);
    expect(r.json.files[0]!.diagnostics).toEqual([expect.objectContaining({ code: 'workbook/merged-second-missing', message: expect.stringContaining('黄山区（附表）.xlsx') })]);
  }, 60_000);

  it('a table saved again after its 附表 was written is read, with a warning to check the two still go together', async () => {
    const dir = tempDir('rollup-locked-');
    await mergeDistrict(dir, await lockedTemplate(), '2024-11-15T09:00+08:00');
    const table = join(dir, '黄山区.xlsx');
    const zip = await JSZip.loadAsync(readFileSync(table));
    writeFileSync(table, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 1 } }));
    const r = await validate(table);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json.files[0]!.diagnostics).toEqual([expect.objectContaining({ code: 'workbook/second-file-changed', severity: 'warning' })]);
  }, 60_000);

  it('last week\'s 附表 beside this week\'s table is refused', async () => {
    const template = await lockedTemplate();
    const lastWeek = tempDir('rollup-last-');
    await mergeDistrict(lastWeek, template, '2024-11-08T09:00+08:00');
    const dir = tempDir('rollup-locked-');
    await mergeDistrict(dir, template, '2024-11-15T09:00+08:00');
    copyFileSync(join(lastWeek, '黄山区（附表）.xlsx'), join(dir, '黄山区（附表）.xlsx'));
    const r = await validate(join(dir, '黄山区.xlsx'));
    expect(r.code).toBe(1);
    expect(r.json.files[0]!.diagnostics).toEqual([expect.objectContaining({ code: 'workbook/second-file-other', message: expect.stringContaining('黄山区（附表）.xlsx 不是和这份汇总表一起生成的') })]);
  }, 60_000);
});
