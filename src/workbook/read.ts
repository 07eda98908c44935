/**
 * Reading a workbook's sheets as plain grids, without exceljs: what `locateTable` works on.
 * The merge reads its template this way; a department's filled copy of the statistics table
 * or a lower level's merged table can be read the same way:
 *
 *   const sheets = await readGrids(bytes);
 *   for (const { name, grid } of sheets) { const table = locateTable(grid, campaign); … }
 *
 * `grid.cell(row, col)` gives the text as shown, the number (formula results included),
 * the formula, and merge and border facts (see GridCell).
 */
import type { Grid } from './locate.js';
import { XlsxPackage, workbookSheets } from './package.js';
import { SheetEditor, readSharedStrings } from './sheet.js';
import { StyleBook } from './styles.js';
import { child, parseXml, type Element } from './xml.js';

/** One worksheet as a grid. */
export interface SheetGrid {
  name: string;
  /** True when the sheet is hidden or very hidden. */
  hidden: boolean;
  grid: Grid;
}

/**
 * The worksheets of an .xlsx (chart sheets left out), in tab order. Throws NotAZipError
 * (package.ts) or XmlError (xml.ts) for what is not a readable workbook.
 */
export async function readGrids(bytes: Uint8Array): Promise<SheetGrid[]> {
  const pkg = await XlsxPackage.load(bytes);
  const book = pkg.workbookName() ?? 'xl/workbook.xml';
  const rels = pkg.rels(book);
  const stylesName = rels.find((r) => r.type.endsWith('/styles'))?.target;
  const stringsName = rels.find((r) => r.type.endsWith('/sharedStrings'))?.target;
  const styles = new StyleBook((stylesName && pkg.doc(stylesName)) || parseXml('<styleSheet/>'));
  const strings = readSharedStrings(stringsName ? pkg.doc(stringsName) : undefined);
  const out: SheetGrid[] = [];
  for (const sheet of workbookSheets(pkg, book)) {
    const doc = pkg.doc(sheet.part);
    if (!doc || !child(doc.documentElement as Element, 'sheetData')) continue;
    const state = sheet.element.getAttribute('state');
    out.push({ name: sheet.name, hidden: state === 'hidden' || state === 'veryHidden', grid: new SheetEditor(doc, styles, strings).grid() });
  }
  return out;
}
