/**
 * Reads a statistics table by meaning, on a plain grid of cells: the name column (单位,
 * 单位名称, 填报单位, 部门 …), the indicator columns by label or alias, the department rows
 * by name (normalised: 黄山区市场监管局 = 区市监局 = 市场监管局), the 合计 row wherever it
 * is (under the header or at the bottom), and the rows kept as issued (units outside the
 * campaign). Never fixed addresses, never a guess: what cannot be placed is reported.
 *
 * Pure, and without exceljs: the merge reads its template's grid from the sheet XML, and a
 * department's filled copy of the table or a lower level's merged table can be read the
 * same way from any grid (see `Grid`).
 */
import type { Campaign } from '../campaign/schema.js';
import { departmentFinder } from '../campaign/lookup.js';
import { isLabel, labelKey, normalizeText, stripUnit, unitOf } from '../text/labels.js';
import { columnLetter } from '../xlsx/refs.js';
import { bareUnit, captionMoneyUnits, isMoney, unitFactor, unitWord } from '../text/units.js';

/** One cell as the table reader sees it. Rows and columns are 1-based. */
export interface GridCell {
  /** What a person sees: the text, a number as written, a formula's cached result. */
  text: string;
  /** A number when the cell holds one (a formula's numeric result included). */
  number?: number;
  /** The formula, without `=`, when the cell has one. */
  formula?: string;
  /** For a cell covered by a merged range (not its top-left cell): that top-left cell. */
  master?: { row: number; col: number };
  /** For the top-left cell of a merged range: the range's last row and column. */
  mergeEnd?: { row: number; col: number };
  /** True when the cell has a left or bottom line (it belongs to a boxed table); undefined when unknown. */
  boxed?: boolean;
}

/** One sheet as a grid of cells; `cell` returns undefined for a cell that was never written. */
export interface Grid {
  rowCount: number;
  colCount: number;
  cell(row: number, col: number): GridCell | undefined;
}

/** A cell found by its text. */
export interface FoundCell {
  row: number;
  col: number;
  text: string;
}

/** A label of the form (填报日期, 填报单位). */
export interface FormCell extends FoundCell {
  /** For a label without a colon (填报单位（盖章） with a blank cell after it), that blank cell: the value goes there. */
  blank?: { row: number; col: number };
}

/** An indicator of the campaign the table has no column for. */
export interface UnmatchedIndicator {
  id: string;
  label: string;
  unit: string;
  /** The unused header most like the label, if any is alike at all. */
  closest?: string;
}

/**
 * A figure column whose unit, as the template states it, is not the campaign's: its figures
 * are multiplied by `factor`, or, without one (a unit that cannot be converted exactly),
 * the table must not be filled.
 */
export interface ColumnUnit {
  id: string;
  label: string;
  /** The campaign's unit. */
  unit: string;
  /** The template's unit, and the cell that says it (D4, or A2 for a caption). */
  found: string;
  cell: string;
  factor?: number;
  reason?: 'unknown' | 'inexact';
}

/** A row of the department block that is kept as issued. */
export interface OtherRow {
  row: number;
  name: string;
  /** unknown: a unit outside the campaign; duplicate: a second row of a department already found. */
  reason: 'unknown' | 'duplicate';
  /** For a duplicate, the department's id. */
  department?: string;
}

/** Where things are in the statistics table. */
export interface TableLayout {
  /** First and last row of the header (the rows holding 单位 and the indicator labels, units included). */
  headerRows: [number, number];
  seqCol?: number;
  nameCol: number;
  noteCol?: number;
  /** Indicator id → its column, for every indicator found. */
  columns: Record<string, number>;
  /** Indicators without a column: when there are any, the table must not be filled. */
  unmatched: UnmatchedIndicator[];
  /** Figure columns in a unit other than the campaign's (converted, or refused when `factor` is missing). */
  units?: ColumnUnit[];
  /** Header labels (the lowest header cell of a column) that no indicator, name, 序号 or 备注 took. */
  unusedHeaders: FoundCell[];
  /** Department id → its row, for departments the table already lists. */
  departmentRows: Record<string, number>;
  /** Rows of units outside the campaign, or second rows of one department: kept as they are. */
  otherRows: OtherRow[];
  /** Empty rows of the table, ready to be filled. */
  blankRows: number[];
  /** First and last row of the department block (listed, other and blank rows); undefined when the table lists none. */
  block?: [number, number];
  totalRow?: number;
  /** A closing 其他 row of the block: rows for unlisted departments go above it, and it keeps the last 序号. */
  othersRow?: number;
  /** Where rows for unlisted departments go: right after the block (or after the header, or before 合计). */
  insertAt: number;
  /** The row whose look new department rows copy. */
  styleRow: number;
  /** The cell holding 填报日期 / 填报单位 in the title or footer lines, if any. */
  fillDateCell?: FormCell;
  issuerCell?: FormCell;
  /** The line holding 填表人 (审核人, 联系电话) above or below the table, if any. */
  peopleCell?: FormCell;
}

