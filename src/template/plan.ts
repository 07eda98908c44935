/**
 * The fill plan: which cells of the statistics sheet get which value. Pure: a layout and
 * the departments' statuses in, a list of cell writes out, so every rule (empty is not 0,
 * exact totals, notes for missing departments) is tested without a workbook.
 */
import type { Campaign, Department, Indicator } from '../campaign/schema.js';
import { submissionOf, type DepartmentStatus, type Submission } from '../model.js';
import { departmentGaps, gapsNote, levelGaps, NOT_MERGED, reportedIndicators } from '../status/gaps.js';
import type { Grid, GridCell, TableLayout, TurnedLayout } from '../table/locate.js';
import { columnLetter, rangesIn, shiftFormulaRows, type RowShift } from '../xlsx/refs.js';
import { chineseDate, fillAfterLabel, normalizeText, periodToData, sentText } from '../text/labels.js';
import { AMOUNT_SCALE, exactSum } from '../text/values.js';

/** What goes into a cell. `empty` clears it: a figure nobody reported is blank, never 0. */
export type CellContent =
  | { type: 'empty' }
  | { type: 'number'; value: number; numFmt: string }
  | { type: 'text'; value: string }
  | { type: 'formula'; formula: string; result: number; numFmt: string };

/** One cell write, in row numbers after any insertion. */
export interface CellWrite {
  row: number;
  col: number;
  content: CellContent;
}

/**
 * Rows to insert before row `at` (numbered as in the template), each copying the look
 * (font, border, alignment, number format, height) of template row `styleRow`. With
 * `extendFrom` (the block's first row), what covered the department block down to its last
 * row (`at - 1`) is extended over the new rows: validations, formats, names, SUMs.
 */
export interface RowInsert {
  at: number;
  count: number;
  styleRow: number;
  extendFrom?: number;
}

export interface FillPlan {
  insert?: RowInsert;
  writes: CellWrite[];
  /** Indicator id → the exact total over reporting departments; undefined when nobody reported it. */
  totals: Record<string, number | undefined>;
  /** Indicator labels without a column in the template (the merge stops before planning when there are any). */
  missingLabels: string[];
  /** Departments given a row the template did not list (inserted or a blank row), by name. */
  added: string[];
  /** Department id → its row after any insertion, and the 合计 row's: for hooks that fill more columns (上年同期, src/template/previous-columns.ts). */
  rows?: Record<string, number>;
  totalRow?: number;
}

export interface FillInput {
  campaign: Campaign;
  statuses: readonly DepartmentStatus[];
  /** YYYY-MM-DD, written as 2024年11月12日 after 填报日期. */
  fillDate: string;
  /** The statistics sheet's name, for formulas that name their own sheet. */
  sheet?: string;
  /** Files left out with --skip-unknown: the 合计's note names them. */
  skipped?: readonly string[];
  /** A department's own table: its name after 填报单位 (not the issuer's), its people after 填表人, 审核人, 联系电话. */
  unit?: OwnUnit;
}

/** Who fills a department's own table, from its submission. */
export interface OwnUnit {
  name: string;
  filledBy?: string;
  reviewedBy?: string;
  /** 单位负责人, printed after its label when the file names one. */
  leader?: string;
  phone?: string;
}

/**
 * Counts as whole numbers; amounts (罚没款) always with at least two decimals (3.00, 12.35, 1.2345),
 * the format of the case sheets too: one column never mixes 3 with 3.20.
 */
export function numberFormat(kind: Indicator['kind'], _value: number): string {
  return kind === 'count' ? '0' : '0.00##';
}

/** `SUM(C5:C9,C11)`: consecutive rows become one range. */
export function sumFormula(col: number, rows: readonly number[]): string {
  const letter = columnLetter(col);
  const sorted = [...rows].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] as number) + 1) j++;
    parts.push(i === j ? `${letter}${sorted[i]}` : `${letter}${sorted[i]}:${letter}${sorted[j]}`);
    i = j + 1;
  }
  return `SUM(${parts.join(',')})`;
}

/** Notes this tool writes (a reused output has them): cleared before the new ones go in. */
const OUR_NOTE = /^(?:未报送|报送有误|重复报送|逾期报送.*|未含：.*)$/su;

