/**
 * The documents' contents, drafted from the data (pure: blocks out, no I/O):
 * - the district's 专项行动总结（汇总稿）: opening, 主要成效 from the totals (figures only
 *   where reported, the departments not in named), one section per category with each
 *   task's reported progress by department, the cases in brief, each department's own
 *   summary as 附件1;
 * - a department's own 专项行动总结: its summary as a 公文;
 * - the 典型案例汇编: every case by category and task.
 * Everything comes from the campaign and the submissions: another year's campaign file
 * gives its own categories, tasks and indicators.
 */
import type { Campaign, Department } from '../campaign/schema.js';
import { officialName } from '../campaign/lookup.js';
import { submissionOf, type Case, type DepartmentStatus } from '../model.js';
import type { Block } from './docx.js';
import { chineseDate, periodToData } from '../text/labels.js';
import { chineseNumber, figure, jurisdiction, nameList, titleLines } from './text.js';
import { gapSentence } from './gaps.js';
import type { Comparison } from '../history/compare.js';
import { comparisonSentences } from './comparison.js';
import { mainIndicators } from './chart.js';

/** What the documents are drafted from. */
export interface DraftInput {
  campaign: Campaign;
  /** Every department of the package, in campaign order. */
  statuses: readonly DepartmentStatus[];
  /** Indicator id → the merged total (undefined when nobody reported it), as in the workbook. */
  totals: Record<string, number | undefined>;
  /** YYYY-MM-DD: the date of the data (--as-of, else the latest submission). */
  dataDate: string;
  /** The 附件 mark at the top when the draft is an attachment of the cover report (附件1). */
  mark?: string;
  /** Lay the 落款 out for a seal (GB/T 9704 7.3.5.1). */
  seal?: boolean;
  /** 同比 against an earlier round, when one is given. */
  comparison?: Comparison;
  /** The bar chart of the main indicators, when one could be drawn. */
  chart?: { png: Uint8Array; width: number; height: number };
}

/** A text as paragraphs: one per line, blank lines dropped. */
const paragraphs = (text: string) => text.split(/\r\n|\r|\n/).map((l) => l.trim()).filter(Boolean);

/** Case lists shown in brief in the draft, by category and task order. */
function casesByCategory(campaign: Campaign, statuses: readonly DepartmentStatus[]): Map<string, { c: Case; dept: string }[]> {
  const order = new Map(campaign.tasks.map((t, i) => [t.no, i]));
  const category = new Map(campaign.tasks.map((t) => [t.no, t.category]));
  const byCategory = new Map<string, { c: Case; dept: string }[]>(campaign.categories.map((c) => [c, []]));
  for (const s of statuses)
    // A lower level's case keeps the unit that reported it there: 黄山区（区文旅体局）.
    for (const c of submissionOf(s)?.cases ?? []) byCategory.get(category.get(c.task) ?? '')?.push({ c, dept: c.unit ? `${s.name}（${c.unit}）` : s.name });
  for (const list of byCategory.values()) list.sort((a, b) => (order.get(a.c.task) ?? 0) - (order.get(b.c.task) ?? 0));
  return byCategory;
}

/** A passage only a person can write: highlighted in the document, listed in the draft's note, counted by pack. */
export const prompt = (what: string) => `【待补充：${what}】`;
/** Every 【待补充：…】 in a text. */
export const PROMPT = /【待补充：[^】]*】/g;

/** The prompts of a document, in order. */
export function promptsOf(blocks: readonly Block[]): string[] {
  const out: string[] = [];
  for (const b of blocks) {
    const texts = 'text' in b ? [b.text, ...('lead' in b && b.lead ? [b.lead] : [])] : 'items' in b ? b.items : 'lines' in b ? b.lines : 'issuer' in b ? [b.issuer] : [];
    for (const t of texts) out.push(...(t.match(PROMPT) ?? []));
  }
  return out;
}

/** A share as a 公文 writes it: 73.8%. */
const percent = (part: number, whole: number) => `${(Math.round((part / whole) * 1000) / 10).toFixed(1)}%`;

