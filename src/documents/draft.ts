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
import { chineseDate } from '../workbook/text.js';
import { chineseNumber, chinesePeriod, figure, jurisdiction, nameList, titleLines } from './text.js';

/** What the documents are drafted from. */
export interface DraftInput {
  campaign: Campaign;
  /** Every department of the package, in campaign order. */
  statuses: readonly DepartmentStatus[];
  /** Indicator id → the merged total (undefined when nobody reported it), as in the workbook. */
  totals: Record<string, number | undefined>;
  /** YYYY-MM-DD: the date of the data (--as-of, else the latest submission). */
  dataDate: string;
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
    for (const c of submissionOf(s)?.cases ?? []) byCategory.get(category.get(c.task) ?? '')?.push({ c, dept: s.name });
  for (const list of byCategory.values()) list.sort((a, b) => (order.get(a.c.task) ?? 0) - (order.get(b.c.task) ?? 0));
  return byCategory;
}

/** The district's 总结 draft. */
export function summaryDraft(input: DraftInput): Block[] {
  const { campaign, statuses, totals, dataDate } = input;
  const inDepts = statuses.filter((s) => submissionOf(s));
  const late = statuses.filter((s) => s.state === 'late');
  const missing = statuses.filter((s) => !submissionOf(s));
  const date = chineseDate(dataDate);
  const blocks: Block[] = [
    { kind: 'note', text: `（汇总稿）本稿由报送统计工具根据各单位报送材料自动生成，数据截至${date}，请核实修改后使用。` },
    { kind: 'blank' },
    { kind: 'title', lines: titleLines(campaign.title, '工作总结') },
    { kind: 'blank' },
  ];

  // Opening: campaign, period, departments taking part, who is in.
  const categories = campaign.categories;
  let opening =
    `按照《${campaign.title}方案》部署，${chinesePeriod(campaign.period.start, campaign.period.end)}，` +
    `${nameList(statuses.map((s) => s.name))}${statuses.length <= 12 ? `等${chineseNumber(statuses.length)}个单位` : ''}联合开展${campaign.title}，` +
    `围绕${categories.join('、')}${categories.length > 1 ? `${chineseNumber(categories.length)}个方面` : ''}${campaign.tasks.length}项重点任务推进各项工作。`;
  opening += `截至${date}，共有${inDepts.length}个单位报送了专项行动材料`;
  if (late.length) opening += `（其中${nameList(late.map((s) => s.name))}逾期报送）`;
  opening += missing.length ? `，${missing.map((s) => s.name).join('、')}尚未报送，本稿不含其情况。` : '。';
  blocks.push({ kind: 'body', text: `${opening}现将专项行动开展情况总结如下：` });

  // 一、主要成效: only figures that were reported; none invented for a blank.
  let section = 0;
  const h1 = (text: string) => blocks.push({ kind: 'h1', text: `${chineseNumber(++section)}、${text}` });
  h1('主要成效');
  const reported = campaign.indicators.filter((i) => totals[i.id] !== undefined);
  const unreported = campaign.indicators.filter((i) => totals[i.id] === undefined);
  let results = reported.length
    ? `专项行动期间，${jurisdiction(campaign.issuer)}共${reported.map((i) => `${i.label}${/[A-Za-z]$/.test(i.label) ? ' ' : ''}${figure(totals[i.id]!)}${i.unit}`).join('，')}。`
    : '各单位尚未填报统计数据。';
  if (reported.length && unreported.length) results += `${unreported.map((i) => `“${i.label}”`).join('、')}各单位均未填报。`;
  if (reported.length) results += `以上为已报送单位所填数据之和，单位留空的项目不计入${missing.length ? `，不含尚未报送的${missing.map((s) => s.name).join('、')}` : ''}。`;
  blocks.push({ kind: 'body', text: results });
  if (input.chart) {
    blocks.push({ kind: 'image', png: input.chart.png, width: input.chart.width, height: input.chart.height, widthMm: 150, alt: '主要指标分单位情况' });
    blocks.push({ kind: 'caption', text: '图1　主要指标分单位情况' });
  }

  // 二、重点任务落实情况: one part per category, each task's reports by department.
  h1('重点任务落实情况');
  const names = new Map(campaign.departments.map((d) => [d.id, d.name]));
  campaign.categories.forEach((category, ci) => {
    const tasks = campaign.tasks.filter((t) => t.category === category);
    if (tasks.length === 0) return;
    blocks.push({ kind: 'h2', text: `（${chineseNumber(ci + 1)}）${category}` });
    for (const task of tasks) {
      blocks.push({ kind: 'h3', text: `${task.no}.${task.title}` });
      const reports = inDepts.flatMap((s) => {
        const text = submissionOf(s)?.tasks.get(task.no);
        return text ? [{ name: s.name, text }] : [];
      });
      for (const r of reports) blocks.push({ kind: 'body', lead: `${r.name}：`, text: r.text });
      if (reports.length === 0) {
        const responsible = task.departments === 'all' ? '各有关单位' : task.departments.map((id) => names.get(id) ?? id).join('、');
        blocks.push({ kind: 'body', text: `（尚无单位填写落实情况。责任单位：${responsible}。）` });
      }
    }
  });

  // 三、典型案例: in brief; the compilation has them whole.
  h1('典型案例');
  const byCategory = casesByCategory(campaign, statuses);
  const all = [...byCategory.values()].flat();
  if (all.length === 0) blocks.push({ kind: 'body', text: '各单位尚未报送典型案例。' });
  else {
    const exposed = all.filter((x) => x.c.exposed).length;
    const fined = all.filter((x) => x.c.fine !== undefined);
    const fines = Math.round(fined.reduce((sum, x) => sum + x.c.fine! * 10000, 0)) / 10000;
    blocks.push({
      kind: 'body',
      text:
        `各单位共报送典型案例${all.length}件，其中已曝光${exposed}件` +
        (fined.length ? `；填写罚没款的${fined.length}件共计${figure(fines)}万元` : '') +
        `。案例全文见《典型案例汇编》，简要情况如下：`,
    });
    let part = 0;
    for (const [category, list] of byCategory) {
      if (list.length === 0) continue;
      blocks.push({ kind: 'h2', text: `（${chineseNumber(++part)}）${category}` });
      list.forEach(({ c, dept }, i) => {
        const tail = [c.result, c.exposed ? '已曝光' : ''].filter(Boolean).join('，');
        blocks.push({ kind: 'body', text: `${i + 1}.${c.title}（${dept}，${chineseDate(c.date.slice(0, 10))}）${tail ? `：${tail}` : ''}。` });
      });
    }
  }

  h1('存在问题和下一步工作');
  blocks.push({ kind: 'body', text: '（请结合各单位总结和本地实际，补充存在的问题和下一步工作打算。）' });

  blocks.push({ kind: 'blank' });
  blocks.push({ kind: 'attachments', items: ['各单位专项行动总结', campaign.table_title, `${campaign.title}典型案例汇编`] });
  blocks.push({ kind: 'blank' }, { kind: 'blank' });
  blocks.push({ kind: 'signature', issuer: campaign.issuer, date });

  // 附件1: each department's own summary, as written.
  blocks.push({ kind: 'attachment-head', text: '附件1' }, { kind: 'blank' }, { kind: 'title', lines: ['各单位专项行动总结'] }, { kind: 'blank' });
  statuses.forEach((s, i) => {
    blocks.push({ kind: 'h1', text: `${chineseNumber(i + 1)}、${s.name}` });
    const submission = submissionOf(s);
    const text = submission ? (submission.summary ? paragraphs(submission.summary) : ['（未填写专项行动总结）']) : ['（未报送）'];
    for (const p of text) blocks.push({ kind: 'body', text: p });
  });
  return blocks;
}

