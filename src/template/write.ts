/**
 * Writes the merged workbook. The template is the document: its package is edited in
 * place (package.ts) — the statistics table found by meaning (locate.ts), its cells written
 * and rows inserted with every reference moved (sheet.ts, shift.ts) — and the generated
 * sheets are added as new parts (graft.ts). Every part the fill does not change is copied
 * as the bytes it was issued as. exceljs only builds the default template and the frames of
 * the generated sheets.
 */
import ExcelJS from 'exceljs';
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Campaign } from '../campaign/schema.js';
import { ExitCode, ReportError } from '../diagnostics.js';
import { list, osReason, t } from '../messages/index.js';
import { formatSize, publishFiles } from '../fs.js';
import type { DepartmentStatus } from '../model.js';
import { fillBody, type Table } from './body.js';
import { WORKBOOK_ORDER, graftGenerated, isStructureLocked, markSheets, removeGeneratedSheets, type Generated } from './graft.js';
import { readTemplate } from './legacy.js';
import { NAME_HEADERS, locateTable, locateTurned, turnedTable, type Grid, type TableLayout, type TurnedLayout } from '../table/locate.js';
import { finishXlsx, NotAZipError, XlsxPackage, relOfType, workbookSheets } from '../xlsx/package.js';
import { planFill, planTurned, type FillPlan, type OwnUnit } from './plan.js';
import { SheetEditor, readSharedStrings } from './sheet.js';
import { MERGE_PROPS, secondFileName } from '../layout/merged.js';
import { setCustomProperties } from '../xlsx/custom-props.js';
import { mergeProperties } from './merge-props.js';
import { addTableFrame, summaryTables } from './sheets.js';
import { mayMention, shiftPackage } from '../xlsx/shift.js';
import { StyleBook } from '../xlsx/styles.js';
import { buildTemplate, campaignWorkbook } from './default.js';
import { child, createLike, descendants, insertInOrder, setText, WORKSHEET_ORDER, XmlError, type Document, type Element } from '../xlsx/xml.js';
import { columnLetter } from '../xlsx/refs.js';
import { MAX_INFLATED, WorkbookError } from '../xlsx/cells.js';
import type { Comparison } from '../history/compare.js';
import { COMPARISON_HEADERS, COMPARISON_SHEET, comparisonTable } from './previous-sheet.js';
import { pastColumnWrites } from './previous-columns.js';

export interface MergeWriteOptions {
  campaign: Campaign;
  statuses: DepartmentStatus[];
  /** The campaign's template; the default template is built when absent. */
  templatePath?: string;
  /** How the template is named in messages (the path as typed); `templatePath` by default. */
  templateShown?: string;
  outPath: string;
  /** YYYY-MM-DD: the 填报日期 and the date stamped on the file, so equal inputs give equal bytes. */
  fillDate: string;
  /** Replace a second output file (the generated sheets beside a protected workbook) if it exists. */
  force?: boolean;
  /** A department's own table: who fills it (see FillInput.unit). */
  unit?: OwnUnit;
  /** Called as the added sheets' rows are written (for a progress line). */
  onRows?: (done: number) => void;
  /** The template made ready beforehand (see prepareTemplate); prepared here when absent. */
  prepared?: Promise<PreparedTemplate>;
  /** Files left out with --skip-unknown: named in the 合计's note and the workbook's properties. */
  skipped?: readonly string[];
  /** 同比 against an earlier round: the 同比 sheet is added (its frame made by prepareTemplate with the period). */
  comparison?: Comparison;
  /** pack's: the table's 附件 mark (附件2) in the print header of its sheet, never in a cell of the issued table. */
  attachmentMark?: string;
}

/** A template read, opened and its table found: all that does not depend on the submissions. */
export interface PreparedTemplate {
  template: Template;
  /** The statistics table; with indicators split over several sheets (表1, 表2), one per sheet, in tab order. */
  found: FoundTable[];
  notes: string[];
  shown: string;
  /** The generated sheets' frames (their rows come with the submissions), and where they go. */
  frames: Frames;
  locked: boolean;
}

export interface MergeWriteResult {
  totals: Record<string, number | undefined>;
  sheetName: string;
  /** Lines for the person who runs the merge: conversions, rows kept or added, a second file. */
  notes: string[];
  /** The second file with the generated sheets, when the template's structure is protected. */
  secondFile?: string;
}

