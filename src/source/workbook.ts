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
import { createHash } from 'node:crypto';
import { basename, extname } from 'node:path';
import { departmentFinder, departmentNamedIn } from '../campaign/lookup.js';
import type { Campaign, Department } from '../campaign/schema.js';
import { makeDiagnostic, type Diagnostic, type Position } from '../diagnostics.js';
import { formatSize } from '../fs.js';
import { t, type MessageCode, type MessageParams } from '../messages/index.js';
import { cellAt, cellText, isHiddenCol, mergeAt, numberText, readWorkbook, rowsFrom, serialDate, WorkbookError, type Cell, type Sheet, type Workbook } from '../xlsx/cells.js';
import { CASE_COLUMNS, isBesideName, MERGE_PROPS, MERGED_SHEETS, NOT_SENT, NOT_WRITTEN, secondFileName, SUMMARY_COLUMNS, TASK_COLUMNS } from '../layout/merged.js';
import type { Gap, Rollup } from '../model.js';
import { exactSum } from '../text/values.js';
import {
  BASIC_FIELDS, CASE_HEADERS, MARKER, MARKER_SHEET, MATERIAL_HEADER, SHEETS, SUMMARY_LABEL, TASK_HEADERS, type SheetKey,
} from '../layout/fill-in.js';
import { likeness } from '../table/locate.js';
import { cellAddress, columnLetter, rangesIn } from '../xlsx/refs.js';
import { findTable, type TableLayout } from '../table/in-workbook.js';
import { isLabel, normalizeText, valueAfterLabel } from '../text/labels.js';
import { oddCharacterKinds } from '../text/odd-characters.js';
import { MAX_SUBMISSION_BYTES } from './read.js';
import { pathKey, type Path, type SourceMap, type SourceRead } from './source.js';

/** Where a value and its key are in the workbook. */
interface Place {
  key?: Position;
  value?: Position;
}

class WorkbookMap implements SourceMap {
  readonly start: Position = {};
  readonly places = new Map<string, Place>();
  readonly wording: SourceMap['wording'] = { 'schema/expected-boolean': 'workbook/expected-boolean' };

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
    else if (cell.missingString) this.find('error', 'workbook/missing-string', {}, where);
    else if (cell.error) this.find('error', 'workbook/error-value', { value: cell.error }, where);
    else if (cell.uncalculated) this.find('error', 'workbook/uncalculated', {}, where);
    if (cell.value === null) return null;
    // Invisible and control characters: the same warning as in a YAML file, at the cell.
    if (typeof cell.value === 'string') for (const odd of oddCharacterKinds(cell.value)) this.find('warning', odd.code, odd.params, where);
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
const hasContent = (cell: Cell | undefined) => Boolean(cell && (cell.value !== null || cell.error || cell.uncalculated || cell.picture || cell.missingString));

/** The sheets a fill-in part may be on: the visible ones (what a reviewer sees), the marker never. */
const partSheets = (wb: Workbook) => wb.sheets.filter((s) => s.name !== MARKER_SHEET && s.state === 'visible');
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
export function readWorkbookSource(bytes: Uint8Array, campaign: Campaign, file: string, second?: SecondFile, options: ReadOptions = {}): SourceRead {
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
  // Pictures pasted into the form never reach the package: said at the sheet, so they are sent as files.
  // (A table's own pictures, such as a seal on an official template, are not the clerk's materials.)
  if (isFillIn)
    for (const sheet of wb.sheets)
      if (sheet.pictures && sheet.state === 'visible') reader.find('warning', 'workbook/embedded-pictures', { sheet: sheet.name, count: sheet.pictures }, at(sheet, 'A1'));
  let data: Record<string, unknown> | undefined;
  let rollup: MergedRead['rollup'] | undefined;
  if (isFillIn) data = readFillIn(reader, wb, marker);
  else {
    const table = findTable(wb.sheets.filter((s) => s.state === 'visible'), campaign);
    // What this tool wrote into a merged workbook's properties (none in a department's copy of the table).
    const props = wb.properties;
    // A table whose template locked its structure: the added sheets are in the second workbook.
    if (second && table && !mergedSheet(wb, MERGED_SHEETS.register)) addSecondFile(reader, wb, second, props, bytes);
    // Merge's output (its 报送情况 sheet, or its properties): the unit's figures are its 合计 row.
    const merged = mergedSheet(wb, MERGED_SHEETS.register) !== undefined || props.has(MERGE_PROPS.id);
    const hiddenTable = table ? undefined : findTable(wb.sheets.filter((s) => s.state !== 'visible'), campaign);
    if (hiddenTable) reader.find('error', 'workbook/hidden-table', { sheet: hiddenTable.sheet.name }, at(hiddenTable.sheet, 'A1'));
    else if (!table) reader.find('error', 'workbook/unknown-layout', { sheets: wb.sheets.filter((s) => s.state === 'visible').map((s) => s.name).join('、') });
    else if (merged && table.layout.totalRow === undefined) reader.find('error', 'workbook/merged-no-total', {}, at(table.sheet, 'A1'));
    else if (!merged) data = readTableCopy(reader, table.sheet, table.layout, file);
    else {
      const read = readMerged(reader, wb, table.sheet, table.layout, file, props, options, Boolean(second && !second.problem));
      if (read) ({ data, rollup } = read);
    }
  }
  return { ...(data && { data }), ...(rollup && { rollup: rollup.rollup, caseUnits: rollup.caseUnits }), map: reader.map, diagnostics: reader.diagnostics };
}

/** How a caller reads a workbook. */
export interface ReadOptions {
  /**
   * Read a merged table of another round on purpose (last year's table, for 同比): neither its
   * period nor whether it is this level's own table (same issuer, same units) is checked.
   * Every other caller leaves it unset, so a district's table of another campaign, or this
   * level's own table put among the submissions, is refused.
   */
  anyRound?: boolean;
}

/** A merged table read: the data for the schema, and its rows by unit and gaps beside it. */
interface MergedRead {
  data: Record<string, unknown>;
  rollup: { rollup: Rollup; caseUnits: string[] };
}

/** The fill-in workbook: every part found by its labels. */
function readFillIn(reader: Reader, wb: Workbook, marker: Sheet | undefined): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  warnHiddenTwins(reader, wb);
  readBasicPart(reader, wb, marker, data);
  for (const readPart of [readStatisticsPart, readTasksPart, readCasesPart, readSummaryPart, readMaterialsPart]) readPart(reader, wb, data);
  return data;
}

