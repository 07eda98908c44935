/**
 * At a city's or province's scale a table of every unit is not what a person reads: beyond a
 * screenful, `status` lists the units that need action and the counts; `--all` lists every
 * unit; `--json` always has every one. ASCII borders for consoles that draw box characters
 * two columns wide.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error a plain JavaScript module of the benchmark
import { generateDataset } from '../scripts/bench/generate.mjs';
import { displayWidth } from '../src/reporters/style.js';
import { runCli, runCliJson, tempDir, type StatusJson } from './helpers/exec.js';
import { CAMPAIGN_FILE } from './helpers/paths.js';

let campaign: string;
let dir: string;
let files: string[];
beforeAll(() => {
  const data = generateDataset({ root: tempDir(), realCampaignFile: CAMPAIGN_FILE, units: 60, casesPerUnit: 2, seed: 1 }) as { campaignFile: string; dir: string; files: string[] };
  ({ campaignFile: campaign, dir, files } = data);
  // Three units have not reported.
  for (const name of files.slice(10, 13)) rmSync(join(dir, name));
});

const status = (...extra: string[]) => runCli(['status', '--dir', dir, '--campaign', campaign, '--as-of', '2024-11-12T18:00', ...extra]);
const tableRows = (stdout: string) => stdout.split('\n').filter((l) => /^[│|] \d+ /.test(l));

describe('report status with 60 units', () => {
  it('lists only the units that need action, and says so', () => {
    const result = status();
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('共 60 个单位，下表只列出需要处理的 3 个');
    const rows = tableRows(result.stdout);
    expect(rows).toHaveLength(3);
    for (const [i, name] of files.slice(10, 13).entries()) expect(rows[i]).toContain(name.replace(/\.yaml$/, ''));
    expect(rows.every((r) => r.includes('未报送'))).toBe(true);
    expect(result.stdout).toContain('已报送 57，逾期报送 0，有错误 0，重复 0，未报送 3（共 60 个单位）');
  });

  it('lists every unit with --all, numbered as in the campaign', () => {
    const rows = tableRows(status('--all').stdout);
    expect(rows).toHaveLength(60);
    expect(rows.map((r) => Number(/^[│|] (\d+) /.exec(r)![1]))).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });

  it('always has every unit in --json', () => {
    const { json } = runCliJson<StatusJson>(['status', '--dir', dir, '--campaign', campaign, '--as-of', '2024-11-12T18:00']);
    expect(json.departments).toHaveLength(60);
  });

  it.each([
    ['--ascii', ['--ascii'], {}],
    ['REPORT_ASCII=1', [], { REPORT_ASCII: '1' }],
  ])('draws with + - | when asked (%s), every line the same width', (_, extra, env) => {
    const result = runCli(['status', '--dir', dir, '--campaign', campaign, '--as-of', '2024-11-12T18:00', ...extra], { env });
    const table = result.stdout.split('\n').filter((l) => /^[+|]/.test(l));
    expect(table.length).toBe(4 + 3); // top, header, rule, three rows, bottom
    expect(table[0]).toMatch(/^\+-+\+/);
    expect(result.stdout).not.toMatch(/[─│┌┐└┘├┼┤—]/);
    expect(new Set(table.map(displayWidth)).size).toBe(1);
  });
});

describe('report status with 7 units', () => {
  it('shows the whole table, boxed', () => {
    const result = runCli(['status', '--as-of', '2024-11-12T18:00']);
    expect(result.stdout).not.toContain('只列出需要处理的');
    expect(tableRows(result.stdout)).toHaveLength(7);
    expect(result.stdout).toContain('┌');
  });
});
