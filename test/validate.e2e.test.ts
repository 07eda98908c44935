/**
 * `report validate` end to end: the built CLI on the fixture files under
 * test/fixtures/validate-*, one folder per case of issue 2. Each asserts the exit
 * code, the diagnostic code and its exact line:column (via --json); a few also the
 * human output (`file:line:column`, the offending line and the caret).
 */
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync as runCli, runCliJsonAsync as runCliJson, tempCopy, tempDir, type ValidateJson } from './helpers/exec.js';
import { FIXTURES, fixture } from './helpers/paths.js';
import { BASE, edit } from './helpers/submission.js';
import { requireTool } from './helpers/tools.js';

const FILE = '区林业局.yaml';
const DEPARTMENTS = ['区市场监管局', '区委网信办', '区文旅体局', '区公安分局', '区林业局', '区商务局', '区税务局'];

/** `report validate --json 区林业局.yaml [extra]` run inside the fixture folder (once per folder and options). */
const runs = new Map<string, ReturnType<typeof runCliJson<ValidateJson>>>();
async function validateCase(folder: string, extra: string[] = []) {
  const key = JSON.stringify([folder, extra]);
  if (!runs.has(key)) runs.set(key, runCliJson<ValidateJson>(['validate', FILE, ...extra], { cwd: fixture(folder) }));
  const result = await runs.get(key)!;
  expect(result.stderr).toBe('');
  expect(result.json.files).toHaveLength(1);
  return { ...result, file: result.json.files[0]! };
}

const finding = (code: string, line: number, column: number, severity: 'error' | 'warning' = 'error') =>
  expect.objectContaining({ severity, code, line, column });

// ── validate never modifies its input: every file of the validate-* and status-* fixtures, hashed before and after ──
const hashes = new Map<string, string>();
function hashTree(dir = FIXTURES, out = new Map<string, string>()): Map<string, string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (dir !== FIXTURES || /^(validate|status)-/.test(entry.name)) hashTree(path, out);
    } else if (entry.isFile() && dir !== FIXTURES)
      out.set(relative(FIXTURES, path), `${createHash('sha256').update(readFileSync(path)).digest('hex')} ${statSync(path).mtimeMs}`);
  }
  return out;
}
beforeAll(() => {
  for (const [k, v] of hashTree()) hashes.set(k, v);
});

