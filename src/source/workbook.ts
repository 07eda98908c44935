/**
 * The workbook source: an xlsx file → the same plain data a YAML submission gives, and the
 * `sheet!cell` of every value, for the one schema to judge. Three kinds are read:
 *
 * - the fill-in workbook of `report init --format xlsx` (fill-in-layout.ts);
 * - a copy of the statistics table (the default template or an official one) in which a
 *   department filled its own row: found as merge finds it; the department is the one whose
 *   row holds figures, or the file's name when no row does;
 * - a lower level's merged workbook (what `report merge` writes): its 合计 row is that unit's
 *   figures, its 典型案例 / 重点任务落实 / 工作总结 sheets its cases, tasks and summary.
 *
 * Cells become what a clerk typed: text as text, numbers written out (15 digits, as Excel
 * shows them), dates as YYYY-MM-DD; a cell that cannot give a value (an error, a formula never
 * calculated, a WPS picture) is a finding at its cell and reads as empty.
 */
import { basename, extname } from 'node:path';
import { departmentFinder, departmentNamedIn } from '../campaign/lookup.js';
import type { Campaign, Department } from '../campaign/schema.js';
import { makeDiagnostic, type Diagnostic, type Position } from '../diagnostics.js';
import { t, type MessageCode, type MessageParams } from '../messages/index.js';
import { cellAt, cellText, mergeAt, numberText, readWorkbook, serialDate, WorkbookError, type Cell, type Sheet, type Workbook } from '../workbook/cells.js';
import { CASE_COLUMNS, isBesideName, MERGED_SHEETS, NOT_SENT, NOT_WRITTEN, SUMMARY_COLUMNS, TASK_COLUMNS } from '../workbook/merged-layout.js';
import {
  BASIC_FIELDS, CASE_HEADERS, MARKER, MARKER_SHEET, MATERIAL_HEADER, SHEETS, SUMMARY_LABEL, TASK_HEADERS, type SheetKey,
} from '../workbook/fill-in-layout.js';
import { cellAddress } from '../workbook/refs.js';
import { findTable, type TableLayout } from '../workbook/table-locate.js';
import { isLabel, normalizeText, valueAfterLabel } from '../workbook/text.js';
import { pathKey, type Path, type SourceMap, type SourceRead } from './source.js';

/** Where a value and its key are in the workbook. */
interface Place {
  key?: Position;
  value?: Position;
}

class WorkbookMap implements SourceMap {
  readonly start: Position = {};
  readonly places = new Map<string, Place>();

  set(path: Path, value: Position, key: Position = value): void {
    this.places.set(pathKey(path), { key, value });
  }

  locate(path: Path, part: 'key' | 'value' = 'value'): Position | undefined {
    const place = this.places.get(pathKey(path));
    return part === 'key' ? (place?.key ?? place?.value) : (place?.value ?? place?.key);
  }

  locateIn(path: Path): Position | undefined {
    return this.locate(path);
  }

  /** The label a value stands under: 填表人, 日期 (of a case), a task's 落实情况. */
  name(path: Path): string | undefined {
    const [top, index, key] = path;
    if (top === 'cases' && typeof index === 'number' && typeof key === 'string') return CASE_HEADERS[key as keyof typeof CASE_HEADERS];
    if (top === 'tasks' && index !== undefined) return `任务${index}${TASK_HEADERS.text}`;
    if (top === 'materials') return MATERIAL_HEADER;
    if (path.length === 1) return BASIC_FIELDS.find((f) => f.key === top)?.label ?? (top === 'summary' ? SUMMARY_LABEL : undefined);
    return undefined;
  }
}

/** A cell's place; in another file as Excel names one: '[汇总表（附表）.xlsx]典型案例'!B3. */
const at = (sheet: Sheet, ref: string): Position => ({ sheet: sheet.book ? `[${sheet.book}]${sheet.name}` : sheet.name, cell: ref });
const norm = (s: string) => normalizeText(s);

