/**
 * Issue 13, the output of record: merge never writes while a file may be a department's and
 * counts for none, never replaces an output by accident or an input at all, names what it
 * writes safely, and never takes the campaign from the cache.
 */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { runCli, runCliAsync, tempCopy, tempDir } from './helpers/exec.js';
import { CAMPAIGN_FILE, REPO, SAMPLE_SUBMISSIONS, fixture } from './helpers/paths.js';
import { BASE, edit } from './helpers/submission.js';

const AS_OF = ['--as-of', '2024-11-15T09:00+08:00'];
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const outIn = (name = '汇总表.xlsx') => join(tempDir('merge-out-'), name);

async function sheet(file: string, name = '统计表') {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return wb.getWorksheet(name)!;
}

describe('a file that may be a department’s but counts for none', () => {
  it.each([
    ['in a subfolder', (dir: string) => {
      mkdirSync(join(dir, '区林业局'));
      writeFileSync(join(dir, '区林业局', '区林业局.yaml'), BASE);
      return '区林业局/区林业局.yaml';
    }],
    ['naming an unknown department', (dir: string) => {
      writeFileSync(join(dir, '补报.yaml'), edit('department: 区林业局', 'department: 区环保局'));
      return '补报.yaml';
    }],
  ])('stops the merge (%s), exit 1, nothing written; --skip-unknown goes on and says so', async (_, plant) => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS);
    const file = plant(dir);
    const out = outIn();
    const stopped = runCli(['merge', '--dir', dir, '--out', out, ...AS_OF]);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain('个文件可能是报送文件，却无法归属到任何单位，未生成汇总表');
    expect(stopped.stderr).toContain(file);
    expect(stopped.stderr).toContain('--skip-unknown');
    expect(existsSync(out)).toBe(false);

    const went = runCli(['merge', '--dir', dir, '--out', out, '--skip-unknown', ...AS_OF]);
    expect(went.code).toBe(0);
    expect(went.stdout).toContain(`已忽略无法归属的文件：${file}`);
    expect(existsSync(out)).toBe(true);
  });

  it('a non-YAML file (a note, a Word document) does not stop it', () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS);
    writeFileSync(join(dir, '说明.txt'), '见附件');
    expect(runCli(['merge', '--dir', dir, '--out', outIn(), ...AS_OF]).code).toBe(0);
  });
});

describe('the output is never replaced by accident', () => {
  it('two merges to one --out at the same moment: one writes, the other is refused', async () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS);
    const out = outIn();
    const runs = await Promise.all([1, 2, 3].map(() => runCliAsync(['merge', '--dir', dir, '--out', out, ...AS_OF])));
    expect(runs.map((r) => r.code).sort()).toEqual([0, 2, 2]);
    for (const r of runs.filter((x) => x.code === 2)) expect(r.stderr).toContain('输出文件已存在');
    expect(readdirSync(dirname(out))).toEqual([basename(out)]);
    expect((await sheet(out)).rowCount).toBeGreaterThan(5);
  });

  it.each([
    ['the template itself', (t: string) => t],
    ['a hard link to the template', (t: string) => {
      const link = join(dirname(t), '链接.xlsx');
      linkSync(t, link);
      return link;
    }],
  ])('--out as %s is refused, with or without --force', (_, outFor) => {
    const template = join(tempDir(), '模板.xlsx');
    writeFileSync(template, readFileSync(join(REPO, 'templates', 'hsq_2024_wlsc.xlsx')));
    const before = sha(template);
    const out = outFor(template);
    for (const force of [[], ['--force']]) {
      const r = runCli(['merge', '--dir', SAMPLE_SUBMISSIONS, '--template', template, '--out', out, ...force, ...AS_OF]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('就是输入文件');
    }
    expect(sha(template)).toBe(before);
  });

  it('--out as the campaign file is refused even with --force', () => {
    const campaign = join(tempDir(), 'campaign.xlsx');
    writeFileSync(campaign, readFileSync(CAMPAIGN_FILE));
    const r = runCli(['merge', '--dir', SAMPLE_SUBMISSIONS, '--campaign', campaign, '--out', campaign, '--force', ...AS_OF]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('就是输入文件');
    expect(readFileSync(campaign).equals(readFileSync(CAMPAIGN_FILE))).toBe(true);
  });

  it.skipIf(process.platform === 'win32')('--force keeps the old file’s permissions', () => {
    const out = outIn();
    expect(runCli(['merge', '--dir', SAMPLE_SUBMISSIONS, '--out', out, ...AS_OF]).code).toBe(0);
    chmodSync(out, 0o640);
    expect(runCli(['merge', '--dir', SAMPLE_SUBMISSIONS, '--out', out, '--force', ...AS_OF]).code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o640);
  });
});