describe.concurrent('one finding per case, at its line and column', () => {
  type Case = [folder: string, code: string, line: number, column: number, path?: (string | number)[]];
  const cases: Case[] = [
    ['validate-utf8-bom', 'value/unit-in-number', 8, 15, ['statistics', 'inspectors']],
    ['validate-crlf', 'value/too-many-decimals', 10, 10, ['statistics', 'fines']],
    ['validate-gbk-error', 'value/unit-in-number', 8, 15, ['statistics', 'inspectors']],
    ['validate-utf16le', 'value/unit-in-number', 8, 15, ['statistics', 'inspectors']],
    ['validate-fullwidth-colon-top', 'yaml/fullwidth-colon', 3, 10],
    ['validate-fullwidth-colon-nested', 'yaml/fullwidth-colon', 8, 13],
    ['validate-fullwidth-colon-last', 'yaml/fullwidth-colon', 12, 17],
    ['validate-fullwidth-digits', 'value/fullwidth-digits', 8, 15, ['statistics', 'inspectors']],
    ['validate-fullwidth-space', 'yaml/fullwidth-space', 8, 1],
    ['validate-unit-in-number', 'value/unit-in-number', 8, 15, ['statistics', 'inspectors']],
    ['validate-yuan', 'value/unit-in-number', 10, 10, ['statistics', 'fines']],
    ['validate-negative', 'value/negative', 8, 15, ['statistics', 'inspectors']],
    ['validate-fraction', 'value/not-integer', 8, 15, ['statistics', 'inspectors']],
    ['validate-too-large', 'value/too-large', 8, 15, ['statistics', 'inspectors']],
    ['validate-decimals', 'value/too-many-decimals', 10, 10, ['statistics', 'fines']],
    ['validate-thousands', 'value/thousands-separator', 9, 22, ['statistics', 'platforms_checked']],
    ['validate-date-invalid', 'value/date-invalid', 5, 15, ['submitted_at']],
    ['validate-duplicate-key', 'yaml/duplicate-key', 12, 3, ['statistics', 'inspectors']],
    ['validate-unknown-key', 'schema/unknown-key', 3, 1, ['filed_by']],
    ['validate-unknown-indicator', 'schema/unknown-indicator', 8, 3, ['statistics', 'inspector']],
    ['validate-chinese-key', 'schema/unknown-key', 3, 1, ['填表人']],
    ['validate-tab', 'yaml/tab-indent', 8, 1],
    ['validate-empty', 'file/empty', 1, 1],
    ['validate-root-list', 'yaml/not-mapping', 1, 1],
    ['validate-root-string', 'yaml/not-mapping', 1, 1],
    ['validate-unknown-department', 'schema/unknown-department', 2, 13, ['department']],
    ['validate-unknown-task', 'schema/unknown-task', 15, 3, ['tasks', '35']],
    ['validate-material-dotdot', 'material/outside', 21, 5, ['materials', 0]],
    ['validate-material-missing', 'material/missing', 22, 5, ['materials', 1]],
    ['validate-rule', 'rule/failed', 12, 19, ['statistics', 'samples_failed']],
    ['validate-summary-file-missing', 'summary-file/missing', 17, 15, ['summary_file']],
    // Issue 26: a case without a date printed “日期：；” in the 案例汇编; the date is required.
    ['validate-case-no-date', 'schema/required', 14, 5, ['cases', 0, 'date']],
    ['validate-case-blank-date', 'value/empty', 16, 5, ['cases', 0, 'date']],
  ];

  it.each(cases)('%s → %s at %i:%i, exit 1', async (folder, code, line, column, path) => {
    const { code: exit, file } = await validateCase(folder);
    expect(exit).toBe(1);
    expect(file.ok).toBe(false);
    expect(file.diagnostics).toEqual([finding(code, line, column)]);
    expect(file.diagnostics[0]!.path).toEqual(path); // none for a finding about the text itself
    expect(file.diagnostics[0]!.message).not.toBe('');
  });
});

describe.concurrent('encodings and line ends as Windows editors save them', () => {
  it.each(['validate-gbk', 'validate-gb18030', 'validate-utf16be', 'validate-ok'])('%s is valid, department recognised', async (folder) => {
    const { code, file } = await validateCase(folder);
    expect(code).toBe(0);
    expect(file).toMatchObject({ file: FILE, department: 'forestry', ok: true, diagnostics: [] });
  });

  it('shows a GBK file’s line as Chinese, not mojibake', async () => {
    const result = await runCli(['validate', FILE], { cwd: fixture('validate-gbk-error') });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('区林业局.yaml:8:15 错误 [value/unit-in-number] “出动执法人员”里多了单位或文字：请只写数字 12（单位“人次”已在表头中）');
    expect(result.stdout).toContain('8 |   inspectors: 12人次\n  |               ^\n');
    expect(result.stdout).not.toContain('\uFFFD');
  });

  it('reads four-byte GB18030 characters (刘䶮, 𠀾) as written', async () => {
    const result = await runCliJson<{ departments: { id: string; filledBy: string | null; state: string }[] }>(
      ['status', '--dir', fixture('validate-gb18030'), '--as-of', '2024-11-12T18:00'],
    );
    expect(result.json.departments.find((d) => d.id === 'forestry')).toMatchObject({ state: 'submitted', filledBy: '刘䶮' });
  });

  it('keeps a BOM out of the first key and of the columns', async () => {
    const bytes = readFileSync(fixture('validate-utf8-bom', FILE));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const { file } = await validateCase('validate-utf8-bom');
    expect(file.department).toBe('forestry');
  });

  it('prints CRLF lines without the carriage return', async () => {
    expect(readFileSync(fixture('validate-crlf', FILE), 'latin1')).toContain('\r\n');
    const result = await runCli(['validate', FILE], { cwd: fixture('validate-crlf') });
    expect(result.stdout).toContain('10 |   fines: 1.23456\n   |          ^\n');
    expect(result.stdout).not.toContain('\r');
  });

  it.each([
    ['validate-bad-encoding', 'file/encoding', /既不是 UTF-8 也不是 GBK\/GB18030/],
    ['validate-binary', 'file/binary', /不是文本文件/],
  ])('%s → %s, exit 1', async (folder, code, message) => {
    const { code: exit, file } = await validateCase(folder);
    expect(exit).toBe(1);
    expect(file.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code })]);
    expect(file.diagnostics[0]!.message).toMatch(message);
  });
});

