/**
 * Editors complete what the clerk types: `report schema` writes the JSON Schema of a submission
 * (from the zod schema), and `report init` puts it beside each blank with a first line that
 * points the YAML language server at it. A standard validator (ajv) checks that the bundled
 * samples pass it and that mistakes do not.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers/exec.js';
import { SAMPLE_SUBMISSIONS } from './helpers/paths.js';
import { BASE, edit } from './helpers/submission.js';

const SCHEMA_FILE = 'hsq_2024_wlsc.schema.json';

function emittedSchema(): Record<string, unknown> {
  const result = runCli(['schema']);
  expect(result.code).toBe(0);
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

/** What an editor sees: the YAML as YAML types it, checked against the schema. */
function validator() {
  // allowMatchingProperties: task keys match a pattern as well as a name, on purpose (the YAML
  // language server hands `32:` over as a number, which only the pattern matches).
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, strict: true, allowMatchingProperties: true });
  return ajv.compile(emittedSchema());
}

describe('report schema', () => {
  it('prints a draft-07 JSON Schema with a Chinese title and description for every key', () => {
    const schema = emittedSchema() as { $schema: string; properties: Record<string, { title?: string; properties?: Record<string, { title?: string; description?: string }> }>; required: string[] };
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.required).toEqual(['department', 'filled_by', 'phone', 'statistics']);
    for (const [key, property] of Object.entries(schema.properties)) expect(property.title, key).toMatch(/[\u4e00-\u9fff]/);
    expect(schema.properties.statistics!.properties!.fines).toMatchObject({ title: '罚没款（万元）' });
    expect(schema.properties.statistics!.properties!.fines!.description).toContain('最多 4 位小数');
    expect(schema.properties.tasks!.properties!['32']!.title).toBe('任务32【风险关】清查非法交易野生动植物');
    expect(schema.properties.tasks!.properties!['32']!.description).toContain('区市场监管局、区林业局');
  });

  it('passes every bundled sample, as an editor reads it', () => {
    const validate = validator();
    const samples = readdirSync(SAMPLE_SUBMISSIONS).filter((n) => n.endsWith('.yaml'));
    expect(samples.length).toBe(5); // the sixth unit, 区委网信办, reports in a workbook (区委网信办.xlsx)
    for (const name of samples) {
      const ok = validate(parse(readFileSync(join(SAMPLE_SUBMISSIONS, name), 'utf8')));
      expect(ok, `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it.each([
    ['a unit typed into a figure', edit('  inspectors: 12', '  inspectors: 12人次'), '/statistics/inspectors'],
    ['a misspelt key', edit('filled_by: 王静辉', 'filed_by: 王静辉'), ''],
    ['an unknown indicator', edit('  inspectors: 12', '  inspector: 12'), '/statistics'],
    ['a task outside the plan', edit('tasks:\n', 'tasks:\n  35: 宣传\n'), '/tasks'],
    ['an unknown department', edit('department: 区林业局', 'department: 区环保局'), '/department'],
    ['a fractional count', edit('  inspectors: 12', '  inspectors: 2.5'), '/statistics/inspectors'],
  ])('rejects %s', (_, text, where) => {
    const validate = validator();
    expect(validate(parse(BASE))).toBe(true);
    expect(validate(parse(text))).toBe(false);
    expect(validate.errors!.map((e) => e.instancePath)).toContain(where);
  });

  it('writes --out whole, and never over an existing file without --force', () => {
    const dir = tempDir();
    const out = join(dir, 'x.json');
    expect(runCli(['schema', '--out', out]).code).toBe(0);
    const first = readFileSync(out, 'utf8');
    expect(JSON.parse(first).title).toContain('报送文件');
    writeFileSync(out, 'mine');
    const refused = runCli(['schema', '--out', out]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('输出文件已存在');
    expect(readFileSync(out, 'utf8')).toBe('mine');
    expect(runCli(['schema', '--out', out, '--force']).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(first);
    expect(readdirSync(dir)).toEqual(['x.json']);
  });
});

describe('report init and the editor', () => {
  it('points line 1 of every blank at a schema file written beside it', () => {
    const dir = tempDir();
    const result = runCli(['init', '--all', '--out', dir]);
    expect(result.code).toBe(0);
    expect(readdirSync(dir)).toContain(SCHEMA_FILE);
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.yaml'))) {
      const first = readFileSync(join(dir, name), 'utf8').split('\n')[0]!;
      // The language server's own rule: `#`, a space, then `$schema=` and a path without spaces.
      expect(/^#\s+yaml-language-server\s*:/.test(first)).toBe(true);
      expect(/\$schema=(\S+)/.exec(first)![1]).toBe(`./${SCHEMA_FILE}`);
    }
    expect(readFileSync(join(dir, SCHEMA_FILE), 'utf8')).toBe(runCli(['schema']).stdout);
  });

  it('replaces a schema file that does not match the campaign, and says so (issue 25: it was kept silently)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, SCHEMA_FILE), '{"mine":true}');
    const r = runCli(['init', '区林业局', '--out', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('已更新');
    expect(JSON.parse(readFileSync(join(dir, SCHEMA_FILE), 'utf8'))).toMatchObject({ title: expect.stringContaining('报送文件') });
  });
});
