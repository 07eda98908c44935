/**
 * Outputs are written whole or not at all, and survive a power cut (issue 26): the temporary
 * file is fsync'ed before it takes the real name, and the folder after. Without the fsync a
 * power cut soon after the rename can leave an empty file under the real name. Watched from
 * outside with strace, as the operating system sees the program's calls.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempCopy, tempDir } from './helpers/exec.js';
import { BIN, SAMPLE_SUBMISSIONS } from './helpers/paths.js';
import { requireTool } from './helpers/tools.js';

type Event = { kind: 'sync'; path: string } | { kind: 'place'; from: string; to: string };

/** `report <args>` under strace: its exit code and the fsyncs, renames and links it made, in order. */
function traced(args: string[]): { code: number | null; stderr: string; events: Event[] } {
  const log = join(tempDir('durable-'), 'strace.txt');
  const r = spawnSync('strace', ['-f', '-qq', '-y', '-o', log, '-e', 'trace=fsync,fdatasync,rename,renameat,renameat2,link,linkat', process.execPath, BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', REPORT_NO_CACHE: '1', REPORT_LANG: undefined },
    timeout: 150_000,
  });
  const events: Event[] = [];
  // strace writes bytes outside ASCII as octal escapes (\346\261\207…): back to the UTF-8 text.
  const text = Buffer.from(readFileSync(log, 'latin1').replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))), 'latin1').toString('utf8');
  for (const line of text.split('\n')) {
    const sync = /\b(?:fsync|fdatasync)\(\d+<(.+)>\)\s+= 0/.exec(line);
    if (sync) events.push({ kind: 'sync', path: sync[1]! });
    const place = /\b(?:rename|link)(?:at2?)?\((?:\w+, )?"([^"]+)", (?:\w+, )?"([^"]+)"/.exec(line);
    if (place && / = 0$/.test(line)) events.push({ kind: 'place', from: place[1]!, to: place[2]! });
  }
  return { code: r.status, stderr: r.stderr, events };
}

/** Checks that `to` was put in place from a file synced before, and its folder synced after. */
function expectDurable(events: Event[], to: string): void {
  const at = events.findIndex((e) => e.kind === 'place' && e.to === to);
  expect(at, `${to} was never put in place:\n${JSON.stringify(events, null, 1)}`).toBeGreaterThanOrEqual(0);
  const from = (events[at] as { from: string }).from;
  expect(events.slice(0, at), `${from} is not fsync'ed before it becomes ${to}`).toContainEqual({ kind: 'sync', path: from });
  expect(events.slice(at + 1), `the folder of ${to} is not fsync'ed after`).toContainEqual({ kind: 'sync', path: dirname(to) });
}

describe.skipIf(requireTool('strace'))('fsync before the rename (issue 26)', () => {
  it('a new file (report schema --out): the temporary file is synced, then linked, then its folder synced', () => {
    const out = join(tempDir('durable-'), 'campaign.schema.json');
    const r = traced(['schema', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expectDurable(r.events, out);
  });

  it('a file replaced with --force (report merge): synced before it is renamed over the old one', () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS, 'durable-');
    const out = join(tempDir('durable-'), '汇总表.xlsx');
    writeFileSync(out, 'the previous table');
    const r = traced(['merge', '--dir', dir, '--out', out, '--force', '--as-of', '2024-11-15T09:00+08:00']);
    expect(r.code, r.stderr).toBe(0);
    expectDurable(r.events, out);
    expect(readFileSync(out).subarray(0, 2).toString()).toBe('PK');
  });

  it('the package (report pack): the zip and every file of the folder synced before they take their names', () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS, 'durable-');
    const out = join(tempDir('durable-'), 'out');
    const r = traced(['pack', '--dir', dir, '--out', out, '--as-of', '2024-11-15T09:00+08:00']);
    expect(r.code, r.stderr).toBe(0);
    const name = '黄山区2024网络市场监管促发展保安全专项行动';
    expectDurable(r.events, join(out, `${name}.zip`));
    const folderAt = r.events.findIndex((e) => e.kind === 'place' && e.to === join(out, name));
    const before = r.events.slice(0, folderAt).filter((e) => e.kind === 'sync').map((e) => (e as { path: string }).path);
    for (const file of ['黄山区市场监督管理局-报送清单.txt', '黄山区市场监督管理局-2024网络市场监管专项行动情况统计表.xlsx', '黄山区市场监督管理局-典型案例汇编.docx'])
      expect(before.some((p) => p.includes('.partial-') && p.endsWith(`/${file}`)), `${file} synced before the folder is renamed`).toBe(true);
    expect(r.events.slice(folderAt + 1)).toContainEqual({ kind: 'sync', path: out });
  });
});
