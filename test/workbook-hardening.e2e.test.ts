/**
 * Issue 25, part A: nothing a clerk types into a workbook is dropped, no file hangs the tool.
 * Every workbook here is a committed fixture changed by openpyxl or by hand in its XML
 * (test/fixtures/workbooks/make-hardening.py), run through the built CLI.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { runCliAsync as runCli, runCliJsonAsync as runCliJson, tempCopy, tempDir, type StatusJson, type ValidateJson } from './helpers/exec.js';
import { fixture, SAMPLE_SUBMISSIONS } from './helpers/paths.js';

const AS_OF = '2024-11-12T18:00';
const folder = (name: string) => fixture('workbooks', `h25-${name}`);


/** Merge a folder and read 区林业局's figure under `label` from the workbook written. */
async function mergedFigure(name: string, label: string): Promise<unknown> {
  const out = join(tempDir(), '汇总.xlsx');
  const result = await runCli(['merge', '--dir', folder(name), '--out', out, '--as-of', AS_OF]);
  expect(result.code).toBe(0);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(out);
  const stats = wb.getWorksheet('统计表')!;
  let col = 0;
  stats.getRow(4).eachCell((c, n) => {
    if (String(c.value).startsWith(label)) col = n;
  });
  let row = 0;
  stats.eachRow((r, n) => {
    if (r.getCell(2).value === '区林业局') row = n;
  });
  return stats.getCell(row, col).value;
}

async function validate(name: string) {
  const result = await runCliJson<ValidateJson>(['validate', folder(name)]);
  expect(result.stderr).not.toContain('内部错误');
  const diagnostics = result.json.files.flatMap((f) => f.diagnostics);
  /** The findings of one code, as code@sheet!cell. */
  const at = (code: string) => diagnostics.filter((d) => d.code === code).map((d) => `${d.sheet}!${d.cell}`);
  return { code: result.code, files: result.json.files, diagnostics, at };
}

describe.concurrent('1. the fill-in form: a figure outside the department\'s row is an error at its cell', () => {
  it('an inserted row 区林业局（森林公安） with figures', async () => {
    const { code, at, diagnostics } = await validate('fill-in-inserted-row');
    expect(code).toBe(1);
    expect(at('workbook/figure-outside-row')).toEqual(['统计表!B6', '统计表!C6']);
    expect(diagnostics.find((d) => d.code === 'workbook/figure-outside-row')!.message).toContain('本单位（区林业局）的行（第 5 行）');
  });

  it('a colleague department\'s row inserted below', async () => {
    const { code, at } = await validate('fill-in-colleague-row');
    expect(code).toBe(1);
    expect(at('workbook/figure-outside-row')).toEqual(['统计表!B6']);
  });

  it('figures one row too low, the department\'s own row empty', async () => {
    const { code, at } = await validate('fill-in-row-too-low');
    expect(code).toBe(1);
    expect(at('workbook/figure-outside-row')).toEqual(['统计表!B6', '统计表!C6', '统计表!L6', '统计表!N6', '统计表!O6']);
  });
});