/**
 * Plans the fill of the statistics sheet:
 * - each department's figures go into its row (found by name or alias; else a blank
 *   table row; else a new row right after the department block); an indicator it left out
 *   stays empty;
 * - a department without a usable submission gets no figures, only 未报送 (or why) in 备注,
 *   or in its first figure cell when the template has no 备注 column;
 * - a late one is filled, with 逾期报送（date） in 备注;
 * - new rows get 序号 after the numbers already in the table;
 * - 合计 keeps an issued SUM (extended over new rows) or gets one over the block, with an
 *   exact cached result; it names the departments it does not include;
 * - 填报日期 and 填报单位 are filled in the title or footer line.
 * `grid` is the template's sheet as read (issued totals, 序号, notes); without it the plan
 * works from the layout alone.
 */
export function planFill(layout: TableLayout, input: FillInput, grid?: Grid): FillPlan {
  const rows = placeRows(layout, input.campaign, grid);
  const p: Planning = { layout, input, grid, rows, writes: [], ...figureColumns(layout, input.campaign) };
  const seq = sequenceOf(layout, grid, rows.needed);
  const reported = planDepartments(p, seq);
  if (seq.renumberOthers) p.writes.push({ row: rows.shift(layout.othersRow as number), col: layout.seqCol as number, content: seqContent(seq, ++seq.last) });
  const totals: Record<string, number | undefined> = {};
  for (const ind of input.campaign.indicators) totals[ind.id] = exactSum(ind.kind, reported.get(ind.id) ?? []);
  planTotalRow(p, totals);
  planLines(p);
  const plan: FillPlan = {
    writes: lastWriteWins(p.writes),
    totals,
    missingLabels: layout.unmatched.map((u) => u.label),
    added: rows.unlisted.map((d) => d.name),
  };
  if (rows.needed > 0) plan.insert = { at: rows.at, count: rows.needed, styleRow: layout.styleRow, ...(layout.block && { extendFrom: layout.block[0] }) };
  plan.rows = Object.fromEntries(rows.rowOf);
  if (layout.totalRow !== undefined) plan.totalRow = rows.shift(layout.totalRow);
  return plan;
}

/** Where the departments go, in row numbers after the insertion. */
interface RowPlan {
  /** Department id → its row. */
  rowOf: Map<string, number>;
  /** The departments the template does not list. */
  unlisted: Department[];
  /** The rows this tool adds or fills in (blank table rows taken, new rows). */
  newRows: Set<number | undefined>;
  /** Every department's row, ascending. */
  departmentRowNumbers: number[];
  /** The template row new rows go before, and how many. */
  at: number;
  needed: number;
  /** A template row's number after the insertion. */
  shift(row: number): number;
  /** The template's cell at a row numbered after the insertion (undefined for a new row). */
  templateCell(row: number, col: number): GridCell | undefined;
}

/** Rows: listed departments keep theirs; the others take blank table rows, then new rows. */
function placeRows(layout: TableLayout, campaign: Campaign, grid: Grid | undefined): RowPlan {
  const unlisted = campaign.departments.filter((d) => layout.departmentRows[d.id] === undefined);
  const blank = [...layout.blankRows];
  const needed = Math.max(0, unlisted.length - blank.length);
  const at = layout.insertAt;
  const shift = (row: number) => (needed > 0 && row >= at ? row + needed : row);
  const rowOf = new Map<string, number>();
  for (const d of campaign.departments) {
    const listed = layout.departmentRows[d.id];
    if (listed !== undefined) rowOf.set(d.id, shift(listed));
  }
  let nextNew = at;
  for (const d of unlisted) rowOf.set(d.id, blank.shift() ?? nextNew++);
  const templateCell = (row: number, col: number) => {
    const r = needed > 0 && row >= at ? (row >= at + needed ? row - needed : undefined) : row;
    return r === undefined ? undefined : grid?.cell(r, col);
  };
  return {
    rowOf,
    unlisted,
    newRows: new Set(unlisted.map((d) => rowOf.get(d.id))),
    departmentRowNumbers: [...rowOf.values()].sort((a, b) => a - b),
    at,
    needed,
    shift,
    templateCell,
  };
}

/** What one planFill works on: its inputs, the rows, the figure columns, and the writes so far (in order: the last write to a cell wins). */
interface Planning extends FigureColumns {
  layout: TableLayout;
  input: FillInput;
  grid: Grid | undefined;
  rows: RowPlan;
  writes: CellWrite[];
}

/** The indicators with a column in the template, and how a campaign figure reads in its column. */
interface FigureColumns {
  found: Indicator[];
  /** A figure in its column's unit (元 for 万元: converted), undefined stays undefined. */
  inTemplateUnit(id: string, value: number | undefined): number | undefined;
}