/** Headers of the name column. */
export const NAME_HEADERS = ['单位', '单位名称', '填报单位', '部门', '部门名称', '责任单位'];
const SEQ_HEADERS = ['序号', '编号'];
const NOTE_HEADERS = ['备注'];
/** 合计, 总计, 全区合计, 全县总计 …, 汇总 (an Excel table's totals row) (spaces removed first: 合　计). */
const TOTAL = /^(?:全\p{Script=Han}{1,2})?(?:合计|总计|汇总)$/u;
/** The row for units not listed, at the end of the list: new units go above it. */
const OTHERS = /^(?:其[他它](?:单位|部门)?|其余单位)$/u;
/** What stands in the name column of a header's unit or column-number row. */
const HEADERISH = /^(?:甲|乙|丙|栏次|行次|计量单位)$/u;
/** A footer line below the table: 填表人：, 注：…, 说明. */
const FOOTER = /[:：]|^(?:注|说明|填表|审核|制表|负责人|联系)/u;
/** How far to look: templates put their header near the top and never this wide. */
const SCAN_ROWS = 40;
const SCAN_COLS = 120;
/** Header levels below the 单位 cell in which indicator labels may sit. */
const HEADER_DEPTH = 4;

/** The normalised text of a cell that holds its own value (not the covered part of a merge). */
function textAt(grid: Grid, row: number, col: number): string {
  const c = grid.cell(row, col);
  return c && !c.master ? c.text : '';
}

function findIn(grid: Grid, rows: [number, number], cols: [number, number], match: (text: string, row: number, col: number) => boolean): FoundCell | undefined {
  for (let r = rows[0]; r <= rows[1]; r++) {
    for (let c = cols[0]; c <= cols[1]; c++) {
      const text = textAt(grid, r, c);
      if (text && match(text, r, c)) return { row: r, col: c, text };
    }
  }
  return undefined;
}

const oneOf = (words: string[]) => (text: string) => words.includes(stripUnit(normalizeText(text)));
const mergeBottom = (grid: Grid, row: number, col: number) => grid.cell(row, col)?.mergeEnd?.row ?? row;

/** The cell right of a cell (after its merge), as its master: where a form's blank to write in is. */
function cellAfter(grid: Grid, row: number, col: number): { row: number; col: number; text: string } {
  const next = { row, col: (grid.cell(row, col)?.mergeEnd?.col ?? col) + 1 };
  const at = grid.cell(next.row, next.col)?.master ?? next;
  return { ...at, text: textAt(grid, at.row, at.col) };
}

/**
 * True for a label of the form around the table rather than a header of it: 填报单位（盖章）,
 * 填报单位：, or a label outside the table's lines with a blank cell after it to write in.
 */
function isFormLabel(grid: Grid, row: number, col: number): boolean {
  const text = normalizeText(textAt(grid, row, col));
  if (/[:：]$/u.test(text) || text.includes('盖章')) return true;
  return grid.cell(row, col)?.boxed !== true && cellAfter(grid, row, col).text.trim() === '';
}

/**
 * Finds the statistics table in one sheet's grid: the first 单位-like header with at least
 * one indicator label near it. Returns undefined when the sheet has none.
 */