describe.concurrent('2. a copy of the statistics table: figures in rows of no department are errors at their cells', () => {
  it('figures typed into the 合计 row of 区林业局.xlsx', async () => {
    const { code, at } = await validate('table-total-row');
    expect(code).toBe(1);
    expect(at('workbook/figure-in-total')).toEqual(['统计表!C12']);
  });

  it('beside a name retyped in traditional characters: did you mean 区林业局', async () => {
    const { code, at, diagnostics } = await validate('table-traditional-name');
    expect(code).toBe(1);
    expect(at('workbook/figure-unknown-unit')).toEqual(['统计表!C9', '统计表!D9']);
    expect(diagnostics.find((d) => d.code === 'workbook/figure-unknown-unit')!.message).toContain('第 9 行的单位“區林業局”不是本次活动的单位，这一行的数字不会被汇总（是否是“区林业局”？）');
  });

  it('beside a longer name 区林业局（含园林）', async () => {
    const { code, diagnostics } = await validate('table-longer-name');
    expect(code).toBe(1);
    expect(diagnostics.find((d) => d.code === 'workbook/figure-unknown-unit')!.message).toContain('“区林业局（含园林）”不是本次活动的单位，这一行的数字不会被汇总（是否是“区林业局”？）');
  });

  it('a file name naming no one: the figures are named at their cells, not “no row holds figures”', async () => {
    const { code, at } = await validate('table-unnamed-figures');
    expect(code).toBe(1);
    expect(at('workbook/no-filled-row')).toEqual([]);
    expect(at('workbook/figure-unknown-unit')).toEqual(['统计表!C9', '统计表!D9']);
  });

  it('a name with a zero-width joiner: what differs is shown', async () => {
    const { diagnostics } = await validate('table-invisible-name');
    const message = diagnostics.find((d) => d.code === 'workbook/figure-unknown-unit')!.message;
    expect(message).toContain('“区林‹U+200D›业局”');
    expect(message).toContain('看起来与“区林业局”相同，但其中有看不见的字符：‹U+200D›');
  });

  it('the table on a hidden sheet: said, not “不是报送表”', async () => {
    const { code, diagnostics } = await validate('table-hidden-sheet');
    expect(code).toBe(1);
    expect(diagnostics.map((d) => d.code)).toEqual(['workbook/hidden-table']);
    expect(diagnostics[0]!.message).toContain('统计表在隐藏的工作表“统计表”中');
  });
});

describe.concurrent('4. only what a person can see is read', () => {
  it('a very hidden 统计表 does not win over the visible one; it is said', { timeout: 90_000 }, async () => {
    const { code, at } = await validate('very-hidden-statistics');
    expect(code).toBe(0);
    expect(at('workbook/hidden-sheet-ignored')).toEqual(['统计表!A1']);
    expect(await mergedFigure('very-hidden-statistics', '出动执法人员')).toBe(12); // not the hidden 9999
  });

  it('a figure in a hidden column: a warning at its cell', async () => {
    const { code, at } = await validate('hidden-column');
    expect(code).toBe(0);
    expect(at('workbook/hidden-column')).toEqual(['统计表!B5']);
  });

  it('a figure under a ;;; format: a warning at its cell', async () => {
    const { code, at } = await validate('invisible-format');
    expect(code).toBe(0);
    expect(at('workbook/concealed-figure')).toEqual(['统计表!C5']);
  });

  it('two columns for one indicator: an error at the second header', async () => {
    const { code, at, diagnostics } = await validate('two-columns');
    expect(code).toBe(1);
    expect(at('workbook/two-columns')).toEqual(['统计表!S4']);
    expect(diagnostics[0]!.message).toContain('“出动执法人员”有两列（B 列和 S 列）');
  });
});

describe.concurrent('5. 填报单位 naming another department', () => {
  it('is an error at 基本信息\'s cell naming both', async () => {
    const { code, at, diagnostics } = await validate('other-department');
    expect(code).toBe(1);
    expect(at('workbook/other-department')).toEqual(['基本信息!B3']);
    expect(diagnostics.find((d) => d.code === 'workbook/other-department')!.message).toContain('“填报单位”写的是“区商务局”，但这份填报表是为区林业局生成的');
  });
});

describe.concurrent('7. a retyped header', () => {
  it('its figure is an error at its cell, naming the closest indicator', async () => {
    const { code, at, diagnostics } = await validate('retyped-header');
    expect(code).toBe(1);
    expect(at('workbook/figure-unmatched-header')).toEqual(['统计表!B5']);
    expect(diagnostics.find((d) => d.code === 'workbook/figure-unmatched-header')!.message).toContain('表头“出动执法人数（人次）”不是本次活动的指标，不会被汇总（最接近的指标是“出动执法人员”）');
  });
});