/** A column in another unit than the campaign's (元 for 万元) gets its figures converted. */
function figureColumns(layout: TableLayout, campaign: Campaign): FigureColumns {
  const factors = new Map((layout.units ?? []).flatMap((u) => (u.factor !== undefined ? [[u.id, u.factor] as const] : [])));
  return {
    found: campaign.indicators.filter((ind) => layout.columns[ind.id] !== undefined),
    inTemplateUnit: (id, value) => (value === undefined ? undefined : convert(value, factors.get(id) ?? 1)),
  };
}

/** Writes a text into a cell. */
function writeText(p: Planning, row: number, col: number, value: string): void {
  p.writes.push({ row, col, content: { type: 'text', value } });
}

/** Empties the 备注 of `row` when it holds a note of ours (from a reused output). */
function clearOurNote(p: Planning, row: number): void {
  const { noteCol } = p.layout;
  if (noteCol !== undefined && OUR_NOTE.test(p.rows.templateCell(row, noteCol)?.text.trim() ?? '')) p.writes.push({ row, col: noteCol, content: { type: 'empty' } });
}

/** The 序号 counter of added rows: the last number given, its type, and whether a closing 其他 row moves down. */
interface Sequence {
  last: number;
  asText: boolean;
  renumberOthers: boolean;
}

/**
 * 序号 of added rows: after the largest number in the table, never repeating one, in the
 * template's own type (numbers stored as text in a 文本 column stay text).
 */
function sequenceOf(layout: TableLayout, grid: Grid | undefined, needed: number): Sequence {
  let seq = 0;
  let asText = false;
  if (grid && layout.seqCol !== undefined && layout.block) {
    for (let r = layout.block[0]; r <= layout.block[1]; r++) {
      const n = seqNumber(grid.cell(r, layout.seqCol));
      if (n === undefined) continue;
      seq = Math.max(seq, n);
      asText = grid.cell(r, layout.seqCol)?.number === undefined;
    }
  }
  // A closing 其他 row numbered last stays last: the added rows take its number and it the next.
  const othersSeq = layout.othersRow !== undefined && layout.seqCol !== undefined ? seqNumber(grid?.cell(layout.othersRow, layout.seqCol)) : undefined;
  const renumberOthers = needed > 0 && othersSeq !== undefined && othersSeq === seq;
  if (renumberOthers) seq--;
  return { last: seq, asText, renumberOthers };
}

/** A 序号 in the table's own type. */
function seqContent(seq: Sequence, value: number): CellContent {
  return seq.asText ? { type: 'text', value: String(value) } : { type: 'number', value, numFmt: '0' };
}

/** A table that prints its units' full names (黄山区市场监督管理局) gets full names in added rows too. */
function printedNameOf(layout: TableLayout, campaign: Campaign, grid: Grid | undefined): (d: Department) => string {
  const printed = campaign.departments.flatMap((d) => {
    const row = layout.departmentRows[d.id];
    const shown = row === undefined ? undefined : normalizeText(grid?.cell(row, layout.nameCol)?.text ?? '');
    return shown ? [shown !== normalizeText(d.name) && shown.length > normalizeText(d.name).length] : [];
  });
  const fullNames = printed.filter(Boolean).length * 2 > printed.length;
  return (d) => (fullNames ? (d.full_name ?? d.name) : d.name);
}

/** Each department's row: 序号 and name when added, its figures, and its note. Returns each indicator's reported figures. */
function planDepartments(p: Planning, seq: Sequence): Map<string, number[]> {
  const { campaign, statuses } = p.input;
  const byId = new Map(statuses.map((s) => [s.id, s]));
  const nameOf = printedNameOf(p.layout, campaign, p.grid);
  const reported = new Map<string, number[]>(campaign.indicators.map((ind) => [ind.id, []]));
  const reportedHere = reportedIndicators(statuses);
  for (const d of campaign.departments) {
    const row = p.rows.rowOf.get(d.id) as number;
    if (p.rows.newRows.has(row)) labelNewRow(p, seq, row, nameOf(d));
    clearOurNote(p, row);
    const status = byId.get(d.id);
    const submission = submissionOf(status);
    writeFigures(p, row, submission);
    if (submission) {
      for (const ind of campaign.indicators) {
        const value = submission.statistics.get(ind.id);
        if (value !== undefined) reported.get(ind.id)?.push(value);
      }
      writeDepartmentNote(p, row, status!, reportedHere);
    } else {
      writeNotMerged(p, row, status);
    }
  }
  return reported;
}

