/**
 * Small text helpers shared by the workbook modules. No exceljs here: plan.ts uses them
 * and must stay pure.
 */
import { DECORATION, normalizeText } from './names.js';

export { normalizeText, unitKey } from './names.js';

/** Drops one trailing parenthesised unit from a normalised label: 罚没款(万元) → 罚没款. */
export function stripUnit(normalized: string): string {
  return normalized.replace(/\([^()]*\)$/u, '');
}

/** The trailing parenthesised unit of a normalised label (罚没款(万元) → 万元), if any. */
export function unitOf(normalized: string): string | undefined {
  return /\(([^()]*)\)$/u.exec(normalized)?.[1];
}

/**
 * A header label as compared with an indicator's label or aliases: normalised (see
 * normalizeText), its unit dropped, then the usual decorations: a leading 其中 (其中：结案),
 * a trailing 数 (出动执法人员数), punctuation (顿号 lists: 检查网站、平台、网店), and
 * letter case (App and APP).
 */
export function labelKey(text: string): string {
  let s = stripUnit(normalizeText(text));
  s = s.replace(/^其中[:：]?/u, '').replace(DECORATION, '').toUpperCase();
  if (s.length > 2 && s.endsWith('数')) s = s.slice(0, -1);
  return s;
}

/** True when a header cell's text names the label, with or without its unit. */
export function isLabel(cellText: string, label: string): boolean {
  const cell = normalizeText(cellText);
  const want = normalizeText(label);
  return cell === want || stripUnit(cell) === want || labelKey(cellText) === labelKey(label);
}

/** 2024-11-12 → 2024年11月12日; 2024-11-12T18:05 → 2024年11月12日 18:05. Anything else is returned as is. */
export function chineseDate(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}:\d{2}))?/.exec(value);
  if (!m) return value;
  const date = `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
  return m[4] ? `${date} ${m[4]}` : date;
}

/** Labels that can follow one another in a template's title or footer line. */
const LINE_LABELS = ['填报单位', '填报日期', '填报时间', '统计时段', '统计时间', '单位负责人', '填表人', '审核人', '联系电话'];

/** Where a value in such a line ends: at the blanks before the next label. */
const NEXT_LABEL = new RegExp(`[\\s\\u3000]*(?:${LINE_LABELS.join('|')})`);

/**
 * What stands after the colon that follows `label` in a line such as
 * `填表人：张伟　　统计时间：2024年11月`, up to the next label or the end of the line, trimmed
 * (张伟; '' when nothing was filled in). Undefined when the text has no such label and colon.
 * The reading side of fillAfterLabel.
 */
export function valueAfterLabel(text: string, label: string): string | undefined {
  const m = new RegExp(`${label}[^：:\\n]{0,8}[：:]([^\\n]*)`).exec(text);
  return m ? m[1]!.split(NEXT_LABEL)[0]!.trim() : undefined;
}

/**
 * Puts `value` after the colon that follows `label` in a line such as
 * `填报单位（盖章）：          填报日期：    年  月  日`, replacing whatever placeholder
 * (blanks, 年 月 日) stood there up to the next label, and keeping the spacing before it.
 * Returns the text unchanged when the label has no colon.
 */
export function fillAfterLabel(text: string, label: string, value: string): string {
  const next = LINE_LABELS.filter((l) => l !== label).join('|');
  const re = new RegExp(`(${label}[^：:\\n]{0,12}[：:])([\\s\\S]*?)(?=[\\s\\u3000]*(?:${next})|$)`, 'u');
  return text.replace(re, (_all, head: string) => `${head}${value}`);
}

/** The most characters Excel keeps in one cell (UTF-16 code units, as Excel counts them). */
export const CELL_LIMIT = 32_767;

/** Ends a text cut to fit a cell, so a reader knows it goes on elsewhere. */
export const TRUNCATION_MARK = '……（超出单元格上限，已截断，全文见报送文件）';

/**
 * `text` as it can be stored in one cell: unchanged up to Excel's limit; longer, cut and
 * ended with TRUNCATION_MARK so it is exactly at the limit (Excel and WPS would otherwise
 * cut it silently or call the file damaged).
 */
export function fitCell(text: string): string {
  if (text.length <= CELL_LIMIT) return text;
  let end = CELL_LIMIT - TRUNCATION_MARK.length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--; // never split a surrogate pair
  return text.slice(0, end) + TRUNCATION_MARK;
}

/**
 * When a department's file came, as the workbook says it: its own date, the file's time
 * (marked so: copying changes it), or 时间不详 — never a date that cannot be right.
 */
export function sentText(status: { submittedAt?: string; submittedAtSource?: 'file' | 'mtime' | 'unknown' } | undefined): string | undefined {
  if (status?.submittedAtSource === 'unknown') return '时间不详';
  if (!status?.submittedAt) return undefined;
  return chineseDate(status.submittedAt) + (status.submittedAtSource === 'mtime' ? '（文件时间）' : '');
}

/**
 * The 统计时段 the figures cover: from the period's start to the data's date (YYYY-MM-DD…),
 * or to the period's end once it has come — figures cannot cover days not yet come.
 * 2024年6月1日至11月14日 (the end's year only when it is another).
 */
export function periodToData(period: { start: string; end: string }, dataDate: string): string {
  const end = dataDate.slice(0, 10) < period.end ? dataDate.slice(0, 10) : period.end;
  const [y2, m2, d2] = end.split('-').map(Number);
  return `${chineseDate(period.start)}至${period.start.slice(0, 4) === String(y2) ? '' : `${y2}年`}${m2}月${d2}日`;
}
