/**
 * Reads a template's layout by meaning: headers, departments and 合计 are found by their
 * text, never by fixed addresses, so a template with other columns, another order or
 * extra title rows still works. Labels that cannot be found are reported, never guessed.
 */
import type ExcelJS from 'exceljs';
import type { Campaign } from '../campaign/schema.js';
import { isLabel, normalizeText } from './text.js';

/** A cell found by its text. */
export interface FoundCell {
  row: number;
  col: number;
  text: string;
}

/** Where things are in the statistics sheet. Rows and columns are 1-based. */
export interface Layout {
  sheetName: string;
  /** First and last row of the header (the rows holding 单位 and the indicator labels). */
  headerRows: [number, number];
  seqCol?: number;
  nameCol: number;
  noteCol?: number;
  /** Indicator id → its column, for every indicator found. */
  columns: Record<string, number>;
  /** Labels of the campaign's indicators that have no column in the template. */
  missingLabels: string[];
  /** Department id → its row, for departments the template already lists. */
  departmentRows: Record<string, number>;
  /** Table rows between the header and 合计 whose 单位 cell is empty. */
  blankRows: number[];
  totalRow?: number;
  /** Where rows for unlisted departments go: the 合计 row, or the row after the table. */
  insertAt: number;
  /** The row whose look new department rows copy. */
  styleRow: number;
  /** The cell holding 填报日期 / 填报单位 in the title or footer lines, if any. */
  fillDateCell?: FoundCell;
  issuerCell?: FoundCell;
}

const NAME_HEADERS = ['单位', '单位名称', '填报单位'];
const SEQ_HEADERS = ['序号', '编号'];
const NOTE_HEADERS = ['备注'];
const TOTAL_LABELS = ['合计', '总计'];
/** How far to look: templates put their header near the top and never this wide. */
const SCAN_ROWS = 40;
const SCAN_COLS = 120;
/** Header levels below the 单位 cell in which indicator labels may sit. */
const HEADER_DEPTH = 4;

/** The text a person sees in a cell: strings, rich text, numbers, formula results. */
export function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  if ('richText' in v) return v.richText.map((r) => r.text).join('');
  if ('text' in v && typeof v.text === 'string') return v.text;
  if ('result' in v && v.result !== undefined && v.result !== null && typeof v.result !== 'object') return String(v.result);
  return '';
}

/** True for cells that hold their own value: not the covered part of a merge. */
const isMaster = (cell: ExcelJS.Cell) => !cell.isMerged || cell.master === cell;

/** The last row a merged cell covers (its own row when not merged). */
function mergeBottom(ws: ExcelJS.Worksheet, cell: ExcelJS.Cell): number {
  if (!cell.isMerged) return Number(cell.row);
  let r = Number(cell.row);
  while (ws.getCell(r + 1, Number(cell.col)).master === cell) r++;
  return r;
}

function findIn(
  ws: ExcelJS.Worksheet,
  rows: [number, number],
  cols: [number, number],
  match: (text: string) => boolean,
): FoundCell | undefined {
  for (let r = rows[0]; r <= rows[1]; r++) {
    const row = ws.getRow(r);
    for (let c = cols[0]; c <= cols[1]; c++) {
      const cell = row.getCell(c);
      if (!isMaster(cell)) continue;
      const text = cellText(cell);
      if (text && match(text)) return { row: r, col: c, text };
    }
  }
  return undefined;
}

const oneOf = (words: string[]) => (text: string) => words.includes(normalizeText(text));

/**
 * Finds the statistics sheet (the first sheet with a 单位 header and at least one
 * indicator label) and its layout. Returns undefined when no sheet qualifies.
 */
export function locateLayout(wb: ExcelJS.Workbook, campaign: Campaign): Layout | undefined {
  for (const ws of wb.worksheets) {
    const layout = locateInSheet(ws, campaign);
    if (layout) return layout;
  }
  return undefined;
}

function locateInSheet(ws: ExcelJS.Worksheet, campaign: Campaign): Layout | undefined {
  const lastCol = Math.min(ws.columnCount, SCAN_COLS);
  const lastRow = ws.rowCount;
  if (lastCol === 0 || lastRow === 0) return undefined;
  const cols: [number, number] = [1, lastCol];

  // A 单位 header may appear on several sheets (e.g. an instructions sheet); take the
  // first one whose neighbourhood also holds an indicator label.
  for (let start = 1; start <= Math.min(lastRow, SCAN_ROWS); start++) {
    const name = findIn(ws, [start, Math.min(lastRow, SCAN_ROWS)], cols, oneOf(NAME_HEADERS));
    if (!name) return undefined;
    const layout = layoutFrom(ws, campaign, name, lastCol);
    if (layout) return layout;
    start = name.row;
  }
  return undefined;
}