describe.concurrent('messages that say what to do', () => {
  it('full-width colon: names the key and shows where', async () => {
    const result = await runCli(['validate', FILE], { cwd: fixture('validate-fullwidth-colon-top') });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('区林业局.yaml:3:10 错误 [yaml/fullwidth-colon] “filled_by”后面用了中文冒号“：”，请改为英文冒号加空格“: ”\n3 | filled_by：王静辉\n  |          ^\n');
  });

  it('full-width colon in the only entry of a block: at the colon', async () => {
    const { file } = await validateCase('validate-fullwidth-colon-single');
    expect(file.diagnostics).toContainEqual(finding('yaml/fullwidth-colon', 15, 5));
    expect(file.diagnostics.filter((d) => d.severity === 'error')).toHaveLength(1);
  });

  it('full-width colons on every line: one finding per line, not "the root is text"', async () => {
    const { code, file } = await validateCase('validate-fullwidth-colon-everywhere');
    expect(code).toBe(1);
    expect(file.diagnostics).toEqual([finding('yaml/fullwidth-colon', 1, 11), finding('yaml/fullwidth-colon', 2, 10), finding('yaml/fullwidth-colon', 3, 6)]);
  });

  it('12元 for 罚没款 (万元) suggests 0.0012', async () => {
    expect((await validateCase('validate-yuan')).file.diagnostics[0]!.message).toContain('请只写数字 0.0012');
  });

  it('duplicate key: points at the second, names the first line', async () => {
    expect((await validateCase('validate-duplicate-key')).file.diagnostics[0]!.message).toBe('“inspectors”重复出现（第一次在第 8 行），请删除或合并其中一处');
  });

  it.each([
    ['validate-unknown-key', '是否想写“filled_by”？'],
    ['validate-unknown-indicator', '是否想写“inspectors”？'],
    ['validate-chinese-key', '是否想写“filled_by”？'],
  ])('%s: did you mean', async (folder, hint) => {
    expect((await validateCase(folder)).file.diagnostics[0]!.message).toContain(hint);
  });

  it('unknown department: lists the valid ones', async () => {
    const { file } = await validateCase('validate-unknown-department');
    expect(file.department).toBeNull();
    expect(file.diagnostics[0]!.message).toBe(`未知的单位“区环保局”，可填写：${DEPARTMENTS.join('、')}`);
  });

  it('a root that is a list or text says what it found', async () => {
    expect((await validateCase('validate-root-list')).file.diagnostics[0]!.message).toContain('一个列表');
    expect((await validateCase('validate-root-string')).file.diagnostics[0]!.message).toContain('区林业局报送材料见附件');
  });

  it('an empty file suggests report init', async () => {
    expect((await validateCase('validate-empty')).file.diagnostics[0]!.message).toContain('report init');
  });

  it('caret under the column of a line with Chinese text (two columns per character)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, FILE), edit('  inspectors: 12', '  出动执法人员: 12人次'));
    const result = await runCli(['validate', FILE], { cwd: dir });
    expect(result.stdout).toContain(`8 |   出动执法人员: 12人次\n  | ${' '.repeat(2 + 12 + 2)}^\n`);
    expect(result.stdout).toContain('区林业局.yaml:8:11 ');
  });
});

describe.concurrent('dates as clerks write them', () => {
  it.each(['validate-date-chinese', 'validate-date-slash', 'validate-date-iso'])('%s is valid', async (folder) => {
    const { code, file } = await validateCase(folder);
    expect(code).toBe(0);
    expect(file.diagnostics).toEqual([]);
  });
});

