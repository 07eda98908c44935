/**
 * The words of the sheets merge adds after the statistics table: sheet names and the headers
 * and placeholders a lower level's merged table is read back by (source/workbook.ts: a city
 * merges its districts' tables). sheets.ts writes them; both take them from here, so a renamed
 * column cannot leave the reader looking for the old one. No imports beyond the keys: the
 * reader must not load exceljs.
 */
import { CASE_KEYS } from './keys.js';

export const MERGED_SHEETS = { cases: '典型案例', tasks: '重点任务落实', register: '报送情况', summaries: '工作总结' } as const;

/** The name of an added sheet beside a template's own sheet of its name: 工作总结(汇总), then (汇总2) … */
export const besideName = (name: string, i: number) => `${name}(汇总${i === 1 ? '' : i})`;

/** Whether `sheet` is the added sheet `name` under a name of besideName's. */
export const isBesideName = (sheet: string, name: string) => sheet.startsWith(name) && /^\(汇总(?:[2-9]|[1-9]\d+)?\)$/.test(sheet.slice(name.length));

/** 典型案例's columns after 序号, 单位 and 任务类别: the submission's case keys. */
export const CASE_COLUMNS = CASE_KEYS;

export const TASK_COLUMNS = { no: '序号', category: '类别', task: '任务', responsible: '责任单位', unit: '报送单位', text: '落实情况', unfilled: '未填写的责任单位' } as const;

export const SUMMARY_COLUMNS = { unit: '单位', text: '总结' } as const;

/** In 工作总结 (and after a name in 重点任务落实): the department did not report. */
export const NOT_SENT = '（未报送）';
/** In 工作总结: the department reported without a summary. */
export const NOT_WRITTEN = '（未填写）';

/**
 * The second workbook beside a merged table whose template locks its structure (no sheet can
 * be added): the added sheets go there. 汇总表.xlsx → 汇总表（附表）.xlsx. A lower level sends
 * both; the upper level reads them as one submission.
 */
export function secondFileName(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)}（附表）${name.slice(dot)}` : `${name}（附表）.xlsx`;
}

/** The merged table a second workbook belongs to (汇总表（附表）.xlsx → 汇总表.xlsx), when `name` is one. */
export function firstFileName(name: string): string | undefined {
  const m = /^(.+)（附表）(\.xlsx)$/i.exec(name);
  return m ? `${m[1]}${m[2]}` : undefined;
}

/**
 * Custom document properties every merged workbook carries (and its 附表), so the level above
 * can tell what it was given: which campaign and period, whose merge (an id of its inputs, in
 * the table and in its 附表), which table the 附表 was written with (that file's SHA-256), and
 * what its figures leave out (JSON: [[unit, reason], …], see model.ts Gap).
 */
export const MERGE_PROPS = {
  campaign: 'report-campaign',
  period: 'report-period',
  issuer: 'report-issuer',
  id: 'report-merge-id',
  table: 'report-table-sha256',
  gaps: 'report-gaps',
} as const;