/** A hidden sheet named as a fill-in part (the marker never). */
const hiddenPart = (wb: Workbook, key: SheetKey) => wb.sheets.find((s) => s.state !== 'visible' && s.name !== MARKER_SHEET && norm(s.name) === norm(SHEETS[key]));

/** A fill-in part not found: only in a hidden sheet (what a reviewer cannot see is not read, and that is said), or nowhere. */
function missingPart(reader: Reader, wb: Workbook, key: SheetKey, severity: 'error' | 'warning'): void {
  const hidden = hiddenPart(wb, key);
  if (hidden) return reader.find('error', 'workbook/hidden-part', { sheet: hidden.name }, at(hidden, 'A1'));
  reader.find(severity, severity === 'error' ? 'workbook/missing-sheet' : 'workbook/missing-sheet-optional', { sheet: SHEETS[key], sheets: wb.sheets.filter((s) => s.state === 'visible').map((s) => s.name).join('、') });
}

/** A hidden sheet named as a part beside the visible one read (a very hidden 统计表 with other figures): said. */
function warnHiddenTwins(reader: Reader, wb: Workbook): void {
  for (const key of Object.keys(SHEETS) as SheetKey[]) {
    const hidden = hiddenPart(wb, key);
    const used = hidden && (key === 'statistics' ? statisticsTable(wb, reader.campaign)?.sheet : fillInSheet(wb, key));
    if (hidden && used) reader.find('warning', 'workbook/hidden-sheet-ignored', { sheet: hidden.name, used: used.name }, at(hidden, 'A1'));
  }
}

/** 基本信息: label | value; the marker's department stands in for a 填报单位 left out. */
function readBasicPart(reader: Reader, wb: Workbook, marker: Sheet | undefined, data: Record<string, unknown>): void {
  const { campaign } = reader;
  const basic = fillInSheet(wb, 'basic');
  const markedDepartment = marker ? campaign.departments.find((d) => d.id === cellText(cellAt(marker, 3, 1))) : undefined;
  // A form made for another campaign (last year's) is read by its labels all the same, but said.
  const markedCampaign = marker && cellText(cellAt(marker, 2, 1));
  if (markedCampaign && markedCampaign !== campaign.id) reader.find('warning', 'workbook/other-campaign', { id: markedCampaign, expected: campaign.id });
  if (!basic) missingPart(reader, wb, 'basic', 'error');
  for (const field of BASIC_FIELDS) {
    const label = basic && findLabelCell(basic, field.label);
    if (!basic || !label) {
      if (field.key === 'department' && markedDepartment) data.department = markedDepartment.name;
      else if (basic && field.key !== 'reviewed_by' && field.key !== 'summary_file' && field.key !== 'leader') reader.find('error', 'workbook/missing-label', { label: field.label }, at(basic, 'A1'));
      continue;
    }
    readBasicField(reader, basic, label, field.key, markedDepartment, data);
  }
}

/** One field of 基本信息: the cell right of its label. */
function readBasicField(reader: Reader, basic: Sheet, label: Cell, key: (typeof BASIC_FIELDS)[number]['key'], markedDepartment: Department | undefined, data: Record<string, unknown>): void {
  const place = rightOf(basic, label);
  const cell = cellAt(basic, place.row, place.col);
  let value = reader.value(basic, cell, key === 'submitted_at');
  if (key === 'department' && value === null && markedDepartment) value = markedDepartment.name;
  if ((key === 'summary_file' || key === 'leader') && value === null) return;
  data[key] = value;
  reader.map.set([key], at(basic, cell?.ref ?? cellAddress(place.row, place.col)));
  // The form was made for one department (its marker, its table row, its file name): 填报单位 naming another is no small slip.
  const typed = key === 'department' && typeof value === 'string' ? departmentFinder(reader.campaign)(value) : undefined;
  if (typed && markedDepartment && typed.id !== markedDepartment.id)
    reader.find('error', 'workbook/other-department', { typed: typed.name, marked: markedDepartment.name }, at(basic, cell?.ref ?? cellAddress(place.row, place.col)));
}