export function locateTable(grid: Grid, campaign: Campaign): TableLayout | undefined {
  const lastCol = Math.min(grid.colCount, SCAN_COLS);
  const lastRow = Math.min(grid.rowCount, SCAN_ROWS);
  if (lastCol === 0 || lastRow === 0) return undefined;
  // A name header may appear above the table too (an instructions block): take the first
  // one whose neighbourhood also holds an indicator label.
  for (let start = 1; start <= lastRow; start++) {
    const name = findIn(grid, [start, lastRow], [1, lastCol], (text, r, c) => oneOf(NAME_HEADERS)(text) && !isFormLabel(grid, r, c));
    if (!name) return undefined;
    const layout = layoutFrom(grid, campaign, name, lastCol);
    if (layout) return layout;
    start = name.row;
  }
  return undefined;
}

/** Other words issued templates use for a label (查办案件 for 立案): recognised as aliases are. */
const SYNONYMS: Record<string, string[]> = {
  立案: ['查办案件', '立案查处', '立案查处案件'],
  结案: ['办结案件', '办结'],
  抽检: ['监督抽检', '抽检批次'],
  不合格: ['抽检不合格', '不合格批次'],
  罚没款: ['罚没金额', '罚没款金额'],
};

/**
 * True when a header text names the indicator: its label, an alias or a usual synonym
 * (isLabel). With `sameUnit`, money in another unit (元 against 万元) is another column:
 * a template with both columns gets the campaign's unit in its own.
 */
function matchesIndicator(text: string, ind: Campaign['indicators'][number], sameUnit: boolean): boolean {
  const unit = unitOf(normalizeText(text));
  if (sameUnit && unit && unit !== normalizeText(ind.unit) && isMoney(unit) && isMoney(ind.unit)) return false;
  return [ind.label, ...(ind.aliases ?? []), ...(SYNONYMS[ind.label] ?? [])].some((n) => isLabel(text, n));
}

/** The table under a 单位 header cell: its header, its columns, its department rows and the form around it. */
function layoutFrom(grid: Grid, campaign: Campaign, name: FoundCell, lastCol: number): TableLayout | undefined {
  const cols: [number, number] = [1, lastCol];
  const headerTop = name.row;
  const labels = indicatorLabels(grid, campaign, name, cols);
  const { columns, labelCells, missing } = labels;
  if (Object.keys(columns).length === 0) return undefined;

  const seqCol = findIn(grid, [headerTop, labels.headerBottom], cols, oneOf(SEQ_HEADERS))?.col;
  const noteCol = findIn(grid, [headerTop, labels.headerBottom], cols, oneOf(NOTE_HEADERS))?.col;
  const figureCols = Object.values(columns);
  const firstFigureCol = Math.min(...figureCols);
  const labelCols: [number, number] = [1, Math.max(firstFigureCol - 1, name.col)];
  const isTotal = (r: number) => Boolean(findIn(grid, [r, r], labelCols, (t) => TOTAL.test(normalizeText(t))));
  const headerBottom = headerEnd(grid, name, figureCols, labels.headerBottom, isTotal);
  const headerRows: [number, number] = [headerTop, headerBottom];

  const rows = departmentBlock({ grid, nameCol: name.col, figureCols, firstFigureCol, department: departmentFinder(campaign), isTotal }, headerBottom);
  const { departmentRows, otherRows, blankRows, block, totalRow } = rows;
  const { closing, insertAt, styleRow } = newRowsPlace(rows, headerBottom);

  // 填报日期 / 填报单位 sit in the lines above the header, or in the footer.
  const tableEnd = Math.max(insertAt, totalRow ?? 0);
  const around: [number, number][] = [...(headerTop > 1 ? [[1, headerTop - 1] as [number, number]] : []), [tableEnd, Math.min(grid.rowCount, tableEnd + 10)]];

  const used = new Set([name.col, ...figureCols, ...(seqCol ? [seqCol] : []), ...(noteCol ? [noteCol] : [])]);
  const unusedHeaders = lowestHeaders(grid, headerRows, lastCol).filter((h) => !used.has(h.col));
  const unmatched = missing.map((ind) => {
    const closest = closestHeader(ind, unusedHeaders);
    return { id: ind.id, label: ind.label, unit: ind.unit, ...(closest !== undefined && { closest }) };
  });

  const layout: TableLayout = {
    headerRows,
    nameCol: name.col,
    columns,
    unmatched,
    units: columnUnits(grid, campaign, labelCells, headerBottom, around, lastCol),
    unusedHeaders,
    departmentRows,
    otherRows,
    blankRows,
    insertAt,
    styleRow,
  };
  if (block) layout.block = block;
  if (seqCol !== undefined) layout.seqCol = seqCol;
  if (noteCol !== undefined) layout.noteCol = noteCol;
  if (totalRow !== undefined) layout.totalRow = totalRow;
  if (closing) layout.othersRow = closing.row;
  return Object.assign(layout, formCells(grid, name, around, cols));
}

