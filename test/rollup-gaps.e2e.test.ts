/**
 * Issue 19, item 2: what a lower level's figures leave out is shown at every level above — the
 * 备注 of its row, the note of the 合计, the 报送情况 sheet, `status` and the 总结's opening.
 * The example's three districts (data/examples/city-rollup) each leave units out.
 */
import { copyFileSync, cpSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { runCliAsync as runCli, runCliJsonAsync as runCliJson, tempCopy, tempDir, type StatusJson } from './helpers/exec.js';
import { SAMPLE_SUBMISSIONS } from './helpers/paths.js';
import { CITY_AS_OF, CITY_CAMPAIGN, CITY_SUBMISSIONS, readXlsx } from './helpers/rollup.js';

const CAMPAIGN = CITY_CAMPAIGN;
const SUBMISSIONS = CITY_SUBMISSIONS;
const AS_OF = CITY_AS_OF;

const load = readXlsx;

/** 统计表's rows by unit name: 备注 (the last column). */
function notes(wb: ExcelJS.Workbook): Map<string, string> {
  const ws = wb.getWorksheet('统计表')!;
  const out = new Map<string, string>();
  ws.eachRow((row, n) => {
    if (n < 5) return;
    const name = String(row.getCell(row.getCell(1).value === '合计' ? 1 : 2).value ?? '');
    if (name) out.set(name, String(row.getCell(ws.columnCount).value ?? ''));
  });
  return out;
}

const HSQ = '区林业局（未报送）';
const TXQ = '区林业局、区税务局（未报送）';
const HZQ = '区文旅体局、区公安分局（未报送）';

describe('a lower level\'s gaps are carried up', () => {
  it('the city\'s 备注 names each district\'s missing units; its 合计 note names them all; 报送情况 says it too', async () => {
    const out = join(tempDir(), 'city.xlsx');
    const r = await runCli(['merge', '--campaign', CAMPAIGN, '--dir', SUBMISSIONS, '--as-of', AS_OF, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const city = await load(out);
    const byUnit = notes(city);
    expect(byUnit.get('黄山区')).toBe(`未含：${HSQ}`);
    expect(byUnit.get('屯溪区')).toBe(`未含：${TXQ}`);
    expect(byUnit.get('徽州区')).toBe(`未含：${HZQ}`);
    expect(byUnit.get('合计')).toBe('未含：黄山区／区林业局、屯溪区／区林业局、屯溪区／区税务局、徽州区／区文旅体局、徽州区／区公安分局（未报送）');
    const register: string[] = [];
    city.getWorksheet('报送情况')!.eachRow((row, n) => n > 2 && register.push(`${String(row.getCell(2).value)}:${String(row.getCell(11).value ?? '')}`));
    expect(register).toEqual([`黄山区:${HSQ}`, `屯溪区:${TXQ}`, `徽州区:${HZQ}`]);
  });

  it('status lists each district that is in but incomplete, and --json has the gaps', async () => {
    const human = await runCli(['status', '--campaign', CAMPAIGN, '--dir', SUBMISSIONS, '--as-of', AS_OF]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('已报送但不完整的下级汇总表');
    expect(human.stdout).toContain('徽州区：未含 区文旅体局（未报送）；区公安分局（未报送）');
    const json = await runCliJson<{ departments: (StatusJson['departments'][number] & { gaps: string[] })[] }>(['status', '--campaign', CAMPAIGN, '--dir', SUBMISSIONS, '--as-of', AS_OF]);
    expect(json.json.departments.map((d) => [d.name, d.gaps])).toEqual([
      ['黄山区', ['区林业局（未报送）']],
      ['屯溪区', ['区林业局（未报送）', '区税务局（未报送）']],
      ['徽州区', ['区文旅体局（未报送）', '区公安分局（未报送）']],
    ]);
  });

  it('the city\'s 总结 says in its opening what the districts\' figures leave out', async () => {
    const out = join(tempDir(), 'pkg');
    const r = await runCli(['pack', '--campaign', CAMPAIGN, '--dir', SUBMISSIONS, '--as-of', AS_OF, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const folder = join(out, readdirSync(out).find((n) => !n.endsWith('.zip'))!);
    const docx = await JSZip.loadAsync(readFileSync(join(folder, readdirSync(folder).find((n) => n.startsWith('黄山市市场监督管理局-专项行动总结'))!)));
    const text = (await docx.file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, '');
    expect(text).toContain('其中黄山区未含区林业局数据，屯溪区未含区林业局、区税务局数据，徽州区未含区文旅体局、区公安分局数据。');
    // The 案例汇编 names the district's unit that reported each case.
    const cases = await JSZip.loadAsync(readFileSync(join(folder, '黄山市市场监督管理局-典型案例汇编.docx')));
    expect((await cases.file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, '')).toContain('（黄山区（区税务局），');
  });

  it('files a district skipped with --skip-unknown are named in its 合计 note and in the city\'s 备注 of its row', async () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS, 'rollup-skip-');
    writeFileSync(join(dir, '补报.yaml'), readFileSync(join(dir, '区商务局.yaml'), 'utf8').replace(/^department:.*$/m, 'department: 区环保局'));
    const city = tempDir('rollup-city-');
    for (const n of ['屯溪区', '徽州区']) copyFileSync(join(SUBMISSIONS, `${n}.xlsx`), join(city, `${n}.xlsx`));
    const district = await runCli(['merge', '--dir', dir, '--skip-unknown', '--as-of', '2024-11-15T09:00+08:00', '--out', join(city, '黄山区.xlsx')]);
    expect(district.code, district.stderr).toBe(0);
    expect(notes(await load(join(city, '黄山区.xlsx'))).get('合计')).toBe('未含：区林业局（未报送）；跳过未能归属的文件补报.yaml');
    const out = join(tempDir(), 'city.xlsx');
    const r = await runCli(['merge', '--campaign', CAMPAIGN, '--dir', city, '--as-of', AS_OF, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(notes(await load(out)).get('黄山区')).toBe('未含：区林业局（未报送）；跳过未能归属的文件补报.yaml');
  }, 60_000);
});

describe('统计时段 ends at the data\'s date until the period is over (item 6)', () => {
  /** Row 2's texts of 统计表. */
  async function periodLine(file: string): Promise<string> {
    const ws = (await load(file)).getWorksheet('统计表')!;
    const texts: string[] = [];
    ws.getRow(2).eachCell((c) => void texts.push(String(c.value ?? '')));
    return texts.find((x) => x.startsWith('统计时段'))!;
  }

  it('a district\'s and the city\'s tables say 至 the data\'s date; after the period, its end', async () => {
    const district = join(tempDir(), 'district.xlsx');
    expect((await runCli(['merge', '--dir', SAMPLE_SUBMISSIONS, '--as-of', '2024-11-14T09:00+08:00', '--out', district])).code).toBe(0);
    expect(await periodLine(district)).toBe('统计时段：2024年6月1日至11月14日');
    const city = join(tempDir(), 'city.xlsx');
    expect((await runCli(['merge', '--campaign', CAMPAIGN, '--dir', SUBMISSIONS, '--as-of', AS_OF, '--out', city])).code).toBe(0);
    expect(await periodLine(city)).toBe('统计时段：2024年6月1日至11月18日');
    const late = join(tempDir(), 'late.xlsx');
    expect((await runCli(['merge', '--dir', SAMPLE_SUBMISSIONS, '--as-of', '2024-12-05T09:00+08:00', '--out', late])).code).toBe(0);
    expect(await periodLine(late)).toBe('统计时段：2024年6月1日至11月30日');
  }, 60_000);

  it('the 总结 opens with the same period', async () => {
    const out = join(tempDir(), 'pkg');
    const r = await runCli(['pack', '--dir', SAMPLE_SUBMISSIONS, '--as-of', '2024-11-14T09:00+08:00', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const folder = join(out, readdirSync(out).find((n) => !n.endsWith('.zip'))!);
    const docx = await JSZip.loadAsync(readFileSync(join(folder, readdirSync(folder).find((n) => n.startsWith('黄山区市场监督管理局-专项行动总结'))!)));
    const text = (await docx.file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, '');
    expect(text).toContain('部署，2024年6月1日至11月14日，');
  }, 60_000);
});

describe('a lower level\'s pictures come up with its table (item 3a)', () => {
  /** The city's folder: 屯溪区 and 徽州区 from the example, 黄山区's table and its whole package (report pack's folder) beside it, named `packageName`. */
  async function cityWithPackage(packageName: (made: string) => string, manifestName?: string): Promise<string> {
    const made = tempDir('rollup-district-pack-');
    const packed = await runCli(['pack', '--dir', SAMPLE_SUBMISSIONS, '--as-of', '2024-11-15T09:00+08:00', '--out', made]);
    expect(packed.code, packed.stderr).toBe(0);
    const folder = readdirSync(made).find((n) => !n.endsWith('.zip'))!;
    const city = tempDir('rollup-city-pack-');
    for (const n of ['屯溪区', '徽州区']) copyFileSync(join(SUBMISSIONS, `${n}.xlsx`), join(city, `${n}.xlsx`));
    cpSync(join(made, folder), join(city, packageName(folder)), { recursive: true });
    // A package made before its files were named after the unit: its manifest is plain 报送清单.txt.
    if (manifestName) renameSync(join(city, packageName(folder), '黄山区市场监督管理局-报送清单.txt'), join(city, packageName(folder), manifestName));
    copyFileSync(join(made, folder, readdirSync(join(made, folder)).find((n) => n.endsWith('.xlsx'))!), join(city, '黄山区.xlsx'));
    return city;
  }

  it('the district\'s package folder beside its table: its pictures go into the city\'s package, each under its unit', async () => {
    const city = await cityWithPackage((name) => name);
    const status = await runCli(['status', '--campaign', CAMPAIGN, '--dir', city, '--as-of', AS_OF]);
    expect(status.code, status.stdout).toBe(0);
    expect(status.stdout).not.toContain('无法归属');
    const out = join(tempDir(), 'pkg');
    const r = await runCli(['pack', '--campaign', CAMPAIGN, '--dir', city, '--as-of', AS_OF, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const folder = join(out, readdirSync(out).find((n) => !n.endsWith('.zip'))!);
    expect(readdirSync(join(folder, '图片视频资料', '黄山区', '区公安分局')).sort()).toEqual(['收缴管制器具.png', '案件研判会.png'].sort());
    expect(readdirSync(join(folder, '图片视频资料', '黄山区'))).toContain('区市场监管局');
  }, 90_000);

  it('the district\'s package is recognised by its manifest under the unit-prefixed name and under the plain 报送清单.txt of earlier packages', async () => {
    for (const manifest of [undefined, '报送清单.txt']) {
      const city = await cityWithPackage((name) => name, manifest);
      expect(readdirSync(join(city, readdirSync(city).find((n) => n.startsWith('黄山区2024'))!)).filter((n) => n.endsWith('报送清单.txt'))).toEqual([manifest ?? '黄山区市场监督管理局-报送清单.txt']);
      const status = await runCli(['status', '--campaign', CAMPAIGN, '--dir', city, '--as-of', AS_OF]);
      expect(status.code, status.stdout).toBe(0);
      // Not a package, it would be a folder of submission files the city does not know.
      expect(status.stdout, manifest).not.toContain('子文件夹');
      expect(status.stdout, manifest).not.toContain('无法归属');
      const out = join(tempDir(), 'pkg');
      const r = await runCli(['pack', '--campaign', CAMPAIGN, '--dir', city, '--as-of', AS_OF, '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      const folder = join(out, readdirSync(out).find((n) => !n.endsWith('.zip'))!);
      expect(readdirSync(join(folder, '图片视频资料', '黄山区', '区公安分局')).sort(), manifest).toEqual(['收缴管制器具.png', '案件研判会.png'].sort());
    }
  }, 180_000);

  it('a package that belongs to no unit is listed by status and in pack\'s 未收入 list', async () => {
    const city = await cityWithPackage(() => '下级材料');
    const status = await runCli(['status', '--campaign', CAMPAIGN, '--dir', city, '--as-of', AS_OF]);
    expect(status.stdout).toContain('下级材料/（下级的材料包，无法归属到已报送的单位');
    const out = join(tempDir(), 'pkg');
    const r = await runCli(['pack', '--campaign', CAMPAIGN, '--dir', city, '--as-of', AS_OF, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('下级材料包“下级材料/”无法归属');
    const folder = join(out, readdirSync(out).find((n) => !n.endsWith('.zip'))!);
    expect(readFileSync(join(folder, '黄山市市场监督管理局-报送清单.txt'), 'utf8')).toMatch(/三、未收入材料包的材料（1个）\r\n（无法归属） {2}下级材料\/ {2}下级的材料包/);
  }, 90_000);
});