/**
 * exceljs's package, uncompressed: it is read back (XlsxPackage) and compressed once, with
 * node's zlib (exceljs would deflate with pako, in JavaScript, only to be inflated again).
 */
async function storedBytes(wb: ExcelJS.Workbook): Promise<Uint8Array> {
  return new Uint8Array(await wb.xlsx.writeBuffer({ zip: { compression: 'STORE' } }));
}

/** Serialises a workbook with every date fixed, so the same workbook gives the same bytes. */
export async function workbookBytes(wb: ExcelJS.Workbook, date: Date): Promise<Buffer> {
  return finishXlsx(await storedBytes(wb), date);
}

/** The file beside the table for the generated sheets: 汇总表（附表）.xlsx. */
export function secondFileOf(outPath: string): string {
  return join(dirname(outPath), secondFileName(basename(outPath)));
}

/**
 * Fills the statistics table of the template with the departments' figures, adds the
 * 典型案例, 重点任务落实, 报送情况 and 工作总结 sheets (into a second file when the
 * template's structure is protected) and writes `outPath` atomically. Throws ReportError
 * for a template that cannot be used (exit 2), one whose table lacks an indicator's column
 * (exit 1, nothing written), or a failed write.
 */
export async function writeMergedWorkbook(opts: MergeWriteOptions): Promise<MergeWriteResult> {
  const { campaign, fillDate } = opts;
  const date = new Date(`${fillDate}T00:00:00+08:00`);
  const prepared = await (opts.prepared ?? prepareTemplate(campaign, opts.templatePath, opts.templateShown));
  const { template, found, notes, shown } = prepared;
  const { pkg, book } = template;
  // The part being worked on, named when the template's XML turns out unreadable.
  const reading = { part: book };
  try {
    const say: Say = (line) => !notes.includes(line) && notes.push(line);
    const totals = fillTables(template, found, opts, notes, say, reading);
    const sheet = found[0]!.sheet;
    if (opts.attachmentMark) markAttachments(pkg, found, opts.attachmentMark, say, reading);
    reading.part = book;
    recalculateOnOpen(pkg, book);
    stampProperties(pkg, campaign, date);
    const secondFile = await writeFiles(prepared, opts, date);
    const result: MergeWriteResult = { totals, sheetName: sheet.name, notes };
    if (secondFile) result.secondFile = secondFile;
    return result;
  } catch (error) {
    throw templateError(error, shown, reading.part);
  }
}

/** Adds a line for the person who runs the merge, once. */
type Say = (line: string) => unknown;

/** Fills each statistics table found (a turned one as it is) and says what is worth a line; returns the last table's totals. */
function fillTables(template: Template, found: readonly FoundTable[], opts: MergeWriteOptions, notes: string[], say: Say, reading: { part: string }): FillPlan['totals'] {
  const { campaign, statuses, fillDate } = opts;
  const skipped = opts.skipped ?? [];
  let totals: FillPlan['totals'] = {};
  for (const table of found) {
    const { sheet, layout } = table;
    reading.part = sheet.part;
    const input = { campaign, statuses, fillDate, sheet: sheet.name, skipped, ...(opts.unit && { unit: opts.unit }) };
    if (table.turned) {
      const plan = planTurned(table.turned, input, table.grid);
      fillTable(template, table, plan);
      totals = plan.totals;
      notes.push(t('merge/turned-filled', { sheet: sheet.name }));
      continue;
    }
    const plan = planFill(layout, input, table.grid);
    // The template's own 上年同期 columns, when it has them and an earlier round is given.
    const past = opts.comparison ? pastColumnWrites(layout, plan, opts.comparison, campaign, table.grid) : undefined;
    if (past?.writes.length) {
      plan.writes.push(...past.writes);
      say(t('history/template-filled', { labels: list(past.labels), period: opts.comparison!.period }));
    }
    fillTable(template, table, plan);
    totals = plan.totals;
    // Units added to a table that lists units are worth a line; a table that lists none is filled by design.
    if (plan.added.length && Object.keys(layout.departmentRows).length > 0) say(t('merge/rows-added', { names: list(plan.added) }));
    if (layout.otherRows.length) say(t('merge/other-rows', { names: list(layout.otherRows.map(otherRowName(campaign))) }));
    if (layout.totalRow === undefined) say(t('merge/no-total-row'));
  }
  return totals;
}