/**
 * The indicator labels in the header under a name cell (as many levels down as HEADER_DEPTH):
 * each found indicator's column and label cell, the indicators not found, and the header's
 * bottom row (the lowest merge of the name and the labels).
 */
function indicatorLabels(grid: Grid, campaign: Campaign, name: FoundCell, cols: [number, number]) {
  const headerScan: [number, number] = [name.row, name.row + HEADER_DEPTH - 1];
  let headerBottom = mergeBottom(grid, name.row, name.col);
  const columns: Record<string, number> = {};
  const labelCells: Record<string, FoundCell> = {};
  const missing: Campaign['indicators'] = [];
  const taken = new Set<number>();
  for (const ind of campaign.indicators) {
    const found = findIn(grid, headerScan, cols, (text) => matchesIndicator(text, ind, true)) ?? findIn(grid, headerScan, cols, (text) => matchesIndicator(text, ind, false));
    if (!found || taken.has(found.col)) {
      missing.push(ind);
      continue;
    }
    columns[ind.id] = found.col;
    labelCells[ind.id] = found;
    taken.add(found.col);
    headerBottom = Math.max(headerBottom, mergeBottom(grid, found.row, found.col));
  }
  return { columns, labelCells, missing, headerBottom };
}

/** The header's last row: a unit row or a column-number row (栏次 甲 乙 1 2 3) right under the labels belongs to it. */
function headerEnd(grid: Grid, name: FoundCell, figureCols: number[], labelsBottom: number, isTotal: (r: number) => boolean): number {
  let headerBottom = labelsBottom;
  for (let r = headerBottom + 1; r <= grid.rowCount && r <= headerBottom + 2; r++) {
    const text = normalizeText(textAt(grid, r, name.col));
    const figures = figureCols.map((c) => grid.cell(r, c));
    const unitsOnly = figures.some((f) => f?.text) && figures.every((f) => !f?.text || (f.number === undefined && !f.formula));
    if (isTotal(r) || !(HEADERISH.test(text) || (text === '' && unitsOnly))) break;
    headerBottom = r;
  }
  return headerBottom;
}

/** What reading the department rows needs to know about the table. */
interface RowScan {
  grid: Grid;
  nameCol: number;
  figureCols: number[];
  firstFigureCol: number;
  department: (name: string) => { id: string } | undefined;
  isTotal: (r: number) => boolean;
}

/** The rows under the header, sorted: departments listed, other and blank rows, the 合计 and the block they make. */
interface BlockRows {
  departmentRows: Record<string, number>;
  otherRows: OtherRow[];
  blankRows: number[];
  totalRow?: number;
  block?: [number, number];
}

/** The block of department rows, with 合计 under the header or below the block. */
function departmentBlock(scan: RowScan, headerBottom: number): BlockRows {
  const rows: BlockRows = { departmentRows: {}, otherRows: [], blankRows: [] };
  let first: number | undefined;
  let last: number | undefined;
  for (let r = headerBottom + 1; r <= scan.grid.rowCount; r++) {
    if (scan.isTotal(r)) {
      if (rows.totalRow !== undefined) break; // a second total: a table below ours
      rows.totalRow = r;
      if (first !== undefined) break; // 合计 at the bottom ends the block
      continue;
    }
    if (!takeRow(scan, r, rows)) break;
    first ??= r;
    last = r;
  }
  if (first !== undefined && last !== undefined) rows.block = [first, last];
  return rows;
}

