/**
 * The check cache: a file's text is checked once and its result kept while the file,
 * the campaign, the language and the code are unchanged. What lies outside the text
 * (materials, the summary file, today's date) is checked on every run.
 */
import { appendFileSync, copyFileSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCacheTable, TABLE_LIMIT, writeCacheTable } from '../src/cache.js';
import { runCli, runCliJson, tempCopy, tempDir, type StatusJson } from './helpers/exec.js';
import { CAMPAIGN_FILE, SAMPLE_SUBMISSIONS } from './helpers/paths.js';

const AS_OF = ['--as-of', '2024-11-15T09:00+08:00'];
const stateOf = (json: StatusJson, id: string) => json.departments.find((d) => d.id === id)!.state;

describe('the check cache', () => {
  it('gives the same status on a second run as on the first, and as with no cache at all', () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS);
    const cache = { REPORT_CACHE_DIR: tempDir() };
    const first = runCliJson<StatusJson>(['status', '--dir', dir, ...AS_OF], { env: cache });
    expect(readdirSync(join(cache.REPORT_CACHE_DIR, 'check'))).toHaveLength(1); // the control: the first run did keep its results
    const second = runCliJson<StatusJson>(['status', '--dir', dir, ...AS_OF], { env: cache });
    const none = runCliJson<StatusJson>(['status', '--dir', dir, ...AS_OF], { env: { REPORT_NO_CACHE: '1', REPORT_CACHE_DIR: tempDir() } });
    expect(second.json).toEqual(first.json);
    expect(none.json).toEqual(first.json);
    expect(second.stdout).toBe(first.stdout);
  });

  it('keeps one table of results for a whole folder, rewritten only when a file changed', () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS);
    const cache = { REPORT_CACHE_DIR: tempDir() };
    const tables = () => readdirSync(join(cache.REPORT_CACHE_DIR, 'check')).map((f) => join(cache.REPORT_CACHE_DIR, 'check', f));
    runCliJson<StatusJson>(['status', '--dir', dir, ...AS_OF], { env: cache });
    expect(tables()).toHaveLength(1);
    const [table] = tables();
    const written = statSync(table!).mtimeMs;
    runCliJson<StatusJson>(['status', '--dir', dir, ...AS_OF], { env: cache });
    expect(statSync(table!).mtimeMs).toBe(written);
    appendFileSync(join(dir, '区商务局.yaml'), '# 新加的一行注释\n');
    runCliJson<StatusJson>(['status', '--dir', dir, ...AS_OF], { env: cache });
    expect(tables()).toEqual([table]);
    expect(statSync(table!).mtimeMs).toBeGreaterThan(written);
  });

  it('ignores a damaged table: the same report, no message', () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS);
    const cache = { REPORT_CACHE_DIR: tempDir() };
    const first = runCli(['status', '--dir', dir, ...AS_OF], { env: cache });
    const check = join(cache.REPORT_CACHE_DIR, 'check');
    const [table] = readdirSync(check).map((f) => join(check, f));
    const entries = JSON.parse(readFileSync(table!, 'utf8')) as [string, unknown][];
    // Cut short; not a list; the real files' hashes with values of the wrong shape.
    for (const damage of ['[["', '{"not": "a table"}', JSON.stringify(entries.map(([sha], i) => (i % 2 ? [sha, { diagnostics: 3 }] : [sha, null])))]) {
      writeFileSync(table!, damage);
      const again = runCli(['status', '--dir', dir, ...AS_OF], { env: cache });
      expect(again.stdout).toBe(first.stdout);
      expect(again.stderr).toBe('');
    }
  });

  it('keeps at most TABLE_LIMIT entries in a table, the most recent', () => {
    const saved = process.env.REPORT_CACHE_DIR;
    process.env.REPORT_CACHE_DIR = tempDir();
    try {
      writeCacheTable('check', 'k', new Map(Array.from({ length: TABLE_LIMIT + 10 }, (_, i) => [`sha${i}`, i])));
      const table = readCacheTable('check', 'k', (v): v is number => typeof v === 'number');
      expect(table.size).toBe(TABLE_LIMIT);
      expect([...table.keys()][0]).toBe('sha10');
      expect(table.get(`sha${TABLE_LIMIT + 9}`)).toBe(TABLE_LIMIT + 9);
    } finally {
      if (saved === undefined) delete process.env.REPORT_CACHE_DIR;
      else process.env.REPORT_CACHE_DIR = saved;
    }
  });

  it('checks materials again on every run: a picture added later makes the file valid', () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS);
    const cache = { REPORT_CACHE_DIR: tempDir() };
    const picture = join(dir, '材料', '区市场监管局', '检查现场1.png');
    const saved = join(tempDir(), 'saved.png');
    copyFileSync(picture, saved);
    rmSync(picture);
    expect(stateOf(runCliJson<StatusJson>(['status', '--dir', dir, ...AS_OF], { env: cache }).json, 'market')).toBe('invalid');
    copyFileSync(saved, picture);
    expect(stateOf(runCliJson<StatusJson>(['status', '--dir', dir, ...AS_OF], { env: cache }).json, 'market')).toBe('submitted');
  });

  it('reads the summary file again on every run', async () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS);
    const cache = { REPORT_CACHE_DIR: tempDir() };
    const out = join(tempDir(), 'a.xlsx');
    expect(runCli(['merge', '--dir', dir, '--out', out, ...AS_OF], { env: cache }).code).toBe(0);
    writeFileSync(join(dir, '区商务局总结.txt'), '改写后的总结：这一句是新写的。');
    const again = join(tempDir(), 'b.xlsx');
    expect(runCli(['merge', '--dir', dir, '--out', again, ...AS_OF], { env: cache }).code).toBe(0);
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(again);
    const texts: string[] = [];
    wb.getWorksheet('工作总结')!.eachRow((row) => row.eachCell((cell) => texts.push(String(cell.value))));
    expect(texts.join('\n')).toContain('这一句是新写的');
  });

  it('does not reuse a result across campaigns: a new rule in the campaign applies at once', () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS);
    const cache = { REPORT_CACHE_DIR: tempDir() };
    expect(runCli(['validate', join(dir, '区市场监管局.yaml')], { env: cache }).code).toBe(0);
    const campaign = join(tempDir(), 'campaign.yaml');
    copyFileSync(CAMPAIGN_FILE, campaign);
    appendFileSync(campaign, '  - id: at_most_ten_inspectors\n    left: inspectors\n    op: "<="\n    right: "10"\n    severity: error\n    message: 出动执法人员不得超过 10 人次（测试规则）\n');
    const r = runCliJson<{ files: { diagnostics: { code: string; message: string }[] }[] }>(['validate', '--campaign', campaign, join(dir, '区市场监管局.yaml')], { env: cache });
    expect(r.code).toBe(1);
    expect(r.json.files[0]!.diagnostics.map((d) => d.message).join('\n')).toContain('测试规则');
  });

  it('does not reuse a result across languages', () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS);
    const cache = { REPORT_CACHE_DIR: tempDir() };
    const file = join(dir, '区商务局.yaml');
    appendFileSync(file, 'filed_by: x\n');
    expect(runCli(['validate', file], { env: cache }).stdout).toContain('未知的项目');
    expect(runCli(['validate', file, '--lang', 'en'], { env: cache }).stdout).toContain('unknown key');
  });

  it('is never needed: a cache folder that cannot be written changes nothing', () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS);
    const blocked = join(tempDir(), 'not-a-folder');
    writeFileSync(blocked, 'a file where the cache folder should be');
    const r = runCli(['validate', dir], { env: { REPORT_CACHE_DIR: blocked } });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('共校验 6 个文件：6 个通过');
    expect(readFileSync(blocked, 'utf8')).toBe('a file where the cache folder should be');
  });
});