describe.concurrent('8–11. files that crashed or hung the tool', () => {
  it('8. 是否曝光 filled down 80,000 rows: findings, no stack; status and merge name the file', { timeout: 90_000 }, async () => {
    const { code, at } = await validate('exposed-80000');
    expect(code).toBe(1);
    expect(at('workbook/too-many-rows')).toHaveLength(1);
    const status = await runCliJson<StatusJson>(['status', '--dir', folder('exposed-80000'), '--as-of', AS_OF]);
    expect(status.stderr).not.toContain('内部错误');
    expect(status.stdout + status.stderr).not.toContain('无法读取文件夹');
    expect(status.json.departments.find((d) => d.id === 'forestry')!.state).toBe('invalid');
  });

  it('9. a row number past 1,048,576 is refused, not looped to (validate, status, merge)', { timeout: 90_000 }, async () => {
    const { code, diagnostics } = await validate('row-past-limit');
    expect(code).toBe(1);
    expect(diagnostics.map((d) => d.code)).toEqual(['workbook/cell-out-of-range']);
    expect(diagnostics[0]!.message).toContain('“典型案例”表中的 2000000:2000000 超出了 Excel 的范围');
    const status = await runCliJson<StatusJson>(['status', '--dir', folder('row-past-limit'), '--as-of', AS_OF]);
    expect(status.json.departments.find((d) => d.id === 'forestry')!.state).toBe('invalid');
    const merged = await runCli(['merge', '--dir', folder('row-past-limit'), '--out', join(tempDir(), '汇总.xlsx'), '--as-of', AS_OF]);
    expect(merged.stderr).not.toContain('内部错误');
  });

  it('9. a column past XFD is refused', async () => {
    const { code, diagnostics } = await validate('column-past-limit');
    expect(code).toBe(1);
    expect(diagnostics.map((d) => d.code)).toEqual(['workbook/cell-out-of-range']);
    expect(diagnostics[0]!.message).toContain('XFE600');
  });

  it('10. shared strings whose size the zip lies about are stopped by the bytes inflated', async () => {
    const { code, diagnostics } = await validate('shared-strings-bomb');
    expect(code).toBe(1);
    expect(diagnostics.map((d) => d.code)).toEqual(['workbook/too-large-inside']);
  });

  it('11. 80,000 one-row merges are read (indexed once)', async () => {
    const { code } = await validate('merges-80000');
    expect(code).toBe(0);
  });
});

describe.concurrent('6. wrong formats are told by their content, with what to do', () => {
  it('validate: an .ods, a workbook named .yaml, text named .xlsx, an .xls', { timeout: 90_000 }, async () => {
    const { files } = await validate('wrong-formats');
    const codes = Object.fromEntries(files.map((f) => [f.file.split('/').at(-1), f.diagnostics.map((d) => d.code)]));
    expect(codes).toEqual({
      '区商务局.ods': ['workbook/ods'],
      '区林业局.yaml': ['file/workbook-named-yaml'],
      '区税务局.xlsx': ['workbook/text-named-xlsx'],
      '统计表.xls': ['workbook/legacy'],
    });
    expect(files.find((f) => f.file.endsWith('.ods'))!.diagnostics[0]!.message).toContain('另存为”→“Excel 工作簿（*.xlsx）');
  });

  it('status: an .xls naming no department is “old format”, not a missing 填报单位; merge names every file it cannot use', { timeout: 90_000 }, async () => {
    const status = await runCliJson<StatusJson>(['status', '--dir', folder('wrong-formats'), '--as-of', AS_OF]);
    expect(status.json.unknownFiles).toEqual([expect.objectContaining({ file: '统计表.xls', reason: 'unreadable', detail: expect.stringContaining('旧版 Excel') })]);
    expect(status.json.departments.find((d) => d.id === 'commerce')).toMatchObject({ state: 'invalid', files: ['区商务局.ods'] });
    const merged = await runCli(['merge', '--dir', folder('wrong-formats'), '--out', join(tempDir(), '汇总.xlsx'), '--as-of', AS_OF]);
    expect(merged.code).not.toBe(0);
    expect(merged.stderr).toContain('统计表.xls（无法读取：这是旧版 Excel');
    const skipping = await runCli(['merge', '--dir', folder('wrong-formats'), '--out', join(tempDir(), '汇总.xlsx'), '--as-of', AS_OF, '--skip-unknown']);
    expect(skipping.code).not.toBe(0);
    for (const name of ['区商务局', '区林业局', '区税务局']) expect(skipping.stderr).toContain(name);
  });
});