/** Reads the data out of sheets, collecting findings about cells on the way. */
class Reader {
  readonly map = new WorkbookMap();
  readonly diagnostics: Diagnostic[] = [];
  /** The workbook's date system, once it is read: serials in date fields are its days. */
  date1904 = false;

  constructor(readonly campaign: Campaign) {}

  find(severity: 'error' | 'warning', code: MessageCode, params: MessageParams, where: Position = {}): void {
    this.diagnostics.push(makeDiagnostic(severity, code, params, where));
  }

  /**
   * A cell's value for the data: text as typed, numbers written out, dates as text; a serial in
   * a date field (`asDate`) becomes its date. Null when empty or unusable (that is reported).
   */
  value(sheet: Sheet, cell: Cell | undefined, asDate = false): string | boolean | null {
    if (!cell) return null;
    const where = at(sheet, cell.ref);
    if (cell.picture) this.find('error', 'workbook/picture', {}, where);
    else if (cell.error) this.find('error', 'workbook/error-value', { value: cell.error }, where);
    else if (cell.uncalculated) this.find('error', 'workbook/uncalculated', {}, where);
    if (cell.value === null) return null;
    if (typeof cell.value === 'number') {
      const date = asDate && cell.value >= 1 && Number.isInteger(cell.value * 1440) ? serialDate(cell.value, this.date1904) : undefined;
      return date ?? numberText(cell.value);
    }
    return cell.value;
  }

  /** Warn once per hidden row that holds something read. */
  private warned = new Set<string>();
  hiddenRow(sheet: Sheet, row: number, ref: string): void {
    const key = `${sheet.name}!${row}`;
    if (!sheet.hiddenRows.has(row) || this.warned.has(key)) return;
    this.warned.add(key);
    this.find('warning', 'workbook/hidden-row', { row }, at(sheet, ref));
  }
}

/** A header row: the first row (of the first 10) holding every one of `labels`; their columns. */
function findHeader(sheet: Sheet, labels: readonly string[]): { row: number; cols: Map<string, number> } | undefined {
  for (let r = 1; r <= Math.min(sheet.maxRow, 10); r++) {
    const cells = sheet.rows.get(r);
    if (!cells) continue;
    const cols = new Map<string, number>();
    for (const label of labels) {
      for (const [c, cell] of cells) if (typeof cell.value === 'string' && isLabel(cell.value, label)) cols.set(label, c);
    }
    if (cols.size === labels.length) return { row: r, cols };
  }
  return undefined;
}

/** True when a cell holds anything that is read (a value or something reported about it). */
const hasContent = (cell: Cell | undefined) => Boolean(cell && (cell.value !== null || cell.error || cell.uncalculated || cell.picture));

/** The sheets a fill-in part may be on: all but the marker. */
const partSheets = (wb: Workbook) => wb.sheets.filter((s) => s.name !== MARKER_SHEET);
const sheetNamed = (wb: Workbook, key: SheetKey) => partSheets(wb).find((s) => norm(s.name) === norm(SHEETS[key]));

/** The sheet of a fill-in part: by its name, else (renamed) by what it holds. */
function fillInSheet(wb: Workbook, key: Exclude<SheetKey, 'statistics'>): Sheet | undefined {
  const holds: Record<typeof key, (s: Sheet) => boolean> = {
    basic: (s) => findLabelCell(s, BASIC_FIELDS[1].label) !== undefined && findLabelCell(s, BASIC_FIELDS[3].label) !== undefined,
    tasks: (s) => findHeader(s, [TASK_HEADERS.no, TASK_HEADERS.text]) !== undefined,
    cases: (s) => findHeader(s, [CASE_HEADERS.title, CASE_HEADERS.task]) !== undefined,
    summary: (s) => findLabelCell(s, SUMMARY_LABEL, true) !== undefined,
    materials: (s) => findHeader(s, [MATERIAL_HEADER]) !== undefined,
  };
  return sheetNamed(wb, key) ?? partSheets(wb).find(holds[key]);
}