/** 统计表: the department's row under the table's header. */
function readStatisticsPart(reader: Reader, wb: Workbook, data: Record<string, unknown>): void {
  const { campaign } = reader;
  const statistics: Record<string, unknown> = {};
  data.statistics = statistics;
  const table = statisticsTable(wb, campaign);
  if (!table) return missingPart(reader, wb, 'statistics', 'error');
  const { sheet: stats, layout } = table;
  reader.map.set(['statistics'], at(stats, cellAddress(layout.headerRows[0], layout.nameCol)));
  const department = typeof data.department === 'string' ? departmentFinder(campaign)(data.department) : undefined;
  const row = (department && layout.departmentRows[department.id]) ?? layout.headerRows[1] + 1;
  readFigures(reader, stats, layout, row, statistics);
  // The form's table has one row, the department's: a figure anywhere else (an inserted row) would be dropped.
  strayFigures(reader, stats, layout, row, new Set(), { department: department?.name ?? cellText(cellAt(stats, row, layout.nameCol)) });
}

/** 重点任务: 序号 | … | 落实情况. */
function readTasksPart(reader: Reader, wb: Workbook, data: Record<string, unknown>): void {
  const tasksSheet = fillInSheet(wb, 'tasks');
  const header = tasksSheet && findHeader(tasksSheet, [TASK_HEADERS.no, TASK_HEADERS.text]);
  if (!tasksSheet || !header) return missingPart(reader, wb, 'tasks', 'warning');
  // Findings about the tasks as a whole (a task not reported on) point at the column to fill.
  reader.map.set(['tasks'], at(tasksSheet, cellAddress(header.row, header.cols.get(TASK_HEADERS.text)!)));
  data.tasks = readTasks(reader, tasksSheet, header.row, header.cols.get(TASK_HEADERS.no)!, header.cols.get(TASK_HEADERS.text)!);
}

/** 典型案例: one row a case; blank rows between cases are passed over. */
function readCasesPart(reader: Reader, wb: Workbook, data: Record<string, unknown>): void {
  const casesSheet = fillInSheet(wb, 'cases');
  const caseHeader = casesSheet && findHeader(casesSheet, [CASE_HEADERS.title, CASE_HEADERS.task, CASE_HEADERS.date, CASE_HEADERS.summary]);
  if (!casesSheet || !caseHeader) return missingPart(reader, wb, 'cases', 'warning');
  const cols: Record<string, number | undefined> = {};
  for (const [key, label] of Object.entries(CASE_HEADERS)) cols[key] = caseHeader.cols.get(label) ?? findHeader(casesSheet, [label])?.cols.get(label);
  data.cases = readCases(reader, casesSheet, caseHeader.row, cols, MAX_ITEMS);
}

/** 工作总结: the cells below its label. */
function readSummaryPart(reader: Reader, wb: Workbook, data: Record<string, unknown>): void {
  const summarySheet = fillInSheet(wb, 'summary');
  if (!summarySheet) return missingPart(reader, wb, 'summary', 'warning');
  const label = findLabelCell(summarySheet, SUMMARY_LABEL, true);
  const from = label ? label.row + 1 : 2;
  const col = label?.col ?? 1;
  const parts: { text: string; ref: string }[] = [];
  for (const r of rowsFrom(summarySheet, from)) {
    const cell = cellAt(summarySheet, r, col);
    const value = reader.value(summarySheet, cell);
    if (value !== null && String(value).trim() !== '') parts.push({ text: String(value), ref: cell!.ref });
  }
  data.summary = parts.length ? parts.map((p) => p.text).join('\n') : null;
  // A 总结 written in Word instead: its file named on 基本信息 (总结文件), this sheet left empty.
  if (data.summary_file != null && data.summary === null) delete data.summary;
  reader.map.set(['summary'], at(summarySheet, parts[0]?.ref ?? cellAddress(from, col)));
  // As long as a YAML file may be at most: 4.8 million characters made a 13.5 MB Word document.
  const size = Buffer.byteLength(String(data.summary ?? ''));
  if (size > MAX_SUBMISSION_BYTES)
    reader.find('error', 'workbook/summary-too-long', { size: formatSize(size), limit: formatSize(MAX_SUBMISSION_BYTES) }, at(summarySheet, parts[0]!.ref));
}

