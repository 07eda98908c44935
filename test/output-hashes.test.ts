/**
 * The outputs of record, locked byte for byte: every file the sample data, the city example, the
 * template corpus and `init` give, with a fixed --as-of, hashed and compared with
 * test/fixtures/output-hashes.json. Moving code (issue 24) must not change a byte of them; a
 * change meant to alter an output updates the list on purpose:
 *
 *   UPDATE_OUTPUT_HASHES=1 npx vitest run test/output-hashes.test.ts
 *
 * and the diff of the list shows which outputs changed.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers/exec.js';
import { REPO } from './helpers/paths.js';
import { CITY_AS_OF, CITY_CAMPAIGN, CITY_SUBMISSIONS } from './helpers/rollup.js';

const LIST = join(REPO, 'test', 'fixtures', 'output-hashes.json');
const AS_OF = '2024-11-15T09:00+08:00';
const PREVIOUS = ['--previous', join(REPO, 'data', 'previous', '2023网络市场监管专项行动情况统计表.xlsx')];
const CORPUS = join(REPO, 'test', 'fixtures', 'templates');

const expected: Record<string, string> = existsSync(LIST) ? JSON.parse(readFileSync(LIST, 'utf8')) : {};
const actual: Record<string, string> = {};
/** The names this run recorded: an update rewrites only their part of the list (a run with -t keeps the rest). */
const recorded = new Set<string>();

/** Every file under `dir`, by its path from there (with / on every system), sorted. */
function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(dir, path).split('\\').join('/'));
    }
  };
  walk(dir);
  return out;
}

/** Records the hash of every file a run wrote into `dir`, under `name/…`, and the run's exit code. */
function record(name: string, dir: string, code: number | null): Record<string, string> {
  recorded.add(name);
  const got: Record<string, string> = { [`${name} (exit)`]: String(code) };
  for (const file of files(dir)) got[`${name}/${file}`] = createHash('sha256').update(readFileSync(join(dir, file))).digest('hex');
  Object.assign(actual, got);
  return got;
}

/** The part of the list that belongs to `name`. */
function expectedOf(name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(expected).filter(([key]) => key === `${name} (exit)` || key.startsWith(`${name}/`)));
}

function check(name: string, dir: string, code: number | null): void {
  const got = record(name, dir, code);
  if (!process.env.UPDATE_OUTPUT_HASHES) expect(got).toEqual(expectedOf(name));
}

afterAll(() => {
  if (!process.env.UPDATE_OUTPUT_HASHES) return;
  const kept = Object.entries(expected).filter(([key]) => ![...recorded].some((name) => key === `${name} (exit)` || key.startsWith(`${name}/`)));
  const sorted = Object.fromEntries([...kept, ...Object.entries(actual)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  writeFileSync(LIST, `${JSON.stringify(sorted, null, 2)}\n`);
});

describe.concurrent('outputs are byte-identical to the recorded list', () => {
  it('the sample data: merge beside last year', () => {
    const out = tempDir('hash-merge-');
    const r = runCli(['merge', '--as-of', AS_OF, '--out', join(out, '汇总.xlsx'), ...PREVIOUS]);
    check('sample-merge', out, r.code);
  });

  it('the sample data: pack beside last year', () => {
    const out = tempDir('hash-pack-');
    const r = runCli(['pack', '--as-of', AS_OF, '--out', out, ...PREVIOUS]);
    check('sample-pack', out, r.code);
  });

  it('the sample data: pack for one department (区文旅体局)', () => {
    const out = tempDir('hash-pack-one-');
    const r = runCli(['pack', 'data/submissions/区文旅体局.yaml', '--as-of', AS_OF, '--out', out]);
    check('sample-pack-one', out, r.code);
  });

  it('the city example: merge and pack of the districts’ tables', () => {
    const merged = tempDir('hash-city-merge-');
    const m = runCli(['merge', '--campaign', CITY_CAMPAIGN, '--dir', CITY_SUBMISSIONS, '--as-of', CITY_AS_OF, '--out', join(merged, '市汇总.xlsx')]);
    check('city-merge', merged, m.code);
    const packed = tempDir('hash-city-pack-');
    const p = runCli(['pack', '--campaign', CITY_CAMPAIGN, '--dir', CITY_SUBMISSIONS, '--as-of', CITY_AS_OF, '--out', packed]);
    check('city-pack', packed, p.code);
  });

  it('init: every department’s fill-in workbook and YAML', () => {
    const xlsx = tempDir('hash-init-xlsx-');
    check('init-xlsx', xlsx, runCli(['init', '--all', '--format', 'xlsx', '--out', xlsx]).code);
    const yaml = tempDir('hash-init-yaml-');
    check('init-yaml', yaml, runCli(['init', '--all', '--out', yaml]).code);
  });

  it('the default template, as `npm run template` makes it', () => {
    const out = tempDir('hash-default-template-');
    const r = spawnSync(process.execPath, [join(REPO, 'scripts', 'make-template.mjs'), out], { encoding: 'utf8' });
    check('default-template', out, r.status);
  });

  for (const template of readdirSync(CORPUS).filter((name) => /\.(xlsx|xls|ods)$/.test(name)).sort()) {
    it(`the template corpus: ${template}`, () => {
      const out = tempDir('hash-template-');
      const r = runCli(['merge', '--template', join(CORPUS, template), '--as-of', AS_OF, '--out', join(out, '汇总.xlsx')]);
      check(`template-${template}`, out, r.code);
    });
  }
});
