/**
 * The package's pure parts: the drafted documents (from another campaign than the bundled
 * one: its own categories and indicators), the chart, names, Chinese numbers, materials.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drawChart } from '../../src/documents/chart.js';
import { documentXml, type Block } from '../../src/documents/docx.js';
import { caseCompilation, summaryDraft } from '../../src/documents/draft.js';
import { planMaterials } from '../../src/documents/materials.js';
import { safeFileName } from '../../src/fs.js';
import { chineseNumber, titleLines } from '../../src/documents/text.js';
import { makeStatus, makeSubmission, testCampaign } from '../fixtures/templates/helpers.js';

const campaign = testCampaign(); // categories 准入关 and 监测关; indicators incl. 开展培训, not 删除违法违规商品信息
const statuses = () => [
  makeStatus(campaign, 'market', 'submitted', makeSubmission('market', { inspectors: 120, cases_filed: 12, fines: 12.35 }, {
    tasks: new Map([[1, '核查网店126家。']]),
    cases: [{ title: '某网店未亮照经营案', task: 1, date: '2024-08-20', summary: '经查……', result: '罚款1万元', fine: 1, exposed: true }],
    summary: '第一段。\n\n第二段。',
  })),
  makeStatus(campaign, 'cyberspace', 'late', makeSubmission('cyberspace', { cases_filed: 2 })),
  makeStatus(campaign, 'culture_tourism', 'missing'),
  makeStatus(campaign, 'police', 'missing'),
  makeStatus(campaign, 'forestry', 'missing'),
  makeStatus(campaign, 'commerce', 'submitted', makeSubmission('commerce', { inspectors: 0 })),
  makeStatus(campaign, 'tax', 'missing'),
];
const totals = { inspectors: 120, cases_filed: 14, fines: 12.35 } as Record<string, number | undefined>;
const texts = (blocks: Block[], kind?: Block['kind']) =>
  blocks.filter((b) => !kind || b.kind === kind).map((b) => ('text' in b ? b.text : 'lines' in b ? b.lines.join('') : ''));

describe('the 总结 draft', () => {
  const blocks = summaryDraft({ campaign, statuses: statuses(), totals, dataDate: '2024-11-15' });

  it('says on its first line that it is a draft of the submissions, with the date of the data', () => {
    expect(blocks[0]).toEqual({ kind: 'note', text: expect.stringMatching(/^（汇总稿）.*根据各单位报送材料自动生成，数据截至2024年11月15日/) });
  });

  it('writes only reported figures, names the departments not in, and never writes 0 for a blank', () => {
    const results = texts(blocks).find((t) => t.startsWith('专项行动期间'))!;
    expect(results).toContain('出动执法人员120人次');
    expect(results).toContain('立案14件');
    expect(results).toContain('罚没款12.35万元');
    expect(results).not.toMatch(/检查网站平台网店\d/); // nobody reported it
    expect(results).toContain('“检查网站平台网店”');
    expect(results).toContain('不含尚未报送的区文化旅游体育局、区公安分局、区林业局、区税务局');
    expect(texts(blocks, 'body')[0]).toContain('区委网信办逾期报送');
  });

  it("has one part per category of this campaign, each task's reports attributed", () => {
    expect(texts(blocks, 'h2').slice(0, 2)).toEqual(['（一）准入关', '（二）监测关']);
    expect(blocks).toContainEqual({ kind: 'body', lead: '区市场监管局：', text: '核查网店126家。' });
  });

  it('gives the cases in brief and each summary as 附件1, 未报送 for the missing', () => {
    expect(texts(blocks).some((t) => t.startsWith('1.某网店未亮照经营案（区市场监管局，2024年8月20日）'))).toBe(true);
    const appendix = blocks.slice(blocks.findIndex((b) => b.kind === 'attachment-head'));
    expect(texts(appendix)).toEqual(expect.arrayContaining(['一、区市场监管局', '第一段。', '第二段。', '三、区文化旅游体育局', '（未报送）']));
    expect(blocks).toContainEqual({ kind: 'signature', issuer: '黄山区市场监督管理局', date: '2024年11月15日' });
  });

  it('compiles every case with its particulars', () => {
    const compiled = caseCompilation({ campaign, statuses: statuses(), dataDate: '2024-11-15', compiler: campaign.issuer });
    expect(texts(compiled, 'h3')).toEqual(['1.某网店未亮照经营案']);
    expect(texts(compiled)).toContain('报送单位：区市场监管局；日期：2024年8月20日；罚没款：1万元；是否曝光：是。');
  });
});

describe('the chart', () => {
  it('shows a missing department and an empty figure in words, a reported 0 as 0', () => {
    const chart = drawChart(campaign, statuses(), totals)!;
    const labels = chart.labels.map((l) => l.text);
    expect(labels).toContain('出动执法人员（人次）');
    expect(labels.filter((t) => t === '未报送').length).toBeGreaterThan(0);
    expect(labels).toContain('未填报'); // 区委网信办 left 出动执法人员 empty
    expect(labels).toContain('0'); // 区商务局 reported 0
  });
});

describe('Word XML', () => {
  it('escapes markup and drops characters XML cannot hold', () => {
    const { xml } = documentXml([{ kind: 'body', text: 'a<b>&c\u0001d' }]);
    expect(xml).toContain('a&lt;b&gt;&amp;cd');
  });
});

describe('names and numbers', () => {
  it('writes Chinese numbers', () => {
    expect([1, 10, 15, 20, 105, 1010, 10010, 100000].map(chineseNumber)).toEqual(['一', '十', '十五', '二十', '一百零五', '一千零一十', '一万零一十', '十万']);
  });

  it('breaks a long title before 专项行动', () => {
    expect(titleLines('黄山区2024网络市场监管促发展保安全专项行动', '工作总结')).toEqual(['黄山区2024网络市场监管促发展保安全', '专项行动工作总结']);
    expect(titleLines('测试专项行动', '工作总结')).toEqual(['测试专项行动工作总结']);
  });

  it('makes names every system accepts', () => {
    expect(safeFileName('区局: "A/B" 报送?')).toBe('区局_ _A_B_ 报送_');
    expect(safeFileName('CON')).toBe('_CON');
    expect(safeFileName('名称. ')).toBe('名称');
  });
});

describe('materials', () => {
  it('applies the path checks of validate and resolves clashes visibly', () => {
    const root = mkdtempSync(join(tmpdir(), 'pack-unit-'));
    const dir = join(root, 'submissions');
    mkdirSync(join(dir, 'a'), { recursive: true });
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'a', '照片.png'), 'a');
    writeFileSync(join(dir, 'b', '照片.png'), 'b');
    writeFileSync(join(root, 'secret.txt'), 'outside');
    symlinkSync(join(root, 'secret.txt'), join(dir, 'link.txt'));
    const submission = makeSubmission('market', {}, { materials: ['a/照片.png', 'b/照片.png', 'a/照片.png', '../secret.txt', 'link.txt', '/etc/passwd', 'gone.png'] });
    const plan = planMaterials([makeStatus(campaign, 'market', 'submitted', submission)], () => join(dir, '区市场监管局.yaml'));
    expect(plan.copies.map((c) => [c.to, c.renamed])).toEqual([
      ['图片视频资料/区市场监管局/照片.png', false],
      ['图片视频资料/区市场监管局/照片（2）.png', true],
    ]);
    expect(plan.problems.map((p) => [p.written, p.reason])).toEqual([
      ['../secret.txt', 'material/outside'],
      ['link.txt', 'material/outside'],
      ['/etc/passwd', 'material/absolute'],
      ['gone.png', 'material/missing'],
    ]);
    expect(plan.totalBytes).toBe(2);
  });

  it('leaves out a material over the limit, saying how big it is', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pack-unit-'));
    writeFileSync(join(dir, '录像.mp4'), 'x'.repeat(11));
    const plan = planMaterials([makeStatus(campaign, 'market', 'submitted', makeSubmission('market', {}, { materials: ['录像.mp4'] }))], () => join(dir, 'x.yaml'), 10);
    expect(plan.copies).toEqual([]);
    expect(plan.problems).toEqual([{ department: '区市场监管局', written: '录像.mp4', reason: 'pack/too-large', size: 11 }]);
  });
});
