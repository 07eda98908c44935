/**
 * What a newcomer met (issue 25, "Small things"): the README's commands work as written, help
 * says what the command takes, a missing template is named before an output in the way, `status`
 * from another folder says how to name the folder, and no path trick puts an output inside the
 * submissions folder.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliAsync as runCli, tempCopy, tempDir } from './helpers/exec.js';
import { REPO, SAMPLE_SUBMISSIONS } from './helpers/paths.js';
import { requireTool } from './helpers/tools.js';

const AS_OF = ['--as-of', '2024-11-15T09:00+08:00'];

describe.concurrent('the README as written', () => {
  it('its own-package command (report pack <file> --out 报送材料) works in a folder laid out as the repository', async () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const line = /^report pack (\S+\.yaml) --out (\S+)/m.exec(readme);
    expect(line, 'the README shows a department’s own pack').not.toBeNull();
    const [, file, out] = line!;
    const work = tempDir('readme-');
    mkdirSync(join(work, 'data'));
    cpSync(SAMPLE_SUBMISSIONS, join(work, 'data', 'submissions'), { recursive: true });
    const r = await runCli(['pack', file!, '--out', out!], { cwd: work });
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(join(work, out!))).toContain('黄山区2024网络市场监管促发展保安全专项行动（区公安分局）.zip');
  });

  it('lists exit code 130 (Ctrl-C) in its table', () => {
    expect(readFileSync(join(REPO, 'README.md'), 'utf8')).toMatch(/^\| 130 \| .*Ctrl-C/m);
  });
});

describe.concurrent('help and messages', () => {
  it('validate --help says a workbook is taken too, not YAML only', async () => {
    const r = await runCli(['validate', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('YAML 或 Excel');
    expect(r.stdout).not.toContain('报送文件（YAML），');
  });

  it('merge --template <missing> names the template first, not the output that exists', async () => {
    const work = tempDir('newcomer-');
    const out = join(work, '汇总表.xlsx');
    writeFileSync(out, 'an earlier table');
    const r = await runCli(['merge', '--template', join(work, '没有这个模板.xlsx'), '--out', out, ...AS_OF]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('找不到文件或文件夹');
    expect(r.stderr).toContain('没有这个模板.xlsx');
    expect(r.stderr).not.toContain('已存在');
  });

  it('pack --template <missing> does the same', async () => {
    const work = tempDir('newcomer-');
    mkdirSync(join(work, 'out', '黄山区2024网络市场监管促发展保安全专项行动'), { recursive: true });
    const r = await runCli(['pack', '--template', join(work, '没有这个模板.xlsx'), '--out', join(work, 'out'), ...AS_OF]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('没有这个模板.xlsx');
    expect(r.stderr).not.toContain('已存在');
  });

  it('status run from another folder hints at --dir', async () => {
    const r = await runCli(['status'], { cwd: tempDir('elsewhere-') });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('找不到文件或文件夹：data/submissions');
    expect(r.stderr).toContain('--dir');
  });
});

describe.concurrent.skipIf(requireTool('symlinks'))('--out through a symbolic link into the submissions folder', () => {
  /** A workspace with the submissions and a link to them beside. */
  function linked() {
    const work = tempDir('newcomer-');
    const dir = join(work, '收到的报送');
    cpSync(SAMPLE_SUBMISSIONS, dir, { recursive: true });
    symlinkSync(dir, join(work, '链接'));
    return { work, dir, before: readdirSync(dir).sort() };
  }

  it('pack --out 链接/新文件夹 is refused and writes nothing inside', async () => {
    const { work, dir, before } = linked();
    const r = await runCli(['pack', '--dir', dir, '--out', join(work, '链接', '材料包'), ...AS_OF]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('报送文件夹');
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('merge --out 链接/新文件夹/汇总表.xlsx is refused too', async () => {
    const { work, dir, before } = linked();
    const r = await runCli(['merge', '--dir', dir, '--out', join(work, '链接', '新', '汇总表.xlsx'), ...AS_OF]);
    expect(r.code).toBe(2);
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(existsSync(join(dir, '新'))).toBe(false);
  });

  it('an output beside the submissions (not inside) is still written', async () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS, 'newcomer-');
    const r = await runCli(['merge', '--dir', dir, '--out', join(dir, '..', '新', '汇总表.xlsx'), ...AS_OF]);
    expect(r.code, r.stderr).toBe(0);
  });
});
