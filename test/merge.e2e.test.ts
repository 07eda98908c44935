/**
 * `report merge` end to end: the built CLI on folders of submissions, the workbook read
 * back with exceljs. Cells are found by their labels, as a reader of the table would.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { xlsxParts } from './fixtures/templates/helpers.js';
import { runCli, tempCopy, tempDir } from './helpers/exec.js';
import { CAMPAIGN_FILE, REPO, SAMPLE_SUBMISSIONS, fixture } from './helpers/paths.js';
import { edit } from './helpers/submission.js';
import { snapshotTree } from './helpers/tree.js';

const AS_OF = ['--as-of', '2024-11-15T09:00+08:00'];
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

async function readBook(file: string) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return wb;
}

/** The statistics sheet as a grid of labels: the row of a department, the column of a header. */
function grid(ws: ExcelJS.Worksheet) {
  const find = (pred: (text: string) => boolean) => {
    for (let r = 1; r <= ws.rowCount; r++)
      for (let c = 1; c <= ws.columnCount; c++) {
        const v = ws.getCell(r, c).value;
        const text = typeof v === 'string' ? v : v && typeof v === 'object' && 'richText' in v ? v.richText.map((x) => x.text).join('') : '';
        if (pred(text.replace(/\s+/g, ''))) return { row: r, col: c };
      }
    throw new Error('not found');
  };
  return {
    rowOf: (name: string) => find((t) => t === name).row,
    colOf: (label: string) => find((t) => t === label || t.startsWith(`${label}（`) || t.startsWith(`${label}(`)).col,
    value: (row: number, col: number) => ws.getCell(row, col).value,
  };
}

function sampleCopy(): { dir: string; out: string } {
  const dir = tempCopy(SAMPLE_SUBMISSIONS, 'merge-');
  const out = join(tempDir('merge-out-'), '汇总表.xlsx');
  return { dir, out };
}