/** A row this tool adds or fills in: give it its 序号 (unless the blank row has one) and name. */
function labelNewRow(p: Planning, seq: Sequence, row: number, name: string): void {
  const { layout, grid } = p;
  if (layout.seqCol !== undefined && seqNumber(p.rows.templateCell(row, layout.seqCol)) === undefined) {
    const value = grid ? ++seq.last : p.rows.departmentRowNumbers.indexOf(row) + 1;
    p.writes.push({ row, col: layout.seqCol, content: seqContent(seq, value) });
  }
  writeText(p, row, layout.nameCol, name);
}

/** Every figure cell is written, so stale numbers in a reused template cannot survive. */
function writeFigures(p: Planning, row: number, submission: Submission | undefined): void {
  for (const ind of p.found) {
    const value = p.inTemplateUnit(ind.id, submission?.statistics.get(ind.id));
    const col = p.layout.columns[ind.id] as number;
    p.writes.push({
      row,
      col,
      content: value === undefined ? { type: 'empty' } : { type: 'number', value, numFmt: numberFormat(ind.kind, value) },
    });
  }
}

/** A lower level's table: what its figures leave out, on its row (after 逾期报送 when late). */
function writeDepartmentNote(p: Planning, row: number, status: DepartmentStatus, reportedHere: ReturnType<typeof reportedIndicators>): void {
  const gaps = departmentGaps(p.input.campaign, status, reportedHere);
  const notes = [...(status?.state === 'late' ? [sentText(status) ? `逾期报送（${sentText(status)}）` : '逾期报送'] : []), ...(gaps.length ? [`未含：${gapsNote(gaps)}`] : [])];
  if (notes.length && p.layout.noteCol !== undefined) writeText(p, row, p.layout.noteCol, notes.join('；'));
}

/** No usable submission: 未报送 (or why) in 备注, or in the first figure cell without a 备注 column. */
function writeNotMerged(p: Planning, row: number, status: DepartmentStatus | undefined): void {
  const reason = NOT_MERGED[status?.state ?? 'missing'] ?? '未报送';
  const firstFigureCol = Math.min(...p.found.map((ind) => p.layout.columns[ind.id] as number));
  const noteCol = p.layout.noteCol ?? (p.found.length > 0 ? firstFigureCol : undefined);
  if (noteCol !== undefined) writeText(p, row, noteCol, reason);
}

/** 合计 keeps an issued SUM (extended over new rows) or gets one over the block, with an exact cached result, and names what it leaves out. */
function planTotalRow(p: Planning, totals: Record<string, number | undefined>): void {
  const { layout, input, rows } = p;
  if (layout.totalRow === undefined) return;
  const row = rows.shift(layout.totalRow);
  clearOurNote(p, row);
  // The block after the insertion: what a total of ours adds up.
  const blockRows = layout.block
    ? range(layout.block[0], layout.block[1] + rows.needed)
    : rows.needed > 0 ? range(rows.at, rows.at + rows.needed - 1) : rows.departmentRowNumbers;
  const valueAt = valueAfterWrites(p);
  for (const ind of p.found) {
    const col = layout.columns[ind.id] as number;
    const total = totals[ind.id];
    if (total === undefined) {
      p.writes.push({ row, col, content: { type: 'empty' } });
      continue;
    }
    const formula = totalFormula(p, col, blockRows);
    const result = evaluateSum(formula, input.sheet ?? '', valueAt, ind.kind) ?? (p.inTemplateUnit(ind.id, total) as number);
    p.writes.push({ row, col, content: { type: 'formula', formula, result, numFmt: numberFormat(ind.kind, result) } });
  }
  // Every gap of this level and the levels below: the 合计 must not look complete when it is not.
  const gaps = levelGaps(input.campaign, input.statuses, input.skipped);
  if (layout.noteCol !== undefined && gaps.length > 0) writeText(p, row, layout.noteCol, `未含：${gapsNote(gaps)}`);
}

/** A cell's number as the sheet will hold it: the last write so far, else the template's. */
function valueAfterWrites(p: Planning): (r: number, c: number) => number | undefined {
  const written = new Map(p.writes.map((w) => [`${w.row}:${w.col}`, w.content]));
  return (r, c) => {
    const w = written.get(`${r}:${c}`);
    if (w) return w.type === 'number' ? w.value : undefined;
    return p.rows.templateCell(r, c)?.number;
  };
}