/** pack's 附件 mark in the print header of each table's sheet; a line for each sheet whose own header keeps it out. */
function markAttachments(pkg: XlsxPackage, found: readonly FoundTable[], mark: string, say: Say, reading: { part: string }): void {
  for (const { sheet: marked } of found) {
    reading.part = marked.part;
    if (!markInHeader(pkg, marked.part, mark)) say(t('pack/no-attachment-mark', { sheet: marked.name, mark }));
  }
}

/**
 * The generated sheets, into the package or beside it when its structure is locked; writes
 * the table (and the second file) at once. Returns the second file's path, if any.
 */
async function writeFiles({ template, frames, locked }: PreparedTemplate, opts: MergeWriteOptions, date: Date): Promise<string | undefined> {
  const { campaign, statuses, outPath, fillDate } = opts;
  const { pkg, book, styles } = template;
  const generated = generatedSheets(campaign, statuses, opts.comparison, frames);
  const files: [string, Uint8Array][] = [];
  let secondFile: string | undefined;
  // Which campaign, period and merge this is, and what it leaves out: for the level above (merge-props.ts).
  const props = mergeProperties(campaign, statuses, fillDate, opts.skipped ?? []);
  if (!locked) markSheets(pkg, graftGenerated(pkg, book, styles, generated, opts.onRows));
  if (styles.changed && template.stylesName) pkg.touch(template.stylesName);
  setCustomProperties(pkg, props);
  const tableBytes = await pkg.toBytes(date);
  files.push([outPath, tableBytes]);
  if (locked) {
    secondFile = secondFileOf(outPath);
    if (existsSync(secondFile) && !opts.force) throw new ReportError('usage/output-exists', { file: secondFile });
    const second = withBodies(generated, opts.onRows);
    stampProperties(second, campaign, date);
    // The 附表 names the table it was written with: another week's or unit's 附表 is refused.
    setCustomProperties(second, { ...props, [MERGE_PROPS.table]: createHash('sha256').update(tableBytes).digest('hex') });
    files.push([secondFile, await second.toBytes(date)]);
  }
  await publishOutputs(files, outPath, Boolean(opts.force));
  return secondFile;
}

/** The generated sheets' rows (summaryTables, then 同比 when compared) matched with their frames. */
function generatedSheets(campaign: Campaign, statuses: readonly DepartmentStatus[], comparison: Comparison | undefined, frames: Frames): Generated {
  const rows = summaryTables(campaign, statuses);
  if (comparison) rows.push(comparisonTable(campaign, comparison.period, comparison));
  if (rows.length !== frames.names.length) throw new Error('the generated sheets and their frames differ (prepareTemplate without the period?)');
  return { scratch: frames.scratch, tables: frames.names.map((name, i) => ({ name, table: rows[i]! })) };
}

/** Writes the files all or none; an existing output or a failed write as the user's message. */
async function publishOutputs(files: [string, Uint8Array][], outPath: string, force: boolean): Promise<void> {
  try {
    await mkdir(dirname(outPath), { recursive: true });
    // Without --force an existing output is never replaced, even by a merge started at the same moment.
    await publishFiles(files, force);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new ReportError('usage/output-exists', { file: outPath });
    throw new ReportError('usage/write-failed', { file: outPath, reason: osReason(error) });
  }
}

/**
 * Reads (or builds) the template, opens it, removes the generated sheets of an earlier
 * output, and finds the table: what depends on the campaign and the template only, so merge
 * can do it while the folder is being checked. Throws ReportError for a template that cannot
 * be used (exit 2) or whose table lacks an indicator's column (exit 1).
 */
