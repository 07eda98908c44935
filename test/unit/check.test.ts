/** One submission's text to a Submission and diagnostics: every finding at its line and column. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../../src/campaign/schema.js';
import { setLang } from '../../src/messages/index.js';
import { checkSubmission, type CheckResult } from '../../src/submission/check.js';
import { BASE, edit, loadTestCampaign } from '../helpers/submission.js';
import { requireTool } from '../helpers/tools.js';

let campaign: Campaign;
let dir: string;
beforeAll(async () => {
  setLang('zh');
  campaign = await loadTestCampaign();
  dir = mkdtempSync(join(tmpdir(), 'report-check-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NOW = new Date('2024-11-12T10:00:00+08:00');
const check = (text: string, file = join(dir, '区林业局.yaml')): CheckResult => checkSubmission(text, { campaign, file, now: NOW });
const at = (code: string, line: number, column: number, severity: 'error' | 'warning' = 'error') =>
  expect.objectContaining({ code, line, column, severity });
const codes = (r: CheckResult) => r.diagnostics.map((d) => d.code);

describe('a valid submission', () => {
  it('has no findings and becomes a Submission', () => {
    const result = check(BASE);
    expect(result.diagnostics).toEqual([]);
    expect(result.department).toBe('forestry');
    expect(result.isForeign).toBe(false);
    expect(result.submission).toMatchObject({ department: 'forestry', filledBy: '王静辉', phone: '0559-8510026', submittedAt: '2024-11-10' });
    expect(result.submission!.tasks.get(32)).toContain('野生兰花');
    expect(result.submission!.summary).toContain('区林业局');
  });

  it('keeps "not reported" apart from 0', () => {
    const result = check(edit('  platforms_checked: 30', '  platforms_checked: 0\n  listings_removed:\n  accounts_handled: ~'));
    const statistics = result.submission!.statistics;
    expect(statistics.get('inspectors')).toBe(12);
    expect(statistics.get('platforms_checked')).toBe(0);
    expect(statistics.has('listings_removed')).toBe(false);
    expect(statistics.has('accounts_handled')).toBe(false);
    expect(statistics.has('cases_filed')).toBe(false); // left out entirely
  });

  it.each([
    ['2024年11月10日', '2024-11-10'],
    ['2024/11/10', '2024-11-10'],
    ['2024-11-10', '2024-11-10'],
    ['2024-11-10 16:30', '2024-11-10T16:30'],
  ])('accepts submitted_at written as %s', (written, normalised) => {
    const result = check(edit('submitted_at: 2024-11-10', `submitted_at: ${written}`));
    expect(result.diagnostics).toEqual([]);
    expect(result.submission!.submittedAt).toBe(normalised);
  });

  it('accepts the department by id, full name or alias', () => {
    for (const name of ['forestry', '黄山区林业局', '林业局', '区林业局 ']) expect(check(edit('department: 区林业局', `department: ${name}`)).department).toBe('forestry');
  });

  it('accepts indicators by their Chinese label, with or without the unit', () => {
    const result = check(edit('  inspectors: 12', '  出动执法人员（人次）: 12').replace('  fines: 1.5', '  罚没款: 1.5'));
    expect(result.diagnostics).toEqual([]);
    expect(result.submission!.statistics.get('inspectors')).toBe(12);
    expect(result.submission!.statistics.get('fines')).toBe(1.5);
  });

  it('accepts task numbers as 任务32 or 第32项', () => {
    const text = check(BASE).submission!.tasks.get(32);
    expect(text).toMatch(/^联合区市场监管局巡查/);
    expect(check(edit('  32: ', '  任务32: ')).submission!.tasks).toEqual(new Map([[32, text]]));
    expect(check(edit('  32: ', '  第32项: ')).submission!.tasks).toEqual(new Map([[32, text]]));
  });
});

describe('figures', () => {
  it.each([
    ['a unit typed in a number', '  inspectors: 12人次', 'value/unit-in-number', 8, 15],
    ['full-width digits', '  inspectors: １２', 'value/fullwidth-digits', 8, 15],
    ['a negative count', '  inspectors: -3', 'value/negative', 8, 15],
    ['a fractional count', '  inspectors: 2.5', 'value/not-integer', 8, 15],
    ['a number past the safe-integer range', '  inspectors: 99999999999999999999', 'value/too-large', 8, 15],
    ['a thousands separator', '  inspectors: 1,234', 'value/thousands-separator', 8, 15],
    ['text', '  inspectors: 若干', 'value/not-a-number', 8, 15],
    ['a list', '  inspectors: [1, 2]', 'value/not-a-number', 8, 15],
  ])('refuses %s', (_, line, code, l, c) => {
    const result = check(edit('  inspectors: 12', line));
    expect(result.diagnostics).toEqual([at(code, l, c)]);
    expect(result.diagnostics[0]!.path).toEqual(['statistics', 'inspectors']);
    expect(result.submission).toBeUndefined();
  });

  it('refuses an amount with more than 4 decimals', () => {
    expect(check(edit('  fines: 1.5', '  fines: 1.23456')).diagnostics).toEqual([at('value/too-many-decimals', 10, 10)]);
  });

  it('refuses 12元 for 罚没款 (万元), suggesting 0.0012', () => {
    const [d] = check(edit('  fines: 1.5', '  fines: 12元')).diagnostics;
    expect(d).toMatchObject({ code: 'value/unit-in-number', line: 10, column: 10 });
    expect(d!.message).toContain('0.0012');
  });

  it('warns about 罚没款 of 50000 万元 (typed in 元?) without failing', () => {
    const result = check(edit('  fines: 1.5', '  fines: 50000'));
    expect(result.diagnostics).toEqual([at('value/implausible', 10, 10, 'warning')]);
    expect(result.diagnostics[0]!.message).toContain('元');
    expect(result.submission).toBeDefined(); // warnings do not make the file invalid
  });

  it('applies the campaign rule 不合格 ≤ 抽检 as an error at the left-hand figure', () => {
    const result = check(edit('  samples_failed: 1', '  samples_failed: 9'));
    expect(result.diagnostics).toEqual([at('rule/failed', 12, 19)]);
    expect(result.diagnostics[0]!.message).toContain('不合格批次不能多于抽检批次');
    expect(result.diagnostics[0]!.path).toEqual(['statistics', 'samples_failed']);
  });

  it('skips a rule when one side was not reported', () => {
    expect(check(edit('  samples_tested: 4\n', '')).diagnostics).toEqual([]);
  });

  it('applies a warning rule (结案 ≤ 立案) as a warning', () => {
    const result = check(edit('  fines: 1.5', '  fines: 1.5\n  cases_filed: 2\n  cases_closed: 3'));
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'rule/failed', severity: 'warning' })]);
  });

  it('refuses the same indicator given by id and by label', () => {
    expect(check(edit('  fines: 1.5', '  fines: 1.5\n  出动执法人员: 12')).diagnostics).toEqual([at('schema/duplicate-indicator', 11, 3)]);
  });
});

describe('keys', () => {
  it('points at the second of duplicate keys and names the first line', () => {
    const result = check(edit('  samples_tested: 4', '  samples_tested: 4\n  inspectors: 13'));
    expect(result.diagnostics).toEqual([at('yaml/duplicate-key', 12, 3)]);
    expect(result.diagnostics[0]!.message).toContain('第 8 行');
  });

  it('finds duplicate top-level keys', () => {
    const result = check(`${BASE}filled_by: 李明\n`);
    expect(result.diagnostics).toEqual([at('yaml/duplicate-key', 19, 1)]);
    expect(result.diagnostics[0]!.message).toContain('第 3 行');
  });

  it('finds duplicate task numbers', () => {
    expect(check(edit('tasks:\n', 'tasks:\n  32: 第一稿\n')).diagnostics).toEqual([at('yaml/duplicate-key', 16, 3)]);
  });

  it.each([
    ['filed_by: 王静辉', 'filled_by: 王静辉', 'schema/unknown-key', 3, 'filled_by'],
    ['填表人: 王静辉', 'filled_by: 王静辉', 'schema/unknown-key', 3, 'filled_by'],
    ['统计表:', 'statistics:', 'schema/unknown-key', 7, 'statistics'],
    ['  inspector: 12', '  inspectors: 12', 'schema/unknown-indicator', 8, 'inspectors'],
  ])('suggests a key for %j', (typed, original, code, line, suggestion) => {
    const result = check(edit(original, typed));
    expect(result.diagnostics).toEqual([expect.objectContaining({ code, line, severity: 'error' })]);
    expect(result.diagnostics[0]!.message).toContain(`“${suggestion}”`);
  });

  it('lists the allowed keys when nothing is close', () => {
    const [d] = check(`${BASE}remarks: 无\n`).diagnostics;
    expect(d).toMatchObject({ code: 'schema/unknown-key', line: 19, column: 1 });
    expect(d!.message).toContain('department');
  });

  it('refuses __proto__ and constructor keys without polluting any prototype', () => {
    const text = edit('phone: 0559-8510026', 'phone: 0559-8510026\n__proto__:\n  polluted: true\nconstructor:\n  prototype:\n    polluted: true');
    const result = check(text);
    expect(result.diagnostics).toContainEqual(at('schema/reserved-key', 5, 1));
    expect(result.diagnostics).toContainEqual(at('schema/reserved-key', 7, 1));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    // Nested, too.
    const nested = check(edit('  inspectors: 12', '  __proto__: 12\n  inspectors: 12'));
    expect(nested.diagnostics).toContainEqual(at('schema/reserved-key', 8, 3));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('the whole file', () => {
  it.each([
    ['an empty file', ''],
    ['only blank lines', '\n\n  \n'],
    ['only comments', '# 区林业局\n# 待填写\n'],
  ])('refuses %s with file/empty', (_, text) => {
    expect(check(text).diagnostics).toEqual([at('file/empty', 1, 1)]);
  });

  it('refuses a list at the root', () => {
    const result = check('- department: 区林业局\n- filled_by: 王静辉\n');
    expect(result.diagnostics).toEqual([at('yaml/not-mapping', 1, 1)]);
    expect(result.diagnostics[0]!.message).toContain('列表');
  });

  it('refuses a plain string at the root', () => {
    const result = check('区林业局报送材料见附件\n');
    expect(result.diagnostics).toEqual([at('yaml/not-mapping', 1, 1)]);
    expect(result.diagnostics[0]!.message).toContain('区林业局报送材料见附件');
  });

  it('refuses an alias bomb without expanding it', () => {
    let text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    let prev = 'a';
    for (const k of 'bcdefghi') {
      text += `${k}: &${k} [${Array(9).fill(`*${prev}`).join(',')}]\n`;
      prev = k;
    }
    const result = check(text);
    // The first three aliases of 72, never their expansion.
    expect(result.diagnostics).toEqual([at('yaml/alias', 2, 8), at('yaml/alias', 2, 11), at('yaml/alias', 2, 14)]);
  });

  it('refuses a single alias too (anchors are not part of the format)', () => {
    expect(codes(check(edit('phone: 0559-8510026', 'phone: &p 0559-8510026\nreviewed_by: *p')))).toEqual(['yaml/alias']);
  });

  it('refuses deep nesting', () => {
    expect(check(`a: ${'['.repeat(100_000)}\n`).diagnostics).toEqual([expect.objectContaining({ code: 'yaml/too-deep' })]);
  });

  it('says which file is not a submission at all', () => {
    const result = check('title: 推进会通知\ndate: 2024-10-08\n');
    expect(result.isForeign).toBe(true);
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ code: 'schema/required', line: 1, column: 1 }));
  });

  it('requires department, filled_by, phone and statistics', () => {
    const result = check('tasks:\n  32: 巡查\n');
    for (const key of ['department', 'filled_by', 'phone', 'statistics'])
      expect(result.diagnostics).toContainEqual(expect.objectContaining({ code: 'schema/required', path: [key] }));
  });
});

describe('full-width colons where YAML sees plain text', () => {
  it('reports each line of a file typed with full-width colons only, at its colon', () => {
    const result = check('department：区林业局\nfilled_by：王静辉\nphone：0559-8510026\n');
    expect(result.diagnostics).toEqual([at('yaml/fullwidth-colon', 1, 11), at('yaml/fullwidth-colon', 2, 10), at('yaml/fullwidth-colon', 3, 6)]);
    expect(result.isForeign).toBe(false);
  });

  it('reports the only entry of a block at its colon', () => {
    const result = check(edit('  32: 联合', '  32：联合'));
    expect(result.diagnostics).toContainEqual(at('yaml/fullwidth-colon', 15, 5));
  });

  it('reports every line of a block typed that way', () => {
    const text = edit('  inspectors: 12\n  platforms_checked: 30\n  fines: 1.5\n  samples_tested: 4\n  samples_failed: 1', '  inspectors：12\n  platforms_checked：30');
    expect(check(text).diagnostics).toEqual([at('yaml/fullwidth-colon', 8, 13), at('yaml/fullwidth-colon', 9, 20)]);
  });

  it('leaves a full-width colon inside prose alone', () => {
    const text = edit('summary: |\n  区林业局', 'summary:\n  总结：区林业局');
    expect(check(text).diagnostics).toEqual([]);
  });
});

describe('departments and tasks', () => {
  it('refuses an unknown department, listing the valid ones', () => {
    const result = check(edit('department: 区林业局', 'department: 区环保局'));
    expect(result.diagnostics).toEqual([at('schema/unknown-department', 2, 13)]);
    for (const name of ['区市场监管局', '区委网信办', '区文旅体局', '区公安分局', '区林业局', '区商务局', '区税务局'])
      expect(result.diagnostics[0]!.message).toContain(name);
    expect(result.department).toBeUndefined();
  });

  it('refuses a task number outside the plan', () => {
    const result = check(edit('tasks:\n', 'tasks:\n  35: 开展普法宣传。\n'));
    expect(result.diagnostics).toEqual([at('schema/unknown-task', 15, 3)]);
    expect(result.diagnostics[0]!.message).toContain('34');
  });

  it('warns, at the tasks key, when the department says nothing about its own task', () => {
    const result = check(edit('  32: 联合区市场监管局巡查网售野生动植物，督促平台下架疑似野生兰花信息15条。', '  3: 开展版权保护宣传1次。'));
    expect(result.diagnostics).toEqual([at('task/missing', 14, 1, 'warning')]);
    expect(result.diagnostics[0]!.message).toContain('32');
    expect(result.submission).toBeDefined();
  });

  it("warns about text for another department's task", () => {
    const result = check(edit('tasks:\n', 'tasks:\n  15: 配合税务部门开展数据交换。\n'));
    expect(result.diagnostics).toEqual([at('task/not-responsible', 15, 3, 'warning')]);
  });

  it('checks the cases: task number, date and fine', () => {
    const text = `${BASE}cases:\n  - title: 某网店销售野生兰花案\n    task: 99\n    date: 2024/11/31\n    summary: 经查……\n    fine: 12元\n    exposed: 是\n`;
    const result = check(text);
    expect(result.diagnostics).toContainEqual(at('value/date-invalid', 22, 11));
    expect(result.diagnostics).toContainEqual(at('value/unit-in-number', 24, 11));
    expect(result.diagnostics).toContainEqual(at('rule/case-task', 21, 11));
  });

  it.each([
    ['summary', '基本案情'],
    ['date', '日期'],
  ])('refuses a case without its %s (%s), at the case', (key, label) => {
    const full = `${BASE}cases:\n  - title: 某网店销售野生兰花案\n    task: 32\n    date: 2024-09-12\n    summary: 经查……\n`;
    const result = check(full.replace(new RegExp(`    ${key}: .*\\n`), ''));
    expect(check(full).diagnostics).toEqual([]);
    expect(result.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'schema/required', line: 20, path: ['cases', 0, key] })]);
    expect(result.diagnostics[0]!.message).toContain(label);
    expect(result.submission).toBeUndefined();
  });

  it('warns about a future submitted_at relative to the injected now', () => {
    expect(check(edit('submitted_at: 2024-11-10', 'submitted_at: 2024-11-20')).diagnostics).toEqual([at('value/date-future', 5, 15, 'warning')]);
  });

  it('refuses submitted_at that is not a real date', () => {
    expect(check(edit('submitted_at: 2024-11-10', 'submitted_at: 2024/11/31')).diagnostics).toEqual([at('value/date-invalid', 5, 15)]);
  });
});

describe('materials and summary_file (paths beside the submission)', () => {
  let folder: string;
  let file: string;
  beforeAll(() => {
    folder = join(dir, 'submissions');
    mkdirSync(join(folder, '材料'), { recursive: true });
    // A picture's first bytes: a material is sniffed, and text named .png is warned about.
    writeFileSync(join(folder, '材料', '巡查现场.png'), Buffer.from('89504e470d0a1a0a', 'hex'));
    writeFileSync(join(folder, '总结.txt'), '区林业局工作总结。');
    writeFileSync(join(dir, '外面.png'), 'png');
    file = join(folder, '区林业局.yaml');
  });
  const withMaterials = (...paths: string[]) => `${BASE}materials:\n${paths.map((p) => `  - ${p}\n`).join('')}`;

  it('accepts a material beside the file', () => {
    expect(check(withMaterials('材料/巡查现场.png'), file).diagnostics).toEqual([]);
  });

  it.each([
    ['an absolute path', '/etc/hosts', 'material/absolute'],
    ['a Windows drive path', 'C:\\Users\\张伟\\巡查现场.png', 'material/absolute'],
    ['a path leaving the folder with ..', '../外面.png', 'material/outside'],
    ['a missing file', '材料/没有.png', 'material/missing'],
    ['a folder', '材料', 'material/not-file'],
  ])('refuses %s', (_, path, code) => {
    expect(check(withMaterials(path), file).diagnostics).toEqual([at(code, 20, 5)]);
  });

  it.skipIf(requireTool('symlinks'))('refuses a symbolic link that leaves the folder', () => {
    symlinkSync(join(dir, '外面.png'), join(folder, '材料', '链接.png'));
    expect(check(withMaterials('材料/链接.png'), file).diagnostics).toEqual([at('material/outside', 20, 5)]);
  });

  it('reads summary_file beside the submission', () => {
    const result = check(edit('summary: |\n  区林业局按照方案要求开展网售野生动植物巡查，出动执法人员12人次。\n', 'summary_file: 总结.txt\n'), file);
    expect(result.diagnostics).toEqual([]);
    expect(result.submission!.summary).toBe('区林业局工作总结。');
  });

  it('refuses a summary_file that does not exist', () => {
    const result = check(edit('summary: |\n  区林业局按照方案要求开展网售野生动植物巡查，出动执法人员12人次。\n', 'summary_file: 没有.txt\n'), file);
    expect(result.diagnostics).toEqual([at('summary-file/missing', 17, 15)]);
  });

  it('warns when there is no summary at all', () => {
    expect(check(edit('summary: |\n  区林业局按照方案要求开展网售野生动植物巡查，出动执法人员12人次。\n', ''), file).diagnostics).toEqual([
      expect.objectContaining({ code: 'schema/summary-missing', severity: 'warning' }),
    ]);
  });
});

describe('indentation typed with tabs or full-width spaces', () => {
  it('is reported once per line and repaired to the intended level, so later mistakes are still found', () => {
    // Two statistics lines indented with tabs, one with two full-width spaces, and a unit typed into one value.
    const text = edit('  inspectors: 12\n  platforms_checked: 30', '\tinspectors: 12人次\n\tplatforms_checked: 30\n\u3000\u3000listings_removed: 5');
    const result = check(text);
    const lines = text.split('\n');
    const lineOf = (start: string) => lines.findIndex((l) => l.startsWith(start)) + 1;
    expect(result.diagnostics).toEqual(
      expect.arrayContaining([
        at('yaml/tab-indent', lineOf('\tinspectors'), 1),
        at('yaml/tab-indent', lineOf('\tplatforms_checked'), 1),
        at('yaml/fullwidth-space', lineOf('\u3000\u3000listings'), 1),
        // Column as typed: the tab is one character.
        at('value/unit-in-number', lineOf('\tinspectors'), 14),
      ]),
    );
    expect(codes(result)).not.toContain('yaml/syntax');
  });
});

describe('numbers in scientific notation', () => {
  it('are not taken for a number followed by a unit', () => {
    const result = check(edit('  inspectors: 12', '  inspectors: 1e5'));
    expect(codes(result)).toContain('value/not-a-number');
    expect(codes(result)).not.toContain('value/unit-in-number');
  });
});

describe('the department named another way', () => {
  it.each(['黄山区林业局', '林业局', '区林业局', 'forestry'])('accepts %s as 区林业局, as a template row would be', (name) => {
    const result = check(edit('department: 区林业局', `department: ${name}`));
    expect(result.department).toBe('forestry');
    expect(result.diagnostics).toEqual([]);
  });

  it('accepts 黄山区市场监督管理局 and 区市监局 for 区市场监管局 (one unit, written the usual other ways)', () => {
    for (const name of ['黄山区市场监督管理局', '区市监局']) expect(check(edit('department: 区林业局', `department: ${name}`)).department).toBe('market');
  });
});

describe('a department of another place', () => {
  it('is not taken for the campaign’s own: 屯溪区市场监督管理局 is not 区市场监管局', () => {
    const result = check(edit('department: 区林业局', 'department: 屯溪区市场监督管理局'));
    expect(result.department).toBeUndefined();
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'schema/unknown-department' })]);
    expect(check(edit('department: 区林业局', 'department: 黄山市黄山区市场监督管理局')).department).toBe('market');
  });
});
