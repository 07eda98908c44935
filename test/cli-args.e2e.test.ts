/** The command line itself: argv → exit code and message, in Chinese by default and English on request. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCliAsync as runCli } from './helpers/exec.js';
import { fixture, REPO } from './helpers/paths.js';

const VERSION = (JSON.parse(readFileSync(`${REPO}/package.json`, 'utf8')) as { version: string }).version;
const GOOD = fixture('validate-ok', '区林业局.yaml');
const BAD = fixture('validate-unit-in-number', '区林业局.yaml');

/** A usage error is one or two clear lines, never a stack trace. */
const noStack = (text: string) => expect(text).not.toMatch(/^\s+at .+\(.+:\d+:\d+\)$|\n\s+at /m);

interface Row {
  argv: string[];
  env?: Record<string, string>;
  code: number;
  stdout?: RegExp;
  stderr?: RegExp;
}

const table: [string, Row][] = [
  ['an unknown option', { argv: ['validate', '--bogus', GOOD], code: 2, stderr: /^未知选项 --bogus\n运行 report --help 查看用法/ }],
  ['an unknown option before the command', { argv: ['--bogus'], code: 2, stderr: /未知选项 --bogus/ }],
  ['a mistyped option, with a suggestion', { argv: ['validate', '--strikt', GOOD], code: 2, stderr: /未知选项 --strikt，是否想用 --strict？/ }],
  ['an unknown command', { argv: ['frobnicate'], code: 2, stderr: /未知命令 frobnicate/ }],
  ['a mistyped command, with a suggestion', { argv: ['validat', GOOD], code: 2, stderr: /未知命令 validat，是否想用 validate？/ }],
  ['validate without a file', { argv: ['validate'], code: 2, stderr: /缺少参数 file/ }],
  ['status --dir without a value', { argv: ['status', '--dir'], code: 2, stderr: /选项 --dir <dir> 后面缺少值/ }],
  ['status --as-of without a value', { argv: ['status', '--as-of'], code: 2, stderr: /选项 --as-of <time> 后面缺少值/ }],
  ['status --as-of that is not a time', { argv: ['status', '--as-of', '下周一'], code: 2, stderr: /--as-of 的时间无法识别：“下周一”/ }],
  ['init without a department', { argv: ['init'], code: 2, stderr: /请指定单位，或用 --all/ }],
  ['init with two departments', { argv: ['init', '区林业局', '区商务局'], code: 2, stderr: /参数过多/ }],
  ['an unknown language', { argv: ['--lang', 'fr', 'status'], code: 2, stderr: /选项 --lang <lang> 的值“fr”无效/ }],
  ['--help', { argv: ['--help'], code: 0, stdout: /^用法： report .*\n[\s\S]*init[\s\S]*validate[\s\S]*status[\s\S]*merge/ }],
  ['-h', { argv: ['-h'], code: 0, stdout: /^用法：/ }],
  ['validate --help', { argv: ['validate', '--help'], code: 0, stdout: /用法： report validate \[options\] <file\.\.\.>[\s\S]*--json[\s\S]*--strict[\s\S]*--campaign/ }],
  ['status --help', { argv: ['status', '--help'], code: 0, stdout: /--dir <dir> .*（默认："data\/submissions"）[\s\S]*--as-of[\s\S]*--remind/ }],
  ['--version', { argv: ['--version'], code: 0, stdout: new RegExp(`^${VERSION.replace(/\./g, '\\.')}\\n$`) }],
  ['-V', { argv: ['-V'], code: 0, stdout: new RegExp(`^${VERSION.replace(/\./g, '\\.')}\\n$`) }],
  // English
  ['--lang en with an unknown option', { argv: ['--lang', 'en', 'validate', '--bogus', GOOD], code: 2, stderr: /unknown option '--bogus'/ }],
  ['--lang=en with an unknown option', { argv: ['--lang=en', 'validate', '--bogus', GOOD], code: 2, stderr: /unknown option '--bogus'/ }],
  ['REPORT_LANG=en with an unknown option', { argv: ['validate', '--bogus', GOOD], env: { REPORT_LANG: 'en' }, code: 2, stderr: /unknown option '--bogus'/ }],
  ['REPORT_LANG=en_US.UTF-8 with a missing argument', { argv: ['validate'], env: { REPORT_LANG: 'en_US.UTF-8' }, code: 2, stderr: /missing required argument 'file'/ }],
  ['--lang en --help', { argv: ['--lang', 'en', '--help'], code: 0, stdout: /^Usage: report [\s\S]*Options:[\s\S]*Commands:/ }],
  ['REPORT_LANG=en and a bad --as-of', { argv: ['status', '--as-of', 'soon'], env: { REPORT_LANG: 'en' }, code: 2, stderr: /--as-of: .*"soon"/ }],
  ['--lang zh overrides REPORT_LANG=en', { argv: ['--lang', 'zh', 'validate', '--bogus', GOOD], env: { REPORT_LANG: 'en' }, code: 2, stderr: /未知选项 --bogus/ }],
];