export async function prepareTemplate(campaign: Campaign, templatePath?: string, templateShown?: string, comparedWith?: string): Promise<PreparedTemplate> {
  const shown = templateShown ?? templatePath ?? `${campaign.id}.xlsx`;
  const notes: string[] = [];
  let bytes: Uint8Array;
  if (templatePath) {
    const read = await readTemplate(templatePath, shown);
    bytes = read.bytes;
    if (read.converted) notes.push(t('merge/xls-converted', { file: shown }));
  } else {
    // Uncompressed: it is opened at once, and the output's entries are dated by toBytes.
    bytes = await storedBytes(buildTemplate(campaign));
  }
  let part = 'xl/workbook.xml';
  try {
    const template = await openTemplate(bytes, shown);
    const { pkg, book, strings } = template;
    part = book;
    // Last round's output sent back as the template: its added sheets go, new ones come.
    const empty = summaryTables(campaign, []);
    const headers = new Map(empty.map((table) => [table.name, table.columns.map((c) => c.header)] as const));
    headers.set(COMPARISON_SHEET, [...COMPARISON_HEADERS]);
    // With an earlier round, the 同比 sheet comes after the others.
    if (comparedWith !== undefined) empty.push(comparisonTable(campaign, comparedWith));
    const replaced = removeGeneratedSheets(pkg, book, headers, strings);
    if (replaced.length) notes.push(t('merge/replaced-sheets', { names: list(replaced) }));
    const found = findTable(template, campaign, shown, (p) => (part = p));
    if (found.length > 1) notes.push(t('merge/split-sheets', { sheets: list(found.map((f) => `“${f.sheet.name}”`)) }));
    for (const { sheet, layout } of found)
      for (const u of layout.units ?? []) notes.push(t('merge/unit-converted', { sheet: sheet.name, label: u.label, found: u.found, cell: u.cell, unit: u.unit, factor: String(u.factor) }));
    const locked = isStructureLocked(pkg, book);
    const frames = await generateFrames(campaign, empty, locked ? new Set() : new Set(workbookSheets(pkg, book).map((s) => s.name)));
    return { template, found, notes, shown, frames, locked };
  } catch (error) {
    throw templateError(error, shown, part);
  }
}

/** A template's zip or XML that cannot be read, as the user's message; anything else as it is. */
function templateError(error: unknown, shown: string, part: string): unknown {
  if (error instanceof NotAZipError) return new ReportError('template/not-xlsx', { file: shown });
  if (error instanceof XmlError) return new ReportError('template/damaged', { file: shown, part });
  if (error instanceof WorkbookError) {
    if (error.code === 'workbook/too-large-inside') return new ReportError('template/too-large-inside', { file: shown, limit: formatSize(MAX_INFLATED) });
    return new ReportError('template/damaged', { file: shown, part: String(error.params.part ?? part) });
  }
  return error;
}

/** The template's package with what every step needs: its workbook part, formats and strings. */
interface Template {
  pkg: XlsxPackage;
  book: string;
  styles: StyleBook;
  stylesName: string | undefined;
  strings: string[];
}

async function openTemplate(bytes: Uint8Array, shown: string): Promise<Template> {
  const pkg = XlsxPackage.load(bytes);
  const book = pkg.workbookName();
  if (!book || !pkg.has(book)) throw new ReportError('template/not-xlsx', { file: shown });
  const stylesName = relOfType(pkg, book, 'styles')?.target;
  const stringsName = relOfType(pkg, book, 'sharedStrings')?.target;
  const stylesPart = stylesName ? pkg.doc(stylesName) : undefined;
  if (!stylesPart) throw new XmlError('no styles');
  return { pkg, book, styles: new StyleBook(stylesPart), stylesName, strings: readSharedStrings(stringsName ? pkg.doc(stringsName) : undefined) };
}

/** The statistics table: the first worksheet with a name header and an indicator label. */
interface FoundTable {
  sheet: ReturnType<typeof workbookSheets>[number];
  sheets: ReturnType<typeof workbookSheets>;
  editor: SheetEditor;
  grid: Grid;
  layout: TableLayout;
  /** A turned table (indicators as rows, departments as columns), filled as it is; `layout` is then unused. */
  turned?: TurnedLayout;
}

/**
 * Finds the table, or stops: no table at all (exit 2, the labels looked for), a table
 * without a column for some indicators, or with a column in a unit that does not convert
 * (exit 1). Of several sheets with a table (an 指标解释 table on a 填报说明 sheet before the
 * statistics table), the first that has every indicator; else, when the indicators are
 * split over sheets (表1 with some, 表2 with the others), each of those sheets with its own.
 * `reading` is told each part read.
 */
