/**
 * The look of an official Chinese table: 宋体 for titles and headers, 仿宋 for the body,
 * thin borders, A4 landscape fitted to one page width. Shared by the default template
 * and the sheets the merge adds, so they look like one document.
 */
import type ExcelJS from 'exceljs';

export const TITLE_FONT: Partial<ExcelJS.Font> = { name: '宋体', size: 20, bold: true };
export const HEADER_FONT: Partial<ExcelJS.Font> = { name: '宋体', size: 11, bold: true };
export const BODY_FONT: Partial<ExcelJS.Font> = { name: '仿宋', size: 12 };
/** The line under the title (填报单位, 统计时段, 填报日期) and the footer. */
export const LINE_FONT: Partial<ExcelJS.Font> = { name: '仿宋', size: 12 };

const thin: Partial<ExcelJS.Border> = { style: 'thin' };
export const BOX: Partial<ExcelJS.Borders> = { top: thin, left: thin, bottom: thin, right: thin };

export const CENTRE: Partial<ExcelJS.Alignment> = { horizontal: 'center', vertical: 'middle', wrapText: true };
export const LEFT: Partial<ExcelJS.Alignment> = { horizontal: 'left', vertical: 'middle', wrapText: true };
export const TOP_LEFT: Partial<ExcelJS.Alignment> = { horizontal: 'left', vertical: 'top', wrapText: true };

/** Height in points of one line of text at a font size, with Excel's usual leading. */
export const lineHeight = (size: number) => Math.ceil(size * 1.35);

/** Excel's largest row height; taller text is cut off anyway. */
const MAX_ROW_HEIGHT = 409;

/**
 * Estimates how many lines `text` takes in a column `width` characters wide. A CJK
 * character is about two width units at 11–12 pt; ASCII about one.
 */
export function estimateLines(text: string, width: number, size = 12): number {
  const perLine = Math.max(1, width * (11 / size));
  let lines = 0;
  for (const paragraph of text.split('\n')) {
    let units = 0;
    for (const ch of paragraph) units += /[\u0000-\u00ff]/u.test(ch) ? 1.1 : 2.2;
    lines += Math.max(1, Math.ceil(units / perLine));
  }
  return lines;
}

/** A row height that shows the tallest of the given cells, within Excel's limit. */
export function fitHeight(cells: { text: string; width: number }[], size = 12, min = 24): number {
  const lines = Math.max(1, ...cells.map((c) => estimateLines(c.text, c.width - 1, size)));
  return Math.min(MAX_ROW_HEIGHT, Math.max(min, lines * lineHeight(size) + 8));
}

/**
 * A4 landscape, one page wide and as many pages long as needed, centred, with
 * `titleRows` (e.g. '1:4') printed on every page and page numbers in the footer.
 */
export function setOfficialPrint(ws: ExcelJS.Worksheet, titleRows: string): void {
  ws.pageSetup = {
    ...ws.pageSetup,
    paperSize: 9,
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    printTitlesRow: titleRows,
  };
  ws.headerFooter = { ...ws.headerFooter, oddFooter: '&C第 &P 页，共 &N 页' };
}

/** Sets value, font, alignment and optionally a border on one cell. */
export function put(
  cell: ExcelJS.Cell,
  value: ExcelJS.CellValue,
  font: Partial<ExcelJS.Font>,
  alignment: Partial<ExcelJS.Alignment>,
  border?: Partial<ExcelJS.Borders>,
): void {
  cell.value = value;
  cell.font = font;
  cell.alignment = alignment;
  if (border) cell.border = border;
}

/** Borders every cell of a rectangle, merged or not, so printed merges keep their lines. */
export function boxRange(ws: ExcelJS.Worksheet, top: number, left: number, bottom: number, right: number): void {
  for (let r = top; r <= bottom; r++) for (let c = left; c <= right; c++) ws.getCell(r, c).border = BOX;
}
