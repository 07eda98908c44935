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
import { caseCompilation, figureSentences, prompt, promptsOf, summaryDraft } from '../../src/documents/draft.js';
import { MATERIAL_LIMIT, planMaterials } from '../../src/documents/materials.js';
import { safeFileName } from '../../src/fs.js';
import { chineseNumber, titleLines } from '../../src/documents/text.js';
import { makeStatus, makeSubmission, testCampaign } from '../fixtures/templates/helpers.js';
import { xmlParagraphs } from '../helpers/docx.js';

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
  const attachments = blocks.findIndex((b) => b.kind === 'attachment-head');
  const main = blocks.slice(0, attachments);
  const mainText = texts(main).join('');

  it('is structured as 总结 are written, the task-by-task listing in 附件1 and the summaries in 附件2', () => {
    expect(texts(main, 'h1')).toEqual(['一、基本情况和工作部署', '二、主要做法和成效', '三、典型案例', '四、存在问题', '五、下一步工作打算']);
    expect(texts(main, 'h2')).toEqual(['（一）准入关', '（二）监测关']);
    expect(main).toContainEqual({ kind: 'attachments', items: ['重点任务落实情况', '各单位专项行动总结'] });
    const heads = blocks.flatMap((b, i) => (b.kind === 'attachment-head' ? [[b.text, texts([blocks[i + 2]!])[0]]] : []));
    expect(heads).toEqual([['附件1', '重点任务落实情况'], ['附件2', '各单位专项行动总结']]);
    const appendix1 = blocks.slice(attachments, blocks.findLastIndex((b) => b.kind === 'attachment-head'));
    expect(appendix1).toContainEqual({ kind: 'body', lead: '区市场监管局：', text: '核查网店126家。' });
    expect(texts(appendix1, 'h3')).toEqual(['1.严把网络经营主体登记关', '2.开展网络交易监测', '3.加强宣传引导']);
    // One blank line above the 署名 (no seal), under the 附件说明.
    const sig = blocks.findIndex((b) => b.kind === 'signature');
    expect(blocks.slice(sig - 2, sig + 1).map((b) => b.kind)).toEqual(['attachments', 'blank', 'signature']);
    expect(blocks[sig]).toEqual({ kind: 'signature', issuer: '黄山区市场监督管理局', date: '2024年11月15日' });
    expect(texts(blocks.slice(blocks.findLastIndex((b) => b.kind === 'attachment-head')))).toEqual(expect.arrayContaining(['一、区市场监管局', '第一段。', '第二段。', '三、区文化旅游体育局', '（未报送）']));
  });

  it('writes a paragraph with a lead phrase whole in Word: the lead in its own style, then the rest of its text', () => {
    // 附件1: each department's report on a task after its name (黑体).
    const xml = documentXml(blocks).xml;
    const paragraph = xmlParagraphs(xml).find((p) => p.text.startsWith('区市场监管局：'));
    expect(paragraph).toEqual({ style: 'GwBody', text: '区市场监管局：核查网店126家。', highlighted: '' });
    expect(xml).toContain('<w:r><w:rPr><w:rStyle w:val="GwLead"/></w:rPr><w:t xml:space="preserve">区市场监管局：</w:t></w:r><w:r><w:t xml:space="preserve">核查网店126家。</w:t></w:r>');
  });

  it('opens with the campaign and names the late and the missing departments', () => {
    const opening = texts(main, 'body')[0]!;
    expect(opening).toContain('区委网信办逾期报送');
    // 区市场监管局 and 区商务局 on time, 区委网信办 late: three reported, the late one counted with them.
    expect(opening).toContain('截至2024年11月15日，共3个单位报送了工作情况（其中区委网信办逾期报送），');
    expect(opening).toContain('区文化旅游体育局、区公安分局、区林业局、区税务局尚未报送，以下情况和数据不含上述单位');
  });

  it('writes only reported figures, never 0 for a blank, and each department\'s share of the main figures', () => {
    const results = texts(main).find((t) => t.startsWith('专项行动期间'))!;
    expect(results).toBe('专项行动期间，全区共出动执法人员120人次；立案14件、罚没款12.35万元。');
    expect(mainText).not.toMatch(/检查网站平台网店\d/); // nobody reported it
    expect(texts(main)).toContain('从各单位看，区市场监管局立案12件，占全区85.7%；区委网信办2件，占14.3%。');
  });

  it("says which tasks have a responsible unit that did not report on them", () => {
    expect(texts(main)).toContain(
      '3项重点任务中，1项已由各责任单位报送落实情况；第2项（开展网络交易监测）区市场监管局、区委网信办未报送该项落实情况；第3项（加强宣传引导）尚无单位报送落实情况。',
    );
    const gone = summaryDraft({ campaign, statuses: statuses().map((s) => (s.id === 'market' ? makeStatus(campaign, 'market', 'missing') : s)), totals, dataDate: '2024-11-15' });
    expect(texts(gone).join('')).toContain('第1项（严把网络经营主体登记关）责任单位区市场监管局未报送材料');
  });

  it('marks every passage only a person can write as a prompt, lists them in the note, and says nothing to the clerk in the text', () => {
    const prompts = promptsOf(main);
    expect(prompts).toHaveLength(4);
    expect(prompts.every((p) => /^【待补充：.+】$/.test(p))).toBe(true);
    const at = (h: string) => texts(main)[texts(main).indexOf(h) + 1]!;
    expect(at('一、基本情况和工作部署')).toMatch(/^【待补充：组织领导和工作部署/);
    expect(at('四、存在问题')).toMatch(/^【待补充：/);
    expect(at('五、下一步工作打算')).toMatch(/^【待补充：/);
    expect(blocks[0]).toEqual({ kind: 'note', text: expect.stringMatching(/^（汇总稿）.*数据截至2024年11月15日。文中黄色标出的4处须由人工填写：1\.组织领导/) });
    expect(texts([blocks[0]!])[0]).toContain('“检查网站平台网店”、“结案”、“移送司法机关”、“开展培训”各单位均未填报，文中未写');
    const body = texts(main.slice(1)).join('');
    for (const clerk of ['本稿', '以上为', '不计入', '未填写', '请']) expect(body).not.toContain(clerk);
    // In Word: the prompt's run is highlighted, the text around it is not.
    const { xml } = documentXml([{ kind: 'body', text: `前文${prompt('存在问题')}后文` }]);
    expect(xml).toContain('<w:r><w:t xml:space="preserve">前文</w:t></w:r><w:r><w:rPr><w:highlight w:val="yellow"/></w:rPr><w:t xml:space="preserve">【待补充：存在问题】</w:t></w:r>');
  });

  it('says 曝光 once: the exposure figure, and the cases sent with how many were exposed', () => {
    expect(texts(main).filter((t) => t.includes('曝光'))).toEqual(['各单位随本次总结报送典型案例1件，其中已曝光1件，罚没款共计1万元，简要情况如下（全文见《典型案例汇编》）：']);
    expect(texts(main)).toContain('1.某网店未亮照经营案（区市场监管局，2024年8月20日）。罚款1万元。');
  });

  it('tells figures of another nature apart where the campaign says so', () => {
    const police = makeStatus(campaign, 'police', 'submitted', makeSubmission('police', { cases_filed: 5 }));
    const withNature = {
      ...campaign,
      indicators: campaign.indicators.map((i) => (i.id === 'cases_filed' ? { ...i, nature: [{ kind: '刑事', label: '公安机关', departments: ['police'] }] } : i)),
    };
    const list = statuses().map((s) => (s.id === 'police' ? police : s));
    expect(figureSentences(withNature, list, { cases_filed: 19 })).toBe('专项行动期间，全区共立案19件（其中公安机关立案5件）。');
    expect(figureSentences(withNature, statuses(), { cases_filed: 14 })).toBe('专项行动期间，全区共立案14件。'); // the police did not report: no 其中 at all
  });

  it('says a figure under the 关 it belongs to (an indicator with a category), not among the overall figures', () => {
    const byCategory = { ...campaign, indicators: campaign.indicators.map((i) => (i.id === 'inspectors' ? { ...i, category: '准入关' } : i)) };
    const draft = texts(summaryDraft({ campaign: byCategory, statuses: statuses(), totals, dataDate: '2024-11-15' }));
    const overall = draft.find((t) => t.startsWith('专项行动期间，全区共'))!;
    expect(overall).toContain('立案14件');
    expect(overall).not.toContain('出动执法人员');
    const heading = draft.findIndex((t) => t === '（一）准入关');
    expect(draft[heading + 1]).toBe('准入关方面，全区共出动执法人员120人次。');
    expect(figureSentences(byCategory, statuses(), totals, '监测关')).toBeUndefined();
  });

  it('compiles cases as cases: numbered through, name with unit and date, 基本案情, 查处情况 with the legal basis, 典型意义, only what was given', () => {
    const more = makeStatus(campaign, 'cyberspace', 'late', makeSubmission('cyberspace', { cases_filed: 2 }, {
      cases: [
        { title: '某账号虚假宣传案', task: 2, date: '2024-09-01', summary: '巡查发现某账号发布虚假信息', exposed: false },
        { title: '某平台未履行审核义务案', task: 1, date: '2024-10-01', summary: '经查，某平台未核验入驻商户资质。', legalBasis: '违反《中华人民共和国电子商务法》第二十七条，依据第八十条', result: '罚款2万元', fine: 2, exposed: true, significance: '压实平台主体责任' },
      ],
    }));
    const list = statuses().map((s) => (s.id === 'cyberspace' ? more : s));
    const compiled = caseCompilation({ campaign, statuses: list, dataDate: '2024-11-15', compiler: campaign.issuer, mark: '附件3' });
    expect(compiled[0]).toEqual({ kind: 'attachment-head', text: '附件3' });
    expect(texts(compiled, 'h1')).toEqual(['一、准入关', '二、监测关']);
    expect(texts(compiled, 'h2')).toEqual([
      '案例一　某网店未亮照经营案（区市场监管局，2024年8月20日）',
      '案例二　某平台未履行审核义务案（区委网信办，2024年10月1日）',
      '案例三　某账号虚假宣传案（区委网信办，2024年9月1日）',
    ]);
    expect(compiled).toContainEqual({ kind: 'body', lead: '查处情况：', text: '违反《中华人民共和国电子商务法》第二十七条，依据第八十条。罚款2万元。该案已公开曝光。' });
    expect(compiled).toContainEqual({ kind: 'body', lead: '典型意义：', text: '压实平台主体责任。' });
    expect(compiled).toContainEqual({ kind: 'body', lead: '基本案情：', text: '巡查发现某账号发布虚假信息。' }); // the stop added
    // 案例三 has nothing but its facts: no 查处情况, no 未填写, no 否.
    const third = compiled.slice(compiled.findIndex((b) => texts([b])[0]!.startsWith('案例三')));
    expect(third.map((b) => ('lead' in b ? b.lead : b.kind))).toEqual(['h2', '基本案情：']);
    expect(texts(compiled).join('')).not.toMatch(/未填写|是否曝光|：否/);
  });

  it('lays the 落款 out with one blank line above and no seal by default, or for a seal (date four characters in, 署名 centred over it)', () => {
    const plain = documentXml([{ kind: 'signature', issuer: '黄山市公安局黄山分局', date: '2024年11月10日' }]).xml;
    const sealed = documentXml([{ kind: 'signature', issuer: '黄山市公安局黄山分局', date: '2024年11月10日', seal: true }]).xml;
    const rights = (xml: string) => [...xml.matchAll(/<w:ind w:right="(\d+)"\/>/g)].map((m) => Math.round((Number(m[1]) / 315) * 2) / 2);
    expect(rights(plain)).toEqual([2, 3]); // 署名 two characters in, the date two characters right of its start
    expect(rights(sealed)).toEqual([2.5, 4]); // date 4 in; 10-character 署名 over the 7-character date
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

  it('renames a material whose name differs from another\'s only in letter case (a.JPG and A.jpg are one file on Windows)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pack-unit-'));
    writeFileSync(join(dir, 'a.JPG'), 'first');
    writeFileSync(join(dir, 'A.jpg'), 'second');
    const plan = planMaterials([makeStatus(campaign, 'market', 'submitted', makeSubmission('market', {}, { materials: ['a.JPG', 'A.jpg'] }))], () => join(dir, 'x.yaml'));
    expect(plan.copies.map((c) => [c.written, c.to, c.renamed])).toEqual([
      ['a.JPG', '图片视频资料/区市场监管局/a.JPG', false],
      ['A.jpg', '图片视频资料/区市场监管局/A（2）.jpg', true],
    ]);
  });

  it('takes in a material of exactly the limit and leaves out one a byte over it (the limit pack uses, MATERIAL_LIMIT, by default)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pack-unit-'));
    writeFileSync(join(dir, '刚好.mp4'), 'x'.repeat(10));
    writeFileSync(join(dir, '多一字节.mp4'), 'x'.repeat(11));
    const plan = planMaterials([makeStatus(campaign, 'market', 'submitted', makeSubmission('market', {}, { materials: ['刚好.mp4', '多一字节.mp4'] }))], () => join(dir, 'x.yaml'), 10);
    expect(plan.copies.map((c) => [c.to, c.size])).toEqual([['图片视频资料/区市场监管局/刚好.mp4', 10]]);
    expect(plan.problems).toEqual([{ department: '区市场监管局', written: '多一字节.mp4', reason: 'pack/too-large', size: 11 }]);
    expect(MATERIAL_LIMIT).toBe(2 * 1024 ** 3);
  });

  it('takes in a lower level\'s packaged material of exactly the limit and leaves out one a byte over it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pack-unit-'));
    const pictures = join(dir, '区市场监管局-报送材料', '图片视频资料', '现场');
    mkdirSync(pictures, { recursive: true });
    writeFileSync(join(dir, '区市场监管局-报送材料', '报送清单.txt'), '清单');
    writeFileSync(join(pictures, '刚好.mp4'), 'x'.repeat(10));
    writeFileSync(join(pictures, '多一字节.mp4'), 'x'.repeat(11));
    const lower = makeStatus(campaign, 'market', 'submitted', makeSubmission('market', {}, { rollup: { tasks: [], summaries: [], gaps: [] } }));
    const plan = planMaterials([lower], () => join(dir, '区市场监管局.xlsx'), 10);
    expect(plan.copies.map((c) => [c.to, c.size])).toEqual([['图片视频资料/区市场监管局/现场/刚好.mp4', 10]]);
    expect(plan.problems).toEqual([{ department: '区市场监管局', written: '区市场监管局-报送材料/图片视频资料/现场/多一字节.mp4', reason: 'pack/too-large', size: 11 }]);
  });

  it('leaves out a material over the limit, saying how big it is', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pack-unit-'));
    writeFileSync(join(dir, '录像.mp4'), 'x'.repeat(11));
    const plan = planMaterials([makeStatus(campaign, 'market', 'submitted', makeSubmission('market', {}, { materials: ['录像.mp4'] }))], () => join(dir, 'x.yaml'), 10);
    expect(plan.copies).toEqual([]);
    expect(plan.problems).toEqual([{ department: '区市场监管局', written: '录像.mp4', reason: 'pack/too-large', size: 11 }]);
  });
});