describe.concurrent('structural hazards', () => {
  it('refuses an alias bomb with yaml/alias', async () => {
    const { code, file } = await validateCase('validate-alias-bomb');
    expect(code).toBe(1);
    // The first three aliases of 72, never their expansion.
    expect(file.diagnostics).toEqual([finding('yaml/alias', 2, 8), finding('yaml/alias', 2, 11), finding('yaml/alias', 2, 14)]);
  });

  it('refuses 100 000 nested brackets with yaml/too-deep, without crashing', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, FILE), `department: 区林业局\nstatistics: ${'['.repeat(100_000)}\n`);
    const result = await runCliJson<ValidateJson>(['validate', FILE], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    expect(result.json.files[0]!.diagnostics).toEqual([finding('yaml/too-deep', 2, 13 + 32)]);
  });

  it('refuses a file over the 2 MiB limit, naming the limit', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, FILE), `${BASE}# ${'填'.repeat(800_000)}\n`);
    const { code, json } = await runCliJson<ValidateJson>(['validate', FILE], { cwd: dir });
    expect(code).toBe(1);
    expect(json.files[0]!.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'file/too-large' })]);
    expect(json.files[0]!.diagnostics[0]!.message).toMatch(/超过 2 MB 的上限/);
    expect(json.files[0]!.diagnostics[0]!.message).toContain('（2.3 MB）'); // BASE and 2,400,003 bytes of comment, up to the next tenth
  });

  it.each(['summary', 'date'])('refuses a case without its %s, at the case, exit 1', async (key) => {
    const dir = tempDir();
    const kept = ['    title: 某网店销售野生兰花案', '    task: 32', '    date: 2024-09-12', '    summary: 经查……'].filter((l) => !l.startsWith(`    ${key}:`));
    writeFileSync(join(dir, FILE), `${BASE}cases:\n  - ${kept.join('\n').trimStart()}\n`);
    const { code, json } = await runCliJson<ValidateJson>(['validate', FILE], { cwd: dir });
    expect(code).toBe(1);
    expect(json.files[0]!.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'schema/required', line: 20, path: ['cases', 0, key] })]);
  });

  it('refuses __proto__ and constructor keys', async () => {
    const { code, file } = await validateCase('validate-reserved-keys');
    expect(code).toBe(1);
    expect(file.diagnostics).toEqual([finding('schema/reserved-key', 5, 1), finding('schema/reserved-key', 7, 1)]);
  });
});

describe.concurrent('tasks, rules and plausibility', () => {
  it("warns when the department says nothing about its own task: exit 0, and 1 with --strict", async () => {
    const plain = await validateCase('validate-task-missing');
    expect(plain.code).toBe(0);
    expect(plain.file.ok).toBe(true);
    expect(plain.file.diagnostics).toEqual([finding('task/missing', 14, 1, 'warning')]);
    expect(plain.file.diagnostics[0]!.message).toContain('任务 32');
    const strict = await validateCase('validate-task-missing', ['--strict']);
    expect(strict.code).toBe(1);
    expect(strict.file.ok).toBe(false);
  });

  it('warns about 罚没款 50000 万元: exit 0, and 1 with --strict', async () => {
    const plain = await validateCase('validate-implausible');
    expect(plain.code).toBe(0);
    expect(plain.file.diagnostics).toEqual([finding('value/implausible', 10, 10, 'warning')]);
    expect(plain.file.diagnostics[0]!.message).toContain('是否把“元”当成了“万元”');
    expect((await validateCase('validate-implausible', ['--strict'])).code).toBe(1);
  });

  it('shows a warning as 警告 and passes', async () => {
    const result = await runCli(['validate', FILE], { cwd: fixture('validate-implausible') });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('区林业局.yaml:10:10 警告 [value/implausible]');
  });

  it('fails the campaign rule 不合格 > 抽检 as an error', async () => {
    expect((await validateCase('validate-rule')).file.diagnostics[0]!.message).toContain('不合格批次不能多于抽检批次（不合格 = 9，抽检 = 4）');
  });
});

describe.concurrent('materials and summary_file', () => {
  it('refuses absolute paths (Unix and Windows)', async () => {
    const { code, file } = await validateCase('validate-material-absolute');
    expect(code).toBe(1);
    expect(file.diagnostics).toEqual([finding('material/absolute', 21, 5), finding('material/absolute', 22, 5)]);
  });

  it.skipIf(requireTool('symlinks'))('refuses a symbolic link leaving the submission folder', async () => {
    const dir = tempCopy(fixture('validate-ok'));
    const outside = join(dir, '..', '外部');
    mkdirSync(outside);
    writeFileSync(join(outside, '别处的照片.png'), 'png');
    symlinkSync(join(outside, '别处的照片.png'), join(dir, '材料', '链接.png'));
    symlinkSync(outside, join(dir, '材料', '链接文件夹'), 'dir');
    writeFileSync(join(dir, FILE), `${BASE}\nmaterials:\n  - 材料/巡查现场.png\n  - 材料/链接.png\n  - 材料/链接文件夹/别处的照片.png\n`);
    const { code, json } = await runCliJson<ValidateJson>(['validate', FILE], { cwd: dir });
    expect(code).toBe(1);
    expect(json.files[0]!.diagnostics).toEqual([finding('material/outside', 22, 5), finding('material/outside', 23, 5)]);
  });

  it('accepts a summary_file that exists', async () => {
    const { code, file } = await validateCase('validate-summary-file');
    expect(code).toBe(0);
    expect(file.diagnostics).toEqual([]);
  });
});

