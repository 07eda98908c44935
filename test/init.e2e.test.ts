/** `report init`: blank submissions that explain every line, never overwrite, and validate once filled. */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OWN_TASKS } from './helpers/submission.js';
import { runCliAsync as runCli, runCliJsonAsync as runCliJson, tempDir, type ValidateJson } from './helpers/exec.js';

const DEPARTMENTS = ['区市场监管局', '区委网信办', '区文旅体局', '区公安分局', '区林业局', '区商务局', '区税务局'];
const HAN = /[\u4e00-\u9fff]/;

/** The comment of a YAML line: from a `#` at the start or after a space (not inside the value). */
function commentOf(line: string): string | undefined {
  const m = /(?:^|\s)#(.*)$/.exec(line);
  return m ? m[1] : undefined;
}

/** Fill a blank the way a clerk would: keep every comment, write values after the colons. */
function fill(text: string, department: string): string {
  const setValue = (key: string, value: string) => {
    const pattern = new RegExp(`^(\\s*${key}:)(\\s+)#`, 'm');
    if (!pattern.test(text)) throw new Error(`no blank line for ${key}`);
    text = text.replace(pattern, `$1 ${value}$2#`);
  };
  setValue('filled_by', '张伟');
  setValue('reviewed_by', '李明');
  setValue('phone', '0559-8512345');
  setValue('submitted_at', '2024年11月10日');
  setValue('inspectors', '36');
  setValue('platforms_checked', '120');
  setValue('fines', '2.35');
  setValue('samples_tested', '10');
  setValue('samples_failed', '1');
  for (const no of OWN_TASKS[department]!) setValue(String(no), `已完成任务${no}：组织专项检查3次，督促12家平台整改。`);
  // The summary goes on the (indented, blank) line after `summary: |`.
  text = text.replace(/^(summary: \|.*\n)  \n/m, '$1  本单位按照方案要求完成了各项任务。\n  下一步将持续巩固专项行动成果。\n');
  return text;
}

