/**
 * The sheets the merge adds after the statistics table: 典型案例, 重点任务落实, 报送情况 and
 * 工作总结, each an official-looking table of its own (title, boxed header, A4 landscape).
 * `summaryTables` decides what they hold (pure); `addTableFrame` puts a table's frame into
 * the workbook; its body rows are written as XML by `fillBody` (body.ts).
 */
import type ExcelJS from 'exceljs';
import type { Campaign, Department } from '../campaign/schema.js';
import { submissionOf, type DepartmentState, type DepartmentStatus, type Submission } from '../model.js';
import { departmentGaps, gapsNote, reportedIndicators, underUnit } from '../status/gaps.js';
import { BODY_ROW, type Table, type Value } from './body.js';
import { BOX, CENTRE, HEADER_FONT, LEFT, TITLE_FONT, fitHeight, put, setOfficialPrint } from './style.js';
import { besideName, CASE_COLUMNS, MERGED_SHEETS, NOT_SENT, NOT_WRITTEN, SUMMARY_COLUMNS, TASK_COLUMNS } from '../layout/merged.js';
import { chineseDate, sentText } from '../text/labels.js';
import { zh } from '../messages/zh.js';

const BODY: Partial<ExcelJS.Font> = { name: '仿宋', size: 11 };
/** The states as `report status` names them; in Chinese whatever --lang is, like the whole workbook. */
const stateLabel = (state: DepartmentState): string => zh[`state/${state}`];

/** 落实情况 of a task no responsible department wrote about. */
export const NO_TASK_TEXT = '（尚无责任单位填写）';

/** A free sheet name: the wanted one, or with (汇总) when the template already uses it. */
function freeName(taken: ReadonlySet<string>, wanted: string): string {
  if (!taken.has(wanted)) return wanted;
  for (let i = 1; ; i++) {
    const name = besideName(wanted, i);
    if (!taken.has(name)) return name;
  }
}

/**
 * Adds the frame of a table as a sheet: the title, the boxed header, and at BODY_ROW one
 * styled empty cell per column for `fillBody`; column widths, frozen header, print setup.
 * Returns the sheet's name: the table's, or a free variant of it when the workbook or
 * `taken` (the template's sheets) already has it.
 */
export function addTableFrame(wb: ExcelJS.Workbook, table: Table, taken: ReadonlySet<string> = new Set()): string {
  const { columns } = table;
  const ws = wb.addWorksheet(freeName(new Set([...taken, ...wb.worksheets.map((w) => w.name)]), table.name), {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 2, topLeftCell: 'A3', activeCell: 'A3' }],
  });
  ws.columns = columns.map((c) => ({ width: c.width }));
  put(ws.getCell(1, 1), table.title, { ...TITLE_FONT, size: 18 }, { horizontal: 'center', vertical: 'middle' });
  ws.mergeCells(1, 1, 1, columns.length);
  ws.getRow(1).height = 36;
  columns.forEach((c, i) => put(ws.getCell(2, i + 1), c.header, HEADER_FONT, CENTRE, BOX));
  ws.getRow(2).height = fitHeight(columns.map((c) => ({ text: c.header, width: c.width })), 11, 28);
  columns.forEach((c, i) => {
    const align = c.left ? LEFT : CENTRE;
    put(ws.getCell(BODY_ROW, i + 1), null, BODY, c.top ? { ...align, vertical: 'top' } : align, BOX, c.numFmt);
  });
  setOfficialPrint(ws, '1:2');
  return ws.name;
}

/**
 * The tables of 典型案例, 重点任务落实, 报送情况 and 工作总结, departments in the
 * campaign's order.
 */
export function summaryTables(campaign: Campaign, statuses: readonly DepartmentStatus[]): Table[] {
  const byId = new Map(statuses.map((s) => [s.id, s]));
  const departments = campaign.departments.map((d) => ({ d, status: byId.get(d.id), submission: submissionOf(byId.get(d.id)) }));
  return [
    casesTable(campaign, departments),
    tasksTable(campaign, departments, byId),
    registerTable(campaign, departments, reportedIndicators(statuses)),
    summariesTable(campaign, departments),
  ];
}

/** A department of the campaign with its status and, when merged, its submission. */
interface Entry {
  d: Department;
  status: DepartmentStatus | undefined;
  submission: Submission | undefined;
}

/** 典型案例: every case of every merged department, by department then task. */
function casesTable(campaign: Campaign, departments: readonly Entry[]): Table {
  const taskByNo = new Map(campaign.tasks.map((t) => [t.no, t]));
  const cases: Value[][] = [];
  for (const { d, submission } of departments) {
    const sorted = [...(submission?.cases ?? [])].sort((a, b) => a.task - b.task);
    for (const c of sorted) {
      cases.push([
        cases.length + 1, underUnit(d.name, c.unit ?? ''), c.task, taskByNo.get(c.task)?.category, c.title, chineseDate(c.date),
        c.summary, c.result, c.fine, c.exposed ? '是' : '否', c.legalBasis, c.significance,
      ]);
    }
  }
  return {
    name: MERGED_SHEETS.cases,
    title: `${campaign.title}典型案例汇总表`,
    columns: [
      { header: '序号', width: 6 },
      { header: '单位', width: 14 },
      { header: CASE_COLUMNS.task, width: 7 },
      { header: '任务类别', width: 9 },
      { header: CASE_COLUMNS.title, width: 20, left: true },
      { header: CASE_COLUMNS.date, width: 15 },
      { header: CASE_COLUMNS.summary, width: 44, left: true },
      { header: CASE_COLUMNS.result, width: 26, left: true },
      { header: CASE_COLUMNS.fine, width: 10, numFmt: '0.00##' },
      { header: CASE_COLUMNS.exposed, width: 7 },
      { header: CASE_COLUMNS.legal_basis, width: 26, left: true },
      { header: CASE_COLUMNS.significance, width: 26, left: true },
    ],
    rows: cases,
  };
}