describe.concurrent('several paths at once', () => {
  it('reports every file, one good and one bad: exit 1', async () => {
    const good = fixture('validate-ok', FILE);
    const bad = fixture('validate-unit-in-number', FILE);
    const { code, json } = await runCliJson<ValidateJson>(['validate', good, bad]);
    expect(code).toBe(1);
    expect(json.files.map((f) => [f.file, f.ok])).toEqual([
      [good, true],
      [bad, false],
    ]);
    const human = await runCli(['validate', good, bad]);
    expect(human.stdout).toContain(`✔ ${good}：校验通过`);
    expect(human.stdout).toContain(`${bad}:8:15 错误 [value/unit-in-number]`);
    expect(human.stdout).toContain('共校验 2 个文件：1 个通过，1 个有错误');
  });

  it('checks the YAML files of a folder, not its other files or material subfolders', async () => {
    const { code, json } = await runCliJson<ValidateJson>(['validate', 'validate-folder'], { cwd: FIXTURES });
    expect(code).toBe(1);
    expect(json.files.map((f) => [f.file, f.department, f.ok])).toEqual([
      [join('validate-folder', '区林业局.yaml'), 'forestry', true],
      [join('validate-folder', '区税务局.yaml'), 'tax', false],
    ]);
    expect(json.files[1]!.diagnostics).toContainEqual(expect.objectContaining({ code: 'value/unit-in-number', path: ['statistics', 'practices'] }));
  });

  it('refuses a folder without any submission (a wrong path): exit 2', async () => {
    const result = await runCliJson<ValidateJson>(['validate', 'validate-empty-folder'], { cwd: FIXTURES });
    expect(result.code).toBe(2);
    expect(result.json.files).toEqual([expect.objectContaining({ file: 'validate-empty-folder', ok: false, diagnostics: [expect.objectContaining({ code: 'file/no-submissions' })] })]);
  });

  it('reports a path that does not exist, checks the others, and exits 2', async () => {
    const good = fixture('validate-ok', FILE);
    const result = await runCliJson<ValidateJson>(['validate', '不存在.yaml', good]);
    expect(result.code).toBe(2);
    expect(result.json.files).toEqual([
      expect.objectContaining({ file: '不存在.yaml', ok: false, diagnostics: [expect.objectContaining({ severity: 'error', code: 'file/not-found' })] }),
      expect.objectContaining({ file: good, ok: true }),
    ]);
    const human = await runCli(['validate', '不存在.yaml']);
    expect(human.code).toBe(2);
    expect(human.stdout + human.stderr).toContain('找不到文件或文件夹：不存在.yaml');
    expect(human.stderr).not.toMatch(/\n\s+at /);
  });

  // Windows has no file modes to take away; everywhere else this runs, as root too.
  it.skipIf(process.platform === 'win32')('reports a file it may not read (exit 1), without a stack trace', async () => {
    const dir = tempCopy(fixture('validate-ok'));
    chmodSync(join(dir, FILE), 0o000);
    // Root reads a file whatever its mode (and CI runs as root): there, the CLI runs as nobody,
    // who may enter the folder (tempDir makes it root's only) but not read the file.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) chmodSync(dirname(dir), 0o755);
    const { code, json, stderr } = await runCliJson<ValidateJson>(['validate', FILE], {
      cwd: dir,
      ...(asRoot && { user: { uid: 65534, gid: 65534 }, env: { REPORT_NO_CACHE: '1' } }),
    });
    expect(stderr).toBe('');
    expect(json.files).toEqual([
      { file: FILE, department: null, ok: false, diagnostics: [{ severity: 'error', code: 'file/unreadable', message: '无法读取文件：没有读取或写入的权限（EACCES）' }] },
    ]);
    expect(code).toBe(1);
  });
});

