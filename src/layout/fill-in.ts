/**
 * The fill-in workbook's layout, shared by its writer (fill-in.ts, exceljs) and its reader
 * (source/workbook.ts, no exceljs): sheet names, labels and headers. The reader finds every
 * part by these texts, never by fixed addresses, so a clerk who inserts a row or a column
 * still gets read correctly. Pure data.
 */
import type { Campaign, Department, Task } from '../campaign/schema.js';
import { CASE_KEYS } from './keys.js';

/** The sheet that marks a workbook as ours (very hidden): A1 MARKER, B1 the layout version, A2 campaign id, A3 department id; column C the task numbers for the drop-down. */
export const MARKER_SHEET = '_report';
export const MARKER = 'report:fill-in';
export const LAYOUT_VERSION = 1;

export const SHEETS = {
  basic: '基本信息',
  statistics: '统计表',
  tasks: '重点任务',
  cases: '典型案例',
  summary: '工作总结',
  materials: '图片视频资料',
} as const;
export type SheetKey = keyof typeof SHEETS;

/** 基本信息: label in column A, value in column B, on these rows; the reader finds the labels. */
export const BASIC_FIELDS = [
  { key: 'department', label: '填报单位' },
  { key: 'filled_by', label: '填表人' },
  { key: 'reviewed_by', label: '审核人' },
  { key: 'phone', label: '联系电话' },
  { key: 'submitted_at', label: '报送日期' },
  { key: 'summary_file', label: '总结文件' },
  // Last: the rows above keep their places in forms made before it (a form without it is read all the same).
  { key: 'leader', label: '单位负责人' },
] as const;

/** 重点任务's header; 落实情况 is the column the clerk fills. */
export const TASK_HEADERS = { no: '序号', category: '类别', title: '任务', whose: '责任', text: '落实情况' } as const;

/** 典型案例's header, by the submission's case keys; 序号 first. */
export const CASE_HEADERS = CASE_KEYS;
/** Rows of room in 典型案例 (shaded); validations and unlocked cells go further down. */
export const CASE_ROOM = 20;
export const CASE_RANGE = 500;

/** 图片视频资料's header: the file name column the clerk fills. */
export const MATERIAL_HEADER = '文件名';
/** 图片视频资料's caption column: 时间、地点、事由 (a header starting with 说明). */
export const MATERIAL_CAPTION_HEADER = '说明（时间、地点、事由，可不填）';
export const MATERIAL_ROOM = 30;

/** 工作总结: the label above the one big cell. */
export const SUMMARY_LABEL = '专项行动总结';

/** The tasks a department's 重点任务 sheet lists: its own first, then those of 各有关单位. */
export function tasksFor(campaign: Campaign, department: Department): { task: Task; mine: boolean }[] {
  const own = campaign.tasks.filter((t) => t.departments !== 'all' && t.departments.includes(department.id));
  const shared = campaign.tasks.filter((t) => t.departments === 'all');
  return [...own.map((task) => ({ task, mine: true })), ...shared.map((task) => ({ task, mine: false }))];
}