/** The fill-in's 统计表 and its table, located once: the sheet by its name, else (renamed) the first that holds the table. */
function statisticsTable(wb: Workbook, campaign: Campaign): { sheet: Sheet; layout: TableLayout } | undefined {
  const named = sheetNamed(wb, 'statistics');
  return findTable(named ? [named] : partSheets(wb), campaign);
}

/** The first cell whose text is `label` (or starts with it). */
function findLabelCell(sheet: Sheet, label: string, prefix = false): Cell | undefined {
  const want = norm(label);
  for (const cells of sheet.rows.values())
    for (const cell of cells.values()) {
      if (typeof cell.value !== 'string') continue;
      const text = norm(cell.value).replace(/[:：]$/, '');
      if (text === want || (prefix && text.startsWith(want))) return cell;
    }
  return undefined;
}

/** The cell right of a label (past the label's merge): where its value is typed. */
function rightOf(sheet: Sheet, label: Cell): { row: number; col: number } {
  const merge = mergeAt(sheet, label.row, label.col);
  return { row: label.row, col: (merge ? merge.right : label.col) + 1 };
}

// ── the three kinds ──

/** A merged table's second workbook (汇总表（附表）.xlsx), found beside it: its bytes and name, or why it could not be read. */
export interface SecondFile {
  bytes: Uint8Array;
  name: string;
  problem?: string;
}

/**
 * Read a workbook's bytes as a submission of `campaign`. `file` names it (the department may be
 * in its name); `second` is the second workbook found beside a merged table. Pure.
 */
export function readWorkbookSource(bytes: Uint8Array, campaign: Campaign, file: string, second?: SecondFile): SourceRead {
  const reader = new Reader(campaign);
  let wb: Workbook;
  try {
    wb = readWorkbook(bytes);
  } catch (error) {
    if (!(error instanceof WorkbookError)) throw error;
    reader.find('error', error.code, error.params);
    return { map: reader.map, diagnostics: reader.diagnostics };
  }
  reader.date1904 = wb.date1904;
  const marker = wb.sheets.find((s) => s.name === MARKER_SHEET && cellText(cellAt(s, 1, 1)) === MARKER);
  const isFillIn = marker !== undefined || (wb.sheets.some((s) => s.name === SHEETS.basic) && wb.sheets.some((s) => s.name === SHEETS.statistics));
  let data: Record<string, unknown> | undefined;
  if (isFillIn) data = readFillIn(reader, wb, marker);
  else {
    const table = findTable(wb.sheets.filter((s) => s.state === 'visible'), campaign);
    // A table whose template locked its structure: the added sheets are in the second workbook.
    if (second && table && !mergedSheet(wb, MERGED_SHEETS.register)) addSecondFile(reader, wb, second);
    // Merge's output (its 报送情况 sheet): the unit's figures are its 合计 row.
    const merged = mergedSheet(wb, MERGED_SHEETS.register) !== undefined;
    if (!table) reader.find('error', 'workbook/unknown-layout', { sheets: wb.sheets.filter((s) => s.state === 'visible').map((s) => s.name).join('、') });
    else if (merged && table.layout.totalRow === undefined) reader.find('error', 'workbook/merged-no-total', {}, at(table.sheet, 'A1'));
    else data = merged ? readMerged(reader, wb, table.sheet, table.layout, file) : readTableCopy(reader, table.sheet, table.layout, file);
  }
  return { ...(data && { data }), map: reader.map, diagnostics: reader.diagnostics };
}