function findTable({ pkg, book, styles, strings }: Template, campaign: Campaign, shown: string, reading: (part: string) => void): FoundTable[] {
  const sheets = workbookSheets(pkg, book);
  const candidates: FoundTable[] = [];
  for (const sheet of sheets) {
    reading(sheet.part);
    const doc = pkg.doc(sheet.part);
    if (!doc || !child(doc.documentElement as Element, 'sheetData')) continue; // a chart sheet
    const editor = new SheetEditor(doc, styles, strings);
    const grid = editor.grid();
    const layout = locateTable(grid, campaign);
    if (!layout) continue;
    candidates.push({ sheet, sheets, editor, grid, layout });
    if (!layout.unmatched.length) break;
  }
  const count = (f: FoundTable) => Object.keys(f.layout.columns).length;
  const best = [...candidates].sort((a, b) => count(b) - count(a))[0];
  if (!best || (best.layout.unmatched.length && !splitTables(candidates, campaign))) {
    const turned = turnedTables(pkg, sheets, styles, strings, campaign);
    if (turned) return unitsChecked([turned], shown);
    turnedError(pkg, sheets, styles, strings, campaign, shown);
  }
  if (!best) {
    throw new ReportError('usage/template-no-sheet', {
      file: shown,
      nameHeaders: list(NAME_HEADERS),
      labels: list(campaign.indicators.map((i) => i.label)),
      sheets: list(sheets.map((x) => `“${x.name}”`)),
    });
  }
  const found = best.layout.unmatched.length ? (splitTables(candidates, campaign) ?? [best]) : [best];
  if (found.length === 1 && best.layout.unmatched.length) throw unmatchedError(shown, best.sheet.name, best.layout, campaign);
  return unitsChecked(found, shown);
}

/** The tables found, or a stop when one has a column in a unit that does not convert. */
function unitsChecked(found: FoundTable[], shown: string): FoundTable[] {
  for (const { sheet, layout } of found) {
    const refused = (layout.units ?? []).filter((u) => u.factor === undefined);
    if (!refused.length) continue;
    const lines = refused.map((u) => t(u.reason === 'inexact' ? 'merge/unit-line-inexact' : 'merge/unit-line-unknown', { label: u.label, found: u.found, cell: u.cell, unit: u.unit })).join('\n');
    throw new ReportError('merge/unit-refused', { file: shown, sheet: sheet.name, lines }, ExitCode.findings);
  }
  return found;
}

/** The first sheet with a turned table that can be filled as it is (every indicator a row, every department a column). */
function turnedTables(pkg: XlsxPackage, sheets: ReturnType<typeof workbookSheets>, styles: StyleBook, strings: string[], campaign: Campaign): FoundTable | undefined {
  for (const sheet of sheets) {
    const doc = pkg.doc(sheet.part);
    if (!doc || !child(doc.documentElement as Element, 'sheetData')) continue;
    const editor = new SheetEditor(doc, styles, strings);
    const grid = editor.grid();
    const turned = locateTurned(grid, campaign);
    if (!turned) continue;
    const layout: TableLayout = {
      headerRows: [turned.nameRow, turned.nameRow], nameCol: 1, columns: {}, unmatched: [], units: turned.units,
      unusedHeaders: [], departmentRows: {}, otherRows: [], blankRows: [], insertAt: turned.nameRow + 1, styleRow: turned.nameRow,
    };
    return { sheet, sheets, editor, grid, layout, turned };
  }
  return undefined;
}

/**
 * Stops with what a person would say of a table turned the other way (indicators down a
 * column, departments across a row), if a sheet holds one: it cannot be filled as it is.
 */
function turnedError(pkg: XlsxPackage, sheets: ReturnType<typeof workbookSheets>, styles: StyleBook, strings: string[], campaign: Campaign, shown: string): void {
  for (const sheet of sheets) {
    const doc = pkg.doc(sheet.part);
    if (!doc || !child(doc.documentElement as Element, 'sheetData')) continue;
    const turned = turnedTable(new SheetEditor(doc, styles, strings).grid(), campaign);
    if (!turned) continue;
    const at = (c: { row: number; col: number }) => `${columnLetter(c.col)}${c.row}`;
    throw new ReportError('merge/table-turned', {
      file: shown,
      sheet: sheet.name,
      labels: `${at(turned.labels[0])}:${at(turned.labels[1])}`,
      names: `${at(turned.names[0])}:${at(turned.names[1])}`,
    }, ExitCode.findings);
  }
}

/**
 * The indicators split over sheets: each indicator given to the sheet with the most columns
 * that has it; undefined unless every indicator has a sheet and more than one sheet is used.
 * Each table keeps only its own indicators' columns.
 */
