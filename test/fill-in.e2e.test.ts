/**
 * The fill-in workbook as `report init --format xlsx` writes it (issue 10, item 1): its sheets,
 * validations one per range with Chinese prompts and alerts, labels locked under a sheet
 * protection without a password, fill cells unlocked and shaded, A4 print set-up, the marker.
 * Read back from the file's own XML and with exceljs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers/exec.js';

let file: string;
let zip: JSZip;
const wb = new ExcelJS.Workbook();
/** The XML of a sheet, by its name. */
const sheetXml = async (name: string) => {
  const id = wb.worksheets.findIndex((w) => w.name === name) + 1;
  return zip.file(`xl/worksheets/sheet${id}.xml`)!.async('string');
};

beforeAll(async () => {
  const dir = tempDir();
  expect(runCli(['init', '区林业局', '--format', 'xlsx', '--out', dir]).code).toBe(0);
  file = join(dir, '区林业局.xlsx');
  zip = await JSZip.loadAsync(readFileSync(file));
  await wb.xlsx.readFile(file);
});

describe('report init 区林业局 --format xlsx', () => {
  it('has the six sheets in order and a very hidden marker sheet', () => {
    expect(wb.worksheets.map((w) => [w.name, w.state])).toEqual([
      ['基本信息', 'visible'], ['统计表', 'visible'], ['重点任务', 'visible'], ['典型案例', 'visible'],
      ['工作总结', 'visible'], ['图片视频资料', 'visible'], ['_report', 'veryHidden'],
    ]);
    const marker = wb.getWorksheet('_report')!;
    expect([marker.getCell('A1').value, marker.getCell('A2').value, marker.getCell('A3').value]).toEqual(['report:fill-in', 'hsq_2024_wlsc', 'forestry']);
  });

  it('基本信息: 填报单位 filled in and locked, the rest to fill', () => {
    const ws = wb.getWorksheet('基本信息')!;
    expect(ws.getCell('A3').value).toBe('填报单位');
    expect(ws.getCell('B3').value).toBe('区林业局');
    expect(ws.getCell('B3').protection?.locked).not.toBe(false);
    for (const ref of ['B4', 'B5', 'B6', 'B7']) {
      expect(ws.getCell(ref).protection?.locked, ref).toBe(false);
      expect((ws.getCell(ref).fill as ExcelJS.FillPattern).fgColor?.argb, ref).toBe('FFFFF2CC');
    }
  });

  it('统计表: the two-row header over the department\'s row; one validation per figure, whole or decimal ≥ 0, in Chinese', async () => {
    const ws = wb.getWorksheet('统计表')!;
    expect(ws.getCell('A3').value).toBe('单位');
    expect(ws.getCell('B3').value).toBe('执法检查');
    expect(ws.getCell('B4').value).toBe('出动执法人员\n（人次）');
    expect(ws.getCell('A5').value).toBe('区林业局');
    expect(ws.getCell('B5').value).toBeNull(); // empty: not reported, never 0
    const xml = await sheetXml('统计表');
    const validations = [...xml.matchAll(/<dataValidation [^>]*>/g)].map((m) => m[0]);
    expect(validations).toHaveLength(17);
    expect(new Set(validations.map((v) => /sqref="([^"]+)"/.exec(v)![1])).size).toBe(17); // no overlapping duplicates (exceljs #2820)
    const fines = validations.find((v) => v.includes('sqref="L5"'))!;
    expect(fines).toContain('type="decimal"');
    expect(fines).toContain('operator="greaterThanOrEqual"');
    expect(fines).toContain('errorTitle="请填数字"');
    expect(validations.find((v) => v.includes('sqref="B5"'))).toContain('type="whole"');
    const protection = /<sheetProtection [^>]*>/.exec(xml)?.[0];
    expect(protection).toContain('sheet="1"');
    expect(protection).not.toMatch(/hashValue|password/); // no password: a clerk can unprotect
  });

  it('典型案例: 20 shaded rows, drop-downs of task numbers and 是/否, date validation, over 500 rows', async () => {
    const ws = wb.getWorksheet('典型案例')!;
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((c) => ws.getCell(3, c).value)).toEqual(['序号', '案例名称', '任务序号', '日期', '基本案情', '处理结果', '罚没款（万元）', '是否曝光']);
    expect(ws.getCell('A23').value).toBe(20);
    expect(ws.getCell('B23').protection?.locked).toBe(false);
    expect(ws.getCell('B100').protection?.locked).toBe(false); // more rows allowed
    const xml = await sheetXml('典型案例');
    const rule = (range: string) => [...xml.matchAll(/<dataValidation [^>]*sqref="([^"]+)">[\s\S]*?<\/dataValidation>/g)].find((m) => m[1] === range)?.[0] ?? '';
    expect(rule('C4:C503')).toContain('type="list"');
    expect(rule('C4:C503')).toContain('<formula1>&apos;_report&apos;!$C$1:$C$34</formula1>');
    expect(rule('H4:H503')).toContain('<formula1>&quot;是,否&quot;</formula1>');
    expect(rule('D4:D503')).toContain('type="date"');
    expect(rule('D4:D503')).toContain('<formula1>44927</formula1><formula2>46022</formula2>'); // 2023-01-01 to 2025-12-31
    expect(rule('G4:G503')).toContain('type="decimal"');
    expect(/<sheetProtection [^>]*>/.exec(xml)?.[0]).toContain('insertRows="0"'); // 0 = not protected: rows may be inserted
  });

  it('基本信息: a 总结文件 cell for a 总结 written in Word; the instructions say to whom to send, not a command', async () => {
    const ws = wb.getWorksheet('基本信息')!;
    const labels: string[] = [];
    ws.eachRow((row) => row.eachCell((cell) => typeof cell.value === 'string' && labels.push(cell.value)));
    expect(labels).toContain('总结文件');
    const rules = labels.find((l) => l.startsWith('填写须知'))!;
    expect(rules).toContain('于2024年11月12日 23:59前报上级主管部门，并抄送黄山区市场监督管理局（联系人：赵志刚，电话：18955952972）');
    expect(rules).not.toMatch(/report|运行/);
  });

  it('典型案例: 法律依据 and 典型意义 to fill, optional, each with a prompt saying what to write', async () => {
    const ws = wb.getWorksheet('典型案例')!;
    expect([9, 10].map((c) => ws.getCell(3, c).value)).toEqual(['法律依据', '典型意义']);
    expect(ws.getCell('I4').protection?.locked).toBe(false);
    const xml = await sheetXml('典型案例');
    const rule = (range: string) => [...xml.matchAll(/<dataValidation [^>]*sqref="([^"]+)">[\s\S]*?<\/dataValidation>/g)].find((m) => m[1] === range)?.[0] ?? '';
    expect(rule('I4:I503')).toMatch(/prompt="可不填，例：违反《中华人民共和国产品质量法》第三十九条，依据第五十条"/);
    expect(rule('J4:J503')).toMatch(/prompt="可不填：本案的警示、示范作用/);
  });

  it('重点任务 lists the department\'s own tasks first; 工作总结 is one large wrapped cell', () => {
    const tasks = wb.getWorksheet('重点任务')!;
    expect([tasks.getCell('A4').value, tasks.getCell('D4').value]).toEqual([32, '本单位负责']);
    expect(tasks.getCell('E4').protection?.locked).toBe(false);
    const summary = wb.getWorksheet('工作总结')!;
    expect(summary.getCell('A3').alignment?.wrapText).toBe(true);
    expect(summary.getRow(3).height).toBe(409);
  });

  it('prints on A4, one page wide', () => {
    for (const ws of wb.worksheets.filter((w) => w.state === 'visible')) {
      expect(ws.pageSetup.paperSize, ws.name).toBe(9);
      expect(ws.pageSetup.fitToWidth, ws.name).toBe(1);
    }
  });
});
