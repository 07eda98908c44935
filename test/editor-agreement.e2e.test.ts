/**
 * The editor says what `validate` says (issue 25, 15–17). Two real clients of the JSON Schema
 * that `report init` writes beside a submission — the YAML language server (what VS Code's YAML
 * extension runs, over stdio) and ajv (a JSON Schema validator, on the data as YAML 1.2 reads
 * it) — against `report validate` on the corpus in test/fixtures/editor-corpus (made by its
 * make-corpus.mjs). A file is red in the editor exactly when validate finds an error in it, but
 * for the disagreements a schema cannot express, listed here by name with the reason.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync, runCliJsonAsync, tempCopy, tempDir, type ValidateJson } from './helpers/exec.js';
import { fixture } from './helpers/paths.js';
import { YamlLanguageServer } from './helpers/yaml-ls.js';

const SCHEMA = 'hsq_2024_wlsc.schema.json';

/** Files validate refuses and the schema cannot: what it would take, and why no schema has it. */
const CANNOT_EXPRESS: Record<string, string> = {
  'figure-hex': 'YAML 1.2 reads 0x1F as the number 31 before any schema sees it; validate reads the text',
  'figure-exponent': 'YAML 1.2 reads 1e3 as the number 1000',
  'amount-five-decimals': 'YAML reads 1.23456 as a number; multipleOf 0.0001 is unreliable in binary floating point (ajv and Python jsonschema would also refuse 1.2345), so only decimals typed as text are checked',
  'date-non-leap-year': '29 February is allowed in every year: leap years in a regular expression are left to validate',
  'duplicate-indicator': 'one figure under two spellings (inspectors and 出动执法人员): keys of an object are independent in JSON Schema',
  'rule-failed-over-tested': 'a cross-field rule (不合格 ≤ 抽检)',
  'material-missing': 'a file on disk',
};

const corpus = fixture('editor-corpus');
const names = readdirSync(corpus).filter((f) => f.endsWith('.yaml')).map((f) => basename(f, '.yaml')).sort();
let work: string;
let validated: Map<string, boolean>;
let schema: object;
let ls: YamlLanguageServer;

beforeAll(async () => {
  work = tempCopy(corpus, 'editor-');
  // The schema as init writes it beside a blank submission.
  const written = await runCliAsync(['schema', '--out', join(work, SCHEMA)]);
  expect(written.code, written.stderr).toBe(0);
  schema = JSON.parse(readFileSync(join(work, SCHEMA), 'utf8')) as object;
  const r = await runCliJsonAsync<ValidateJson>(['validate', ...names.map((n) => `${n}.yaml`)], { cwd: work });
  validated = new Map(r.json.files.map((f) => [basename(f.file, '.yaml'), !f.diagnostics.some((d) => d.severity === 'error')]));
  ls = new YamlLanguageServer();
  await ls.start();
});

afterAll(async () => {
  await ls?.stop();
});

describe('the JSON Schema and validate agree on the corpus', () => {
  it('has files validate accepts and files it refuses, each a typing habit or a mistake', () => {
    expect(names.length).toBeGreaterThan(60);
    expect([...validated.values()].filter(Boolean).length).toBeGreaterThan(25);
    expect([...validated.values()].filter((ok) => !ok).length).toBeGreaterThan(25);
    for (const name of Object.keys(CANNOT_EXPRESS)) expect(validated.get(name), name).toBe(false);
  });

  it('ajv: valid exactly when validate finds no error, but for the listed disagreements', () => {
    const check = new Ajv({ allErrors: true, strict: false }).compile(schema);
    const disagree = names.filter((name) => check(parse(readFileSync(join(work, `${name}.yaml`), 'utf8'))) !== validated.get(name));
    expect(disagree.sort()).toEqual(Object.keys(CANNOT_EXPRESS).sort());
  });

  it('the YAML language server: no error marked exactly when validate finds none, but for the listed disagreements', async () => {
    const red = new Map<string, string[]>();
    for (const name of names) {
      const path = join(work, `${name}.yaml`);
      const diagnostics = await ls.diagnostics(path, readFileSync(path, 'utf8'));
      ls.close(path);
      red.set(name, diagnostics.filter((d) => d.severity === 1).map((d) => `${d.range.start.line + 1}: ${d.message}`));
    }
    const disagree = names.filter((name) => (red.get(name)!.length === 0) !== validated.get(name));
    const shown = disagree.filter((n) => !(n in CANNOT_EXPRESS)).map((n) => `${n} (validate ${validated.get(n) ? 'accepts' : 'refuses'}): ${red.get(n)!.join(' | ')}`);
    expect(shown, 'files the editor and validate disagree on').toEqual([]);
    expect(disagree.sort()).toEqual(Object.keys(CANNOT_EXPRESS).sort());
  });
});

describe('a fresh file from report init in the editor', () => {
  it('no task key (32:, written by init) is marked; only the blanks validate also refuses', async () => {
    const dir = tempDir('editor-init-');
    expect((await runCliAsync(['init', '区市场监管局'], { cwd: dir })).code).toBe(0);
    const path = join(dir, '区市场监管局.yaml');
    const text = readFileSync(path, 'utf8');
    const red = (await ls.diagnostics(path, text)).filter((d) => d.severity === 1);
    ls.close(path);
    expect(red.map((d) => d.message).filter((m) => /not allowed|不被允许/.test(m))).toEqual([]);
    // What is left are the fields to fill (填表人, 联系电话), which validate refuses blank too.
    const lines = text.split('\n');
    for (const d of red) expect(lines[d.range.start.line], d.message).toMatch(/^(filled_by|phone):/);
  });

  it('completion offers the keys not yet in the file, never a second spelling of one that is', async () => {
    const dir = tempDir('editor-complete-');
    await runCliAsync(['schema', '--out', join(dir, SCHEMA)]);
    const path = join(dir, '区林业局.yaml');
    const text = `# yaml-language-server: $schema=./${SCHEMA}\ndepartment: 区林业局\nstatistics:\n  inspectors: 12\n  \n`;
    writeFileSync(path, text);
    const items = (await ls.completion(path, text, 4, 2)).map((i) => i.label);
    ls.close(path);
    expect(items).toContain('platforms_checked');
    expect(items).not.toContain('inspectors');
    expect(items).not.toContain('出动执法人员'); // the same figure: a duplicate if chosen
    expect(items).not.toContain('出动执法人员（人次）');
  });
});

describe('report init and the schema file beside the blanks', () => {
  it('replaces an old or broken schema file, and says so; a current one is left as it is', async () => {
    const dir = tempDir('editor-init-');
    const current = join(tempDir('editor-schema-'), SCHEMA);
    await runCliAsync(['schema', '--out', current]);
    writeFileSync(join(dir, SCHEMA), '{"broken": ');
    const first = await runCliAsync(['init', '区林业局'], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`已更新 ${SCHEMA}`);
    expect(readFileSync(join(dir, SCHEMA), 'utf8')).toBe(readFileSync(current, 'utf8'));
    const second = await runCliAsync(['init', '区税务局'], { cwd: dir });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).not.toContain(SCHEMA);
  });
});

describe('a submission with no figures at all', () => {
  it.each(['statistics-empty', 'no-figures-at-all'])('%s: passes with a warning at statistics', async (name) => {
    const r = await runCliJsonAsync<ValidateJson>(['validate', `${name}.yaml`], { cwd: corpus });
    expect(r.code).toBe(0);
    expect(r.json.files[0]!.diagnostics).toContainEqual(expect.objectContaining({ severity: 'warning', code: 'statistics/none', line: 8, column: 1 }));
  });
});