describe.concurrent('a broken campaign file', () => {
  it('exits 2 with the campaign’s errors at their positions, no stack', async () => {
    const dir = tempDir();
    const campaign = readFileSync(fixture('..', '..', 'data', 'campaign.yaml'), 'utf8');
    writeFileSync(join(dir, 'campaign.yaml'), edit('deadline: "2024-11-12T23:59:59+08:00"', 'deadline: "2024-11-12"', campaign));
    const result = await runCli(['validate', '--campaign', join(dir, 'campaign.yaml'), fixture('validate-ok', FILE)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/campaign\.yaml:14:11 错误 \[campaign\/invalid\] .*deadline/);
    expect(result.stderr).toContain('有误，请按以上提示修改');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe.concurrent('campaign mistakes, each at its line', () => {
  const original = readFileSync(fixture('..', '..', 'data', 'campaign.yaml'), 'utf8');
  /** The line of the last occurrence of `needle`: a name used twice is reported where it is used again. */
  const lineOf = (text: string, needle: string) => text.slice(0, text.lastIndexOf(needle)).split('\n').length;
  it.each([
    ['a day that does not exist', 'start: "2024-06-01"', 'start: "2024-02-30"', 'start:', '这一天不存在'],
    ['a period that starts after it ends', 'start: "2024-06-01"', 'start: "2024-12-01"', 'end:', '活动期间的开始日期 2024-12-01 晚于结束日期 2024-11-30'],
    ['a name used by two departments', '      - 林业局\n', '      - 林业局\n      - 商务局\n', '      - 商务局\n', '“商务局”已用来指单位 forestry'],
    ['an indicator id the submissions could never give', '  - id: inspectors', '  - id: constructor', '  - id: constructor', '指标 id 不能用“constructor”'],
    ['a department name that cannot be a file name', '    name: 区林业局', '    name: 区/林业局', '    name: 区/林业局', '要用作文件名'],
    ['a character XML cannot hold', 'title: 黄山区2024网络市场监管促发展保安全专项行动', 'title: "黄山区2024\\u0001网络市场监管专项行动\\uFFFE"', 'title: "', 'U+0001、U+FFFE'],
  ])('%s', async (_, from, to, at, message) => {
    const dir = tempDir();
    const text = edit(from, to, original);
    writeFileSync(join(dir, 'campaign.yaml'), text);
    const result = await runCli(['validate', '--campaign', join(dir, 'campaign.yaml'), fixture('validate-ok', FILE)]);
    expect(result.code).toBe(2);
    const line = lineOf(text, at);
    expect(result.stderr).toMatch(new RegExp(`campaign\\.yaml:${line}:\\d+ 错误 \\[campaign/invalid\\] .*${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

// Not concurrent: runs after every test above has read its fixture.
describe('the input is never modified', () => {
  it('leaves every fixture file byte-for-byte as it was', () => {
    const after = hashTree();
    expect(hashes.size).toBeGreaterThan(50);
    expect([...after.keys()].sort()).toEqual([...hashes.keys()].sort());
    for (const [file, hash] of hashes) expect(after.get(file), file).toBe(hash);
  });
});


describe.concurrent('units written into a statistics key', () => {
  it('refuses a unit other than the table’s, and offers 万元 for 元', async () => {
    const { code, file } = await validateCase('validate-unit-in-key');
    expect(code).toBe(1);
    expect(file.diagnostics).toEqual([finding('schema/unit-in-key', 8, 3), finding('schema/unit-in-key', 10, 3)]);
    expect(file.diagnostics[0]!.path).toEqual(['statistics', '出动执法人员（个）']);
    expect(file.diagnostics[0]!.message).toContain('“出动执法人员”以“人次”计');
    expect(file.diagnostics[1]!.message).toContain('800 元即 0.08 万元');
  });

  it('accepts the table’s own unit in the key', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, FILE), edit('  fines: 1.5', '  罚没款（万元）: 1.5'));
    const { json, code } = await runCliJson<ValidateJson>(['validate', join(dir, FILE)]);
    expect(code).toBe(0);
    expect(json.files[0]!.diagnostics).toEqual([]);
  });
});