/** The fill-in workbook: every part found by its labels. */
function readFillIn(reader: Reader, wb: Workbook, marker: Sheet | undefined): Record<string, unknown> {
  const { campaign, map } = reader;
  const data: Record<string, unknown> = {};
  const missing = (key: SheetKey, severity: 'error' | 'warning') =>
    reader.find(severity, severity === 'error' ? 'workbook/missing-sheet' : 'workbook/missing-sheet-optional', { sheet: SHEETS[key], sheets: wb.sheets.filter((s) => s.state === 'visible').map((s) => s.name).join('、') });

  // 基本信息: label | value.
  const basic = fillInSheet(wb, 'basic');
  const markedDepartment = marker ? campaign.departments.find((d) => d.id === cellText(cellAt(marker, 3, 1))) : undefined;
  // A form made for another campaign (last year's) is read by its labels all the same, but said.
  const markedCampaign = marker && cellText(cellAt(marker, 2, 1));
  if (markedCampaign && markedCampaign !== campaign.id) reader.find('warning', 'workbook/other-campaign', { id: markedCampaign, expected: campaign.id });
  if (!basic) missing('basic', 'error');
  for (const field of BASIC_FIELDS) {
    const label = basic && findLabelCell(basic, field.label);
    if (!basic || !label) {
      if (field.key === 'department' && markedDepartment) data.department = markedDepartment.name;
      else if (basic && field.key !== 'reviewed_by' && field.key !== 'summary_file') reader.find('error', 'workbook/missing-label', { label: field.label }, at(basic, 'A1'));
      continue;
    }
    const place = rightOf(basic, label);
    const cell = cellAt(basic, place.row, place.col);
    let value = reader.value(basic, cell, field.key === 'submitted_at');
    if (field.key === 'department' && value === null && markedDepartment) value = markedDepartment.name;
    if (field.key === 'summary_file' && value === null) continue;
    data[field.key] = value;
    map.set([field.key], at(basic, cell?.ref ?? cellAddress(place.row, place.col)));
  }

  // 统计表: the department's row under the table's header.
  const statistics: Record<string, unknown> = {};
  data.statistics = statistics;
  const table = statisticsTable(wb, campaign);
  if (!table) missing('statistics', 'error');
  else {
    const { sheet: stats, layout } = table;
    map.set(['statistics'], at(stats, cellAddress(layout.headerRows[0], layout.nameCol)));
    const department = typeof data.department === 'string' ? departmentFinder(campaign)(data.department) : undefined;
    const row = (department && layout.departmentRows[department.id]) ?? layout.headerRows[1] + 1;
    readFigures(reader, stats, layout, row, statistics);
  }

  // 重点任务: 序号 | … | 落实情况.
  const tasksSheet = fillInSheet(wb, 'tasks');
  const header = tasksSheet && findHeader(tasksSheet, [TASK_HEADERS.no, TASK_HEADERS.text]);
  if (!tasksSheet || !header) missing('tasks', 'warning');
  else data.tasks = readTasks(reader, tasksSheet, header.row, header.cols.get(TASK_HEADERS.no)!, header.cols.get(TASK_HEADERS.text)!);

  // 典型案例: one row a case; blank rows between cases are passed over.
  const casesSheet = fillInSheet(wb, 'cases');
  const caseHeader = casesSheet && findHeader(casesSheet, [CASE_HEADERS.title, CASE_HEADERS.task, CASE_HEADERS.date, CASE_HEADERS.summary]);
  if (!casesSheet || !caseHeader) missing('cases', 'warning');
  else {
    const cols: Record<string, number | undefined> = {};
    for (const [key, label] of Object.entries(CASE_HEADERS)) cols[key] = caseHeader.cols.get(label) ?? findHeader(casesSheet, [label])?.cols.get(label);
    data.cases = readCases(reader, casesSheet, caseHeader.row, cols);
  }

  // 工作总结: the cells below its label.
  const summarySheet = fillInSheet(wb, 'summary');
  if (!summarySheet) missing('summary', 'warning');
  else {
    const label = findLabelCell(summarySheet, SUMMARY_LABEL, true);
    const from = label ? label.row + 1 : 2;
    const col = label?.col ?? 1;
    const parts: { text: string; ref: string }[] = [];
    for (let r = from; r <= summarySheet.maxRow; r++) {
      const cell = cellAt(summarySheet, r, col);
      const value = reader.value(summarySheet, cell);
      if (value !== null && String(value).trim() !== '') parts.push({ text: String(value), ref: cell!.ref });
    }
    data.summary = parts.length ? parts.map((p) => p.text).join('\n') : null;
    // A 总结 written in Word instead: its file named on 基本信息 (总结文件), this sheet left empty.
    if (data.summary_file != null && data.summary === null) delete data.summary;
    map.set(['summary'], at(summarySheet, parts[0]?.ref ?? cellAddress(from, col)));
  }

  // 图片视频资料: file names, one a row.
  const materialsSheet = fillInSheet(wb, 'materials');
  const materialHeader = materialsSheet && findHeader(materialsSheet, [MATERIAL_HEADER]);
  if (!materialsSheet || !materialHeader) missing('materials', 'warning');
  else {
    const col = materialHeader.cols.get(MATERIAL_HEADER)!;
    const materials: unknown[] = [];
    // 说明 (时间、地点、事由) beside a file name: its caption in the package's list of pictures.
    const captionCol = [...(materialsSheet.rows.get(materialHeader.row) ?? new Map()).values()].find((c) => typeof c.value === 'string' && c.value.trim().startsWith('说明'))?.col;
    const captions: Record<string, unknown> = {};
    for (let r = materialHeader.row + 1; r <= materialsSheet.maxRow; r++) {
      const cell = cellAt(materialsSheet, r, col);
      if (!hasContent(cell)) continue;
      const value = reader.value(materialsSheet, cell);
      if (value === null) continue;
      map.set(['materials', materials.length], at(materialsSheet, cell!.ref));
      materials.push(value);
      const caption = captionCol === undefined ? null : reader.value(materialsSheet, cellAt(materialsSheet, r, captionCol));
      if (caption !== null && String(caption).trim() !== '') {
        captions[String(value)] = String(caption);
        map.set(['captions', String(value)], at(materialsSheet, cellAddress(r, captionCol!)));
      }
    }
    data.materials = materials;
    if (Object.keys(captions).length) data.captions = captions;
  }
  return data;
}