function splitTables(candidates: FoundTable[], campaign: Campaign): FoundTable[] | undefined {
  const byCount = [...candidates].sort((a, b) => Object.keys(b.layout.columns).length - Object.keys(a.layout.columns).length);
  const owner = new Map<string, FoundTable>();
  for (const ind of campaign.indicators) {
    const table = byCount.find((f) => f.layout.columns[ind.id] !== undefined);
    if (!table) return undefined;
    owner.set(ind.id, table);
  }
  const used = candidates.filter((f) => [...owner.values()].includes(f));
  if (used.length < 2) return undefined;
  return used.map((f) => {
    const mine = (id: string) => owner.get(id) === f;
    const columns = Object.fromEntries(Object.entries(f.layout.columns).filter(([id]) => mine(id)));
    const units = (f.layout.units ?? []).filter((u) => mine(u.id));
    return { ...f, layout: { ...f.layout, columns, units, unmatched: [] } };
  });
}

/** Inserts the plan's rows (moving every reference in the package) and writes its cells. */
function fillTable({ pkg, book, styles, strings }: Template, { sheet, sheets, editor, layout }: FoundTable, plan: FillPlan): void {
  if (plan.insert) {
    const { at, count, extendFrom } = plan.insert;
    const others = sheets.filter((o) => o.part !== sheet.part && mayMention(pkg.readText(o.part) ?? '', sheet.name));
    // Shared formulas are made explicit where rows move: a group's members are relative to
    // its master, and rows inserted between them would change what they mean.
    editor.unshare(() => true);
    for (const other of others) {
      const doc = pkg.doc(other.part);
      if (doc && child(doc.documentElement as Element, 'sheetData') && new SheetEditor(doc, styles, strings).unshare(() => true)) pkg.touch(other.part);
    }
    shiftPackage(pkg, book, sheet.name, sheet.part, others, { at, count, ...(extendFrom !== undefined && { extendFrom }) });
    editor.reindex();
    const written = [layout.nameCol, ...Object.values(layout.columns), layout.seqCol, layout.noteCol].filter((c): c is number => c !== undefined);
    editor.addRows(plan.insert, plan.insert.styleRow === layout.totalRow, new Set(written));
  }
  editor.unshare((range) => plan.writes.some((w) => w.row >= range.top && w.row <= range.bottom && w.col >= range.left && w.col <= range.right));
  editor.write(plan.writes);
  pkg.touch(sheet.part);
}

/** CT_HeaderFooter's sequence. */
const HEADER_FOOTER_ORDER = ['oddHeader', 'oddFooter', 'evenHeader', 'evenFooter', 'firstHeader', 'firstFooter'];

/**
 * `mark` (附件2) at the top left of every printed page of the sheet, as a 公文 attachment is
 * marked: the print header, so no cell of the issued table changes. A sheet with a header of its
 * own keeps it, and false is returned (the mark is then the clerk's to add).
 */
function markInHeader(pkg: XlsxPackage, part: string, mark: string): boolean {
  const root = pkg.doc(part)?.documentElement as Element | undefined;
  if (!root) return false;
  let hf = child(root, 'headerFooter');
  if (hf && ['oddHeader', 'evenHeader', 'firstHeader'].some((n) => (child(hf!, n)?.textContent ?? '') !== '')) return false;
  if (!hf) {
    hf = createLike(root, 'headerFooter');
    insertInOrder(root, hf, WORKSHEET_ORDER);
  }
  // Even and first pages have headers of their own only when the sheet says so.
  const kinds = ['oddHeader', ...(hf.getAttribute('differentOddEven') === '1' ? ['evenHeader'] : []), ...(hf.getAttribute('differentFirst') === '1' ? ['firstHeader'] : [])];
  for (const kind of kinds) {
    let header = child(hf, kind);
    if (!header) {
      header = createLike(hf, kind);
      insertInOrder(hf, header, HEADER_FOOTER_ORDER);
    }
    setText(header, `&L${mark}`);
  }
  pkg.touch(part);
  return true;
}

/** How a kept row is named in the output. */
function otherRowName(campaign: Campaign) {
  return (r: TableLayout['otherRows'][number]) => {
    if (!r.name) return t('merge/other-row-unnamed', { row: r.row });
    if (r.reason === 'duplicate') {
      const d = campaign.departments.find((x) => x.id === r.department);
      return t('merge/other-row-duplicate', { name: r.name, row: r.row, department: d?.name ?? '' });
    }
    return t('merge/other-row', { name: r.name, row: r.row });
  };
}

