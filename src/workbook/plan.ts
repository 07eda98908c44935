/**
 * The fill plan: which cells of the statistics sheet get which value. Pure: a layout and
 * the departments' statuses in, a list of cell writes out, so every rule (empty is not 0,
 * exact totals, notes for missing departments) is tested without a workbook.
 */
import type { Campaign, Indicator } from '../campaign/schema.js';
import { submissionOf, type DepartmentStatus } from '../model.js';
import type { Grid, TableLayout } from './locate.js';
import { rangesIn, shiftFormulaRows, type RowShift } from './refs.js';
import { chineseDate, columnLetter, fillAfterLabel, sentText } from './text.js';

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
}

export interface FillInput {
  campaign: Campaign;
  statuses: readonly DepartmentStatus[];
  /** YYYY-MM-DD, written as 2024年11月12日 after 填报日期. */
  fillDate: string;
  /** The statistics sheet's name, for formulas that name their own sheet. */
  sheet?: string;
  /** A department's own table: its name after 填报单位 (not the issuer's), its people after 填表人, 审核人, 联系电话. */
  unit?: OwnUnit;
}

/** Who fills a department's own table, from its submission. */
export interface OwnUnit {
  name: string;
  filledBy?: string;
  reviewedBy?: string;
  phone?: string;
}

/** Amounts carry at most 4 decimals (万元 to the yuan): summing in 1/10000 units is exact. */
const AMOUNT_SCALE = 10000;

/**
 * Counts as whole numbers; amounts (罚没款) always with at least two decimals (3.00, 12.35, 1.2345),
 * the format of the case sheets too: one column never mixes 3 with 3.20.
 */
export function numberFormat(kind: Indicator['kind'], _value: number): string {
  return kind === 'count' ? '0' : '0.00##';
}