/** The figures of one row of a statistics table, by indicator id; a merge over figures is a finding. */
function readFigures(reader: Reader, sheet: Sheet, layout: TableLayout, row: number, out: Record<string, unknown>): void {
  const { campaign, map } = reader;
  for (const indicator of campaign.indicators) {
    const col = layout.columns[indicator.id];
    if (col === undefined) {
      reader.find('warning', 'workbook/missing-column', { label: indicator.label, sheet: sheet.name });
      continue;
    }
    const ref = cellAddress(row, col);
    const merge = mergeAt(sheet, row, col);
    if (merge && (merge.right > merge.left || merge.top !== row) && Object.values(layout.columns).some((c) => c !== col && c >= merge.left && c <= merge.right)) {
      // One value over several figures would give the first and leave the others empty, silently.
      if (merge.left === col) reader.find('error', 'workbook/merged-figure', { range: `${cellAddress(merge.top, merge.left)}:${cellAddress(merge.bottom, merge.right)}` }, at(sheet, ref));
      out[indicator.id] = null;
      map.set(['statistics', indicator.id], at(sheet, ref));
      continue;
    }
    const cell = cellAt(sheet, row, col);
    if (hasContent(cell)) reader.hiddenRow(sheet, row, ref);
    out[indicator.id] = reader.value(sheet, cell);
    map.set(['statistics', indicator.id], at(sheet, ref));
  }
}

/** Task rows: a number and a text; rows without text are passed over; texts for one number are joined. */
function readTasks(reader: Reader, sheet: Sheet, headerRow: number, noCol: number, textCol: number): Record<string, unknown> {
  const tasks: Record<string, unknown> = {};
  let lastNo = '';
  for (let r = headerRow + 1; r <= sheet.maxRow; r++) {
    const noCell = cellAt(sheet, r, noCol);
    const merge = mergeAt(sheet, r, noCol);
    // The rows a task's merged 序号 covers belong to it (the merged workbook's 重点任务落实).
    const no = noCell ? cellText(noCell).trim() : merge && merge.top < r ? lastNo : '';
    if (noCell) lastNo = no;
    const cell = cellAt(sheet, r, textCol);
    if (!hasContent(cell)) continue;
    const text = reader.value(sheet, cell);
    if (text === null || String(text).trim() === '') continue;
    reader.hiddenRow(sheet, r, cell!.ref);
    if (no === '') {
      reader.find('error', 'workbook/task-without-number', {}, at(sheet, cellAddress(r, noCol)));
      continue;
    }
    const earlier = tasks[no];
    tasks[no] = earlier ? `${String(earlier)}\n${String(text)}` : text;
    if (!earlier) reader.map.set(['tasks', no], at(sheet, cell!.ref), at(sheet, cellAddress(r, noCol)));
  }
  return tasks;
}