/** Sorts one row under the header into `rows`; false when the row ends the table. */
function takeRow(scan: RowScan, r: number, rows: BlockRows): boolean {
  const { grid, nameCol } = scan;
  const cell = grid.cell(r, nameCol);
  // A merge over the name cell from another column (a footnote across the sheet) ends the table.
  if (cell?.master && cell.master.col !== nameCol) return false;
  if (cell?.mergeEnd && cell.mergeEnd.col >= scan.firstFigureCol) return false; // …or one started in the name cell
  const raw = textAt(grid, r, nameCol);
  const text = normalizeText(raw);
  const boxed = cell?.boxed;
  const hasFigures = scan.figureCols.some((c) => grid.cell(r, c)?.text);
  if (text === '') {
    if (!cell?.master && boxed === true && !hasFigures) rows.blankRows.push(r); // an empty table row, to be filled
    else if (hasFigures && boxed !== false) rows.otherRows.push({ row: r, name: '', reason: 'unknown' }); // figures without a name
    else return false;
    return true;
  }
  const id = scan.department(raw)?.id;
  if (id === undefined && (FOOTER.test(text) || boxed === false)) return false; // a footer line, or text outside the table
  if (id !== undefined && rows.departmentRows[id] === undefined) rows.departmentRows[id] = r;
  else rows.otherRows.push({ row: r, name: raw.trim(), reason: id === undefined ? 'unknown' : 'duplicate', ...(id !== undefined && { department: id }) });
  return true;
}

/** Where rows for unlisted departments go (insertAt, above a closing 其他 row) and the row whose look they copy. */
function newRowsPlace(rows: BlockRows, headerBottom: number): { closing?: OtherRow; insertAt: number; styleRow: number } {
  const { block, otherRows, departmentRows, blankRows, totalRow } = rows;
  // New rows go right after the block, above a closing 其他 row; in a table that lists nobody, above its 合计 row.
  const closing = block && otherRows.find((o) => OTHERS.test(normalizeText(o.name)) && o.row > Math.max(0, ...Object.values(departmentRows)));
  const insertAt = closing ? closing.row : block ? block[1] + 1 : (totalRow ?? headerBottom + 1);
  const styleRow = block ? lastDepartmentLike(block, departmentRows, blankRows) : (totalRow ?? headerBottom);
  return { ...(closing && { closing }), insertAt, styleRow };
}

/** 填报日期 / 填报单位 / 填表人 in the lines `around` the table (above the header first, then the footer). */
function formCells(grid: Grid, name: FoundCell, around: [number, number][], cols: [number, number]): Pick<TableLayout, 'fillDateCell' | 'issuerCell' | 'peopleCell'> {
  const find = (word: string) => around.reduce<FoundCell | undefined>((found, rows) => found ?? findIn(grid, rows, cols, (t) => t.includes(word)), undefined);
  const out: Pick<TableLayout, 'fillDateCell' | 'issuerCell' | 'peopleCell'> = {};
  const fillDateCell = formCell(grid, find('填报日期') ?? find('填报时间'));
  if (fillDateCell) out.fillDateCell = fillDateCell;
  const issuerCell = formCell(grid, find('填报单位'));
  if (issuerCell && !(issuerCell.row === name.row && issuerCell.col === name.col)) out.issuerCell = issuerCell;
  const peopleCell = find('填表人');
  if (peopleCell) out.peopleCell = peopleCell;
  return out;
}

/**
 * The unit of each figure column as the template states it, where it is not the campaign's:
 * in its label, else in a units row under the label, else (for money) in a caption above
 * the table or a note under it. A column that states none is in the campaign's unit.
 */
