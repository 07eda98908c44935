/**
 * Issue 13, the smaller cases: how texts are read (line ends, encodings, characters that
 * cannot be seen), what mistakes are called, what reaches the terminal, and a quiet end
 * when the reader of the output goes away.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runCliJson, tempCopy, tempDir, type StatusJson, type ValidateJson } from './helpers/exec.js';
import { BIN, REPO, fixture } from './helpers/paths.js';
import { BASE, edit } from './helpers/submission.js';

const FILE = '区林业局.yaml';
const at = (code: string, line: number, column: number, severity: 'error' | 'warning' = 'error') => expect.objectContaining({ code, line, column, severity });

/** validate --json of one text written as `bytes` (or UTF-8 text). */
function validate(content: string | Buffer) {
  const dir = tempDir();
  writeFileSync(join(dir, FILE), content);
  const run = runCliJson<ValidateJson>(['validate', join(dir, FILE)]);
  return { ...run, file: run.json.files[0]! };
}

describe('line ends and encodings', () => {
  it.each([
    ['CR only (old Mac)', '\r'],
    ['NEL', '\u0085'],
    ['LINE SEPARATOR', '\u2028'],
  ])('reads %s as line ends, with findings on the right line', (_, end) => {
    const { file } = validate(edit('  inspectors: 12', '  inspectors: 12人次').split('\n').join(end));
    expect(file.diagnostics).toEqual([at('value/unit-in-number', 8, 15)]);
  });

  it('recognises UTF-16 saved without a byte-order mark', () => {
    for (const encoding of ['utf16le'] as const) {
      const { file, code } = validate(Buffer.from(BASE, encoding));
      expect(code).toBe(0);
      expect(file).toMatchObject({ department: 'forestry', ok: true });
    }
    const big = Buffer.from(BASE, 'utf16le').swap16();
    expect(validate(big).file).toMatchObject({ department: 'forestry', ok: true });
  });
});

describe('what mistakes are called', () => {
  it.each(['0x10', '0o7', '0b101'])('%s: 只写十进制数字', (value) => {
    const { file } = validate(edit('  inspectors: 12', `  inspectors: ${value}`));
    expect(file.diagnostics).toEqual([at('value/not-decimal', 8, 15)]);
    expect(file.diagnostics[0]!.message).toContain('请只写十进制数字');
  });

  it('a second line of a text typed without indenting it: explained, and later mistakes still found', () => {
    const text = edit('summary: |\n  区林业局按照方案要求开展网售野生动植物巡查，出动执法人员12人次。\n', 'summary: 区林业局按照方案要求开展巡查，\n出动执法人员12人次。\nreviewd_by: 李明\n');
    const { file } = validate(text);
    expect(file.diagnostics).toEqual([at('yaml/continuation', 18, 1), expect.objectContaining({ code: 'schema/unknown-key', line: 19 })]);
    expect(file.diagnostics[0]!.message).toContain('“summary”');
  });

  it.each([
    ['a key left out before the colon', 'phone: 0559-8510026\n: 12\n', 'yaml/null-key', 5],
    ['a list used as a key', 'phone: 0559-8510026\n? [a, b]\n: 12\n', 'yaml/complex-key', 5],
  ])('%s', (_, to, code, line) => {
    const { file } = validate(edit('phone: 0559-8510026\n', to));
    expect(file.diagnostics).toContainEqual(expect.objectContaining({ code, line }));
    expect(file.diagnostics.map((d) => d.code)).not.toContain('schema/unknown-key');
  });

  it('names the real task numbers when they are not 1 to n', () => {
    const dir = tempDir();
    const campaign = readFileSync(join(REPO, 'data', 'campaign.yaml'), 'utf8').replace('  - no: 34\n', '  - no: 40\n');
    writeFileSync(join(dir, 'campaign.yaml'), campaign);
    writeFileSync(join(dir, FILE), edit('tasks:\n', 'tasks:\n  35: 宣传\n'));
    const { json } = runCliJson<ValidateJson>(['validate', '--campaign', join(dir, 'campaign.yaml'), join(dir, FILE)]);
    expect(json.files[0]!.diagnostics[0]!.message).toBe('任务序号“35”不在方案中（方案共 34 项任务，序号为 1–33、40）');
  });

  it('an empty summary_file warns like a missing summary', () => {
    const { file } = validate(edit('summary: |\n  区林业局按照方案要求开展网售野生动植物巡查，出动执法人员12人次。\n', 'summary_file:\n'));
    expect(file.diagnostics).toEqual([expect.objectContaining({ code: 'schema/summary-missing', severity: 'warning' })]);
  });

  it('a blank submitted_at is a warning', () => {
    const { file, code } = validate(edit('submitted_at: 2024-11-10', 'submitted_at:'));
    expect(code).toBe(0);
    expect(file.diagnostics).toEqual([at('value/submitted-at-missing', 5, 1, 'warning')]);
  });
});