describe.concurrent('argv → behaviour', () => {
  it.each(table)('%s', async (_, row) => {
    const result = await runCli(row.argv, row.env ? { env: row.env } : {});
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(row.code);
    if (row.stdout) expect(result.stdout).toMatch(row.stdout);
    if (row.stderr) expect(result.stderr).toMatch(row.stderr);
    if (row.code === 2) expect(result.stdout).toBe('');
    noStack(result.stdout + result.stderr);
  });

  it('with no arguments shows the usage and the commands: exit 0', async () => {
    const result = await runCli([]);
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).toMatch(/^用法： report \[options\] \[command\]\n[\s\S]*命令：\n\s+init [\s\S]*validate [\s\S]*status [\s\S]*merge /);
    noStack(result.stdout + result.stderr);
  });
});

describe.concurrent('language of the findings', () => {
  it('is Chinese by default', async () => {
    const result = await runCli(['validate', BAD]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('错误 [value/unit-in-number] “出动执法人员”里多了单位或文字');
    expect(result.stdout).toContain('1 个错误，0 个警告');
  });

  it.each([
    ['--lang en', ['--lang', 'en', 'validate', BAD], {}],
    ['--lang en after the command', ['validate', '--lang', 'en', BAD], {}],
    ['REPORT_LANG=en', ['validate', BAD], { REPORT_LANG: 'en' }],
  ])('is English with %s, with the same code and position', async (_, argv, env) => {
    const result = await runCli(argv, { env });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/区林业局\.yaml:8:15 error \[value\/unit-in-number\] .*write the number 12 only/);
    expect(result.stdout).not.toMatch(/错误|里多了单位/);
  });

  it('switches --json messages too, but not the codes', async () => {
    const zh = JSON.parse((await runCli(['validate', '--json', BAD])).stdout);
    const en = JSON.parse((await runCli(['validate', '--json', BAD], { env: { REPORT_LANG: 'en' } })).stdout);
    expect(zh.files[0].diagnostics[0].code).toBe('value/unit-in-number');
    expect(en.files[0].diagnostics[0].code).toBe('value/unit-in-number');
    expect(zh.files[0].diagnostics[0].message).toBe('“出动执法人员”里多了单位或文字：请只写数字 12（单位“人次”已在表头中）');
    expect(en.files[0].diagnostics[0].message).toBe('"出动执法人员" contains a unit or words: write the number 12 only (the unit "人次" is in the header)');
  });

  it('switches status to English', async () => {
    const result = await runCli(['--lang', 'en', 'status', '--dir', fixture('status-all-in'), '--as-of', '2024-11-12T18:00']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/deadline: .*\(Beijing time\).*5 h 59 min left/);
    expect(result.stdout).not.toMatch(/已报送|截止时间/);
  });
});

describe.concurrent('colours', () => {
  const ESC = '\u001b[';
  const STATES = fixture('status-states');

  it.each([
    ['validate', ['validate', BAD]],
    ['status', ['status', '--dir', STATES, '--as-of', '2024-11-12']],
  ])('%s writes plain text to a pipe', async (_, argv) => {
    const result = await runCli(argv, { env: { NO_COLOR: undefined, FORCE_COLOR: undefined } });
    expect(result.stdout).not.toContain(ESC);
  });

  it.each([
    ['validate', ['validate', BAD]],
    ['status', ['status', '--dir', STATES, '--as-of', '2024-11-12']],
  ])('%s honours NO_COLOR even when colours are forced', async (_, argv) => {
    const forced = await runCli(argv, { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(forced.stdout).toContain(ESC); // the control: colours do show when forced
    const plain = await runCli(argv, { env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
    expect(plain.stdout).not.toContain(ESC);
  });
});