describe.concurrent('3. pictures pasted into the form', () => {
  it('are said at their sheet: they never reach the package', async () => {
    const { code, at, diagnostics } = await validate('pictures');
    expect(code).toBe(0);
    expect(at('workbook/embedded-pictures')).toEqual(['图片视频资料!A1']);
    expect(diagnostics[0]!.message).toContain('“图片视频资料”表中粘贴了 2 张图片');
  });
});

describe.concurrent('smaller, but each seen', () => {
  it('a cell pointing at a shared string that does not exist is a finding, not a blank', async () => {
    const { code, at } = await validate('missing-shared-string');
    expect(code).toBe(1);
    expect(at('workbook/missing-string')).toEqual(['统计表!C5']);
  });

  it('invisible and control characters in cells get the YAML path\'s warnings at their cell, and a name with one is shown as different', async () => {
    const { at, diagnostics } = await validate('odd-characters');
    expect(at('text/invisible-character')).toEqual(['基本信息!B3', '基本信息!B4']);
    expect(at('text/control-character')).toEqual(['基本信息!B4']);
    expect(diagnostics.find((d) => d.cell === 'B3' && d.code === 'text/invisible-character')!.message).toContain('零宽连字（U+200D）');
    expect(at('schema/unknown-department')).toEqual(['基本信息!B3']);
  });

  it('a workbook\'s 工作总结 is capped like a YAML file', async () => {
    const { code, at, diagnostics } = await validate('summary-too-long');
    expect(code).toBe(1);
    expect(at('workbook/summary-too-long')).toEqual(['工作总结!A3']);
    expect(diagnostics[0]!.message).toContain('工作总结过长（2.9 MB），超过 2 MB 的上限');
  });
});