/** Case rows: every row with something in a case column; blank rows between them are passed over. */
function readCases(reader: Reader, sheet: Sheet, headerRow: number, cols: Record<string, number | undefined>): unknown[] {
  const cases: unknown[] = [];
  const keys = Object.keys(CASE_HEADERS).filter((k) => cols[k] !== undefined);
  for (let r = headerRow + 1; r <= sheet.maxRow; r++) {
    if (!keys.some((k) => hasContent(cellAt(sheet, r, cols[k]!)))) continue;
    const index = cases.length;
    const item: Record<string, unknown> = {};
    reader.hiddenRow(sheet, r, cellAddress(r, cols.title ?? 1));
    reader.map.set(['cases', index], at(sheet, cellAddress(r, cols.title ?? 1)));
    for (const key of keys) {
      const ref = cellAddress(r, cols[key]!);
      item[key] = reader.value(sheet, cellAt(sheet, r, cols[key]!), key === 'date');
      reader.map.set(['cases', index, key], at(sheet, ref));
    }
    cases.push(item);
  }
  return cases;
}

// ── tables ──

/** The department a file's name names, when exactly one: `区林业局.xlsx`, `附件2-区林业局统计表.xlsx`, `区市监局.xlsx`. */
const departmentOfName = (campaign: Campaign, file: string): Department | undefined => departmentNamedIn(campaign, basename(file, extname(file)));

/** `填表人：张伟　审核人：…` → 张伟; the value may also stand in the cell after the label's. */
function lineValue(sheet: Sheet, label: string): { value: string; ref: string } | undefined {
  for (const cells of sheet.rows.values())
    for (const cell of cells.values()) {
      if (typeof cell.value !== 'string') continue;
      const rest = valueAfterLabel(cell.value, label);
      if (rest === undefined) continue;
      if (rest && !/^[年月日\s\u3000]+$/.test(rest)) return { value: rest, ref: cell.ref };
      const next = cellAt(sheet, cell.row, rightOf(sheet, cell).col);
      const nextText = cellText(next).trim();
      if (next && nextText && !/[：:]/.test(nextText)) return { value: nextText, ref: next.ref };
      return { value: '', ref: cell.ref };
    }
  return undefined;
}

/** 填表人, 审核人, 联系电话 and 填报日期 from the lines around a table. */
function readLines(reader: Reader, sheet: Sheet, data: Record<string, unknown>, contact?: Department['contact']): void {
  const fields = [
    ['filled_by', '填表人'],
    ['reviewed_by', '审核人'],
    ['phone', '联系电话'],
    ['submitted_at', '填报日期'],
  ] as const;
  for (const [key, label] of fields) {
    const found = lineValue(sheet, label) ?? (key === 'submitted_at' ? lineValue(sheet, '填报时间') : undefined);
    let value: string | null = found?.value || null;
    // A lower level's merged table names its issuer, not a person: the campaign's contact for that unit is whom to call.
    if (value === null && contact && key === 'filled_by') value = contact.name;
    if (value === null && contact && key === 'phone') value = contact.phone;
    if (value === null && key === 'reviewed_by') continue;
    data[key] = value;
    if (found) reader.map.set([key], at(sheet, found.ref));
  }
}