describe.concurrent('report init <department>', () => {
  it('writes a blank whose every non-blank line is a comment or carries a Chinese one', async () => {
    const dir = tempDir();
    const result = await runCli(['init', '区林业局', '--out', dir]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(`已生成 ${join(dir, '区林业局.yaml')}`);
    expect(readdirSync(dir).sort()).toEqual(['hsq_2024_wlsc.schema.json', '区林业局.yaml']); // the blank and its editor schema
    const text = readFileSync(join(dir, '区林业局.yaml'), 'utf8');
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    expect(lines.length).toBeGreaterThan(40);
    for (const line of lines) {
      const comment = commentOf(line);
      expect(comment, `line without a comment: ${JSON.stringify(line)}`).toBeDefined();
      expect(comment!, `comment without Chinese: ${JSON.stringify(line)}`).toMatch(HAN);
    }
  });

  it('names the department, the deadline, every indicator with its unit, and marks its own tasks', async () => {
    const dir = tempDir();
    await runCli(['init', 'forestry', '--out', dir]); // by id
    const text = readFileSync(join(dir, '区林业局.yaml'), 'utf8');
    expect(text).toMatch(/^department: 区林业局\s+#/m);
    expect(text).toContain('2024年11月12日 23:59');
    expect(text).toMatch(/^ {2}fines:\s+# 罚没款（万元）/m);
    expect(text).toMatch(/^ {2}inspectors:\s+# 出动执法人员（人次）/m);
    expect(text).toMatch(/# 任务32【风险关】清查非法交易野生动植物（本单位负责）\n {2}32:/);
    expect(text).not.toMatch(/^ {2}15:/m); // the tax bureau's task is not in the forestry bureau's blank
  });

  it('leaves every figure empty ("not reported"), never 0', async () => {
    const dir = tempDir();
    await runCli(['init', '区林业局', '--out', dir]);
    const text = readFileSync(join(dir, '区林业局.yaml'), 'utf8');
    expect(text).not.toMatch(/^ {2}[a-z_]+: *0\b/m);
  });

  it('does not overwrite an existing file: exit 2, file unchanged', async () => {
    const dir = tempDir();
    const file = join(dir, '区林业局.yaml');
    writeFileSync(file, 'department: 区林业局\nfilled_by: 已经填好的内容\n');
    const before = readFileSync(file);
    const result = await runCli(['init', '区林业局', '--out', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`文件已存在，未覆盖：${file}`);
    expect(readFileSync(file)).toEqual(before);
  });

  it('refuses an unknown department, listing the valid ones: exit 2, nothing written', async () => {
    const dir = tempDir();
    const result = await runCli(['init', '区环保局', '--out', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`未知的单位“区环保局”，可填写：${DEPARTMENTS.join('、')}`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('writes into the current folder without --out', async () => {
    const dir = tempDir();
    expect((await runCli(['init', '区税务局'], { cwd: dir })).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['hsq_2024_wlsc.schema.json', '区税务局.yaml']);
  });
});

describe.concurrent('report init --all', () => {
  it('writes one blank per department (7 files)', async () => {
    const dir = join(tempDir(), '报送模板'); // created on demand
    const result = await runCli(['init', '--all', '--out', dir]);
    expect(result.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['hsq_2024_wlsc.schema.json', ...DEPARTMENTS.map((d) => `${d}.yaml`)].sort());
  });

  it('a second run overwrites none: exit 2, files unchanged', async () => {
    const dir = tempDir();
    await runCli(['init', '--all', '--out', dir]);
    const file = join(dir, '区商务局.yaml');
    writeFileSync(file, fill(readFileSync(file, 'utf8'), '区商务局'));
    const before = readFileSync(file);
    const again = await runCli(['init', '--all', '--out', dir]);
    expect(again.code).toBe(2);
    expect(again.stderr.match(/文件已存在，未覆盖/g)).toHaveLength(7);
    expect(readFileSync(file)).toEqual(before);
  });
});

describe.concurrent('a blank from init, once filled in', () => {
  it('is not yet valid as a blank (the required fields are empty)', async () => {
    const dir = tempDir();
    await runCli(['init', '区林业局', '--out', dir]);
    const { code, json } = await runCliJson<ValidateJson>(['validate', join(dir, '区林业局.yaml')]);
    expect(code).toBe(1);
    expect(json.files[0]!.diagnostics).toContainEqual(expect.objectContaining({ code: 'value/empty', path: ['filled_by'] }));
  });

  it('区林业局: passes report validate with exit 0', async () => {
    const dir = tempDir();
    expect((await runCli(['init', '区林业局', '--out', dir])).code).toBe(0);
    const file = join(dir, '区林业局.yaml');
    writeFileSync(file, fill(readFileSync(file, 'utf8'), '区林业局'));
    const { code, json } = await runCliJson<ValidateJson>(['validate', file]);
    expect(json.files[0]).toMatchObject({ department: 'forestry', ok: true, diagnostics: [] });
    expect(code).toBe(0);
  });

  it('every department: passes report validate --strict, and shows as 已报送 in report status', async () => {
    const dir = tempDir();
    expect((await runCli(['init', '--all', '--out', dir])).code).toBe(0);
    for (const department of DEPARTMENTS) {
      const file = join(dir, `${department}.yaml`);
      writeFileSync(file, fill(readFileSync(file, 'utf8'), department));
    }
    const validated = await runCliJson<ValidateJson>(['validate', '--strict', dir]);
    expect(validated.json.files.map((f) => f.department).sort()).toEqual(['commerce', 'culture_tourism', 'cyberspace', 'forestry', 'market', 'police', 'tax']);
    for (const f of validated.json.files) expect(f.diagnostics, f.file).toEqual([]);
    expect(validated.code).toBe(0);
    const status = await runCliJson<{ departments: { state: string }[] }>(['status', '--dir', dir, '--as-of', '2024-11-11']);
    expect(status.json.departments.map((d) => d.state)).toEqual(Array(7).fill('submitted'));
    expect(status.code).toBe(0);
  });
});