describe.concurrent('materials are sniffed: an executable is an error, an empty or misnamed picture a warning (validate and pack)', () => {
  it('validate: MZ bytes named .jpg and a setup.exe are errors; a 0-byte .jpg and text named .png are warnings', async () => {
    const result = await runCliJson<ValidateJson>(['validate', fixture('h25-materials-bad')]);
    const found = result.json.files[0]!.diagnostics.map((d) => `${d.severity} ${d.code} ${d.message.match(/“(.+?)”/)![1]}`);
    expect(found).toEqual([
      'error material/executable 材料/现场.jpg',
      'error material/executable 材料/setup.exe',
      'warning material/empty 材料/空.jpg',
      'warning material/not-a-picture 材料/假.png',
    ]);
    expect(result.code).toBe(1);
  });

  it('pack: an executable stops it; an empty or misnamed picture goes in and is said', { timeout: 90_000 }, async () => {
    const bad = await runCli(['pack', join(fixture('h25-materials-bad'), '区林业局.yaml'), '--out', join(tempDir(), 'out'), '--as-of', '2024-11-15T09:00+08:00']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('是可执行程序');
    const odd = await runCli(['pack', join(fixture('h25-materials-odd'), '区林业局.yaml'), '--out', join(tempDir(), 'out'), '--as-of', '2024-11-15T09:00+08:00']);
    expect(odd.code).toBe(0);
    expect(odd.stderr).toContain('以下材料已收入材料包，但请核对：\n  区林业局：材料“材料/空.jpg”是空文件（0 字节）');
    expect(odd.stderr).toContain('区林业局：材料“材料/假.png”的名称是图片，但内容不是图片');
  });
});

describe.concurrent('a newcomer\'s findings in a workbook use the words the clerk sees', () => {
  it('报送日期 not submitted_at, 是/否 not true/false, and the missing-task warning has its cell', async () => {
    const { diagnostics } = await validate('clerk-words');
    const found = Object.fromEntries(diagnostics.map((d) => [d.code, { at: `${d.sheet}!${d.cell}`, message: d.message }]));
    expect(found['value/date-before']).toEqual({ at: '基本信息!B7', message: '“报送日期”日期 2024-01-05 早于专项行动开始日期 2024-06-01' });
    expect(found['workbook/expected-boolean']).toEqual({ at: '典型案例!H4', message: '“是否曝光”应填 是 或 否（可从下拉列表中选择）' });
    expect(found['task/missing']!.at).toBe('重点任务!E3');
    expect(diagnostics.map((d) => d.message).join()).not.toMatch(/submitted_at|true\/false/);
  });
});

describe.concurrent('7. a case written over two rows', () => {
  it('cells merged down from the case\'s row make one case; the second row\'s text is added to it', { timeout: 90_000 }, async () => {
    const { code, diagnostics } = await validate('case-two-rows');
    expect(diagnostics).toEqual([]);
    expect(code).toBe(0);
    const out = join(tempDir(), '汇总.xlsx');
    expect((await runCli(['merge', '--dir', folder('case-two-rows'), '--out', out, '--as-of', AS_OF])).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const texts: string[] = [];
    wb.getWorksheet('典型案例')!.eachRow((row) => row.eachCell((cell) => typeof cell.value === 'string' && texts.push(cell.value)));
    expect(texts).toContain('经查，当事人通过网店销售野生兰花。\n当事人当场认错，配合调查。');
  });
});

describe.concurrent('formula-like text in the workbooks we write', () => {
  it('a case title =cmd|… and a result @SUM(1,2) are written as text with quotePrefix, so no edit or CSV export makes them formulas', { timeout: 90_000 }, async () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS, 'formula-text-');
    const file = join(dir, '区公安分局.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('title: 王某某冒充中医专家直播销售假药案', "title: \"=cmd|' /C calc'!A0\"").replace('result: 抓获犯罪嫌疑人2名，已移送审查起诉', 'result: "@SUM(1,2)"'));
    const out = join(tempDir(), '汇总.xlsx');
    const merged = await runCli(['merge', '--dir', dir, '--out', out, '--as-of', '2024-11-15T09:00+08:00']);
    expect(merged.code, merged.stderr).toBe(0);
    const zip = await JSZip.loadAsync(readFileSync(out));
    const styles = await zip.file('xl/styles.xml')!.async('string');
    const xfs = [...styles.slice(styles.indexOf('<cellXfs')).matchAll(/<xf\b[^>]*>/g)].map((m) => m[0]);
    const quoted: string[] = [];
    for (const name of Object.keys(zip.files).filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n))) {
      const xml = await zip.file(name)!.async('string');
      for (const m of xml.matchAll(/<c r="[A-Z]+\d+" s="(\d+)" t="inlineStr"><is><t[^>]*>([^<]*)<\/t>/g))
        if (/^(=|@)/.test(m[2]!.replace(/&amp;/g, '&').replace(/&apos;/g, "'"))) quoted.push(`${m[2]} ${/quotePrefix="1"/.test(xfs[Number(m[1])]!)}`);
    }
    expect(quoted.sort()).toEqual(["=cmd|' /C calc'!A0 true", '@SUM(1,2) true'].sort());
  });
});

describe.concurrent('6. a file of another format named after a department that has not reported', () => {
  it('is not left out of status and merge in silence', { timeout: 90_000 }, async () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS, 'other-format-');
    writeFileSync(join(dir, '区林业局.docx'), readFileSync(join(folder('wrong-formats'), '区林业局.yaml')));
    const status = await runCliJson<StatusJson>(['status', '--dir', dir, '--as-of', '2024-11-15T09:00+08:00']);
    expect(status.json.unknownFiles).toEqual([{ file: '区林业局.docx', reason: 'unreadable', detail: expect.stringContaining('文件名是区林业局的，但这不是报送文件的格式') }]);
    const merged = await runCli(['merge', '--dir', dir, '--out', join(tempDir(), '汇总.xlsx'), '--as-of', '2024-11-15T09:00+08:00']);
    expect(merged.code).not.toBe(0);
    expect(merged.stderr).toContain('区林业局.docx');
  });
});
