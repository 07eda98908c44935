/**
 * The sheets the merge adds after the statistics table: 典型案例, 重点任务落实, 报送情况 and
 * 工作总结, each an official-looking table of its own (title, boxed header, A4 landscape).
 */
import type ExcelJS from 'exceljs';
import type { Campaign } from '../campaign/schema.js';
import type { DepartmentState, DepartmentStatus, Submission } from '../model.js';
import { BOX, CENTRE, HEADER_FONT, LEFT, TITLE_FONT, fitHeight, put, setOfficialPrint } from './style.js';
import { chineseDate } from './text.js';

interface Column {
  header: string;
  width: number;
  /** Long text columns are left-aligned; short ones centred. */
  left?: boolean;
  numFmt?: string;
}

type Value = string | number | undefined;

const BODY: Partial<ExcelJS.Font> = { name: '仿宋', size: 11 };
const STATE_LABEL: Record<DepartmentState, string> = {
  submitted: '已报送',
  late: '逾期报送',
  missing: '未报送',
  invalid: '有错误',
  duplicate: '重复',
};

/** A free sheet name: the wanted one, or with （汇总） when the template already uses it. */
function freeName(wb: ExcelJS.Workbook, wanted: string): string {
  const taken = new Set(wb.worksheets.map((w) => w.name));
  if (!taken.has(wanted)) return wanted;
  for (let i = 1; ; i++) {
    const name = `${wanted}(汇总${i === 1 ? '' : i})`;
    if (!taken.has(name)) return name;
  }
}

/** Adds one titled, boxed table; rows are as tall as their longest text. */
function addTableSheet(wb: ExcelJS.Workbook, name: string, title: string, columns: Column[], rows: Value[][]): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(freeName(wb, name), {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 2, topLeftCell: 'A3', activeCell: 'A3' }],
  });
  ws.columns = columns.map((c) => ({ width: c.width }));
  const last = columns.length;
  ws.mergeCells(1, 1, 1, last);
  put(ws.getCell(1, 1), title, { ...TITLE_FONT, size: 18 }, { horizontal: 'center', vertical: 'middle' });
  ws.getRow(1).height = 36;
  columns.forEach((c, i) => put(ws.getCell(2, i + 1), c.header, HEADER_FONT, CENTRE, BOX));
  ws.getRow(2).height = fitHeight(columns.map((c) => ({ text: c.header, width: c.width })), 11, 28);
  rows.forEach((values, i) => {
    const row = ws.getRow(3 + i);
    columns.forEach((c, j) => {
      const value = values[j];
      const cell = row.getCell(j + 1);
      // Plain strings only: text that starts with = stays text, never a formula.
      put(cell, value ?? null, BODY, c.left ? LEFT : CENTRE, BOX);
      if (c.numFmt && typeof value === 'number') cell.numFmt = c.numFmt;
    });
    row.height = fitHeight(
      columns.map((c, j) => ({ text: String(values[j] ?? ''), width: c.width })),
      11,
    );
  });
  setOfficialPrint(ws, '1:2');
  return ws;
}

const submissionOf = (s: DepartmentStatus | undefined): Submission | undefined =>
  s && (s.state === 'submitted' || s.state === 'late') ? s.checked?.submission : undefined;

/**
 * Adds 典型案例, 重点任务落实, 报送情况 and 工作总结 after the template's sheets,
 * departments in the campaign's order. Returns the names used.
 */