/** A department's own 总结: its summary as written, signed by the department. */
export function ownSummary(campaign: Campaign, department: Department, status: DepartmentStatus, dataDate: string): Block[] {
  const submission = submissionOf(status);
  const text = submission?.summary ? paragraphs(submission.summary) : ['（未填写专项行动总结）'];
  const day = submission?.submittedAt?.slice(0, 10) ?? dataDate;
  return [
    { kind: 'title', lines: titleLines(campaign.title, '工作总结') },
    { kind: 'blank' },
    ...text.map((p): Block => ({ kind: 'body', text: p })),
    { kind: 'blank' },
    { kind: 'blank' },
    { kind: 'signature', issuer: officialName(department), date: chineseDate(day) },
  ];
}

/** The 典型案例汇编: every case, grouped by category and task, each with all its particulars. */
export function caseCompilation(input: Pick<DraftInput, 'campaign' | 'statuses' | 'dataDate'> & { compiler: string }): Block[] {
  const { campaign, statuses } = input;
  const blocks: Block[] = [
    { kind: 'title', lines: titleLines(campaign.title, '典型案例汇编') },
    { kind: 'subtitle', text: `${input.compiler}　${chineseDate(input.dataDate)}` },
    { kind: 'blank' },
  ];
  const byCategory = casesByCategory(campaign, statuses);
  if ([...byCategory.values()].every((l) => l.length === 0)) {
    blocks.push({ kind: 'body', text: '（尚无单位报送典型案例。）' });
    return blocks;
  }
  const titles = new Map(campaign.tasks.map((t) => [t.no, t.title]));
  let part = 0;
  for (const [category, list] of byCategory) {
    if (list.length === 0) continue;
    blocks.push({ kind: 'h1', text: `${chineseNumber(++part)}、${category}` });
    let task = -1;
    let taskPart = 0;
    let n = 0;
    for (const { c, dept } of list) {
      if (c.task !== task) {
        task = c.task;
        n = 0;
        blocks.push({ kind: 'h2', text: `（${chineseNumber(++taskPart)}）任务${c.task}：${titles.get(c.task) ?? ''}` });
      }
      blocks.push({ kind: 'h3', text: `${++n}.${c.title}` });
      blocks.push({
        kind: 'body',
        text: `报送单位：${dept}；日期：${chineseDate(c.date.slice(0, 10))}；罚没款：${c.fine === undefined ? '未填写' : `${figure(c.fine)}万元`}；是否曝光：${c.exposed ? '是' : '否'}。`,
      });
      blocks.push({ kind: 'body', lead: '基本案情：', text: c.summary });
      blocks.push({ kind: 'body', lead: '处理结果：', text: c.result ?? '未填写' });
    }
  }
  return blocks;
}
