/**
 * The look of an official Chinese table: 宋体 for titles and headers, 仿宋 for the body,
 * thin borders, A4 landscape fitted to one page width. Shared by the default template
 * and the sheets the merge adds, so they look like one document.
 */
import type ExcelJS from 'exceljs';
import { fitCell } from '../text/labels.js';

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
export const MAX_ROW_HEIGHT = 409;

/**
 * Estimates how many lines `text` takes in a column `width` characters wide. A CJK
 * character is about two width units at 11–12 pt; ASCII about one.
 */
export function estimateLines(text: string, width: number, size = 12): number {
  const perLine = Math.max(1, width * (11 / size));
  let lines = 0;
  let units = 0;
  // Paragraph by paragraph (split at \n), without making the paragraphs: a province's body has a million texts.
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 0x0a;
    if (code === 0x0a) {
      lines += Math.max(1, Math.ceil(units / perLine));
      units = 0;
    } else if (code < 0xdc00 || code > 0xdfff) units += code <= 0xff ? 1.1 : 2.2; // the second half of a pair: one character
  }
  return lines;
}

/** A row height that shows the tallest of the given cells, within Excel's limit. */
export function fitHeight(cells: { text: string; width: number }[], size = 12, min = 24): number {
  return heightFor(Math.max(1, ...cells.map((c) => estimateLines(c.text, c.width - 1, size))), size, min);
}

/** The height of a row of `lines` lines at a font size, within Excel's limit. */
export function heightFor(lines: number, size = 12, min = 24): number {
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

/** One look: the style objects cells share, so exceljs finds each look in its cache once. */
export type Look = Readonly<Partial<ExcelJS.Style>>;

const looks = new Map<string, Look>();

/**
 * The shared, frozen style object of a look. exceljs caches a style's id by the style
 * object; a new object per cell makes it render and look up every cell's style again.
 * Frozen because it is shared: a cell that needs a change gets a copy (`{ ...cell.style }`).
 */
export function look(
  font: Partial<ExcelJS.Font>,
  alignment: Partial<ExcelJS.Alignment>,
  border?: Partial<ExcelJS.Borders>,
  numFmt?: string,
): Look {
  const style: Partial<ExcelJS.Style> = { font, alignment, ...(border && { border }), ...(numFmt && { numFmt }) };
  const key = JSON.stringify(style);
  let shared = looks.get(key);
  if (!shared) {
    shared = Object.freeze(style);
    looks.set(key, shared);
  }
  return shared;
}

/**
 * Sets value and look (font, alignment, optionally a border and number format) of one cell.
 * Put a merge's first cell before merging: the merged cells take its style then.
 */
export function put(
  cell: ExcelJS.Cell,
  value: ExcelJS.CellValue,
  font: Partial<ExcelJS.Font>,
  alignment: Partial<ExcelJS.Alignment>,
  border?: Partial<ExcelJS.Borders>,
  numFmt?: string,
): void {
  cell.value = typeof value === 'string' ? fitCell(value) : value;
  cell.style = look(font, alignment, border, numFmt) as Partial<ExcelJS.Style>;
}

/** Borders every cell of a rectangle, merged or not, so printed merges keep their lines. */
export function boxRange(ws: ExcelJS.Worksheet, top: number, left: number, bottom: number, right: number): void {
  for (let r = top; r <= bottom; r++) {
    for (let c = left; c <= right; c++) {
      const cell = ws.getCell(r, c);
      cell.style = { ...cell.style, border: BOX }; // a copy: the cell's look may be shared
    }
  }
}
