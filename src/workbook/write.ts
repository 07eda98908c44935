/**
 * Writes the merged workbook: the template (or the default one) filled by the plan, the
 * summary sheets added, the template's fragile parts restored, written atomically.
 */
import ExcelJS from 'exceljs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Campaign } from '../campaign/schema.js';
import { ReportError } from '../diagnostics.js';
import type { DepartmentStatus } from '../model.js';
import { locateLayout } from './locate.js';
import { planFill, type CellWrite, type RowInsert } from './plan.js';
import { fillBody } from './body.js';
import { addTableFrame, summaryTables } from './sheets.js';
import { estimateLines, fitHeight } from './style.js';
import { buildTemplate, templateDate } from './template.js';
import { fitCell } from './text.js';
import { finishXlsx, shiftFormula } from './zip.js';

export interface MergeWriteOptions {
  campaign: Campaign;
  statuses: DepartmentStatus[];
  /** The campaign's template; the default template is built when absent. */
  templatePath?: string;
  outPath: string;
  /** YYYY-MM-DD: the 填报日期 and the date stamped on the file, so equal inputs give equal bytes. */
  fillDate: string;
  /** Called as the added sheets' rows are written (for a progress line). */
  onRows?: (done: number) => void;
}

export interface MergeWriteResult {
  /** Indicator labels the template has no column for (their figures are not in the table). */
  missingLabels: string[];
  totals: Record<string, number | undefined>;
  sheetName: string;
}

/**
 * exceljs's package, uncompressed: finishXlsx reads it back and compresses it once, with
 * node's zlib (exceljs would deflate with pako, in JavaScript, only to be inflated again).
 */
async function storedBytes(wb: ExcelJS.Workbook): Promise<Uint8Array> {
  return new Uint8Array(await wb.xlsx.writeBuffer({ zip: { compression: 'STORE' } }));
}

/** Serialises a workbook with every date fixed, so the same workbook gives the same bytes. */
export async function workbookBytes(wb: ExcelJS.Workbook, date: Date): Promise<Buffer> {
  return finishXlsx(await storedBytes(wb), date);
}

/**
 * Writes `bytes` to `path` through a temporary file in the same folder and a rename, so a
 * reader never sees half a file and an existing file stays intact when anything fails.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/**
 * Fills the statistics table of the template with the departments' figures, adds the
 * 典型案例, 重点任务落实, 报送情况 and 工作总结 sheets and writes `outPath` atomically.
 * Throws ReportError for an unreadable template, a template without a statistics sheet,
 * or a failed write.
 */
export async function writeMergedWorkbook(opts: MergeWriteOptions): Promise<MergeWriteResult> {
  const { campaign, statuses, templatePath, outPath, fillDate } = opts;
  const date = new Date(`${fillDate}T00:00:00+08:00`);
  const templateName = templatePath ?? `${campaign.id}.xlsx`;

  // The default template goes through bytes too, so both paths read the same way.
  let bytes: Uint8Array;
  const wb = new ExcelJS.Workbook();
  try {
    bytes = templatePath
      ? new Uint8Array(await readFile(templatePath))
      : new Uint8Array(await workbookBytes(buildTemplate(campaign), templateDate(campaign)));
    await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch (error) {
    throw new ReportError('usage/template', { file: templateName, reason: reasonOf(error) });
  }
  unshareFormulas(wb);

  const layout = locateLayout(wb, campaign);
  if (!layout) throw new ReportError('usage/template-no-sheet', { file: templateName });
  const plan = planFill(layout, { campaign, statuses, fillDate });
  const ws = wb.getWorksheet(plan.sheet);
  if (!ws) throw new Error(`sheet ${plan.sheet} vanished`);
  if (plan.insert) insertRows(wb, ws, plan.insert);
  applyWrites(ws, plan.writes);
  // The added sheets: exceljs writes their frames, finishXlsx puts their bodies in.
  const bodies = new Map<string, (xml: string) => string>();
  let rowsWritten = 0;
  for (const table of summaryTables(campaign, statuses))
    bodies.set(addTableFrame(wb, table), (xml) => {
      const filled = fillBody(xml, table);
      opts.onRows?.((rowsWritten += table.rows.length));
      return filled;
    });

  wb.created = date;
  wb.modified = date;
  wb.lastModifiedBy = campaign.issuer;
  if (!wb.creator) wb.creator = campaign.issuer;
  // Template formulas (check columns, other sheets) depend on the figures just written.
  wb.calcProperties = { ...wb.calcProperties, fullCalcOnLoad: true };

  try {
    const written = await storedBytes(wb);
    const inserted = plan.insert && { sheet: plan.sheet, at: plan.insert.at, count: plan.insert.count };
    const out = await finishXlsx(written, date, { template: { bytes, ...(inserted && { inserted }) }, sheets: bodies });
    await mkdir(dirname(outPath), { recursive: true });
    await writeFileAtomic(outPath, out);
  } catch (error) {
    throw new ReportError('usage/write-failed', { file: outPath, reason: reasonOf(error) });
  }
  return { missingLabels: plan.missingLabels, totals: plan.totals, sheetName: plan.sheet };
}

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Turns shared formulas into plain ones. exceljs writes a shared formula's members
 * relative to whatever the master cell holds at write time: overwrite the master (a 合计
 * cell) and the members silently change meaning, clear it and writing fails with
 * "Shared Formula master must exist" (exceljs issues 676, 370).
 */
function unshareFormulas(wb: ExcelJS.Workbook): void {
  for (const ws of wb.worksheets) {
    ws.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        if (cell.type !== ExcelJS.ValueType.Formula) return;
        const v = cell.value as ExcelJS.CellFormulaValue & ExcelJS.CellSharedFormulaValue & { shareType?: string };
        if (!v.sharedFormula && v.shareType !== 'shared') return;
        const plain: ExcelJS.CellFormulaValue = { formula: cell.formula };
        if (v.result !== undefined) plain.result = v.result;
        cell.value = plain;
      });
    });
  }
}