/** A copy of the statistics table with one department's row filled. */
function readTableCopy(reader: Reader, sheet: Sheet, layout: TableLayout, file: string): Record<string, unknown> | undefined {
  const { campaign } = reader;
  const indicatorCols = Object.values(layout.columns);
  const filled = campaign.departments.filter((d) => {
    const row = layout.departmentRows[d.id];
    return row !== undefined && indicatorCols.some((c) => hasContent(cellAt(sheet, row, c)));
  });
  const named = departmentOfName(campaign, file);
  let department: Department | undefined;
  if (filled.length === 1) department = filled[0];
  else if (filled.length === 0) {
    if (!named) {
      reader.find('error', 'workbook/no-filled-row', { sheet: sheet.name });
      return undefined;
    }
    department = named;
  } else if (named && filled.includes(named)) {
    department = named;
    for (const other of filled.filter((d) => d !== named))
      reader.find('error', 'workbook/other-row', { name: other.name, department: named.name }, at(sheet, cellAddress(layout.departmentRows[other.id]!, layout.nameCol)));
  } else {
    reader.find('error', 'workbook/two-rows', { names: filled.map((d) => d.name).join('、') }, at(sheet, cellAddress(layout.departmentRows[filled[1]!.id]!, layout.nameCol)));
    return undefined;
  }
  const row = layout.departmentRows[department!.id];
  const data: Record<string, unknown> = { department: department!.name, statistics: {} };
  const nameRef = cellAddress(row ?? layout.headerRows[1] + 1, layout.nameCol);
  reader.map.set(['department'], at(sheet, nameRef));
  reader.map.set(['statistics'], at(sheet, nameRef));
  if (row !== undefined) readFigures(reader, sheet, layout, row, data.statistics as Record<string, unknown>);
  readLines(reader, sheet, data);
  return data;
}

/** The sheets of a merged table's second workbook, after the table's own; a finding when it cannot be read. */
function addSecondFile(reader: Reader, wb: Workbook, second: SecondFile): void {
  if (second.problem) return reader.find('error', 'workbook/second-file', { file: second.name, reason: second.problem });
  try {
    wb.sheets.push(...readWorkbook(second.bytes).sheets.map((s) => ({ ...s, book: second.name })));
  } catch (error) {
    if (!(error instanceof WorkbookError)) throw error;
    reader.find('error', 'workbook/second-file', { file: second.name, reason: t(error.code, error.params) });
  }
}

/**
 * An added sheet of a lower level's merged table: by its name, or by the name merge gave it
 * beside the template's own sheet of that name (工作总结(汇总): the last such, as merge adds its
 * sheets at the end).
 */
function mergedSheet(wb: Workbook, name: string): Sheet | undefined {
  return wb.sheets.filter((s) => isBesideName(s.name, name)).at(-1) ?? wb.sheets.find((s) => s.name === name);
}