/** The first sentence of a text (up to and without its first 。；), for a line of 一是……. */
function firstSentence(text: string): string {
  const m = /^[^。；;！!？?]*/.exec(text.trim())!;
  return m[0].replace(/[，,、\s]+$/u, '');
}

/** A department's figure of an indicator, when it reported one. */
const figureOf = (s: DepartmentStatus, id: string) => submissionOf(s)?.statistics.get(id);

/**
 * The figures as sentences, one clause a column group: 共出动执法人员2026人次、检查网站平台网店3075个次；
 * 立案65件（其中公安机关立案14件）…… Only figures that were reported; 曝光 is said with the cases.
 * Built in one place: a clause about last year can be appended to each figure here.
 */
export function figureSentences(campaign: Campaign, statuses: readonly DepartmentStatus[], totals: Record<string, number | undefined>, category?: string): string | undefined {
  const groups = new Map<string, string[]>();
  for (const i of campaign.indicators) {
    const total = totals[i.id];
    // Figures of one 关 are said under it (category given); the rest among the overall figures.
    if (total === undefined || isExposure(i.label) || i.category !== category) continue;
    let clause = `${i.label}${/[A-Za-z]$/.test(i.label) ? ' ' : ''}${figure(total)}${i.unit}`;
    for (const n of i.nature ?? []) {
      const parts = statuses.filter((s) => n.departments.includes(s.id)).map((s) => figureOf(s, i.id)).filter((v): v is number => v !== undefined);
      if (parts.length) clause += `（其中${n.label}${i.label}${figure(parts.reduce((a, b) => a + b, 0))}${i.unit}）`;
    }
    groups.set(i.group, [...(groups.get(i.group) ?? []), clause]);
  }
  if (groups.size === 0) return undefined;
  const said = [...groups.values()].map((g) => g.join('、')).join('；');
  return category === undefined ? `专项行动期间，${jurisdiction(campaign.issuer)}共${said}。` : `${category}方面，${jurisdiction(campaign.issuer)}共${said}。`;
}

/** 曝光典型案例 and the like: said once, with the cases. */
const isExposure = (label: string) => label.includes('曝光');

/** Each department's share of the main figures: 区市场监管局立案48件，占全区73.8%. */
function shareSentence(campaign: Campaign, statuses: readonly DepartmentStatus[], totals: Record<string, number | undefined>): string | undefined {
  const whole = jurisdiction(campaign.issuer);
  const parts: string[] = [];
  for (const i of mainIndicators(campaign, totals)) {
    const total = totals[i.id]!;
    if (!(total > 0) || isExposure(i.label)) continue;
    const by = statuses
      .map((s) => ({ s, v: figureOf(s, i.id) }))
      .filter((x): x is { s: DepartmentStatus; v: number } => x.v !== undefined && x.v > 0)
      .sort((a, b) => b.v - a.v)
      .slice(0, 3);
    if (by.length < 2) continue; // one department alone has the whole figure: nothing to compare
    parts.push(`${by.map(({ s, v }, k) => `${s.name}${k === 0 ? i.label : ''}${figure(v)}${i.unit}，占${k === 0 ? whole : ''}${percent(v, total)}`).join('；')}。`);
  }
  return parts.length ? `从各单位看，${parts.join('')}` : undefined;
}