describe('characters that cannot be seen', () => {
  it.each([
    ['a zero-width space', '\u200b', '零宽空格（U+200B）'],
    ['a no-break space', '\u00a0', '不换行空格（U+00A0）'],
  ])('%s in a value is named, at its column', (_, ch, name) => {
    const { file } = validate(edit('filled_by: 王静辉', `filled_by: 王静${ch}辉`));
    expect(file.diagnostics).toEqual([at('text/invisible-character', 3, 14, 'warning')]);
    expect(file.diagnostics[0]!.message).toContain(name);
  });

  it('an escape character is warned about, and never reaches the terminal raw', () => {
    const text = edit('filled_by: 王静辉', 'filled_by: "王静辉\\e[2J"').replace('department: 区林业局', 'department: "区\\e[31m环保局"');
    const { file } = validate(text);
    expect(file.diagnostics).toContainEqual(expect.objectContaining({ code: 'schema/unknown-department' }));
    const human = runCli(['validate', FILE], { cwd: (() => {
      const dir = tempDir();
      writeFileSync(join(dir, FILE), text.replace('"王静辉\\e[2J"', '王静辉\u001b[2J'));
      return dir;
    })() });
    expect(human.stdout).not.toContain('\u001b');
    expect(human.stdout).toContain('␛');
    expect(human.stdout).toContain('[text/control-character]');
  });

  it('a file name with control characters is shown safely, and no command is offered to paste', () => {
    const dir = tempCopy(fixture('status-all-in'));
    writeFileSync(join(dir, "区林业局'\u001b[2J.yaml"), edit('  inspectors: 12', '  inspectors: 12人次'));
    const { stdout } = runCli(['status', '--dir', dir, '--as-of', '2024-11-12T18:00']);
    expect(stdout).not.toContain('\u001b');
    expect(stdout).toContain('␛[2J');
  });
});

describe('columns count characters as a person sees them', () => {
  it('an emoji before the mistake is one character', () => {
    const text = `${BASE}cases:\n  - {title: 😀野生兰花案, task: 99, date: 2024-09-01, summary: 经查}\n`;
    const { file } = validate(text);
    // "  - {title: 😀野生兰花案, task: " is 26 characters (27 UTF-16 units): 99 starts at character 27.
    expect(file.diagnostics).toContainEqual(at('rule/case-task', 20, 27));
    const human = runCli(['validate', FILE], { cwd: (() => {
      const dir = tempDir();
      writeFileSync(join(dir, FILE), text);
      return dir;
    })() });
    const lines = human.stdout.split('\n');
    const caret = lines[lines.findIndex((l) => l.startsWith('20 |')) + 1]!;
    // Under 99: the gutter "20 | ", then 26 characters of which the emoji and five CJK take two columns.
    expect(caret.indexOf('^')).toBe('20 | '.length + 26 + 6);
  });
});

describe('the flood of one broken file', () => {
  it('shows fifty findings and counts the rest; --json has them all', () => {
    const many = Array.from({ length: 60 }, (_, i) => `  - 材料/缺少${i}.png`).join('\n');
    const dir = tempDir();
    writeFileSync(join(dir, FILE), `${BASE}materials:\n${many}\n`);
    const human = runCli(['validate', FILE], { cwd: dir });
    expect(human.stdout.match(/错误 \[material\/missing\]/g)).toHaveLength(50);
    expect(human.stdout).toContain('……另有 10 处问题未列出（用 --json 查看全部）');
    const { json } = runCliJson<ValidateJson>(['validate', FILE], { cwd: dir });
    expect(json.files[0]!.diagnostics).toHaveLength(60);
  });
});

describe('--as-of', () => {
  it.each([
    ['2024年11月12日 18时30分', '2024-11-12T10:30:00.000Z'],
    ['2024-11-12 18:30', '2024-11-12T10:30:00.000Z'],
  ])('takes %s as submitted_at does', (value, iso) => {
    const { json } = runCliJson<StatusJson>(['status', '--as-of', value]);
    expect(json.asOf).toBe(iso);
  });

  it('refuses a year before 1000', () => {
    const r = runCli(['status', '--as-of', '0999-11-12']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--as-of 的时间无法识别');
  });
});

describe('output closed early', () => {
  it.skipIf(process.platform === 'win32')('ends quietly when the reader goes away (| head)', () => {
    const dir = tempDir();
    const many = Array.from({ length: 3000 }, (_, i) => `  - 材料/缺少${i}.png`).join("\n");
    writeFileSync(join(dir, FILE), `${BASE}materials:\n${many}\n`);
    const err = join(dir, 'stderr.txt');
    // head takes ten bytes and goes: every later write of the CLI meets a closed pipe.
    const piped = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" validate --json "${join(dir, FILE)}" 2>"${err}" | head -c 10 >/dev/null`], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(piped.status).toBe(0);
    expect(readFileSync(err, 'utf8')).toBe('');
  });
});
