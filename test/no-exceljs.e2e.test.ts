/**
 * `validate`, `status` and `init` load nothing they do not use: no exceljs (issue 2,
 * Speed; issue 3, item 9). Each run is traced by a preload that records every
 * module resolved or required (test/helpers/trace-modules.mjs).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCliAsync, tempCopy, tempDir } from './helpers/exec.js';
import { fixture, REPO } from './helpers/paths.js';

const PRELOAD = pathToFileURL(join(REPO, 'test', 'helpers', 'trace-modules.mjs')).href;

/** Run the CLI with the tracing preload; returns the modules it loaded. */
async function traced(args: string[]): Promise<{ code: number | null; modules: string[] }> {
  const trace = join(tempDir('report-trace-'), 'modules.txt');
  writeFileSync(trace, '');
  const result = await runCliAsync(args, { nodeArgs: ['--import', PRELOAD], env: { REPORT_TRACE_FILE: trace } });
  expect(result.stderr).toBe('');
  return { code: result.code, modules: readFileSync(trace, 'utf8').split('\n').filter(Boolean) };
}

const exceljs = (modules: string[]) => modules.filter((m) => /exceljs/i.test(m));

describe('the tracer', () => {
  it('sees exceljs when something loads it (the control)', () => {
    const trace = join(tempDir('report-trace-'), 'modules.txt');
    writeFileSync(trace, '');
    const result = spawnSync(process.execPath, ['--import', PRELOAD, '--input-type=module', '-e', "await import('exceljs')"], {
      cwd: REPO,
      env: { ...process.env, REPORT_TRACE_FILE: trace },
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(exceljs(readFileSync(trace, 'utf8').split('\n')).length).toBeGreaterThan(0);
  });

  it('sees the modules the CLI does load', async () => {
    const { modules } = await traced(['validate', fixture('validate-ok', '区林业局.yaml')]);
    expect(modules.some((m) => m.includes('dist/cli.js') || m.includes('dist\\cli.js'))).toBe(true);
    // The command's own chunk, imported when it runs (yaml and zod are bundled into such chunks).
    expect(modules.some((m) => /dist[\\/]validate-[\w-]+\.js/.test(m))).toBe(true);
  });
});

describe.concurrent('never loaded', () => {
  it.each([
    ['validate (one file)', ['validate', fixture('validate-ok', '区林业局.yaml')], 0],
    ['validate (a file with errors)', ['validate', fixture('validate-unit-in-number', '区林业局.yaml')], 1],
    ['validate --json (a folder)', ['validate', '--json', fixture('validate-folder')], 1],
    ['status', ['status', '--dir', fixture('status-all-in'), '--as-of', '2024-11-12T18:00'], 0],
    // Workbooks are read without exceljs too (src/xlsx/cells.ts): it is for writing only.
    ['validate (a workbook)', ['validate', fixture('workbooks', 'xlsx-ok', '区林业局.xlsx')], 0],
    ['status (a folder with a workbook)', ['status', '--dir', fixture('workbooks', 'xlsx-ok'), '--as-of', '2024-11-12T18:00'], 1],
    ['status --remind --json', ['status', '--dir', fixture('status-states'), '--as-of', '2024-11-12T18:00', '--remind', '--json'], 1],
    ['--help', ['--help'], 0],
  ])('by %s', async (_, args, code) => {
    const run = await traced(args as string[]);
    expect(run.code).toBe(code);
    expect(exceljs(run.modules)).toEqual([]);
  });

  it('by init', async () => {
    const run = await traced(['init', '--all', '--out', tempDir()]);
    expect(run.code).toBe(0);
    expect(exceljs(run.modules)).toEqual([]);
  });

  it('by status on a big folder (worker threads)', async () => {
    const dir = tempCopy(fixture('status-all-in'));
    const notice = readFileSync(fixture('status-all-in', '会议通知.yaml'));
    for (let i = 1; i <= 60; i++) writeFileSync(join(dir, `会议通知${i}.yaml`), notice);
    const run = await traced(['status', '--dir', dir, '--as-of', '2024-11-12T18:00', '--json']);
    expect(run.code).toBe(0);
    expect(run.modules.some((m) => /worker\.js/.test(m))).toBe(true); // the threads were traced too
    expect(exceljs(run.modules)).toEqual([]);
  });
});