function columnUnits(grid: Grid, campaign: Campaign, labels: Record<string, FoundCell>, headerBottom: number, around: [number, number][], lastCol: number): ColumnUnit[] {
  let caption: { units: string[]; cell: string } | undefined;
  for (const rows of around)
    for (let r = rows[0]; r <= rows[1] && !caption; r++)
      for (let c = 1; c <= lastCol && !caption; c++) {
        const units = captionMoneyUnits(textAt(grid, r, c));
        if (units.length) caption = { units, cell: `${columnLetter(c)}${r}` };
      }
  const out: ColumnUnit[] = [];
  for (const ind of campaign.indicators) {
    const label = labels[ind.id];
    if (!label) continue;
    let said: { found: string; cell: string } | undefined;
    const inLabel = unitOf(normalizeText(label.text)) && bareUnit(unitOf(normalizeText(label.text)) as string);
    if (inLabel) said = { found: inLabel, cell: `${columnLetter(label.col)}${label.row}` };
    for (let r = mergeBottom(grid, label.row, label.col) + 1; !said && r <= headerBottom; r++) {
      const word = unitWord(textAt(grid, r, label.col));
      if (word) said = { found: word, cell: `${columnLetter(label.col)}${r}` };
    }
    if (!said && caption && isMoney(ind.unit)) said = { found: caption.units.join('、'), cell: caption.cell };
    if (!said || normalizeText(said.found) === normalizeText(ind.unit)) continue;
    const how = unitFactor(ind.unit, said.found);
    if ('factor' in how && how.factor === 1) continue;
    out.push({ id: ind.id, label: ind.label, unit: ind.unit, ...said, ...how });
  }
  return out;
}

/** A found label of the form, with the blank cell after it when the label has no colon to write after. */
function formCell(grid: Grid, found: FoundCell | undefined): FormCell | undefined {
  // A colon to write after, or two labels in one cell (填报单位 … 填报日期): the line is edited as before.
  if (!found || /[:：]/u.test(found.text) || (/填报单位/u.test(found.text) && /填报(?:日期|时间)/u.test(found.text))) return found;
  const after = cellAfter(grid, found.row, found.col);
  return after.text.trim() === '' ? { ...found, blank: { row: after.row, col: after.col } } : found;
}

/**
 * A table turned the other way (indicators down a column, departments across a row): where
 * its labels and names are, so the refusal can say so. Undefined unless a column holds at
 * least three indicator labels and a row at least two department names.
 */
export function turnedTable(grid: Grid, campaign: Campaign): { labels: [FoundCell, FoundCell]; names: [FoundCell, FoundCell] } | undefined {
  const lastCol = Math.min(grid.colCount, SCAN_COLS);
  const lastRow = Math.min(grid.rowCount, SCAN_ROWS);
  const department = departmentFinder(campaign);
  const isIndicator = (text: string) => campaign.indicators.some((ind) => matchesIndicator(text, ind, false));
  const longest = (cells: FoundCell[][]) => cells.reduce<FoundCell[]>((a, b) => (b.length > a.length ? b : a), []);
  const byCol: FoundCell[][] = [];
  const byRow: FoundCell[][] = [];
  for (let r = 1; r <= lastRow; r++)
    for (let c = 1; c <= lastCol; c++) {
      const text = textAt(grid, r, c);
      if (!text) continue;
      if (isIndicator(text)) (byCol[c] ??= []).push({ row: r, col: c, text });
      else if (department(text)) (byRow[r] ??= []).push({ row: r, col: c, text });
    }
  const labels = longest(byCol.filter(Boolean));
  const names = longest(byRow.filter(Boolean));
  if (labels.length < 3 || names.length < 2) return undefined;
  return { labels: [labels[0]!, labels[labels.length - 1]!], names: [names[0]!, names[names.length - 1]!] };
}

/** A table turned the other way that can be filled as it is: every indicator has a row, every department a column. */
export interface TurnedLayout {
  /** Indicator id → its row; department id → its column. */
  rows: Record<string, number>;
  columns: Record<string, number>;
  /** The row of the department names, and the 合计 column if any. */
  nameRow: number;
  totalCol?: number;
  /** Rows in a unit other than the campaign's (from the label or the 单位 column). */
  units: ColumnUnit[];
}

/**
 * Reads a turned table (indicators down a column, departments across a row, a 合计 column):
 * undefined unless every indicator has a row and every department a column (new columns
 * are not inserted).
 */
