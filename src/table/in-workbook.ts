/**
 * Finding the statistics table in a submitted workbook: the sheets as cells.ts reads them,
 * shown as the plain grids of locate.ts, so a department's copy of the table and a lower
 * level's merged table are found by exactly the header-label and department-name matching
 * the merge uses on its template.
 */
import type { Campaign } from '../campaign/schema.js';
import { cellText, mergesOver, type Sheet } from '../xlsx/cells.js';
import { locateTable, type Grid, type GridCell, type TableLayout } from './locate.js';

export type { TableLayout } from './locate.js';

/** A sheet as locate.ts's Grid: text as shown, numbers, formulas, merges, borders. */
function sheetGrid(sheet: Sheet): Grid {
  // The merges over each row come from an index made once per sheet (cells.ts mergesOver):
  // filtering every merge for each row took minutes on 160,000 one-row merges.
  return {
    rowCount: sheet.maxRow,
    colCount: sheet.maxCol,
    cell(row: number, col: number): GridCell | undefined {
      const merge = mergesOver(sheet, row).find((m) => col >= m.left && col <= m.right);
      if (merge && (merge.top !== row || merge.left !== col)) return { text: '', master: { row: merge.top, col: merge.left } };
      const cell = sheet.rows.get(row)?.get(col);
      if (!cell && !merge) return undefined;
      const out: GridCell = { text: cellText(cell) };
      if (typeof cell?.value === 'number') out.number = cell.value;
      if (cell?.formula !== undefined) out.formula = cell.formula;
      if (merge) out.mergeEnd = { row: merge.bottom, col: merge.right };
      if (cell?.bordered) out.boxed = true;
      return out;
    },
  };
}

/**
 * The first of `sheets` that holds the campaign's statistics table, and the table's layout.
 * A column the table states in another unit than the campaign's (罚没款 in 元) is left out,
 * as missing: read as it stands its figures would be off by the factor, and this reading
 * does not convert them.
 */
export function findTable(sheets: readonly Sheet[], campaign: Campaign): { sheet: Sheet; layout: TableLayout } | undefined {
  for (const sheet of sheets) {
    const layout = locateTable(sheetGrid(sheet), campaign);
    if (layout) {
      for (const u of layout.units ?? []) delete layout.columns[u.id];
      return { sheet, layout };
    }
  }
  return undefined;
}