/** The 合计 formula of column `col`: the issued one, shifted, when it still covers every department; else a SUM over the block. */
function totalFormula(p: Planning, col: number, blockRows: readonly number[]): string {
  const { layout, input, rows } = p;
  const rowShift: RowShift = { at: rows.at, count: rows.needed, ...(layout.block && { extendFrom: layout.block[0] }) };
  const issued = p.grid?.cell(layout.totalRow as number, col)?.formula;
  const kept = issued === undefined ? undefined : shiftFormulaRows(issued, input.sheet ?? '', true, rowShift);
  // An Excel table's SUBTOTAL(109,表1[列]) covers the table's rows, which grow with the inserted ones: kept as issued.
  return kept !== undefined && (coversRows(kept, col, rows.departmentRowNumbers, input.sheet ?? '') || TABLE_SUBTOTAL.test(kept)) ? kept : sumFormula(col, blockRows);
}

/** 填报日期, 填报单位, the people of a department's own table and 统计时段, filled in the title or footer lines. */
function planLines(p: Planning): void {
  const { layout, input, rows } = p;
  const { campaign, fillDate } = input;
  // 填报日期 and 填报单位 may share one line (one cell): apply both edits to its text.
  const lines = new Map<string, { row: number; col: number; text: string }>();
  const fillLine = (cell: TableLayout['fillDateCell'], label: string, value: string) => {
    if (!cell) return;
    if (cell.blank) return writeText(p, rows.shift(cell.blank.row), cell.blank.col, value); // 填报单位（盖章）| blank
    const key = `${cell.row}:${cell.col}`;
    const line = lines.get(key) ?? { row: rows.shift(cell.row), col: cell.col, text: cell.text };
    line.text = fillAfterLabel(line.text, label, value);
    lines.set(key, line);
  };
  const dateLabel = layout.fillDateCell?.text.includes('填报日期') ? '填报日期' : '填报时间';
  fillLine(layout.fillDateCell, dateLabel, chineseDate(fillDate));
  fillLine(layout.issuerCell, '填报单位', input.unit?.name ?? campaign.issuer);
  if (input.unit)
    for (const [label, value] of [['单位负责人', input.unit.leader], ['填表人', input.unit.filledBy], ['审核人', input.unit.reviewedBy], ['联系电话', input.unit.phone]] as const)
      if (value) fillLine(layout.peopleCell, label, value);
  // 统计时段 ends at the data's date until the period is over.
  const period = periodCell(layout, p.grid);
  if (period) fillLine(period, period.text.includes('统计时段') ? '统计时段' : '统计时间', periodToData(campaign.period, fillDate));
  for (const line of lines.values()) writeText(p, line.row, line.col, line.text);
}

/**
 * Plans the fill of a turned table (indicators as rows, departments as columns): each
 * department's figures down its column (converted where the row's unit says so), empty for
 * one that did not report; the 合计 column keeps an issued SUM over every department's
 * cell, else gets one, with the exact result.
 */
export function planTurned(t: TurnedLayout, input: FillInput, grid?: Grid): FillPlan {
  const { campaign, statuses } = input;
  const writes: CellWrite[] = [];
  const byId = new Map(statuses.map((s) => [s.id, s]));
  const factors = new Map(t.units.flatMap((u) => (u.factor !== undefined ? [[u.id, u.factor] as const] : [])));
  const reported = new Map<string, number[]>(campaign.indicators.map((ind) => [ind.id, []]));
  for (const d of campaign.departments) {
    const col = t.columns[d.id] as number;
    const submission = submissionOf(byId.get(d.id));
    for (const ind of campaign.indicators) {
      const value = submission?.statistics.get(ind.id);
      if (value !== undefined) reported.get(ind.id)?.push(value);
      const shown = value === undefined ? undefined : convert(value, factors.get(ind.id) ?? 1);
      writes.push({ row: t.rows[ind.id] as number, col, content: shown === undefined ? { type: 'empty' } : { type: 'number', value: shown, numFmt: numberFormat(ind.kind, shown) } });
    }
  }
  const totals: Record<string, number | undefined> = {};
  for (const ind of campaign.indicators) totals[ind.id] = exactSum(ind.kind, reported.get(ind.id) ?? []);
  if (t.totalCol !== undefined) {
    const cols = Object.values(t.columns).sort((a, b) => a - b);
    for (const ind of campaign.indicators) {
      const row = t.rows[ind.id] as number;
      const total = totals[ind.id];
      if (total === undefined) {
        writes.push({ row, col: t.totalCol, content: { type: 'empty' } });
        continue;
      }
      const issued = grid?.cell(row, t.totalCol)?.formula;
      const ranges = issued && sumArguments(issued) ? rangesIn(issued, input.sheet ?? '') : [];
      const covers = cols.every((c) => ranges.some((x) => x.top <= row && row <= x.bottom && x.left <= c && c <= x.right));
      const formula = covers && issued ? issued.replace(/^=/u, '') : `SUM(${cols.map((c) => `${columnLetter(c)}${row}`).join(',')})`;
      const result = convert(total, factors.get(ind.id) ?? 1);
      writes.push({ row, col: t.totalCol, content: { type: 'formula', formula, result, numFmt: numberFormat(ind.kind, result) } });
    }
  }
  return { writes: lastWriteWins(writes), totals, missingLabels: [], added: [] };
}