export function addSummarySheets(wb: ExcelJS.Workbook, campaign: Campaign, statuses: readonly DepartmentStatus[]): string[] {
  const byId = new Map(statuses.map((s) => [s.id, s]));
  const departments = campaign.departments.map((d) => ({ d, status: byId.get(d.id), submission: submissionOf(byId.get(d.id)) }));
  const nameOf = new Map(campaign.departments.map((d) => [d.id, d.name]));
  const taskByNo = new Map(campaign.tasks.map((t) => [t.no, t]));
  const names: string[] = [];

  // 典型案例: every case of every merged department, by department then task.
  const cases: Value[][] = [];
  for (const { d, submission } of departments) {
    const sorted = [...(submission?.cases ?? [])].sort((a, b) => a.task - b.task);
    for (const c of sorted) {
      cases.push([
        cases.length + 1, d.name, c.task, taskByNo.get(c.task)?.category, c.title, chineseDate(c.date),
        c.summary, c.result, c.fine, c.exposed ? '是' : '否',
      ]);
    }
  }
  names.push(
    addTableSheet(wb, '典型案例', `${campaign.title}典型案例汇总表`, [
      { header: '序号', width: 6 },
      { header: '单位', width: 14 },
      { header: '任务序号', width: 7 },
      { header: '任务类别', width: 9 },
      { header: '案例名称', width: 20, left: true },
      { header: '日期', width: 15 },
      { header: '基本案情', width: 44, left: true },
      { header: '处理结果', width: 26, left: true },
      { header: '罚没款（万元）', width: 10, numFmt: '0.00##' },
      { header: '是否曝光', width: 7 },
    ], cases).name,
  );

  // 重点任务落实: the plan's tasks with what each responsible department reported.
  const allIds = campaign.departments.map((d) => d.id);
  const tasks: Value[][] = campaign.tasks.map((t) => {
    const responsible = t.departments === 'all' ? allIds : t.departments;
    const texts = departments.filter((x) => x.submission?.tasks.get(t.no));
    const unfilled = responsible
      .filter((id) => !submissionOf(byId.get(id))?.tasks.get(t.no))
      .map((id) => (submissionOf(byId.get(id)) ? nameOf.get(id) : `${nameOf.get(id)}（未报送）`));
    return [
      t.no, t.category, t.title,
      t.departments === 'all' ? '各有关单位' : responsible.map((id) => nameOf.get(id) ?? id).join('、'),
      texts.map((x) => x.d.name).join('、'),
      texts.map((x) => `【${x.d.name}】${x.submission?.tasks.get(t.no)}`).join('\n'),
      unfilled.join('、'),
    ];
  });
  names.push(
    addTableSheet(wb, '重点任务落实', `${campaign.title}重点任务落实情况汇总表`, [
      { header: '序号', width: 6 },
      { header: '类别', width: 8 },
      { header: '任务', width: 24, left: true },
      { header: '责任单位', width: 16, left: true },
      { header: '已报送单位', width: 16, left: true },
      { header: '落实情况', width: 60, left: true },
      { header: '未填写的责任单位', width: 16, left: true },
    ], tasks).name,
  );

  // 报送情况: who sent what, when, with the file's fingerprint; whom to call for the rest.
  const register: Value[][] = departments.map(({ d, status, submission }, i) => {
    const state = status?.state ?? 'missing';
    const at = status?.submittedAt ?? submission?.submittedAt;
    const when = at ? chineseDate(at) + (status?.submittedAtSource === 'mtime' ? '（文件时间）' : '') : undefined;
    const stateText = state === 'invalid' && status?.errorCount ? `${STATE_LABEL[state]}（${status.errorCount}处）` : STATE_LABEL[state];
    if (!submission) {
      return [i + 1, d.name, stateText, when, `联系人：${d.contact.name}`, undefined, d.contact.phone, status?.files.join('\n') || undefined, status?.checked?.sha256, undefined];
    }
    return [
      i + 1, d.name, stateText, when, status?.filledBy ?? submission.filledBy, submission.reviewedBy,
      status?.phone ?? submission.phone, status?.files.join('\n'), status?.checked?.sha256, submission.materials.length,
    ];
  });
  names.push(
    addTableSheet(wb, '报送情况', `${campaign.title}报送情况一览表`, [
      { header: '序号', width: 6 },
      { header: '单位', width: 16 },
      { header: '状态', width: 10 },
      { header: '报送日期', width: 14 },
      { header: '填表人', width: 12 },
      { header: '审核人', width: 10 },
      { header: '联系电话', width: 14 },
      { header: '文件名', width: 22, left: true },
      { header: 'SHA-256', width: 72, left: true },
      { header: '材料数', width: 7 },
    ], register).name,
  );

  // 工作总结: each department's summary as written.
  const summaries: Value[][] = departments.map(({ d, submission }) => [
    d.name,
    submission ? (submission.summary ?? '（未填写）') : '（未报送）',
  ]);
  names.push(
    addTableSheet(wb, '工作总结', `${campaign.title}工作总结汇编`, [
      { header: '单位', width: 16 },
      { header: '总结', width: 110, left: true },
    ], summaries).name,
  );
  return names;
}