/** The message of a table without a column for some indicators: each one, its closest header, how to add an alias. */
function unmatchedError(file: string, sheet: string, layout: TableLayout, campaign: Campaign): ReportError {
  const lines = layout.unmatched
    .map((u) => (u.closest ? t('merge/unmatched-line', { label: u.label, unit: u.unit, closest: u.closest.replace(/\s+/g, '') }) : t('merge/unmatched-line-none', { label: u.label, unit: u.unit })))
    .join('\n');
  const unused = layout.unusedHeaders.length ? list(layout.unusedHeaders.map((h) => `“${h.text.replace(/\s+/g, '')}”`)) : t('merge/unmatched-none');
  const first = layout.unmatched[0];
  const ind = campaign.indicators.find((i) => i.id === first?.id);
  const example = `  - id: ${ind?.id}\n    label: ${ind?.label}\n    aliases: [${(first?.closest ?? '表头文字').replace(/\s+/g, '')}]`;
  const [top, bottom] = layout.headerRows;
  const read = t('merge/table-read', { sheet, cells: `${columnLetter(1)}${top}:${columnLetter(Math.max(layout.noteCol ?? 0, ...Object.values(layout.columns), layout.nameCol))}${bottom}` });
  return new ReportError('merge/unmatched-indicators', { file, lines: `${lines}\n${read}`, unused, example }, ExitCode.findings);
}

/** Tells Excel, WPS and LibreOffice to recalculate on open; drops the calculation chain (it lists cells that moved). */
function recalculateOnOpen(pkg: XlsxPackage, book: string): void {
  const doc = pkg.doc(book) as Document;
  const root = doc.documentElement as Element;
  let calc = child(root, 'calcPr');
  if (!calc) {
    calc = createLike(root, 'calcPr');
    insertInOrder(root, calc, WORKBOOK_ORDER);
  }
  calc.setAttribute('fullCalcOnLoad', '1');
  pkg.touch(book);
  const chain = relOfType(pkg, book, 'calcChain');
  if (chain) {
    pkg.removeRel(book, chain.id);
    pkg.remove(chain.target);
    pkg.setContentType(chain.target, undefined);
  }
}

/** The core properties a save would change: last modified by the issuer, on the fill date. */
function stampProperties(pkg: XlsxPackage, campaign: Campaign, date: Date): void {
  const name = relOfType(pkg, '', 'core-properties')?.target;
  const root = name ? pkg.doc(name)?.documentElement : undefined;
  if (!name || !root) return;
  for (const e of descendants(root)) {
    if (e.localName === 'modified') setText(e, date.toISOString().replace(/\.\d{3}Z$/, 'Z'));
    if (e.localName === 'lastModifiedBy') setText(e, campaign.issuer);
  }
  pkg.touch(name);
}

/** The generated sheets' frames, built by exceljs in a scratch workbook: their names, in summaryTables' order. */
interface Frames {
  scratch: XlsxPackage;
  names: string[];
}

/**
 * The frames of the generated sheets (title, header, widths, print set-up) of `tables`; names
 * clear of `taken`. The workbook is the campaign's (its fixed date, not the clock's): beside a
 * locked workbook it is the file written.
 */
async function generateFrames(campaign: Campaign, tables: readonly Table[], taken: ReadonlySet<string>): Promise<Frames> {
  const wb = campaignWorkbook(campaign, campaign.title);
  const names = tables.map((table) => addTableFrame(wb, table, taken));
  return { scratch: XlsxPackage.load(await storedBytes(wb)), names };
}

/** The scratch package with each frame's body: the file of the generated sheets alone (beside a locked workbook). */
function withBodies({ scratch, tables }: Generated, onRows?: (done: number) => void): XlsxPackage {
  let rows = 0;
  const styles = new StyleBook(scratch.doc('xl/styles.xml') as Document);
  const quoted = (s: number) => styles.derive(s, { quotePrefix: true });
  for (const { name, part } of workbookSheets(scratch, scratch.workbookName() ?? 'xl/workbook.xml')) {
    const table = tables.find((x) => x.name === name)?.table;
    const frame = scratch.doc(part);
    if (!table || !frame) continue;
    scratch.put(part, fillBody(frame, table, (n) => onRows?.((rows += n)), quoted));
  }
  if (styles.changed) scratch.touch('xl/styles.xml');
  return scratch;
}