/** Which tasks every responsible unit reported on, and which not (a unit that did not report, or left the task empty). */
function coverageSentence(campaign: Campaign, statuses: readonly DepartmentStatus[]): string {
  const byId = new Map(statuses.map((s) => [s.id, s]));
  const gaps: string[] = [];
  let covered = 0;
  for (const task of campaign.tasks) {
    // 各有关单位: covered once anyone reported on it.
    if (task.departments === 'all') {
      if (statuses.some((s) => submissionOf(s)?.tasks.get(task.no))) covered++;
      else gaps.push(`第${task.no}项（${task.title}）尚无单位报送落实情况`);
      continue;
    }
    const notSent = task.departments.filter((id) => !submissionOf(byId.get(id))).map((id) => byId.get(id)?.name ?? id);
    const silent = task.departments.filter((id) => submissionOf(byId.get(id)) && !submissionOf(byId.get(id))?.tasks.get(task.no)).map((id) => byId.get(id)!.name);
    if (notSent.length === 0 && silent.length === 0) {
      covered++;
      continue;
    }
    const why = [notSent.length ? `责任单位${notSent.join('、')}未报送材料` : '', silent.length ? `${silent.join('、')}未报送该项落实情况` : ''].filter(Boolean);
    gaps.push(`第${task.no}项（${task.title}）${why.join('，')}`);
  }
  const n = campaign.tasks.length;
  if (gaps.length === 0) return `${n}项重点任务均已由各责任单位报送落实情况。`;
  const shown = gaps.length > 10 ? [...gaps.slice(0, 10), `另有${gaps.length - 10}项任务情况类似`] : gaps;
  return `${n}项重点任务中，${covered}项已由各责任单位报送落实情况；${shown.join('；')}。`;
}

/** A sentence ends with a full stop: 。 added unless it ends in one (or ？！). */
export const sentence = (text: string) => {
  const t = text.trim().replace(/[，,；;、\s]+$/u, '');
  return /[。？！?!…]$/u.test(t) || /[。？！][”」』]$/u.test(t) ? t : `${t}。`;
};

/** The district's 总结 draft: structured as 总结 are written; figures from the data; what only a person can write is a highlighted prompt. */
export function summaryDraft(input: DraftInput): Block[] {
  const { campaign, statuses, totals, dataDate } = input;
  const inDepts = statuses.filter((s) => submissionOf(s));
  const date = chineseDate(dataDate);
  const body = draftBody(input, inDepts, date);
  const attachments = ['重点任务落实情况', '各单位专项行动总结'];
  return [
    ...(input.mark ? [{ kind: 'attachment-head', text: input.mark } as Block] : []),
    { kind: 'note', text: draftNote(campaign, totals, body, date) },
    { kind: 'blank' },
    { kind: 'title', lines: titleLines(campaign.title, '工作总结') },
    { kind: 'blank' },
    ...body,
    { kind: 'blank' },
    { kind: 'attachments', items: attachments },
    { kind: 'blank' },
    { kind: 'signature', issuer: campaign.issuer, date, ...(input.seal && { seal: true }) },
    // 附件1: the task-by-task listing, by category; 附件2: each department's own summary.
    ...attachmentHead('附件1', attachments[0]!),
    ...taskListing(campaign, inDepts),
    ...attachmentHead('附件2', attachments[1]!),
    ...ownSummaries(statuses),
  ];
}

/** The draft's body as it is written: paragraphs, and 一、二、 section headings numbered in order. */
class DraftBody {
  readonly blocks: Block[] = [];
  private section = 0;
  /** A body paragraph. */
  text(t: string): void {
    this.blocks.push({ kind: 'body', text: t });
  }
  /** The next section heading. */
  h1(t: string): void {
    this.blocks.push({ kind: 'h1', text: `${chineseNumber(++this.section)}、${t}` });
  }
}

/** The body: the opening, then 基本情况, 主要做法和成效 (by category), 典型案例, 存在问题, 下一步工作打算. */
function draftBody(input: DraftInput, inDepts: readonly DepartmentStatus[], date: string): Block[] {
  const b = new DraftBody();
  b.text(`${openingParagraph(input, inDepts.length, date)}现将专项行动工作情况总结如下：`);
  b.h1('基本情况和工作部署');
  b.text(prompt('组织领导和工作部署情况，如成立专项行动领导小组、召开动员部署会、印发实施方案、明确责任分工、开展联合执法等'));
  b.h1('主要做法和成效');
  resultsSection(b, input);
  categorySections(b, input, inDepts);
  b.h1('典型案例');
  casesSection(b, input);
  b.h1('存在问题');
  b.text(prompt('专项行动中存在的问题和不足，如部门协同、线索移送、基层执法力量、新业态监管等方面'));
  b.h1('下一步工作打算');
  b.text(prompt('下一步工作打算，如巩固行动成果、建立长效机制、加强部门协作等'));
  return b.blocks;
}