describe('names', () => {
  it('gives a name without .xlsx its extension', () => {
    const out = outIn('汇总表');
    const r = runCli(['merge', '--dir', SAMPLE_SUBMISSIONS, '--out', out, ...AS_OF]);
    expect(r.code).toBe(0);
    expect(readdirSync(dirname(out))).toEqual(['汇总表.xlsx']);
    expect(r.stdout).toContain('汇总表.xlsx');
  });

  it('makes the default name from the table title safe as one file name', () => {
    const workspace = tempDir();
    const campaign = join(workspace, 'campaign.yaml');
    writeFileSync(campaign, edit('table_title: 2024网络市场监管专项行动情况统计表', 'table_title: "2024/11 统计表: ../汇总"', readFileSync(CAMPAIGN_FILE, 'utf8')));
    const r = runCli(['merge', '--dir', SAMPLE_SUBMISSIONS, '--campaign', campaign, ...AS_OF], { cwd: workspace });
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(join(workspace, 'out'))).toEqual(['2024_11 统计表_ .._汇总.xlsx']);
  });
});

describe('dates', () => {
  it('a lateness judged by the file time says so in the table’s 备注', async () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS);
    const file = join(dir, '区商务局.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^submitted_at:.*\n/m, ''));
    const saved = new Date('2024-11-13T10:00:00+08:00');
    utimesSync(file, saved, saved);
    const out = outIn();
    expect(runCli(['merge', '--dir', dir, '--out', out, ...AS_OF]).code).toBe(0);
    const ws = await sheet(out);
    let note = '';
    ws.eachRow((row) => {
      if (row.getCell(2).value === '区商务局') note = String(row.getCell(ws.columnCount).value ?? '');
    });
    expect(note).toBe('逾期报送（2024年11月13日（文件时间））');
  });

  it('an --as-of before 1980 (no zip date) does not crash the write', () => {
    const r = runCli(['merge', '--dir', SAMPLE_SUBMISSIONS, '--out', outIn(), '--as-of', '1970-01-01']);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('the console summary', () => {
  it('says 合计 plainly when every unit is in', () => {
    const r = runCli(['merge', '--dir', fixture('status-all-in'), '--out', outIn(), ...AS_OF, '--skip-unknown']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('\n合计：\n');
    expect(r.stdout).not.toContain('不含未报送单位');
  });
});

describe('the cache never decides the output of record', () => {
  it('merge checks the campaign afresh, whatever the cache holds', async () => {
    const workspace = tempDir();
    const cache = join(workspace, 'cache');
    const campaign = join(workspace, 'campaign.yaml');
    const text = `${readFileSync(CAMPAIGN_FILE, 'utf8')}\n# 另一份活动配置\n`;
    writeFileSync(campaign, text);
    // A status run keeps the campaign in the cache; then someone alters the kept copy.
    expect(runCli(['status', '--dir', SAMPLE_SUBMISSIONS, '--campaign', campaign, ...AS_OF], { env: { REPORT_CACHE_DIR: cache } }).code).toBe(1);
    const kept = readdirSync(join(cache, 'campaign'));
    expect(kept).toHaveLength(1);
    const keptFile = join(cache, 'campaign', kept[0]!);
    const altered = JSON.parse(readFileSync(keptFile, 'utf8'));
    altered.title = '被改过的活动';
    altered.table_title = '被改过的标题';
    writeFileSync(keptFile, JSON.stringify(altered));
    // The control: status trusts the cache (it is fast), so it shows the altered title…
    const status = runCli(['status', '--dir', SAMPLE_SUBMISSIONS, '--campaign', campaign, ...AS_OF, '--json'], { env: { REPORT_CACHE_DIR: cache } });
    expect(JSON.parse(status.stdout).campaign).toBe('被改过的活动');
    // …merge does not.
    const out = outIn();
    expect(runCli(['merge', '--dir', SAMPLE_SUBMISSIONS, '--campaign', campaign, '--out', out, ...AS_OF], { env: { REPORT_CACHE_DIR: cache } }).code).toBe(0);
    const ws = await sheet(out);
    expect(ws.getCell('A1').value).toBe('2024网络市场监管专项行动情况统计表');
  });

  it('keeps the cache in a folder of the user’s own, owner-only', () => {
    const home = tempDir();
    const r = runCli(['validate', fixture('validate-ok', '区林业局.yaml')], { env: { REPORT_CACHE_DIR: undefined, HOME: home, XDG_CACHE_HOME: undefined } });
    expect(r.code).toBe(0);
    const folder = join(home, '.cache', 'report');
    expect(statSync(folder).isDirectory()).toBe(true);
    if (process.platform !== 'win32') expect(statSync(folder).mode & 0o777).toBe(0o700);
  });
});