/** The exact sum of reported values; undefined when there are none. */
export function exactSum(kind: Indicator['kind'], values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  if (kind === 'count') return values.reduce((a, b) => a + b, 0);
  const units = values.reduce((a, b) => a + Math.round(b * AMOUNT_SCALE), 0);
  return units / AMOUNT_SCALE;
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

/** Why a department has no figures, as printed in 备注. */
const NOT_MERGED: Record<string, string> = {
  missing: '未报送',
  invalid: '报送有误',
  duplicate: '重复报送',
};

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
  const { campaign, statuses, fillDate } = input;
  const writes: CellWrite[] = [];
  const text = (row: number, col: number, value: string) => writes.push({ row, col, content: { type: 'text', value } });

  // Rows: listed departments keep theirs; the others take blank table rows, then new rows.
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
  const newRows = new Set(unlisted.map((d) => rowOf.get(d.id)));
  const departmentRowNumbers = [...rowOf.values()].sort((a, b) => a - b);
  // The template's cell at a row numbered after the insertion (undefined for a new row).
  const templateCell = (row: number, col: number) => {
    const r = needed > 0 && row >= at ? (row >= at + needed ? row - needed : undefined) : row;
    return r === undefined ? undefined : grid?.cell(r, col);
  };

  // 序号 of added rows: after the largest number in the table, never repeating one.
  let seq = 0;
  if (grid && layout.seqCol !== undefined && layout.block) {
    for (let r = layout.block[0]; r <= layout.block[1]; r++) seq = Math.max(seq, grid.cell(r, layout.seqCol)?.number ?? 0);
  }
  const byId = new Map(statuses.map((s) => [s.id, s]));
  const found = campaign.indicators.filter((ind) => layout.columns[ind.id] !== undefined);
  const firstFigureCol = Math.min(...found.map((ind) => layout.columns[ind.id] as number));
  const reported = new Map<string, number[]>(campaign.indicators.map((ind) => [ind.id, []]));
  const notIncluded = new Map<string, string[]>();
  const clearOurNote = (row: number) => {
    if (layout.noteCol !== undefined && OUR_NOTE.test(templateCell(row, layout.noteCol)?.text.trim() ?? '')) writes.push({ row, col: layout.noteCol, content: { type: 'empty' } });
  };

  for (const d of campaign.departments) {
    const row = rowOf.get(d.id) as number;
    if (newRows.has(row)) {
      // A row this tool adds or fills in: give it its 序号 (unless the blank row has one) and name.
      if (layout.seqCol !== undefined && templateCell(row, layout.seqCol)?.number === undefined) {
        const value = grid ? ++seq : departmentRowNumbers.indexOf(row) + 1;
        writes.push({ row, col: layout.seqCol, content: { type: 'number', value, numFmt: '0' } });
      }
      text(row, layout.nameCol, d.name);
    }
    clearOurNote(row);
    const status = byId.get(d.id);
    const submission = submissionOf(status);
    for (const ind of found) {
      const value = submission?.statistics.get(ind.id);
      const col = layout.columns[ind.id] as number;
      // Every figure cell is written, so stale numbers in a reused template cannot survive.
      writes.push({
        row,
        col,
        content: value === undefined ? { type: 'empty' } : { type: 'number', value, numFmt: numberFormat(ind.kind, value) },
      });
    }
    if (submission) {
      for (const ind of campaign.indicators) {
        const value = submission.statistics.get(ind.id);
        if (value !== undefined) reported.get(ind.id)?.push(value);
      }
      if (status?.state === 'late' && layout.noteCol !== undefined) {
        const when = sentText(status);
        text(row, layout.noteCol, when ? `逾期报送（${when}）` : '逾期报送');
      }
    } else {
      const reason = NOT_MERGED[status?.state ?? 'missing'] ?? '未报送';
      notIncluded.set(reason, [...(notIncluded.get(reason) ?? []), d.name]);
      const noteCol = layout.noteCol ?? (found.length > 0 ? firstFigureCol : undefined);
      if (noteCol !== undefined) text(row, noteCol, reason);
    }
  }

  const totals: Record<string, number | undefined> = {};
  for (const ind of campaign.indicators) totals[ind.id] = exactSum(ind.kind, reported.get(ind.id) ?? []);

  if (layout.totalRow !== undefined) {
    const row = shift(layout.totalRow);
    clearOurNote(row);
    const rowShift: RowShift = { at, count: needed, ...(layout.block && { extendFrom: layout.block[0] }) };
    // The block after the insertion: what a total of ours adds up.
    const blockRows = layout.block
      ? range(layout.block[0], layout.block[1] + needed)
      : needed > 0 ? range(at, at + needed - 1) : departmentRowNumbers;
    const written = new Map(writes.map((w) => [`${w.row}:${w.col}`, w.content]));
    const valueAt = (r: number, c: number): number | undefined => {
      const w = written.get(`${r}:${c}`);
      if (w) return w.type === 'number' ? w.value : undefined;
      return templateCell(r, c)?.number;
    };
    for (const ind of found) {
      const col = layout.columns[ind.id] as number;
      const total = totals[ind.id];
      if (total === undefined) {
        writes.push({ row, col, content: { type: 'empty' } });
        continue;
      }
      const issued = grid?.cell(layout.totalRow, col)?.formula;
      const kept = issued === undefined ? undefined : shiftFormulaRows(issued, input.sheet ?? '', true, rowShift);
      const formula = kept !== undefined && coversRows(kept, col, departmentRowNumbers, input.sheet ?? '') ? kept : sumFormula(col, blockRows);
      const result = evaluateSum(formula, input.sheet ?? '', valueAt, ind.kind) ?? total;
      writes.push({ row, col, content: { type: 'formula', formula, result, numFmt: numberFormat(ind.kind, result) } });
    }
    if (layout.noteCol !== undefined && notIncluded.size > 0) {
      const parts = [...notIncluded].map(([reason, names]) => `${names.join('、')}（${reason}）`);
      text(row, layout.noteCol, `未含：${parts.join('；')}`);
    }
  }

  // 填报日期 and 填报单位 may share one line (one cell): apply both edits to its text.
  const lines = new Map<string, { row: number; col: number; text: string }>();
  const fillLine = (cell: TableLayout['fillDateCell'], label: string, value: string) => {
    if (!cell) return;
    const key = `${cell.row}:${cell.col}`;
    const line = lines.get(key) ?? { row: shift(cell.row), col: cell.col, text: cell.text };
    line.text = fillAfterLabel(line.text, label, value);
    lines.set(key, line);
  };
  const dateLabel = layout.fillDateCell?.text.includes('填报日期') ? '填报日期' : '填报时间';
  fillLine(layout.fillDateCell, dateLabel, chineseDate(fillDate));
  fillLine(layout.issuerCell, '填报单位', input.unit?.name ?? campaign.issuer);
  if (input.unit)
    for (const [label, value] of [['填表人', input.unit.filledBy], ['审核人', input.unit.reviewedBy], ['联系电话', input.unit.phone]] as const)
      if (value) fillLine(layout.peopleCell, label, value);
  for (const line of lines.values()) text(line.row, line.col, line.text);

  const plan: FillPlan = {
    writes: lastWriteWins(writes),
    totals,
    missingLabels: layout.unmatched.map((u) => u.label),
    added: unlisted.map((d) => d.name),
  };
  if (needed > 0) plan.insert = { at, count: needed, styleRow: layout.styleRow, ...(layout.block && { extendFrom: layout.block[0] }) };
  return plan;
}

const range = (a: number, b: number) => Array.from({ length: Math.max(0, b - a + 1) }, (_, i) => a + i);

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