/** Opening: campaign, period, departments taking part, who reported and who did not. */
function openingParagraph({ campaign, statuses, dataDate }: DraftInput, reporting: number, date: string): string {
  const late = statuses.filter((s) => s.state === 'late');
  const missing = statuses.filter((s) => !submissionOf(s));
  const categories = campaign.categories;
  let opening =
    `按照《${campaign.title}方案》部署，${periodToData(campaign.period, dataDate)}，` +
    `${nameList(statuses.map((s) => s.name))}${statuses.length <= 12 ? `等${chineseNumber(statuses.length)}个单位` : ''}联合开展${campaign.title}，` +
    `围绕${categories.join('、')}${categories.length > 1 ? `${chineseNumber(categories.length)}个方面` : ''}${campaign.tasks.length}项重点任务推进各项工作。`;
  opening += `截至${date}，共${reporting}个单位报送了工作情况`;
  if (late.length) opening += `（其中${nameList(late.map((s) => s.name))}逾期报送）`;
  opening += missing.length ? `，${nameList(missing.map((s) => s.name))}尚未报送，以下情况和数据不含${missing.length > 1 ? '上述单位' : '该单位'}。` : '。';
  return opening + gapSentence(campaign, statuses);
}

/** 主要做法和成效's overall part: the figures, the shares, 同比, the chart, the coverage of tasks. */
function resultsSection(b: DraftBody, input: DraftInput): void {
  const { campaign, statuses, totals } = input;
  const figures = figureSentences(campaign, statuses, totals);
  if (figures) b.text(figures);
  else if (campaign.indicators.every((i) => totals[i.id] === undefined)) b.text(prompt('主要工作成效（各单位尚未填报统计数据）'));
  const shares = shareSentence(campaign, statuses, totals);
  if (shares) b.text(shares);
  if (input.comparison) b.text(comparisonSentences(input.comparison));
  if (input.chart) {
    b.blocks.push({ kind: 'image', png: input.chart.png, width: input.chart.width, height: input.chart.height, widthMm: 150, alt: '主要指标分单位情况' });
    b.blocks.push({ kind: 'caption', text: '图1　主要指标分单位情况' });
  }
  b.text(coverageSentence(campaign, statuses));
  b.text(prompt('主要做法的亮点和经验（可据下列各方面情况提炼，删改自动摘录的文字）'));
}

/** By category, "一是……二是……": each task reported on, with the first sentence of each department's report. */
function categorySections(b: DraftBody, { campaign, statuses, totals }: DraftInput, inDepts: readonly DepartmentStatus[]): void {
  campaign.categories.forEach((category, ci) => {
    const lines = campaign.tasks
      .filter((t) => t.category === category)
      .flatMap((task) => {
        const said = inDepts.flatMap((s) => {
          const report = submissionOf(s)?.tasks.get(task.no);
          const first = report && firstSentence(report);
          return first ? [`${s.name}${first}`] : [];
        });
        return said.length ? [`${task.title}。${said.join('；')}`] : [];
      });
    b.blocks.push({ kind: 'h2', text: `（${chineseNumber(ci + 1)}）${category}` });
    const figures = figureSentences(campaign, statuses, totals, category);
    if (figures) b.text(figures);
    if (lines.length === 0) b.text(`${category}各项任务的责任单位尚未报送落实情况。`);
    else lines.forEach((l, i) => b.text(sentence(`${chineseNumber(i + 1)}是${l}`)));
  });
}

/** 典型案例: the exposure sentence, then each case in one line. */
function casesSection(b: DraftBody, { campaign, statuses, totals }: DraftInput): void {
  const byCategory = casesByCategory(campaign, statuses);
  const all = [...byCategory.values()].flat();
  b.text(exposureSentence(campaign, totals, all.map((x) => x.c)));
  all.forEach(({ c, dept }, i) => {
    const tail = [c.result].filter(Boolean).map((r) => sentence(r!)).join('');
    b.text(`${i + 1}.${c.title}（${dept}，${chineseDate(c.date.slice(0, 10))}）。${tail}`);
  });
}