function layoutFrom(ws: ExcelJS.Worksheet, campaign: Campaign, name: FoundCell, lastCol: number): Layout | undefined {
  const cols: [number, number] = [1, lastCol];
  const headerTop = name.row;
  const headerScan: [number, number] = [headerTop, headerTop + HEADER_DEPTH - 1];
  let headerBottom = mergeBottom(ws, ws.getCell(name.row, name.col));

  const columns: Record<string, number> = {};
  const missingLabels: string[] = [];
  for (const ind of campaign.indicators) {
    const found = findIn(ws, headerScan, cols, (text) => isLabel(text, ind.label));
    if (!found) {
      missingLabels.push(ind.label);
      continue;
    }
    columns[ind.id] = found.col;
    headerBottom = Math.max(headerBottom, mergeBottom(ws, ws.getCell(found.row, found.col)));
  }
  if (Object.keys(columns).length === 0) return undefined;

  const headerRows: [number, number] = [headerTop, headerBottom];
  const seqCol = findIn(ws, headerRows, cols, oneOf(SEQ_HEADERS))?.col;
  const noteCol = findIn(ws, headerRows, cols, oneOf(NOTE_HEADERS))?.col;
  const firstIndicatorCol = Math.min(...Object.values(columns));

  // Data rows: from below the header down to 合计, or to the last row of the table.
  const names = new Map<string, string>();
  for (const d of campaign.departments) {
    for (const n of [d.name, ...d.aliases]) if (!names.has(normalizeText(n))) names.set(normalizeText(n), d.id);
  }
  const departmentRows: Record<string, number> = {};
  const blankRows: number[] = [];
  let totalRow: number | undefined;
  let lastTableRow = headerBottom;
  const labelCols: [number, number] = [1, Math.max(firstIndicatorCol - 1, name.col)];
  for (let r = headerBottom + 1; r <= ws.rowCount; r++) {
    if (findIn(ws, [r, r], labelCols, oneOf(TOTAL_LABELS))) {
      totalRow = r;
      break;
    }
    const nameCell = ws.getCell(r, name.col);
    // A merge over the 单位 cell (a footnote line across the sheet) ends the table.
    if (!isMaster(nameCell)) break;
    const text = normalizeText(cellText(nameCell));
    const id = names.get(text);
    const bordered = nameCell.border?.left !== undefined || nameCell.border?.bottom !== undefined;
    if (id !== undefined && departmentRows[id] === undefined) {
      departmentRows[id] = r;
    } else if (text === '' && bordered) {
      blankRows.push(r); // an empty table row, ready to be filled
    } else if (!bordered) {
      break; // text or nothing outside the table: a footnote or the end
    }
    // else: a bordered row we do not know (栏次 甲 乙 1 2 …, a unit outside the campaign): left as it is
    lastTableRow = r;
  }

  const insertAt = totalRow ?? lastTableRow + 1;
  const listed = Object.values(departmentRows).sort((a, b) => a - b);
  const styleRow = listed[0] ?? blankRows[0] ?? totalRow ?? headerBottom;

  // 填报日期 / 填报单位 sit in the lines above the header, or in the footer.
  const above: [number, number] = [1, headerTop - 1];
  const below: [number, number] = [insertAt, Math.min(ws.rowCount, insertAt + 10)];
  const find = (word: string) =>
    (headerTop > 1 ? findIn(ws, above, cols, (t) => t.includes(word)) : undefined) ??
    findIn(ws, below, cols, (t) => t.includes(word));

  const layout: Layout = {
    sheetName: ws.name,
    headerRows,
    nameCol: name.col,
    columns,
    missingLabels,
    departmentRows,
    blankRows: blankRows.filter((r) => r < insertAt),
    insertAt,
    styleRow,
  };
  if (seqCol !== undefined) layout.seqCol = seqCol;
  if (noteCol !== undefined) layout.noteCol = noteCol;
  if (totalRow !== undefined) layout.totalRow = totalRow;
  const fillDateCell = find('填报日期') ?? find('填报时间');
  if (fillDateCell) layout.fillDateCell = fillDateCell;
  const issuerCell = find('填报单位');
  if (issuerCell) layout.issuerCell = issuerCell;
  return layout;
}