export function locateTurned(grid: Grid, campaign: Campaign): TurnedLayout | undefined {
  const turned = turnedTable(grid, campaign);
  if (!turned) return undefined;
  const labelCol = turned.labels[0].col;
  const nameRow = turned.names[0].row;
  const lastCol = Math.min(grid.colCount, SCAN_COLS);
  const department = departmentFinder(campaign);
  const columns: Record<string, number> = {};
  let totalCol: number | undefined;
  let unitCol: number | undefined;
  for (let c = 1; c <= lastCol; c++) {
    const text = textAt(grid, nameRow, c);
    const id = text ? department(text)?.id : undefined;
    if (id !== undefined && columns[id] === undefined) columns[id] = c;
    else if (TOTAL.test(normalizeText(text))) totalCol ??= c;
    else if (/^(?:计量)?单位$/u.test(normalizeText(text))) unitCol ??= c;
  }
  const rows: Record<string, number> = {};
  const units: ColumnUnit[] = [];
  const lastRow = Math.min(grid.rowCount, nameRow + 200);
  for (const ind of campaign.indicators) {
    for (const sameUnit of [true, false]) {
      for (let r = nameRow + 1; r <= lastRow && rows[ind.id] === undefined; r++) {
        if (Object.values(rows).includes(r)) continue;
        if (matchesIndicator(textAt(grid, r, labelCol), ind, sameUnit)) rows[ind.id] = r;
      }
    }
    const row = rows[ind.id];
    if (row === undefined) return undefined;
    const inLabel = unitOf(normalizeText(textAt(grid, row, labelCol)));
    const inColumn = unitCol === undefined ? undefined : unitWord(textAt(grid, row, unitCol));
    const said = inLabel ? { found: bareUnit(inLabel), cell: `${columnLetter(labelCol)}${row}` } : inColumn ? { found: inColumn, cell: `${columnLetter(unitCol as number)}${row}` } : undefined;
    if (!said || normalizeText(said.found) === normalizeText(ind.unit)) continue;
    const how = unitFactor(ind.unit, said.found);
    if (!('factor' in how && how.factor === 1)) units.push({ id: ind.id, label: ind.label, unit: ind.unit, ...said, ...how });
  }
  if (campaign.departments.some((d) => columns[d.id] === undefined)) return undefined;
  return { rows, columns, nameRow, units, ...(totalCol !== undefined && { totalCol }) };
}

/** The last listed or blank row of the block (the look of a department row), else the block's last row. */
function lastDepartmentLike(block: [number, number], rows: Record<string, number>, blank: number[]): number {
  const candidates = [...Object.values(rows), ...blank];
  return candidates.length ? Math.max(...candidates) : block[1];
}

/** Per column, the lowest header cell with text: the label under any group header. */
function lowestHeaders(grid: Grid, [top, bottom]: [number, number], lastCol: number): FoundCell[] {
  const out: FoundCell[] = [];
  for (let c = 1; c <= lastCol; c++) {
    for (let r = bottom; r >= top; r--) {
      const cell = grid.cell(r, c);
      const master = cell?.master;
      const text = master ? '' : (cell?.text ?? '');
      if (master && master.col !== c) break; // covered by a merge from the left: that column's header
      if (text.trim() && !HEADERISH.test(normalizeText(text)) && !/^[(（].*[)）]$/u.test(text.trim())) {
        out.push({ row: r, col: c, text });
        break;
      }
    }
  }
  return out;
}

/** How alike two labels are: the longest common subsequence over the longer length, 0 to 1. */
export function likeness(a: string, b: string): number {
  const x = [...labelKey(a)];
  const y = [...labelKey(b)];
  if (!x.length || !y.length) return 0;
  let prev = new Array<number>(y.length + 1).fill(0);
  for (const cx of x) {
    const row = [0];
    for (let j = 0; j < y.length; j++) row.push(cx === y[j] ? (prev[j] as number) + 1 : Math.max(prev[j + 1] as number, row[j] as number));
    prev = row;
  }
  return (prev[y.length] as number) / Math.max(x.length, y.length);
}

function closestHeader(ind: Campaign['indicators'][number], headers: FoundCell[]): string | undefined {
  let best: { text: string; score: number } | undefined;
  for (const h of headers) {
    const score = Math.max(...[ind.label, ...(ind.aliases ?? [])].map((n) => likeness(h.text, n)));
    if (score > 0 && (!best || score > best.score)) best = { text: h.text, score };
  }
  return best?.text;
}