/** The 汇总稿 note at the top: where the draft comes from, each prompt to fill, the indicators nobody reported. */
function draftNote(campaign: Campaign, totals: Record<string, number | undefined>, body: readonly Block[], date: string): string {
  const prompts = promptsOf(body);
  const unreported = campaign.indicators.filter((i) => totals[i.id] === undefined);
  return (
    `（汇总稿）本稿由报送统计工具根据各单位报送材料生成，数据截至${date}。文中黄色标出的${prompts.length}处须由人工填写：` +
    prompts.map((p, i) => `${i + 1}.${p.slice(5, -1)}`).join('；') +
    `。` +
    (unreported.length ? `${unreported.map((i) => `“${i.label}”`).join('、')}各单位均未填报，文中未写。` : '') +
    `核实修改后删除本段。`
  );
}

/** An attachment's mark and title. */
function attachmentHead(mark: string, title: string): Block[] {
  return [{ kind: 'attachment-head', text: mark }, { kind: 'blank' }, { kind: 'title', lines: [title] }, { kind: 'blank' }];
}

/** 附件1: every task by category, each department's report on it in full (or who has yet to report). */
function taskListing(campaign: Campaign, inDepts: readonly DepartmentStatus[]): Block[] {
  const blocks: Block[] = [];
  const names = new Map(campaign.departments.map((d) => [d.id, d.name]));
  campaign.categories.forEach((category, ci) => {
    const tasks = campaign.tasks.filter((t) => t.category === category);
    if (tasks.length === 0) return;
    blocks.push({ kind: 'h1', text: `${chineseNumber(ci + 1)}、${category}` });
    for (const task of tasks) {
      const reports = inDepts.flatMap((s) => {
        const report = submissionOf(s)?.tasks.get(task.no);
        return report ? [{ name: s.name, text: report }] : [];
      });
      const lines: Block[] = reports.map((r) => ({ kind: 'body', lead: `${r.name}：`, text: r.text }));
      if (reports.length === 0) {
        const responsible = task.departments === 'all' ? '各有关单位' : task.departments.map((id) => names.get(id) ?? id).join('、');
        lines.push({ kind: 'body', text: `尚无单位报送落实情况（责任单位：${responsible}）。` });
      }
      // A task's block stays on one page when it can: its heading and every report but the last keep with the next.
      blocks.push({ kind: 'h3', text: `${task.no}.${task.title}` }, ...lines.map((l, i): Block => (i < lines.length - 1 && l.kind === 'body' ? { ...l, keep: true } : l)));
    }
  });
  return blocks;
}

/** 附件2: each department's own summary, or that it wrote none or did not report. */
function ownSummaries(statuses: readonly DepartmentStatus[]): Block[] {
  const blocks: Block[] = [];
  statuses.forEach((s, i) => {
    blocks.push({ kind: 'h1', text: `${chineseNumber(i + 1)}、${s.name}` });
    const submission = submissionOf(s);
    const own = submission ? (submission.summary ? paragraphs(submission.summary) : ['（未填写专项行动总结）']) : ['（未报送）'];
    for (const p of own) blocks.push({ kind: 'body', text: p });
  });
  return blocks;
}

/**
 * The one statement about 曝光: the campaign's exposure figure from the table, and the cases
 * sent with how many of them were exposed — the cases are a selection, said as such.
 */