/** 图片视频资料: file names, one a row, with a caption (说明) beside each when given. */
function readMaterialsPart(reader: Reader, wb: Workbook, data: Record<string, unknown>): void {
  const materialsSheet = fillInSheet(wb, 'materials');
  const materialHeader = materialsSheet && findHeader(materialsSheet, [MATERIAL_HEADER]);
  if (!materialsSheet || !materialHeader) return missingPart(reader, wb, 'materials', 'warning');
  const col = materialHeader.cols.get(MATERIAL_HEADER)!;
  const materials: unknown[] = [];
  // 说明 (时间、地点、事由) beside a file name: its caption in the package's list of pictures.
  const captionCol = [...(materialsSheet.rows.get(materialHeader.row) ?? new Map()).values()].find((c) => typeof c.value === 'string' && c.value.trim().startsWith('说明'))?.col;
  const captions: Record<string, unknown> = {};
  for (const r of rowsFrom(materialsSheet, materialHeader.row + 1)) {
    const cell = cellAt(materialsSheet, r, col);
    if (!hasContent(cell)) continue;
    if (materials.length === MAX_ITEMS) {
      reader.find('error', 'workbook/too-many-rows', { sheet: materialsSheet.name, max: MAX_ITEMS, row: r }, at(materialsSheet, cell!.ref));
      break;
    }
    const value = reader.value(materialsSheet, cell);
    if (value === null) continue;
    reader.map.set(['materials', materials.length], at(materialsSheet, cell!.ref));
    materials.push(value);
    const caption = captionCol === undefined ? null : reader.value(materialsSheet, cellAt(materialsSheet, r, captionCol));
    if (caption !== null && String(caption).trim() !== '') {
      captions[String(value)] = String(caption);
      reader.map.set(['captions', String(value)], at(materialsSheet, cellAddress(r, captionCol!)));
    }
  }
  data.materials = materials;
  if (Object.keys(captions).length) data.captions = captions;
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
    if (hasContent(cell)) {
      reader.hiddenRow(sheet, row, ref);
      if (isHiddenCol(sheet, col)) reader.find('warning', 'workbook/hidden-column', { col: columnLetter(col) }, at(sheet, ref));
      else if (cell!.concealed) reader.find('warning', 'workbook/concealed-figure', {}, at(sheet, ref));
    }
    out[indicator.id] = reader.value(sheet, cell);
    map.set(['statistics', indicator.id], at(sheet, ref));
  }
  // A header no indicator took: a second column for one indicator, or one retyped over a figure.
  for (const header of layout.unusedHeaders) {
    const twin = campaign.indicators.find((ind) => layout.columns[ind.id] !== undefined && [ind.label, ...(ind.aliases ?? [])].some((n) => isLabel(header.text, n)));
    if (twin) {
      const first = layout.columns[twin.id]!;
      reader.find('error', 'workbook/two-columns', { label: twin.label, first: columnLetter(first), second: columnLetter(header.col) }, at(sheet, cellAddress(header.row, header.col)));
      continue;
    }
    const cell = cellAt(sheet, row, header.col);
    // A formula there is the template's own (a 校验 column), not a figure typed under a wrong header.
    if (!hasContent(cell) || cell!.formula !== undefined) continue;
    const closest = layout.unmatched.find((u) => u.closest === header.text);
    const hint = closest ? t('workbook/closest-indicator', { label: closest.label }) : '';
    reader.find('error', 'workbook/figure-unmatched-header', { header: header.text.replace(/\s+/g, ''), hint }, at(sheet, cell!.ref));
  }
}