describe('report merge on the sample submissions', () => {
  it('writes the table, never shows the missing department as 0, and totals with cached results', async () => {
    const { dir, out } = sampleCopy();
    const before = snapshotTree(dir);
    const r = runCli(['merge', '--dir', dir, '--out', out, ...AS_OF]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('区林业局');
    expect(r.stderr).toContain('王静辉');
    expect(r.stdout).toContain('6/7');
    expect(existsSync(out)).toBe(true);
    // Inputs are never modified: not a submission, a summary file, a picture or the folder.
    expect(snapshotTree(dir)).toEqual(before);

    const wb = await readBook(out);
    const ws = wb.getWorksheet('统计表')!;
    const g = grid(ws);
    const forestry = g.rowOf('区林业局');
    const total = g.rowOf('合计');
    const inspectors = g.colOf('出动执法人员');
    const fines = g.colOf('罚没款');
    const remarks = g.colOf('备注');
    // Missing: no figures at all, never 0, and the note says why.
    expect(g.value(forestry, inspectors)).toBeNull();
    expect(g.value(forestry, fines)).toBeNull();
    expect(String(g.value(forestry, remarks))).toContain('未报送');
    // A figure the market bureau left empty (apps_handled) stays empty.
    expect(g.value(g.rowOf('区市场监管局'), g.colOf('处置违法违规APP'))).toBeNull();
    expect(g.value(g.rowOf('区市场监管局'), inspectors)).toBe(1286);
    // Totals: SUM formulas carrying the exact computed result; the note names who is left out.
    const totalCell = g.value(total, inspectors) as { formula: string; result: number };
    expect(totalCell.formula).toBe(`SUM(${ws.getColumn(inspectors).letter}5:${ws.getColumn(inspectors).letter}11)`);
    expect(totalCell.result).toBe(2026);
    expect((g.value(total, fines) as { result: number }).result).toBe(68.2825);
    expect(String(g.value(total, remarks))).toContain('区林业局');
    // The late department is filled and marked.
    expect(String(g.value(g.rowOf('区税务局'), remarks))).toContain('逾期');

    for (const name of ['典型案例', '重点任务落实', '报送情况', '工作总结']) expect(wb.getWorksheet(name), name).toBeDefined();
  });

  it('gives byte-identical files for the same inputs and --as-of', () => {
    const { dir, out } = sampleCopy();
    const second = join(tempDir(), 'again.xlsx');
    expect(runCli(['merge', '--dir', dir, '--out', out, ...AS_OF]).code).toBe(0);
    expect(runCli(['merge', '--dir', dir, '--out', second, ...AS_OF]).code).toBe(0);
    expect(sha(second)).toBe(sha(out));
  });

  it('gives the same file for a big folder, checked on worker threads', () => {
    const { dir, out } = sampleCopy();
    expect(runCli(['merge', '--dir', dir, '--out', out, ...AS_OF]).code).toBe(0);
    const notice = readFileSync(fixture('status-all-in', '会议通知.yaml'));
    for (let i = 1; i <= 60; i++) writeFileSync(join(dir, `会议通知${String(i).padStart(2, '0')}.yaml`), notice);
    const big = join(tempDir(), 'big.xlsx');
    const r = runCli(['merge', '--dir', dir, '--out', big, ...AS_OF]);
    expect(r.code, r.stderr).toBe(0);
    expect(sha(big)).toBe(sha(out));
  });

  it('never overwrites an existing output without --force', () => {
    const { dir, out } = sampleCopy();
    writeFileSync(out, 'previous report');
    const r = runCli(['merge', '--dir', dir, '--out', out, ...AS_OF]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--force');
    expect(readFileSync(out, 'utf8')).toBe('previous report');
    const forced = runCli(['merge', '--dir', dir, '--out', out, '--force', ...AS_OF]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(out).subarray(0, 2).toString()).toBe('PK');
    expect(readdirSync(join(out, '..')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses an output inside the submissions folder', () => {
    const { dir } = sampleCopy();
    const r = runCli(['merge', '--dir', dir, '--out', join(dir, '汇总.xlsx'), ...AS_OF]);
    expect(r.code).toBe(2);
    expect(existsSync(join(dir, '汇总.xlsx'))).toBe(false);
  });

  it('lists task work one row per task and reporting department, the task repeated on each of its rows', async () => {
    const { dir, out } = sampleCopy();
    expect(runCli(['merge', '--dir', dir, '--out', out, ...AS_OF]).code).toBe(0);
    const ws = (await readBook(out)).getWorksheet('重点任务落实')!;
    const header = (ws.getRow(2).values as unknown[]).slice(1);
    expect(header).toEqual(['序号', '类别', '任务', '责任单位', '报送单位', '落实情况', '未填写的责任单位']);
    const numbers: unknown[] = [];
    const reporters = new Set<unknown>();
    for (let r = 3; r <= ws.rowCount; r++) {
      const no = ws.getCell(r, 1);
      expect(no.isMerged).toBe(false);
      expect(ws.getCell(r, 3).value).toBeTruthy(); // the task's title on every row
      if (numbers.at(-1) !== no.value) numbers.push(no.value);
      reporters.add(ws.getCell(r, 5).value);
      const text = String(ws.getCell(r, 6).value);
      expect(text.length).toBeGreaterThan(0);
      expect(text.length).toBeLessThanOrEqual(32_767);
      expect(text).not.toMatch(/^【/); // the department is in its own column now
    }
    expect(numbers).toEqual(Array.from({ length: 34 }, (_, i) => i + 1));
    expect(reporters.has('区市场监管局')).toBe(true);
    expect(reporters.has('区林业局')).toBe(false); // did not report
  });

  it('with --strict writes nothing while a department is missing', () => {
    const { dir, out } = sampleCopy();
    const r = runCli(['merge', '--dir', dir, '--out', out, '--strict', ...AS_OF]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('区林业局');
    expect(existsSync(out)).toBe(false);
  });
});

describe('report merge writes whole or not at all, and never over an earlier output unasked', () => {
  const PRELOAD = pathToFileURL(join(REPO, 'test', 'helpers', 'interrupt-write.mjs')).href;

  /** The sample folder, an earlier merge's workbook at `out`, and a changed submission (so a new merge would differ). */
  function earlierOutput() {
    const { dir, out } = sampleCopy();
    expect(runCli(['merge', '--dir', dir, '--out', out, ...AS_OF]).code).toBe(0);
    const file = join(dir, '区商务局.yaml');
    writeFileSync(file, edit('  inspectors: 46', '  inspectors: 47', readFileSync(file, 'utf8')));
    return { dir, out, before: { bytes: readFileSync(out), mtimeMs: statSync(out).mtimeMs } };
  }

  /** `report merge --force` with the preload interrupting its writes into the output's folder. */
  function interrupted(mode: 'kill' | 'sigint' | 'rename', dir: string, out: string) {
    const trace = join(tempDir(), 'trace.jsonl');
    writeFileSync(trace, '');
    const r = runCli(['merge', '--dir', dir, '--out', out, '--force', ...AS_OF], {
      nodeArgs: ['--import', PRELOAD],
      env: { REPORT_TEST_INTERRUPT: mode, REPORT_TEST_OUT_DIR: dirname(out), REPORT_TEST_TRACE: trace },
    });
    const events = readFileSync(trace, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
    return { ...r, events };
  }

  it('killed half-way through writing, it leaves the earlier output byte-identical', async () => {
    const { dir, out, before } = earlierOutput();
    const r = interrupted('kill', dir, out);
    // The control: the process did die in the middle of writing a file beside the output, not the output itself.
    expect(r.signal).toBe('SIGKILL');
    expect(r.events).toEqual([{ event: 'killed', file: expect.any(String), written: expect.any(Number), of: expect.any(Number) }]);
    const [{ file, written, of }] = r.events as [{ file: string; written: number; of: number }];
    expect(file).not.toBe(basename(out));
    expect(written).toBe(of >> 1);
    expect(statSync(join(dirname(out), file)).size).toBe(written);
    // The earlier output is as it was, and still opens, with the earlier figure.
    expect(readFileSync(out).equals(before.bytes)).toBe(true);
    expect(statSync(out).mtimeMs).toBe(before.mtimeMs);
    expect(readdirSync(dirname(out)).sort()).toEqual([basename(out), file].sort());
    const g = grid((await readBook(out)).getWorksheet('统计表')!);
    expect(g.value(g.rowOf('区商务局'), g.colOf('出动执法人员'))).toBe(46);
    // The half-written file does not stand in the way of the next run, which removes it (its process is gone).
    expect(runCli(['merge', '--dir', dir, '--out', out, '--force', ...AS_OF]).code).toBe(0);
    expect(readFileSync(out).equals(before.bytes)).toBe(false);
    expect(readdirSync(dirname(out))).toEqual([basename(out)]);
  });

  it('interrupted with Ctrl-C half-way through writing, it removes its temporary file and leaves the earlier output', () => {
    const { dir, out, before } = earlierOutput();
    const r = interrupted('sigint', dir, out);
    expect(r.events).toEqual([{ event: 'interrupted', file: expect.stringMatching(/\.tmp$/) }]);
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('已中断：未生成汇总表'); // as pack says it (issue 25)
    expect(readFileSync(out).equals(before.bytes)).toBe(true);
    expect(readdirSync(dirname(out))).toEqual([basename(out)]);
  });

  it('with the rename refused (the old output open in Excel), it says so, keeps the old output and leaves no temporary file', () => {
    const { dir, out, before } = earlierOutput();
    const r = interrupted('rename', dir, out);
    expect(r.events).toEqual([{ event: 'rename-failed', from: expect.any(String), to: basename(out) }]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`写入 ${out} 失败：文件正被其他程序占用（例如已在 Excel 或 WPS 中打开），请关闭后重试（EBUSY）`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).not.toContain('已生成汇总表');
    expect(readFileSync(out).equals(before.bytes)).toBe(true);
    expect(statSync(out).mtimeMs).toBe(before.mtimeMs);
    expect(readdirSync(dirname(out))).toEqual([basename(out)]);
  });

  it('refuses to replace the workbook an earlier merge left at the default path: exit 2, the file byte-identical', async () => {
    const workspace = tempDir('merge-default-');
    const dir = tempCopy(SAMPLE_SUBMISSIONS);
    const out = join(workspace, 'out', '2024网络市场监管专项行动情况统计表.xlsx');
    expect(runCli(['merge', '--dir', dir, ...AS_OF], { cwd: workspace }).code).toBe(0);
    const before = { bytes: readFileSync(out), mtimeMs: statSync(out).mtimeMs };
    const file = join(dir, '区商务局.yaml');
    writeFileSync(file, edit('  inspectors: 46', '  inspectors: 47', readFileSync(file, 'utf8')));

    const r = runCli(['merge', '--dir', dir, ...AS_OF], { cwd: workspace });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`输出文件已存在：${join('out', '2024网络市场监管专项行动情况统计表.xlsx')}。如需覆盖请加 --force\n`);
    expect(r.stdout).toBe('');
    expect(readFileSync(out).equals(before.bytes)).toBe(true);
    expect(statSync(out).mtimeMs).toBe(before.mtimeMs);
    expect(readdirSync(dirname(out))).toEqual([basename(out)]);

    // --force was all that stood in the way: with it, the new figures are written.
    expect(runCli(['merge', '--dir', dir, '--force', ...AS_OF], { cwd: workspace }).code).toBe(0);
    const ws = (await readBook(out)).getWorksheet('统计表')!;
    const g = grid(ws);
    expect(g.value(g.rowOf('区商务局'), g.colOf('出动执法人员'))).toBe(47);
  });
});

describe('report merge refuses broken or doubled submissions', () => {
  it('writes nothing when a present submission does not validate, and shows its diagnostics', () => {
    const { dir, out } = sampleCopy();
    const file = join(dir, '区商务局.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^( {2}inspectors:).*$/m, '$1 12人次'));
    const r = runCli(['merge', '--dir', dir, '--out', out, ...AS_OF]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('区商务局.yaml:10:15 错误 [value/unit-in-number]');
    expect(existsSync(out)).toBe(false);
  });

  it('writes nothing when two files claim one department, naming both', () => {
    const { dir, out } = sampleCopy();
    cpSync(join(dir, '区公安分局.yaml'), join(dir, '区公安分局（修改版）.yaml'));
    const r = runCli(['merge', '--dir', dir, '--out', out, ...AS_OF]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('区公安分局.yaml');
    expect(r.stderr).toContain('区公安分局（修改版）.yaml');
    expect(existsSync(out)).toBe(false);
  });
});

describe('report merge keeps user text as text', () => {
  it('stores a case title beginning with = + - @ as a string, never a formula', async () => {
    const { dir, out } = sampleCopy();
    const file = join(dir, '区文旅体局.yaml');
    const text = readFileSync(file, 'utf8').replace(/^(\s+- title:).*$/m, "$1 '=HYPERLINK(\"http://x\",\"点击\")'");
    writeFileSync(file, text);
    const r = runCli(['merge', '--dir', dir, '--out', out, ...AS_OF]);
    expect(r.code, r.stderr).toBe(0);
    const ws = (await readBook(out)).getWorksheet('典型案例')!;
    let found: ExcelJS.Cell | undefined;
    ws.eachRow((row) => row.eachCell((cell) => {
      if (typeof cell.value === 'string' && cell.value.startsWith('=HYPERLINK')) found = cell;
    }));
    expect(found, 'the title is in the 典型案例 sheet as text').toBeDefined();
    expect(found!.type).toBe(ExcelJS.ValueType.String);
    // In the sheets' XML (the package is compressed: unzipped first), a string and no formula.
    const sheets = [...(await xlsxParts(readFileSync(out)))].filter(([name]) => name.startsWith('xl/worksheets/')).map(([, xml]) => xml).join('');
    expect(sheets).toContain('<t>=HYPERLINK("http://x","点击")</t>');
    expect(sheets).not.toMatch(/<f>[^<]*HYPERLINK/);
  });
});

describe('report merge with an issued template', () => {
  it('fills a template whose columns are in another order and keeps its extra column', async () => {
    // The official-like table has six of the test campaign's indicators, in its own order,
    // and an extra 其他 column; submissions for that campaign are written here.
    const base = JSON.parse(readFileSync(fixture('templates', 'campaign.json'), 'utf8')) as { departments: { id: string; name: string }[]; indicators: { id: string }[] };
    base.indicators = base.indicators.filter((i) => i.id !== 'trainings');
    const root = tempDir('merge-official-');
    const campaignFile = join(root, 'campaign.json');
    writeFileSync(campaignFile, JSON.stringify(base));
    const dir = join(root, 'submissions');
    mkdirSync(dir);
    const figures = (i: number) => ({ inspectors: 10 + i, platforms_checked: 20 + i, cases_filed: 5 + i, cases_closed: 3 + i, fines: 1.25 + i, cases_transferred: 1 + i });
    base.departments.forEach((d, i) => {
      if (d.id === 'forestry') return;
      const stats = Object.entries(figures(i)).map(([k, v]) => `  ${k}: ${v}`).join('\n');
      writeFileSync(join(dir, `${d.name}.yaml`), `department: ${d.name}\nfilled_by: 张三\nphone: "0559-8510026"\nsubmitted_at: 2024-11-10\nstatistics:\n${stats}\nsummary: 工作总结。\n`);
    });
    const out = join(tempDir('merge-out-'), '汇总表.xlsx');
    const r = runCli(['merge', '--campaign', campaignFile, '--dir', dir, '--template', fixture('templates', 'official-like.xlsx'), '--out', out, ...AS_OF]);
    expect(r.code, r.stderr).toBe(0);
    const [template, merged] = [await readBook(fixture('templates', 'official-like.xlsx')), await readBook(out)];
    const g = grid(merged.getWorksheet('统计表')!);
    const labels: Record<string, string> = { inspectors: '出动执法人员', platforms_checked: '检查网站平台网店', cases_filed: '立案', cases_closed: '结案', fines: '罚没款', cases_transferred: '移送司法机关' };
    base.departments.forEach((d, i) => {
      const row = g.rowOf(d.id === 'police' ? '黄山区公安分局' : d.name);
      for (const [id, label] of Object.entries(labels)) {
        expect(g.value(row, g.colOf(label)), `${d.name} ${label}`).toBe(d.id === 'forestry' ? null : figures(i)[id as keyof ReturnType<typeof figures>]);
      }
    });
    // The extra column and the template's check column are kept in every row.
    const before = template.getWorksheet('统计表')!;
    const after = merged.getWorksheet('统计表')!;
    for (let row = 6; row <= 12; row++) {
      expect(after.getCell(row, 9).value, `其他 row ${row}`).toBe(before.getCell(row, 9).value);
      expect(after.getCell(row, 11).formula, `校验 row ${row}`).toBe(`IF(D${row}>C${row},"结案数大于立案数","")`);
    }
    // Every cell of those two columns as issued, from the header down (title lines above).
    const shown = (cell: ExcelJS.Cell) => (cell.formula ? { formula: cell.formula } : { value: cell.value });
    expect(before.rowCount).toBe(16);
    for (let row = 4; row <= before.rowCount; row++)
      for (const col of [9, 11]) expect(shown(after.getCell(row, col)), `row ${row}, column ${col}`).toEqual(shown(before.getCell(row, col)));
    expect(after.getCell('C13').formula).toBe('SUM(C6:C12)');
  });

  it('writes nothing when the template has no column for some indicators, and says which and how to add an alias', () => {
    const { dir, out } = sampleCopy();
    const r = runCli(['merge', '--dir', dir, '--template', fixture('templates', 'official-like.xlsx'), '--out', out, ...AS_OF]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('删除违法违规商品信息（条）');
    expect(r.stderr).toContain('模板中没有用上的表头：“其他”、“校验”');
    expect(r.stderr).toContain('aliases:');
    expect(existsSync(out)).toBe(false);
  });

  it('names an unreadable template and writes nothing', () => {
    const { dir, out } = sampleCopy();
    const bogus = join(tempDir(), '模板.xlsx');
    writeFileSync(bogus, 'not a workbook');
    const r = runCli(['merge', '--dir', dir, '--template', bogus, '--out', out, ...AS_OF]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('模板.xlsx');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });
});

describe('report merge on an empty folder', () => {
  it('writes a table in which every department says 未报送 and no total is 0', async () => {
    const dir = join(tempDir(), 'submissions');
    mkdirSync(dir);
    const out = join(tempDir(), 'empty.xlsx');
    const r = runCli(['merge', '--dir', dir, '--out', out, ...AS_OF]);
    expect(r.code, r.stderr).toBe(0);
    const ws = (await readBook(out)).getWorksheet('统计表')!;
    const g = grid(ws);
    const total = g.rowOf('合计');
    expect(g.value(total, g.colOf('出动执法人员'))).toBeNull();
    expect(String(g.value(g.rowOf('区公安分局'), g.colOf('备注')))).toContain('未报送');
    rmSync(out);
  });
});