/**
 * 重点任务落实: one row per task and department that wrote about it (a cell holding every
 * department's text would pass Excel's 32,767 characters from ≈ 155 departments on);
 * the task's own cells are repeated on each of its rows, not merged: a block that runs onto
 * the next printed page still says which task it is.
 */
function tasksTable(campaign: Campaign, departments: readonly Entry[], byId: ReadonlyMap<string, DepartmentStatus>): Table {
  const nameOf = new Map(campaign.departments.map((d) => [d.id, d.name]));
  const allIds = campaign.departments.map((d) => d.id);
  const taskRows: Value[][] = [];
  for (const t of campaign.tasks) {
    const responsible = t.departments === 'all' ? allIds : t.departments;
    const writers = departments.filter((x) => x.submission?.tasks.get(t.no));
    const unfilled = responsible
      .filter((id) => !submissionOf(byId.get(id))?.tasks.get(t.no))
      .map((id) => (submissionOf(byId.get(id)) ? nameOf.get(id) : `${nameOf.get(id)}${NOT_SENT}`));
    const task: Value[] = [
      t.no, t.category, t.title,
      t.departments === 'all' ? '各有关单位' : responsible.map((id) => nameOf.get(id) ?? id).join('、'),
    ];
    const reports = taskReports(t.no, writers);
    const isResponsible = new Set(responsible);
    if (!writers.some((x) => isResponsible.has(x.d.id))) reports.push([undefined, NO_TASK_TEXT]);
    for (const report of reports) taskRows.push([...task, ...report, unfilled.join('、')]);
  }
  return {
    name: MERGED_SHEETS.tasks,
    title: `${campaign.title}重点任务落实情况汇总表`,
    columns: [
      { header: TASK_COLUMNS.no, width: 6, top: true },
      { header: TASK_COLUMNS.category, width: 8, top: true },
      { header: TASK_COLUMNS.task, width: 24, left: true, top: true },
      { header: TASK_COLUMNS.responsible, width: 16, left: true, top: true },
      { header: TASK_COLUMNS.unit, width: 16 },
      { header: TASK_COLUMNS.text, width: 60, left: true },
      { header: TASK_COLUMNS.unfilled, width: 16, left: true, top: true },
    ],
    rows: taskRows,
  };
}

/** The [unit, text] of each department that wrote about task `no`; a lower level's table gives one row per unit below it that wrote, named by its path. */
function taskReports(no: number, writers: readonly Entry[]): Value[][] {
  return writers.flatMap((x): Value[][] =>
    x.submission?.rollup ? x.submission.rollup.tasks.filter((r) => r.task === no).map((r) => [underUnit(x.d.name, r.unit), r.text]) : [[x.d.name, x.submission?.tasks.get(no)]],
  );
}

/** 报送情况: who sent what, when, with the file's fingerprint; whom to call for the rest. */
function registerTable(campaign: Campaign, departments: readonly Entry[], reported: ReturnType<typeof reportedIndicators>): Table {
  const register: Value[][] = departments.map(({ d, status, submission }, i) => {
    const state = status?.state ?? 'missing';
    const when = sentText(status);
    const stateText = state === 'invalid' && status?.errorCount ? `${stateLabel(state)}（${status.errorCount}处）` : stateLabel(state);
    if (!submission) {
      return [i + 1, d.name, stateText, when, `联系人：${d.contact.name}`, undefined, d.contact.phone, status?.files.join('\n') || undefined, status?.checked?.sha256, undefined];
    }
    return [
      i + 1, d.name, stateText, when, status?.filledBy ?? submission.filledBy, submission.reviewedBy,
      status?.phone ?? submission.phone, status?.files.join('\n'), status?.checked?.sha256, submission.materials.length,
      gapsNote(departmentGaps(campaign, status!, reported)) || undefined,
    ];
  });
  return {
    name: MERGED_SHEETS.register,
    title: `${campaign.title}报送情况一览表`,
    columns: [
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
      { header: '未含', width: 30, left: true },
    ],
    rows: register,
  };
}

/** 工作总结: each department's summary as written. */
function summariesTable(campaign: Campaign, departments: readonly Entry[]): Table {
  return {
    name: MERGED_SHEETS.summaries,
    title: `${campaign.title}工作总结汇编`,
    columns: [
      { header: SUMMARY_COLUMNS.unit, width: 16 },
      { header: SUMMARY_COLUMNS.text, width: 110, left: true },
    ],
    rows: departments.flatMap(({ d, submission }): Value[][] =>
      submission?.rollup?.summaries.length
        ? submission.rollup.summaries.map((x) => [underUnit(d.name, x.unit), x.text])
        : [[d.name, submission ? (submission.summary ?? NOT_WRITTEN) : NOT_SENT]],
    ),
  };
}
