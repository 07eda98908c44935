/**
 * Progress lines: on a terminal, long runs say how far they are (files read, rows
 * written); in a pipe or a file they print nothing extra. The terminal is a pseudo-
 * terminal from util-linux `script`; without it the terminal half is skipped (a failure
 * under CI=true).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers/exec.js';
import { BIN, SAMPLE_SUBMISSIONS } from './helpers/paths.js';
import { requireTool } from './helpers/tools.js';
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Run the CLI with a terminal as its standard error (and output), like a clerk's console. */
function onTerminal(args: string[]): string {
  const command = [process.execPath, BIN, ...args].map(quote).join(' ');
  const r = spawnSync('script', ['-qec', command, '/dev/null'], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', REPORT_CACHE_DIR: tempDir() },
  });
  return r.stdout;
}

describe('progress', () => {
  it.skipIf(requireTool('script'))('is shown on a terminal: files read, and rows written by merge', () => {
    const out = join(tempDir(), 'x.xlsx');
    const text = onTerminal(['merge', '--dir', SAMPLE_SUBMISSIONS, '--out', out, '--as-of', '2024-11-15T09:00+08:00']);
    expect(text).toMatch(/已读取 \d+\/6 个文件/);
    expect(text).toMatch(/已写入 \d+ 行/);
  });

  it('prints nothing extra when standard error is not a terminal', () => {
    const out = join(tempDir(), 'x.xlsx');
    const r = runCli(['merge', '--dir', SAMPLE_SUBMISSIONS, '--out', out, '--as-of', '2024-11-15T09:00+08:00']);
    expect(r.code).toBe(0);
    expect(r.stderr + r.stdout).not.toMatch(/已读取|已写入|\r/);
  });
});
