/**
 * Issue 13, files and folders: nothing in a submissions folder disappears quietly, no file
 * can hang a command, and every failure is one Chinese line, never a stack.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runCliJson, tempCopy, tempDir, type StatusJson, type ValidateJson } from './helpers/exec.js';
import { fixture } from './helpers/paths.js';
import { BASE } from './helpers/submission.js';

const AS_OF = '2024-11-12T18:00';
const isLinux = process.platform === 'linux';
const asRoot = process.getuid?.() === 0;
const NOBODY = { uid: 65534, gid: 65534 };

/** A FIFO: opening one to read waits for a writer, forever. */
function mkfifo(path: string): void {
  const made = spawnSync('mkfifo', [path]);
  if (made.status !== 0) throw new Error(`mkfifo failed: ${made.stderr}`);
}

/** A folder of the seven departments' valid files (the status fixture where all are in). */
const allIn = () => tempCopy(fixture('status-all-in'));

describe.skipIf(!isLinux)('files that are not regular files', () => {
  it('status names a FIFO, a link to /dev/zero and a link loop named .yaml, at once, without reading them', () => {
    const dir = allIn();
    mkfifo(join(dir, '管道.yaml'));
    symlinkSync('/dev/zero', join(dir, '零.yaml'));
    symlinkSync('环.yaml', join(dir, '环.yaml'));
    const { json, code, stderr, signal } = runCliJson<StatusJson>(['status', '--dir', dir, '--as-of', AS_OF]);
    expect(signal).toBeNull(); // a hang would be killed by the helper (no timed assertion: CI machines are loaded)
    expect(stderr).toBe('');
    expect(code).toBe(0); // every department is in; the strays are listed
    const unknown = new Map(json.unknownFiles.map((f) => [f.file, f]));
    expect(unknown.get('管道.yaml')).toEqual({ file: '管道.yaml', reason: 'unreadable', detail: '这不是普通文件（而是命名管道），已跳过：报送文件和材料都应是普通文件' });
    expect(unknown.get('零.yaml')).toEqual({ file: '零.yaml', reason: 'unreadable', detail: '这不是普通文件（而是设备文件），已跳过：报送文件和材料都应是普通文件' });
    expect(unknown.get('环.yaml')).toEqual({ file: '环.yaml', reason: 'unreadable', detail: '无法读取文件：符号链接绕成了循环（ELOOP）' });
  });

  it('validate refuses a FIFO given by name, at once', () => {
    const dir = tempDir();
    mkfifo(join(dir, '区林业局.yaml'));
    const { json, code } = runCliJson<ValidateJson>(['validate', join(dir, '区林业局.yaml')]);
    expect(code).toBe(1);
    expect(json.files[0]!.diagnostics).toEqual([expect.objectContaining({ code: 'file/not-regular' })]);
  });

  it('a FIFO or a device as --template is refused with exit 2, nothing written', () => {
    const dir = tempDir();
    mkfifo(join(dir, '模板.xlsx'));
    for (const template of [join(dir, '模板.xlsx'), '/dev/zero']) {
      const out = join(tempDir(), '汇总表.xlsx');
      const result = runCli(['merge', '--dir', fixture('status-all-in'), '--skip-unknown', '--template', template, '--out', out, '--as-of', AS_OF]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('这不是普通文件');
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('a FIFO or a device as --campaign is refused with exit 2', () => {
    const dir = tempDir();
    mkfifo(join(dir, 'campaign.yaml'));
    for (const campaign of [join(dir, 'campaign.yaml'), '/dev/zero']) {
      const result = runCli(['validate', '--campaign', campaign, fixture('validate-ok', '区林业局.yaml')]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('这不是普通文件');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('files that cannot be attributed are named, with the reason', () => {
  it('a submission unzipped into its own subfolder', () => {
    const dir = allIn();
    mkdirSync(join(dir, '收文', '区林业局'), { recursive: true });
    writeFileSync(join(dir, '收文', '区林业局', '区林业局（补报）.yaml'), BASE);
    const { json } = runCliJson<StatusJson>(['status', '--dir', dir, '--as-of', AS_OF]);
    expect(json.unknownFiles).toContainEqual({ file: '收文/区林业局/区林业局（补报）.yaml', reason: 'in-subfolder' });
    const human = runCli(['status', '--dir', dir, '--as-of', AS_OF]).stdout;
    expect(human).toContain('收文/区林业局/区林业局（补报）.yaml（在子文件夹中，未检查；如是报送文件，请移到');
  });

  it('a file whose name is GBK (from a Windows zip) is read, shown in Chinese, and its name is warned about', () => {
    const dir = tempDir();
    const name = Buffer.from([0xc7, 0xf8, 0xc1, 0xd6, 0xd2, 0xb5, 0xbe, 0xd6, ...Buffer.from('.yaml')]); // 区林业局.yaml in GBK
    writeFileSync(Buffer.concat([Buffer.from(`${dir}/`), name]), BASE);
    const { json } = runCliJson<StatusJson>(['status', '--dir', dir, '--as-of', AS_OF]);
    expect(json.departments.find((d) => d.id === 'forestry')).toMatchObject({ state: 'submitted', files: ['区林业局.yaml'] });
    const validated = runCliJson<ValidateJson>(['validate', dir]);
    expect(validated.json.files[0]!.diagnostics).toContainEqual(expect.objectContaining({ code: 'file/name-encoding', severity: 'warning' }));
  });

  it.skipIf(!isLinux)('a file that cannot be opened, named after no department', () => {
    const dir = allIn();
    writeFileSync(join(dir, '补充材料.yaml'), BASE.replace('department: 区林业局', 'department: 区环保局'));
    chmodSync(join(dir, '补充材料.yaml'), 0o000);
    if (asRoot) chmodSync(dirname(dir), 0o755);
    const { json, stderr } = runCliJson<StatusJson>(['status', '--dir', dir, '--as-of', AS_OF], asRoot ? { user: NOBODY, env: { REPORT_NO_CACHE: '1' } } : {});
    expect(stderr).toBe('');
    expect(json.unknownFiles).toContainEqual({ file: '补充材料.yaml', reason: 'unreadable', detail: '无法读取文件：没有读取或写入的权限（EACCES）' });
  });
});

describe('folders and outputs that cannot be used: one Chinese line, exit 2', () => {
  it.skipIf(!isLinux)('status and validate on a folder that cannot be read', () => {
    const dir = allIn();
    chmodSync(dir, 0o000);
    if (asRoot) chmodSync(dirname(dir), 0o755);
    const as = asRoot ? { user: NOBODY, env: { REPORT_NO_CACHE: '1' } } : {};
    for (const args of [['status', '--dir', dir, '--as-of', AS_OF], ['validate', dir]]) {
      const result = runCli(args, as);
      expect(result.code).toBe(2);
      expect(`${result.stdout}${result.stderr}`).toContain(`无法读取文件夹 ${dir}：没有读取或写入的权限（EACCES）`);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    chmodSync(dir, 0o755);
  });

  it('init --out onto an existing file', () => {
    const file = join(tempDir(), '模板');
    writeFileSync(file, 'x');
    const result = runCli(['init', '区林业局', '--out', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^写入 .*模板 失败：/m);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it.skipIf(!isLinux)('init --out under a folder that cannot be written', () => {
    const parent = tempDir();
    chmodSync(parent, 0o555);
    const as = asRoot ? { user: NOBODY } : {};
    if (asRoot) chmodSync(dirname(parent), 0o755);
    const result = runCli(['init', '区林业局', '--out', join(parent, '报送模板')], as);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('没有读取或写入的权限（EACCES）');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