/** Zero-width and other invisible characters, shown: 区林‹U+200D›业局. */
const INVISIBLE = /[\u00a0\u00ad\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/gu;
const shown = (name: string) => name.replace(INVISIBLE, (c) => `‹U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}›`);

/**
 * A did-you-mean for a unit's name no department has: the department most like it (區林業局,
 * 区林业局（含园林） → 区林业局), and what differs when the two look the same.
 */
function unitHint(campaign: Campaign, name: string): string {
  let best: { department: Department; score: number } | undefined;
  const plain = name.replace(INVISIBLE, '');
  for (const department of campaign.departments) {
    const score = Math.max(...[department.name, ...(department.aliases ?? [])].map((n) => likeness(plain, n)));
    if (score >= 0.5 && (!best || score > best.score)) best = { department, score };
  }
  if (!best) return '';
  const odd = [...new Set(name.match(INVISIBLE))].map((c) => shown(c)).join('');
  if (odd) return t('workbook/unit-differs', { suggestion: best.department.name, difference: odd });
  return t('workbook/unit-did-you-mean', { suggestion: best.department.name });
}

/**
 * Figures outside the row read, under the table's indicators: in an inserted row of the fill-in
 * form, the 合计 row or a row of a name no department has. Each is an error at its cell, never
 * dropped silently; `skip` are rows reported otherwise. A formula in the 合计 row is the
 * template's own; a text with a colon is a footer line. Returns how many were found.
 */
function strayFigures(reader: Reader, sheet: Sheet, layout: TableLayout, row: number | undefined, skip: Set<number>, fillIn?: { department: string }): number {
  const cols = Object.values(layout.columns);
  let found = 0;
  for (const r of rowsFrom(sheet, layout.headerRows[1] + 1)) {
    if (r === row || skip.has(r)) continue;
    for (const col of cols) {
      const cell = cellAt(sheet, r, col);
      if (!hasContent(cell) || (typeof cell!.value === 'string' && /[:：]/.test(cell!.value))) continue;
      if (r === layout.totalRow && cell!.formula !== undefined) continue;
      const where = at(sheet, cell!.ref);
      const name = cellText(cellAt(sheet, r, layout.nameCol)).trim();
      found++;
      if (fillIn && row !== undefined) reader.find('error', 'workbook/figure-outside-row', { department: fillIn.department, row }, where);
      else if (r === layout.totalRow) reader.find('error', 'workbook/figure-in-total', {}, where);
      else if (name) reader.find('error', 'workbook/figure-unknown-unit', { row: r, name: shown(name), hint: unitHint(reader.campaign, name) }, where);
      else reader.find('error', 'workbook/figure-no-unit', { row: r }, where);
    }
  }
  return found;
}

/** Task rows: a number and a text; rows without text are passed over; texts for one number are joined. */
function readTasks(reader: Reader, sheet: Sheet, headerRow: number, noCol: number, textCol: number): Record<string, unknown> {
  const tasks: Record<string, unknown> = {};
  let lastNo = '';
  for (const r of rowsFrom(sheet, headerRow + 1)) {
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

/**
 * Most cases (or materials) a fill-in form's sheet is read for: a column filled down 80,000 rows
 * is a slip, and that many findings overflowed the checker's stack. A lower level's merged table
 * holds its units' cases, as many as they are: no limit there.
 */
const MAX_ITEMS = 2000;

/** Case rows: every row with something in a case column; blank rows between them are passed over. */
function readCases(reader: Reader, sheet: Sheet, headerRow: number, cols: Record<string, number | undefined>, limit = Infinity): unknown[] {
  const cases: unknown[] = [];
  const keys = Object.keys(CASE_HEADERS).filter((k) => cols[k] !== undefined);
  let lastRow = 0;
  for (const r of rowsFrom(sheet, headerRow + 1)) {
    if (!keys.some((k) => hasContent(cellAt(sheet, r, cols[k]!)))) continue;
    // A case written over two rows, some of its cells merged down from the case's row: one case, the rest added to it.
    const mergedFromAbove = (k: string) => {
      const merge = mergeAt(sheet, r, cols[k]!);
      return merge !== undefined && merge.top < r && merge.top >= lastRow && lastRow > 0;
    };
    if (keys.some(mergedFromAbove)) {
      const item = cases.at(-1) as Record<string, unknown>;
      for (const key of keys.filter((k) => !mergedFromAbove(k))) {
        const more = reader.value(sheet, cellAt(sheet, r, cols[key]!), key === 'date');
        if (more === null || String(more).trim() === '') continue;
        item[key] = item[key] === null || item[key] === undefined ? more : `${String(item[key])}\n${String(more)}`;
      }
      continue;
    }
    lastRow = r;
    if (cases.length === limit) {
      reader.find('error', 'workbook/too-many-rows', { sheet: sheet.name, max: limit, row: r }, at(sheet, cellAddress(r, cols.title ?? 1)));
      break;
    }
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
  const filledRows = new Set(filled.map((d) => layout.departmentRows[d.id]!));
  let department: Department | undefined;
  if (filled.length === 1) department = filled[0];
  else if (filled.length === 0) {
    if (!named) {
      // Figures there are, in rows of no department (a retyped name, 合计): each said at its cell.
      if (!strayFigures(reader, sheet, layout, undefined, filledRows)) reader.find('error', 'workbook/no-filled-row', { sheet: sheet.name });
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
  strayFigures(reader, sheet, layout, row, filledRows);
  readLines(reader, sheet, data);
  return data;
}

/** The sheets of a merged table's second workbook, after the table's own; a finding when it cannot be read. */
function addSecondFile(reader: Reader, wb: Workbook, second: SecondFile, tableProps: ReadonlyMap<string, string>, tableBytes: Uint8Array): void {
  if (second.problem) return reader.find('error', 'workbook/second-file', { file: second.name, reason: second.problem });
  try {
    const secondBook = readWorkbook(second.bytes);
    const sheets = secondBook.sheets.map((s) => ({ ...s, book: second.name }));
    // The 附表 names the merge it was written by: last week's or another unit's is not this table's.
    const props = secondBook.properties;
    const id = tableProps.get(MERGE_PROPS.id);
    const secondId = props.get(MERGE_PROPS.id);
    if (id !== undefined && secondId !== id) {
      reader.find('error', 'workbook/second-file-other', { file: second.name });
      return;
    }
    // The same merge's, but the table is not the bytes it was written as: saved again, or edited.
    const written = props.get(MERGE_PROPS.table);
    if (written && written !== createHash('sha256').update(tableBytes).digest('hex')) reader.find('warning', 'workbook/second-file-changed', { file: second.name });
    wb.sheets.push(...sheets);
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

/** A lower level's merged workbook: the 合计 row and the sheets the merge adds, checked before they are trusted. */
function readMerged(
  reader: Reader, wb: Workbook, sheet: Sheet, layout: TableLayout, file: string,
  props: ReadonlyMap<string, string>, options: ReadOptions, hasSecond: boolean,
): MergedRead | undefined {
  const { campaign, map } = reader;
  const issuer = lineValue(sheet, '填报单位');
  const issuerName = issuer?.value.replace(/（盖章）|\(盖章\)/g, '').trim() ?? '';
  if (!options.anyRound && (refusedAsOwn(reader, sheet, layout, props, issuer, issuerName) || refusedAsOtherRound(reader, sheet, props))) return undefined;
  if (!addedSheetsThere(reader, wb, sheet, file, hasSecond)) return undefined;
  const unit = (issuerName && departmentFinder(campaign)(issuerName)) || departmentOfName(campaign, file);
  if (!unit) {
    reader.find('error', 'workbook/merged-unit', { issuer: issuer?.value ?? '', valid: campaign.departments.map((d) => d.name).join('、') }, issuer ? at(sheet, issuer.ref) : {});
    return undefined;
  }
  const totalRef = cellAddress(layout.totalRow!, layout.nameCol);
  const data: Record<string, unknown> = { department: unit.name, statistics: {} };
  map.set(['department'], issuer ? at(sheet, issuer.ref) : at(sheet, totalRef));
  map.set(['statistics'], at(sheet, totalRef));
  checkTotal(reader, sheet, layout);
  readFigures(reader, sheet, layout, layout.totalRow!, data.statistics as Record<string, unknown>);
  readLines(reader, sheet, data, unit.contact);
  const rollup: Rollup = { tasks: [], summaries: [], gaps: readGaps(sheet, layout, props) };
  readMergedTasks(reader, wb, sheet, data, rollup);
  const caseUnits = readMergedCases(reader, wb, sheet, data);
  readMergedSummaries(reader, wb, sheet, data, rollup);
  return { data, rollup: { rollup, caseUnits } };
}

/** This level's own table (its issuer, its units' rows, its campaign): refused, as counting it would count every unit twice. */
function refusedAsOwn(reader: Reader, sheet: Sheet, layout: TableLayout, props: ReadonlyMap<string, string>, issuer: { ref: string } | undefined, issuerName: string): boolean {
  const { campaign } = reader;
  const ownRows = campaign.departments.filter((d) => layout.departmentRows[d.id] !== undefined);
  if (!(props.get(MERGE_PROPS.campaign) === campaign.id || (issuerName && norm(issuerName) === norm(campaign.issuer)) || (campaign.departments.length > 1 && ownRows.length > 1))) return false;
  reader.find('error', 'workbook/merged-own', { issuer: issuerName || campaign.issuer }, issuer ? at(sheet, issuer.ref) : at(sheet, 'A1'));
  return true;
}

/**
 * Another round's table (last year's): its period is not this campaign's, so it is refused.
 * Written in its properties; in a table without them (an older tool's), its 统计时段 line's start.
 */
function refusedAsOtherRound(reader: Reader, sheet: Sheet, props: ReadonlyMap<string, string>): boolean {
  const { campaign } = reader;
  const written = props.get(MERGE_PROPS.period)?.split('/');
  const line = lineValue(sheet, '统计时段') ?? lineValue(sheet, '统计时间');
  const start = /^(\d{4})年(\d{1,2})月(\d{1,2})日/u.exec(line?.value ?? '');
  const lineStart = start ? `${start[1]}-${start[2]!.padStart(2, '0')}-${start[3]!.padStart(2, '0')}` : undefined;
  const outside = (from: string, to: string) => from < campaign.period.start || to > campaign.period.end;
  const { start: thisStart, end: thisEnd } = campaign.period;
  if (written?.length === 2 && outside(written[0]!, written[1]!)) {
    reader.find('error', 'workbook/merged-other-round', { id: props.get(MERGE_PROPS.campaign) ?? '', from: written[0]!, to: written[1]!, start: thisStart, end: thisEnd }, at(sheet, 'A1'));
    return true;
  }
  if (!written && lineStart && outside(lineStart, lineStart)) {
    reader.find('error', 'workbook/merged-other-period', { line: line!.value, start: thisStart, end: thisEnd }, at(sheet, line!.ref));
    return true;
  }
  return false;
}

/** True when the merge's added sheets are there; else (written beside a locked template, and not come with it) said why. */
function addedSheetsThere(reader: Reader, wb: Workbook, sheet: Sheet, file: string, hasSecond: boolean): boolean {
  if (mergedSheet(wb, MERGED_SHEETS.register)) return true;
  if (reader.diagnostics.some((d) => d.code.startsWith('workbook/second-file'))) return false; // said why already
  if (!hasSecond) reader.find('error', 'workbook/merged-second-missing', { file: secondFileName(basename(file)) }, at(sheet, 'A1'));
  else reader.find('error', 'workbook/merged-sheet-missing', { sheet: MERGED_SHEETS.register }, at(sheet, 'A1'));
  return false;
}

/** An added sheet of the merged table that is not there: said at the table. */
const mergedSheetMissing = (reader: Reader, table: Sheet, name: string) => reader.find('error', 'workbook/merged-sheet-missing', { sheet: name }, at(table, 'A1'));

/** 重点任务落实: each unit's text under its task, joined per task as 单位：text; each row kept in the rollup. */
function readMergedTasks(reader: Reader, wb: Workbook, table: Sheet, data: Record<string, unknown>, rollup: Rollup): void {
  const tasksSheet = mergedSheet(wb, MERGED_SHEETS.tasks);
  const taskHeader = tasksSheet && findHeader(tasksSheet, [TASK_COLUMNS.no, TASK_COLUMNS.unit, TASK_COLUMNS.text]);
  if (!tasksSheet || !taskHeader) return mergedSheetMissing(reader, table, MERGED_SHEETS.tasks);
  const byUnit: Record<string, unknown> = {};
  const noCol = taskHeader.cols.get(TASK_COLUMNS.no)!;
  const unitCol = taskHeader.cols.get(TASK_COLUMNS.unit)!;
  const textCol = taskHeader.cols.get(TASK_COLUMNS.text)!;
  let lastNo = '';
  for (let r = taskHeader.row + 1; r <= tasksSheet.maxRow; r++) {
    // The rows a task's merged 序号 covers are empty styled cells: they stay that task's.
    const no = cellText(cellAt(tasksSheet, r, noCol)).trim();
    if (no) lastNo = no;
    const text = reader.value(tasksSheet, cellAt(tasksSheet, r, textCol));
    const who = cellText(cellAt(tasksSheet, r, unitCol)).trim();
    if (text === null || !who || lastNo === '') continue; // （尚无责任单位填写）has no 报送单位
    rollup.tasks.push({ task: Number(lastNo), unit: who, text: String(text) });
    const line = `${who}：${String(text)}`;
    if (byUnit[lastNo]) byUnit[lastNo] = `${String(byUnit[lastNo])}\n${line}`;
    else {
      byUnit[lastNo] = line;
      reader.map.set(['tasks', lastNo], at(tasksSheet, cellAddress(r, textCol)), at(tasksSheet, cellAddress(r, noCol)));
    }
  }
  data.tasks = byUnit;
}

/** 典型案例: the cases, and which unit below reported each (the 单位 column), in the order readCases took them. */
function readMergedCases(reader: Reader, wb: Workbook, table: Sheet, data: Record<string, unknown>): string[] {
  const casesSheet = mergedSheet(wb, MERGED_SHEETS.cases);
  const caseHeader = casesSheet && findHeader(casesSheet, [CASE_COLUMNS.title, CASE_COLUMNS.task]);
  const caseUnits: string[] = [];
  if (!casesSheet || !caseHeader) {
    mergedSheetMissing(reader, table, MERGED_SHEETS.cases);
    return caseUnits;
  }
  const cols: Record<string, number | undefined> = {};
  for (const [key, label] of Object.entries(CASE_COLUMNS)) cols[key] = findHeader(casesSheet, [label])?.cols.get(label);
  data.cases = readCases(reader, casesSheet, caseHeader.row, cols);
  const unitCol = findHeader(casesSheet, [SUMMARY_COLUMNS.unit])?.cols.get(SUMMARY_COLUMNS.unit);
  const keys = Object.keys(CASE_COLUMNS).filter((k) => cols[k] !== undefined);
  for (let r = caseHeader.row + 1; r <= casesSheet.maxRow; r++) {
    if (keys.some((k) => hasContent(cellAt(casesSheet, r, cols[k]!)))) caseUnits.push(unitCol === undefined ? '' : cellText(cellAt(casesSheet, r, unitCol)).trim());
  }
  return caseUnits;
}

/** 工作总结(汇总): each unit's summary, joined as 单位：text; those not sent or not written left out. */
function readMergedSummaries(reader: Reader, wb: Workbook, table: Sheet, data: Record<string, unknown>, rollup: Rollup): void {
  const summarySheet = mergedSheet(wb, MERGED_SHEETS.summaries);
  const summaryHeader = summarySheet && findHeader(summarySheet, [SUMMARY_COLUMNS.unit, SUMMARY_COLUMNS.text]);
  if (!summarySheet || !summaryHeader) return mergedSheetMissing(reader, table, MERGED_SHEETS.summaries);
  const parts: string[] = [];
  let first: string | undefined;
  for (let r = summaryHeader.row + 1; r <= summarySheet.maxRow; r++) {
    const who = cellText(cellAt(summarySheet, r, summaryHeader.cols.get(SUMMARY_COLUMNS.unit)!)).trim();
    const cell = cellAt(summarySheet, r, summaryHeader.cols.get(SUMMARY_COLUMNS.text)!);
    const text = reader.value(summarySheet, cell);
    if (!who || text === null || text === NOT_SENT || text === NOT_WRITTEN) continue;
    rollup.summaries.push({ unit: who, text: String(text) });
    parts.push(`${who}：\n${String(text)}`);
    first ??= cell!.ref;
  }
  if (parts.length) {
    data.summary = parts.join('\n\n');
    reader.map.set(['summary'], at(summarySheet, first!));
  }
}

/**
 * The 合计 row checked against the rows above it: a total that is not their sum (typed over
 * by hand) is an error at its cell; a row with figures that the 合计's SUM leaves out, an
 * error naming it. Rows are those between the header and 合计 with a name (小计 and 其中 rows
 * left out).
 */
function checkTotal(reader: Reader, sheet: Sheet, layout: TableLayout): void {
  const totalRow = layout.totalRow!;
  const rows: number[] = [];
  for (let r = layout.headerRows[1] + 1; r < totalRow; r++) {
    // 小计 rows and 其中 rows (a part of the row above) are not added into a 合计.
    const name = cellText(cellAt(sheet, r, layout.nameCol)).trim();
    if (name && !/^其中|小计|合计|总计/u.test(name)) rows.push(r);
  }
  const outside = new Set<number>();
  for (const indicator of reader.campaign.indicators) {
    const col = layout.columns[indicator.id];
    if (col === undefined) continue;
    const values: number[] = [];
    for (const r of rows) {
      const v = cellAt(sheet, r, col)?.value;
      if (typeof v === 'number') values.push(v);
    }
    const total = cellAt(sheet, totalRow, col);
    const shown = typeof total?.value === 'number' ? total.value : undefined;
    const sum = exactSum(indicator.kind, values);
    const same = shown === undefined ? sum === undefined : sum !== undefined && Math.round(shown * 10000) === Math.round(sum * 10000);
    if (!same) reader.find('error', 'workbook/merged-total-differs', { label: indicator.label, total: shown === undefined ? '（空）' : numberText(shown), sum: sum === undefined ? '（空）' : numberText(sum) }, at(sheet, cellAddress(totalRow, col)));
    const formula = total?.formula;
    if (formula && /^=?\s*SUM\(/i.test(formula)) {
      const ranges = rangesIn(formula, sheet.name);
      for (const r of rows)
        if (typeof cellAt(sheet, r, col)?.value === 'number' && !ranges.some((x) => x.left <= col && col <= x.right && x.top <= r && r <= x.bottom)) outside.add(r);
    }
  }
  for (const r of outside) reader.find('error', 'workbook/merged-row-outside', { name: cellText(cellAt(sheet, r, layout.nameCol)).trim(), row: r }, at(sheet, cellAddress(r, layout.nameCol)));
}

/**
 * What a lower level's figures leave out: from its properties (what its merge wrote), else
 * from the note of its 合计 (未含：区林业局（未报送）；…), the same words.
 */
function readGaps(sheet: Sheet, layout: TableLayout, props: ReadonlyMap<string, string>): Gap[] {
  const written = props.get(MERGE_PROPS.gaps);
  if (written !== undefined) {
    try {
      const list: unknown = JSON.parse(written);
      if (Array.isArray(list) && list.every((g) => Array.isArray(g) && g.length === 2 && g.every((x) => typeof x === 'string'))) {
        return (list as [string, string][]).map(([unit, reason]) => ({ unit, reason }));
      }
    } catch {
      // Not ours after all: the note below says the same.
    }
  }
  const note = layout.noteCol === undefined ? '' : cellText(cellAt(sheet, layout.totalRow!, layout.noteCol)).trim();
  const m = /^未含：(.+)$/su.exec(note);
  if (!m) return [];
  return m[1]!.split('；').flatMap((part): Gap[] => {
    const g = /^(.+)（([^（）]+)）$/u.exec(part.trim());
    return g ? g[1]!.split('、').map((unit) => ({ unit: unit.trim(), reason: g[2]! })) : [{ unit: '', reason: part.trim() }];
  });
}

/**
 * An earlier round's statistics table (last year's `report merge` output, or the official
 * table filled by hand), read as a table and not as a submission of `campaign`: it is another
 * campaign's table by nature, so no check meant for submissions applies. The workbook is read
 * and its table found exactly as for a lower level's table; src/history makes rounds of it.
 */
export function readEarlierRoundTable(bytes: Uint8Array, campaign: Campaign): { sheet: Sheet; layout: TableLayout } | { code: MessageCode; params: MessageParams } {
  let wb: Workbook;
  try {
    wb = readWorkbook(bytes);
  } catch (error) {
    if (!(error instanceof WorkbookError)) throw error;
    return { code: error.code, params: error.params };
  }
  return findTable(wb.sheets.filter((s) => s.state === 'visible'), campaign) ?? { code: 'history/no-table', params: { sheets: wb.sheets.filter((s) => s.state === 'visible').map((s) => s.name).join('、') } };
}