function exposureSentence(campaign: Campaign, totals: Record<string, number | undefined>, cases: readonly Case[]): string {
  const exposure = campaign.indicators.find((i) => isExposure(i.label) && totals[i.id] !== undefined);
  const whole = jurisdiction(campaign.issuer);
  const head = exposure ? `专项行动期间，${whole}${exposure.label}${figure(totals[exposure.id]!)}${exposure.unit}。` : '';
  if (cases.length === 0) return `${head}各单位尚未报送典型案例。`;
  const exposed = cases.filter((c) => c.exposed).length;
  const fined = cases.filter((c) => c.fine !== undefined);
  const fines = Math.round(fined.reduce((sum, c) => sum + c.fine! * 10000, 0)) / 10000;
  const fineText = fined.length === 0 ? '' : fined.length === cases.length ? `，罚没款共计${figure(fines)}万元` : `，${fined.length}件涉及罚没款共计${figure(fines)}万元`;
  return `${head}各单位随本次总结报送典型案例${cases.length}件${exposed ? `，其中已曝光${exposed}件` : ''}${fineText}，简要情况如下（全文见《典型案例汇编》）：`;
}

/** A department's own 总结: its summary as written, signed with the department's official name. */
export function ownSummary(campaign: Campaign, department: Department, status: DepartmentStatus, dataDate: string, mark?: string, seal?: boolean): Block[] {
  const submission = submissionOf(status);
  const text = submission?.summary ? paragraphs(submission.summary) : [prompt('本单位专项行动工作总结')];
  const day = submission?.submittedAt?.slice(0, 10) ?? dataDate;
  return [
    ...(mark ? [{ kind: 'attachment-head', text: mark } as Block, { kind: 'blank' } as Block] : []),
    { kind: 'title', lines: titleLines(campaign.title, '工作总结') },
    { kind: 'blank' },
    ...text.map((p): Block => ({ kind: 'body', text: p })),
    { kind: 'blank' },
    { kind: 'signature', issuer: officialName(department), date: chineseDate(day), ...(seal && { seal: true }) },
  ];
}

/** 案例一, 案例二 … */
export const caseNumber = (n: number) => `案例${chineseNumber(n)}`;

/**
 * The 典型案例汇编: every case by category, numbered through (案例一……), each written as a case:
 * its name with the unit and date, 基本案情, 查处情况 (legal basis, result, 罚没款, 曝光), 典型意义 —
 * only what was given; every sentence ends with 。. `mark` is the 附件 mark at the top.
 */
export function caseCompilation(input: Pick<DraftInput, 'campaign' | 'statuses' | 'dataDate'> & { compiler: string; mark?: string }): Block[] {
  const { campaign, statuses } = input;
  const blocks: Block[] = [
    ...(input.mark ? [{ kind: 'attachment-head', text: input.mark } as Block, { kind: 'blank' } as Block] : []),
    { kind: 'title', lines: titleLines(campaign.title, '典型案例汇编') },
    { kind: 'subtitle', text: `${input.compiler}　${chineseDate(input.dataDate)}` },
    { kind: 'blank' },
  ];
  const byCategory = casesByCategory(campaign, statuses);
  if ([...byCategory.values()].every((l) => l.length === 0)) {
    blocks.push({ kind: 'body', text: '本次未报送典型案例。' });
    return blocks;
  }
  let part = 0;
  let n = 0;
  for (const [category, list] of byCategory) {
    if (list.length === 0) continue;
    blocks.push({ kind: 'h1', text: `${chineseNumber(++part)}、${category}` });
    for (const { c, dept } of list) {
      blocks.push({ kind: 'h2', text: `${caseNumber(++n)}　${c.title}（${dept}，${chineseDate(c.date.slice(0, 10))}）` });
      blocks.push({ kind: 'body', lead: '基本案情：', text: sentence(c.summary) });
      const handled = [c.legalBasis, c.result].filter((x): x is string => Boolean(x?.trim())).map(sentence);
      if (c.fine !== undefined && !c.result) handled.push(`罚没款${figure(c.fine)}万元。`);
      if (c.exposed) handled.push('该案已公开曝光。');
      if (handled.length) blocks.push({ kind: 'body', lead: '查处情况：', text: handled.join('') });
      if (c.significance?.trim()) blocks.push({ kind: 'body', lead: '典型意义：', text: sentence(c.significance) });
    }
  }
  return blocks;
}