/** A lower level's merged workbook: the 合计 row and the sheets the merge adds. */
function readMerged(reader: Reader, wb: Workbook, sheet: Sheet, layout: TableLayout, file: string): Record<string, unknown> | undefined {
  const { campaign, map } = reader;
  const find = departmentFinder(campaign);
  const issuer = lineValue(sheet, '填报单位');
  const unit = (issuer?.value && find(issuer.value.replace(/（盖章）|\(盖章\)/g, '').trim())) || departmentOfName(campaign, file);
  if (!unit) {
    reader.find('error', 'workbook/merged-unit', { issuer: issuer?.value ?? '', valid: campaign.departments.map((d) => d.name).join('、') }, issuer ? at(sheet, issuer.ref) : {});
    return undefined;
  }
  const totalRef = cellAddress(layout.totalRow!, layout.nameCol);
  const data: Record<string, unknown> = { department: unit.name, statistics: {} };
  map.set(['department'], issuer ? at(sheet, issuer.ref) : at(sheet, totalRef));
  map.set(['statistics'], at(sheet, totalRef));
  readFigures(reader, sheet, layout, layout.totalRow!, data.statistics as Record<string, unknown>);
  readLines(reader, sheet, data, unit.contact);

  const tasksSheet = mergedSheet(wb, MERGED_SHEETS.tasks);
  const taskHeader = tasksSheet && findHeader(tasksSheet, [TASK_COLUMNS.no, TASK_COLUMNS.unit, TASK_COLUMNS.text]);
  if (tasksSheet && taskHeader) {
    const byUnit: Record<string, unknown> = {};
    const noCol = taskHeader.cols.get(TASK_COLUMNS.no)!;
    const unitCol = taskHeader.cols.get(TASK_COLUMNS.unit)!;
    const textCol = taskHeader.cols.get(TASK_COLUMNS.text)!;
    let lastNo = '';
    for (let r = taskHeader.row + 1; r <= tasksSheet.maxRow; r++) {
      const noCell = cellAt(tasksSheet, r, noCol);
      if (noCell) lastNo = cellText(noCell).trim();
      const text = reader.value(tasksSheet, cellAt(tasksSheet, r, textCol));
      const who = cellText(cellAt(tasksSheet, r, unitCol)).trim();
      if (text === null || !who || lastNo === '') continue; // （尚无责任单位填写）has no 报送单位
      const line = `${who}：${String(text)}`;
      if (byUnit[lastNo]) byUnit[lastNo] = `${String(byUnit[lastNo])}\n${line}`;
      else {
        byUnit[lastNo] = line;
        map.set(['tasks', lastNo], at(tasksSheet, cellAddress(r, textCol)), at(tasksSheet, cellAddress(r, noCol)));
      }
    }
    data.tasks = byUnit;
  }

  const casesSheet = mergedSheet(wb, MERGED_SHEETS.cases);
  const caseHeader = casesSheet && findHeader(casesSheet, [CASE_COLUMNS.title, CASE_COLUMNS.task]);
  if (casesSheet && caseHeader) {
    const cols: Record<string, number | undefined> = {};
    for (const [key, label] of Object.entries(CASE_COLUMNS)) cols[key] = findHeader(casesSheet, [label])?.cols.get(label);
    const cases = readCases(reader, casesSheet, caseHeader.row, cols);
    data.cases = cases;
    // The unit that reported each case down there, kept: 区文旅体局, or 黄山区（区文旅体局） from a city's table.
    const unitCol = findHeader(casesSheet, ['单位'])?.cols.get('单位');
    if (unitCol !== undefined) {
      let i = 0;
      for (let r = caseHeader.row + 1; r <= casesSheet.maxRow && i < cases.length; r++) {
        const item = cases[i] as Record<string, unknown>;
        if (!Object.keys(cols).some((k) => cols[k] !== undefined && hasContent(cellAt(casesSheet, r, cols[k]!)))) continue;
        const who = cellText(cellAt(casesSheet, r, unitCol)).trim();
        const below = typeof item.unit === 'string' && item.unit.trim() ? String(item.unit).trim() : '';
        if (who) item.unit = below ? `${who}（${below}）` : who;
        i++;
      }
    }
  }

  const summarySheet = mergedSheet(wb, MERGED_SHEETS.summaries);
  const summaryHeader = summarySheet && findHeader(summarySheet, [SUMMARY_COLUMNS.unit, SUMMARY_COLUMNS.text]);
  if (summarySheet && summaryHeader) {
    const parts: string[] = [];
    let first: string | undefined;
    for (let r = summaryHeader.row + 1; r <= summarySheet.maxRow; r++) {
      const who = cellText(cellAt(summarySheet, r, summaryHeader.cols.get(SUMMARY_COLUMNS.unit)!)).trim();
      const cell = cellAt(summarySheet, r, summaryHeader.cols.get(SUMMARY_COLUMNS.text)!);
      const text = reader.value(summarySheet, cell);
      if (!who || text === null || text === NOT_SENT || text === NOT_WRITTEN) continue;
      parts.push(`${who}：\n${String(text)}`);
      first ??= cell!.ref;
    }
    if (parts.length) {
      data.summary = parts.join('\n\n');
      map.set(['summary'], at(summarySheet, first!));
    }
  }
  return data;
}
