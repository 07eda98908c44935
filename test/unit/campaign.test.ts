/** The campaign file: the whole plan as data, and errors as good as a submission's when it is broken. */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCampaign } from '../../src/source/campaign.js';
import { setLang } from '../../src/messages/index.js';
import { CAMPAIGN_FILE } from '../helpers/paths.js';
import { edit } from '../helpers/submission.js';

beforeAll(() => setLang('zh'));

const TEXT = readFileSync(CAMPAIGN_FILE, 'utf8');
const lineOf = (needle: string) => TEXT.slice(0, TEXT.indexOf(needle)).split('\n').length;

describe('data/campaign.yaml', () => {
  it('holds the 2024 plan: 7 departments, 34 tasks in the five 关, the indicators and rules', async () => {
    const { campaign, diagnostics } = await parseCampaign(TEXT);
    expect(diagnostics).toEqual([]);
    expect(campaign!.issuer).toBe('黄山区市场监督管理局');
    expect(campaign!.deadline).toBe('2024-11-12T23:59:59+08:00');
    expect(campaign!.departments.map((d) => d.name)).toEqual(['区市场监管局', '区委网信办', '区文旅体局', '区公安分局', '区林业局', '区商务局', '区税务局']);
    expect(campaign!.tasks.map((t) => t.no)).toEqual(Array.from({ length: 34 }, (_, i) => i + 1));
    expect(new Set(campaign!.tasks.map((t) => t.category))).toEqual(new Set(['准入关', '秩序关', '安全关', '质量关', '风险关']));
    expect(campaign!.deliverables).toEqual(['专项行动总结', '统计表', '图片视频资料', '典型案例']);
    expect(campaign!.indicators.find((i) => i.id === 'fines')).toMatchObject({ label: '罚没款', unit: '万元', kind: 'amount' });
    expect(campaign!.rules.find((r) => r.left === 'samples_failed')).toMatchObject({ op: '<=', right: 'samples_tested', severity: 'error' });
  });
});

describe('a broken campaign file', () => {
  it('reports schema errors at their line and column', async () => {
    const broken = edit('deadline: "2024-11-12T23:59:59+08:00"', 'deadline: "2024-11-12"', edit('    kind: count\n    group: 执法检查', '    kind: number\n    group: 执法检查', TEXT));
    const { campaign, diagnostics } = await parseCampaign(broken);
    expect(campaign).toBeUndefined();
    expect(diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', code: 'campaign/invalid', line: lineOf('deadline:'), column: 11, path: ['deadline'] }));
    expect(diagnostics).toContainEqual(
      expect.objectContaining({ code: 'campaign/invalid', line: lineOf('    kind: count'), column: 11, path: ['indicators', 0, 'kind'] }),
    );
    expect(diagnostics.find((d) => d.path?.[0] === 'deadline')!.message).toContain('+08:00');
  });

  it('reports a task given to an unknown department id', async () => {
    const { diagnostics } = await parseCampaign(edit('    departments: [market]\n  - no: 2', '    departments: [markt]\n  - no: 2', TEXT));
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'campaign/invalid', line: lineOf('    departments: [market]\n  - no: 2'), path: ['tasks', 0, 'departments', 0] })]);
    expect(diagnostics[0]!.message).toContain('markt');
  });

  it('reports an indicator placed under a 关 the campaign does not have', async () => {
    const { diagnostics } = await parseCampaign(edit('    group: 质量抽检\n    category: 质量关', '    group: 质量抽检\n    category: 质量观', TEXT));
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'campaign/invalid', path: ['indicators', 12, 'category'] })]);
    expect(diagnostics[0]!.message).toContain('质量观');
  });

  it('refuses a task placed under a 关 the campaign does not have, at its line, naming it', async () => {
    const { campaign, diagnostics } = await parseCampaign(edit('    category: 准入关', '    category: 准入观', TEXT));
    expect(campaign).toBeUndefined();
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'campaign/invalid', path: ['tasks', 0, 'category'], line: lineOf('    category: 准入关') })]);
    expect(diagnostics[0]!.message).toContain('类别“准入观”不在 categories 中');
  });

  it('reports a rule naming an unknown indicator', async () => {
    const { diagnostics } = await parseCampaign(edit('    left: samples_failed', '    left: samples_faild', TEXT));
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'campaign/invalid', path: ['rules', 0, 'left'] })]);
  });

  it('reports a YAML typing mistake like a submission does', async () => {
    const { diagnostics } = await parseCampaign(edit('issuer: 黄山区市场监督管理局', 'issuer：黄山区市场监督管理局', TEXT));
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'yaml/fullwidth-colon', line: lineOf('issuer:'), column: 7 })]);
  });

  it('reports missing keys at the top', async () => {
    const { diagnostics } = await parseCampaign('title: 某专项行动\n');
    expect(diagnostics).toContainEqual(expect.objectContaining({ code: 'campaign/invalid', path: ['deadline'], line: 1, column: 1 }));
  });

  it('does not pollute prototypes through __proto__', async () => {
    const { campaign } = await parseCampaign('__proto__:\n  polluted: true\nconstructor:\n  prototype:\n    polluted: true\n');
    expect(campaign).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