/** A figure multiplied by a whole factor (万元 → 元: ×10000), exactly: amounts carry at most 4 decimals. */
export function convert(value: number, factor: number): number {
  return factor === 1 ? value : (Math.round(value * AMOUNT_SCALE) * factor) / AMOUNT_SCALE;
}

/** The 序号 a cell holds: a number, or digits stored as text. */
function seqNumber(cell: { text: string; number?: number } | undefined): number | undefined {
  if (cell?.number !== undefined) return cell.number;
  const text = cell?.text.trim() ?? '';
  return /^\d{1,6}$/u.test(text) ? Number(text) : undefined;
}

/** The cell of the 统计时段 (统计时间) line above the table's header, if any. */
function periodCell(layout: TableLayout, grid: Grid | undefined): TableLayout['fillDateCell'] {
  for (let row = 1; grid && row < layout.headerRows[0]; row++)
    for (let col = 1; col <= grid.colCount; col++) {
      const cell = grid.cell(row, col);
      if (cell && !cell.master && /统计(?:时段|时间)\s*[：:]/u.test(cell.text)) return { row, col, text: cell.text };
    }
  return undefined;
}

const range = (a: number, b: number) => Array.from({ length: Math.max(0, b - a + 1) }, (_, i) => a + i);

/** `SUBTOTAL(109,表1[罚没款（万元）])`: the total of a table's column (9 or 109: sum). */
const TABLE_SUBTOTAL = /^=?\s*SUBTOTAL\(\s*(?:9|109)\s*,\s*[^\s,()[\]]+\[[^\]]+\]\s*\)\s*$/iu;

/** The arguments of `SUM(…)` when the formula is exactly that (after an optional `=`). */
function sumArguments(formula: string): string[] | undefined {
  const m = /^=?\s*SUM\(([^()]*)\)\s*$/iu.exec(formula);
  return m ? (m[1] as string).split(',').map((a) => a.trim()) : undefined;
}

/** True when a SUM covers every given row of column `col`. */
function coversRows(formula: string, col: number, rows: readonly number[], sheet: string): boolean {
  const args = sumArguments(formula);
  if (!args) return false;
  const ranges = rangesIn(formula, sheet);
  return rows.every((r) => ranges.some((x) => x.left <= col && col <= x.right && x.top <= r && r <= x.bottom));
}

/**
 * What a SUM over cells of its own sheet comes to, exactly as the spreadsheet will show it
 * (numbers only; text and blanks are skipped, as SUM does). Undefined when the formula is
 * anything else: then the exact campaign total is the cached result.
 */
function evaluateSum(formula: string, sheet: string, valueAt: (row: number, col: number) => number | undefined, kind: Indicator['kind']): number | undefined {
  const args = sumArguments(formula);
  if (!args) return undefined;
  const ranges = rangesIn(formula, sheet);
  if (ranges.length !== args.length) return undefined; // a constant or another sheet's cell
  const values: number[] = [];
  for (const x of ranges)
    for (let r = x.top; r <= x.bottom; r++)
      for (let c = x.left; c <= x.right; c++) {
        const v = valueAt(r, c);
        if (v !== undefined) values.push(v);
      }
  return exactSum(kind === 'count' && values.every(Number.isInteger) ? 'count' : 'amount', values) ?? 0;
}

/** Keeps the last write to each cell (a 未报送 note replaces the emptying of the same cell). */
function lastWriteWins(writes: readonly CellWrite[]): CellWrite[] {
  const last = new Map<string, CellWrite>();
  for (const w of writes) {
    const key = `${w.row}:${w.col}`;
    last.delete(key);
    last.set(key, w);
  }
  return [...last.values()];
}