/** A deep copy, so rows never share one mutable style object. */
const copy = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

/**
 * Inserts rows before `at`, moving everything below down by hand: exceljs's spliceRows
 * leaves merged ranges (and formulas) below the insertion where they were (exceljs
 * issues 2881, 1188). Merges are undone, rows moved with their values, styles and heights,
 * merges redone lower down, and formulas pointing at moved rows rewritten.
 */
function insertRows(wb: ExcelJS.Workbook, ws: ExcelJS.Worksheet, ins: RowInsert): void {
  const { at, count, styleRow } = ins;
  const width = ws.columnCount;
  const source = ws.getRow(styleRow);
  // One shared, frozen style per column for all new rows (exceljs then looks each up once);
  // writes that change a cell's format give it its own copy.
  const look = { height: source.height, styles: Array.from({ length: width }, (_, i) => Object.freeze(copy(source.getCell(i + 1).style))) };

  const merges = (ws.model.merges ?? []).map((range) => {
    const [a, b] = range.split(':');
    const tl = ws.getCell(a ?? range);
    const br = ws.getCell(b ?? a ?? range);
    return { top: Number(tl.row), left: Number(tl.col), bottom: Number(br.row), right: Number(br.col), range };
  });
  const moving = merges.filter((m) => m.bottom >= at);
  for (const m of moving) ws.unMergeCells(m.range);

  for (let r = ws.rowCount; r >= at; r--) {
    const from = ws.getRow(r);
    const to = ws.getRow(r + count);
    to.height = from.height;
    to.hidden = from.hidden;
    from.eachCell({ includeEmpty: true }, (cell, c) => {
      const target = to.getCell(c);
      target.value = cell.value;
      target.style = copy(cell.style);
      cell.value = null;
      cell.style = {};
    });
  }
  for (let r = at; r < at + count; r++) {
    const row = ws.getRow(r);
    if (look.height !== undefined) row.height = look.height;
    look.styles.forEach((style, i) => {
      row.getCell(i + 1).style = style;
    });
  }
  for (const m of moving) {
    ws.mergeCellsWithoutStyle(m.top >= at ? m.top + count : m.top, m.left, m.bottom + count, m.right);
  }

  // Formulas anywhere that point at moved rows of this sheet.
  for (const sheet of wb.worksheets) {
    sheet.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        if (cell.type !== ExcelJS.ValueType.Formula) return;
        const v = cell.value as ExcelJS.CellFormulaValue;
        const formula = shiftFormula(v.formula, ws.name, sheet === ws, at, count);
        if (formula !== v.formula) cell.value = { ...v, formula };
      });
    });
  }
}

/**
 * Makes a note we wrote (逾期报送（…）, 未含：…) readable in print: a note too long for its
 * column wraps (the cell gets its own style with wrapText) and its row grows to fit.
 * Rows only ever grow; merged cells and rows of default height are left alone.
 */
function growToFit(ws: ExcelJS.Worksheet, cell: ExcelJS.Cell, text: string): void {
  const row = ws.getRow(Number(cell.row));
  if (cell.isMerged || row.height === undefined) return;
  const width = ws.getColumn(Number(cell.col)).width ?? 9;
  const size = cell.font?.size ?? 11;
  if (estimateLines(text, width - 1, size) <= 1) return;
  if (!cell.alignment?.wrapText) cell.style = { ...copy(cell.style), alignment: { ...cell.alignment, wrapText: true } };
  const needed = fitHeight([{ text, width }], size, 0);
  if (needed > row.height) row.height = needed;
}

/** Writes the plan's cells; a number format is set only where the template left General. */
function applyWrites(ws: ExcelJS.Worksheet, writes: readonly CellWrite[]): void {
  for (const { row, col, content } of writes) {
    const cell = ws.getCell(row, col);
    const general = !cell.numFmt || cell.numFmt === 'General';
    // A loaded cell shares its style object with every cell of the same style: setting
    // cell.numFmt would change them all. Give the cell its own copy instead.
    const setNumFmt = (numFmt: string) => {
      if (general) cell.style = { ...copy(cell.style), numFmt };
    };
    switch (content.type) {
      case 'empty':
        cell.value = null;
        break;
      case 'text':
        cell.value = fitCell(content.value); // a plain string, even when it starts with =
        growToFit(ws, cell, content.value);
        break;
      case 'number':
        cell.value = content.value;
        setNumFmt(content.numFmt);
        break;
      case 'formula':
        cell.value = { formula: content.formula, result: content.result };
        setNumFmt(content.numFmt);
        break;
    }
  }
}
