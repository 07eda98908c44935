/**
 * Finding the statistics table in a workbook read as plain grids (cells.ts), by the same
 * header-label and department-name matching as merge (locate.ts). ADAPTER: locate.ts works on
 * exceljs worksheets, so the grids are shown to it through the few members it touches; when
 * the pure `locateTable(grid, campaign)` of the templates work lands, this file alone changes.
 * No exceljs is loaded (locate.ts imports only its types).
 */
import type ExcelJS from 'exceljs';
import type { Campaign } from '../campaign/schema.js';
import { cellAt, mergeAt, type Sheet } from './cells.js';
import { locateLayout, type Layout } from './locate.js';

export type { Layout } from './locate.js';

interface FakeCell {
  row: number;
  col: number;
  value: string | number | boolean | null;
  isMerged: boolean;
  master: FakeCell;
  border?: { left?: object; bottom?: object };
}

/** A sheet grid dressed as the part of an exceljs worksheet that locate.ts reads. */
function asWorksheet(sheet: Sheet): ExcelJS.Worksheet {
  const made = new Map<string, FakeCell>();
  const getCell = (row: number, col: number): FakeCell => {
    const key = `${row},${col}`;
    let cell = made.get(key);
    if (cell) return cell;
    const merge = mergeAt(sheet, row, col);
    if (merge && (merge.top !== row || merge.left !== col)) {
      const master = getCell(merge.top, merge.left);
      cell = { row, col, value: master.value, isMerged: true, master, ...(master.border && { border: master.border }) };
    } else {
      const found = cellAt(sheet, row, col);
      // Values as text (dates too): locate compares labels and names only.
      const value = found?.value ?? null;
      cell = { row, col, value: typeof value === 'boolean' ? String(value) : value, isMerged: Boolean(merge), master: undefined as unknown as FakeCell };
      cell.master = cell;
      if (found?.bordered) cell.border = { left: {}, bottom: {} };
    }
    made.set(key, cell);
    return cell;
  };
  const ws = {
    name: sheet.name,
    columnCount: sheet.maxCol,
    rowCount: sheet.maxRow,
    getCell,
    getRow: (row: number) => ({ getCell: (col: number) => getCell(row, col) }),
  };
  return ws as unknown as ExcelJS.Worksheet;
}

/** The layout of the first sheet (of those given) that holds the campaign's statistics table. */
export function locateTable(sheets: readonly Sheet[], campaign: Campaign): Layout | undefined {
  return locateLayout({ worksheets: sheets.map(asWorksheet) } as unknown as ExcelJS.Workbook, campaign);
}
