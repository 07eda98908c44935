/**
 * Compares a template with the merged workbook made from it, the way a reviewer would: every
 * part the fill had no reason to change is byte for byte the same; in the statistics sheet,
 * every cell, style, merge, row height and column width that was not filled is the same, at
 * its row moved by the inserted rows; sheet settings (protection, page set-up, print options,
 * margins, views) are the same; validations, conditional formats, names, notes, drawing
 * anchors and chart ranges moved exactly. Cells are read with exceljs and parts parsed with
 * xmldom: neither is the code under test's way of moving things (that is src/xlsx/refs.ts).
 */
import { DOMParser } from '@xmldom/xmldom';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { posix } from 'node:path';
import { expect } from 'vitest';

/** Rows inserted: `count` at `at`; ranges ending at `at - 1` (the block's last row) grow when they start at or after `extendFrom`… as the merge promises. */
export interface Move {
  at: number;
  count: number;
  /** The first row of the department block (ranges over the block grow with it). */
  extendFrom?: number;
}

export const NO_MOVE: Move = { at: Number.MAX_SAFE_INTEGER, count: 0 };

export const movedRow = (row: number, m: Move) => (row >= m.at ? row + m.count : row);

/** This test's own reading of "rows inserted": A1 references in a formula, sqref or name. */
export function expectedShift(text: string, m: Move, sheet?: string): string {
  if (m.count === 0) return text;
  const cell = String.raw`\$?[A-Z]{1,3}\$?\d+`;
  const re = new RegExp(String.raw`((?:'[^']+'|[^\s'!,():=<>+\-*/&"]+)!)?(${cell})(?::(${cell}))?`, 'g');
  return text.replace(re, (whole, qualifier: string | undefined, a: string, b: string | undefined, offset: number, all: string) => {
    const before = all[offset - 1] ?? '';
    if (/[A-Za-z0-9_."]/.test(before)) return whole; // part of a name or a string
    const name = qualifier?.slice(0, -1).replace(/^'|'$/g, '');
    if (sheet !== undefined && qualifier && name !== sheet) return whole;
    const row = (ref: string) => Number(/(\d+)$/.exec(ref)?.[1]);
    const setRow = (ref: string, r: number) => ref.replace(/\d+$/, String(r));
    if (b === undefined) return `${qualifier ?? ''}${setRow(a, movedRow(row(a), m))}`;
    const top = row(a);
    const bottom = row(b);
    const grows = m.extendFrom !== undefined && bottom === m.at - 1 && (top < bottom || top === m.extendFrom);
    return `${qualifier ?? ''}${setRow(a, movedRow(top, m))}:${setRow(b, grows ? bottom + m.count : movedRow(bottom, m))}`;
  });
}

/**
 * Loads a workbook with exceljs, the independent reader of these checks. exceljs cannot
 * follow the absolute relationship targets openpyxl writes (/xl/comments/comment1.xml), so
 * those are made relative first, in a copy, for exceljs only.
 */
export async function loadWithExceljs(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const zip = await JSZip.loadAsync(bytes);
  for (const name of Object.keys(zip.files).filter((n) => n.endsWith('.rels'))) {
    const folder = name.replace(/\/?_rels\/[^/]*$/, '') || '.';
    const text = (await zip.file(name)?.async('string')) ?? '';
    zip.file(name, text.replace(/Target="\/([^"]*)"/g, (_m, target: string) => `Target="${posix.relative(folder, target)}"`));
  }
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await zip.generateAsync({ type: 'nodebuffer' })) as unknown as ExcelJS.Buffer);
  return wb;
}

export async function parts(bytes: Uint8Array): Promise<Map<string, Buffer>> {
  const zip = await JSZip.loadAsync(bytes);
  const out = new Map<string, Buffer>();
  for (const [name, entry] of Object.entries(zip.files)) if (!entry.dir) out.set(name.replace(/^\//, ''), Buffer.from(await entry.async('uint8array')));
  return out;
}

const parse = (b: Buffer | undefined) => new DOMParser().parseFromString(b?.toString('utf8') ?? '<none/>', 'text/xml');
// The DOM types of xmldom, loosely: what these checks read.
type El = { localName: string; getAttribute(n: string): string | null; textContent: string | null; attributes: { length: number; item(i: number): { name: string; value: string } | null }; parentNode: El | null; getElementsByTagNameNS(ns: string, n: string): ArrayLike<El> };
const byName = (doc: unknown, local: string): El[] => Array.from((doc as El).getElementsByTagNameNS('*', local));
const attrs = (e: El | undefined) => {
  const out: Record<string, string> = {};
  for (let i = 0; e && i < e.attributes.length; i++) {
    const a = e.attributes.item(i);
    if (a && !a.name.startsWith('xmlns')) out[a.name] = a.value;
  }
  return out;
};

/**
 * Every part of the template is in the output unchanged, except those `mayChange` allows
 * (and calcChain.xml, which is dropped when formulas moved).
 */
export function expectPartsKept(input: Map<string, Buffer>, output: Map<string, Buffer>, mayChange: (name: string) => boolean): void {
  for (const [name, bytes] of input) {
    if (name.endsWith('calcChain.xml')) continue;
    expect(output.has(name), `part ${name} is kept`).toBe(true);
    if (!mayChange(name)) expect(Buffer.compare(output.get(name) as Buffer, bytes), `part ${name} is byte for byte the same`).toBe(0);
  }
}

/** One cell of a sheet's XML: its format, type, value, formula (shared ones made explicit here) and text. */
export interface XCell {
  s: string;
  t: string;
  v?: string;
  f?: string;
  text?: string;
}

/** A sheet read from its XML: cells by address, row attributes, merges. */
export interface XSheet {
  part: string;
  cells: Map<string, XCell>;
  rows: Map<number, Record<string, string>>;
  merges: string[];
}

const colNumber = (letters: string) => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
const colLetters = (n: number): string => (n > 26 ? colLetters(Math.floor((n - 1) / 26)) : '') + String.fromCharCode(65 + ((n - 1) % 26));

/** A formula copied `dRow` rows and `dCol` columns away (what a shared formula's member means). */
function translate(formula: string, dRow: number, dCol: number): string {
  return formula.replace(/(^|[^A-Za-z0-9_."'!])(\$?)([A-Z]{1,3})(\$?)(\d+)(?![\d(A-Za-z])/g, (_m, pre: string, dc: string, c: string, dr: string, r: string) =>
    `${pre}${dc}${dc ? c : colLetters(colNumber(c) + dCol)}${dr}${dr ? r : Number(r) + dRow}`);
}

/** The sheet named `name` of a package, read from its XML (an independent reader: xmldom, no code under test). */
export function readSheet(p: Map<string, Buffer>, name: string): XSheet {
  const book = parse(p.get('xl/workbook.xml'));
  const rels = byName(parse(p.get('xl/_rels/workbook.xml.rels')), 'Relationship');
  const sheet = byName(book, 'sheet').find((e) => e.getAttribute('name') === name);
  const rid = sheet && Array.from({ length: sheet.attributes.length }, (_, i) => sheet.attributes.item(i)).find((a) => a && /(^|:)id$/.test(a.name) && a.name !== 'sheetId')?.value;
  const target = rels.find((r) => r.getAttribute('Id') === rid)?.getAttribute('Target') ?? '';
  const part = target.startsWith('/') ? target.slice(1) : posix.join('xl', target);
  const strings = byName(parse(p.get('xl/sharedStrings.xml')), 'si').map((si) => byName(si, 't').filter((t) => t.parentNode?.localName !== 'rPh').map((t) => t.textContent).join(''));
  const doc = parse(p.get(part));
  const cells = new Map<string, XCell>();
  const masters = new Map<string, { f: string; at: string }>();
  const rows = new Map<number, Record<string, string>>();
  for (const row of byName(doc, 'row')) rows.set(Number(row.getAttribute('r')), attrs(row));
  for (const c of byName(doc, 'c')) {
    const at = c.getAttribute('r') ?? '';
    const f = byName(c, 'f')[0];
    const t = c.getAttribute('t') ?? '';
    const v = byName(c, 'v')[0]?.textContent ?? undefined;
    const cell: XCell = { s: c.getAttribute('s') ?? '0', t };
    if (v !== undefined) cell.v = v;
    if (t === 's') cell.text = strings[Number(v)];
    if (t === 'inlineStr') cell.text = byName(c, 't').map((x) => x.textContent).join('');
    if (f) {
      cell.f = f.textContent ?? '';
      if (f.getAttribute('t') === 'shared' && cell.f) masters.set(f.getAttribute('si') ?? '', { f: cell.f, at });
      if (f.getAttribute('t') === 'shared' && !cell.f) cell.f = `@shared:${f.getAttribute('si')}`;
    }
    cells.set(at, cell);
  }
  for (const [at, cell] of cells) {
    const si = cell.f?.startsWith('@shared:') ? cell.f.slice(8) : undefined;
    const master = si === undefined ? undefined : masters.get(si);
    if (!master) continue;
    const [a, b] = [/([A-Z]+)(\d+)/.exec(master.at), /([A-Z]+)(\d+)/.exec(at)];
    cell.f = translate(master.f, Number(b?.[2]) - Number(a?.[2]), colNumber(b?.[1] ?? 'A') - colNumber(a?.[1] ?? 'A'));
  }
  return { part, cells, rows, merges: byName(doc, 'mergeCell').map((m) => m.getAttribute('ref') ?? '') };
}

/** A cell's value as a clerk sees it: the number, the text, or null when empty. */
export function valueOf(sheet: XSheet, address: string): number | string | null {
  const c = sheet.cells.get(address);
  if (!c) return null;
  if (c.text !== undefined) return c.text;
  if (c.v === undefined || c.v === '') return null;
  return c.t === 'str' || c.t === 'e' ? c.v : Number(c.v);
}

export interface SheetCheck {
  /** The statistics sheet's name. */
  sheet: string;
  move: Move;
  /** Output cells the fill writes ("row:col"); they are checked on their own. */
  written: Set<string>;
  /** Output rows the fill added (their cells are new). */
  addedRows: Set<number>;
  /** Output rows whose height may have grown (a wrapped note). */
  grown?: Set<number>;
}

/**
 * The statistics sheet, cell by cell: every cell of the template that was not written is
 * in the output at its moved row with the same format (the same cellXfs entry), type, value,
 * text and formula (references moved); no cell appeared elsewhere; row attributes (height …)
 * and merges are the same, moved.
 */
export function expectSheetKept(template: Map<string, Buffer>, merged: Map<string, Buffer>, check: SheetCheck): void {
  const { sheet, move, written, addedRows } = check;
  const [a, b] = [readSheet(template, sheet), readSheet(merged, sheet)];
  const seen = new Set<string>();
  for (const [at, ca] of a.cells) {
    const m = /([A-Z]+)(\d+)/.exec(at) as RegExpExecArray;
    const col = colNumber(m[1] as string);
    const r2 = movedRow(Number(m[2]), move);
    const at2 = `${m[1]}${r2}`;
    seen.add(at2);
    const cb = b.cells.get(at2);
    const where = `${sheet}!${at}→${at2}`;
    if (written.has(`${r2}:${col}`)) continue;
    expect(cb, where).toBeDefined();
    expect({ ...cb, f: cb?.f }, where).toEqual({ ...ca, f: ca.f === undefined ? undefined : expectedShift(ca.f, move, sheet) });
  }
  for (const at of b.cells.keys()) {
    const m = /([A-Z]+)(\d+)/.exec(at) as RegExpExecArray;
    const row = Number(m[2]);
    if (!seen.has(at) && !addedRows.has(row) && !written.has(`${row}:${colNumber(m[1] as string)}`)) expect.fail(`${sheet}!${at} is new`);
  }
  for (const [r, attrsA] of a.rows) {
    const r2 = movedRow(r, move);
    const { r: _ra, ...restA } = attrsA;
    const { r: _rb, ...restB } = b.rows.get(r2) ?? {};
    if (check.grown?.has(r2)) {
      expect(Number(restB.ht ?? 0), `height of row ${r2}`).toBeGreaterThanOrEqual(Number(restA.ht ?? 0));
      delete restA.ht;
      delete restB.ht;
      delete restA.customHeight;
      delete restB.customHeight;
    }
    expect(restB, `${sheet} row ${r}→${r2}`).toEqual(restA);
  }
  const addedMerges = b.merges.filter((x) => addedRows.has(Number(/\d+/.exec(x)?.[0])));
  expect(b.merges.filter((x) => !addedMerges.includes(x)).sort(), `${sheet} merges`).toEqual(a.merges.map((x) => expectedShift(x, { at: move.at, count: move.count })).sort());
}

/** Sheet settings that must stay as issued, compared as parsed XML. */
export function expectSettingsKept(tPart: Buffer | undefined, oPart: Buffer | undefined, move: Move): void {
  const [t, o] = [parse(tPart), parse(oPart)];
  for (const name of ['sheetPr', 'pageSetUpPr', 'sheetProtection', 'pageSetup', 'printOptions', 'pageMargins', 'headerFooter', 'sheetFormatPr', 'pane', 'cols', 'col', 'tableParts', 'drawing', 'legacyDrawing']) {
    expect(byName(o, name).map(attrs), name).toEqual(byName(t, name).map(attrs));
  }
  for (const name of ['oddFooter', 'oddHeader']) expect(byName(o, name).map((e) => e.textContent), name).toEqual(byName(t, name).map((e) => e.textContent));
  // Ranges that cover the block: validations, formats (plain and x14), their formulas.
  const covering = (doc: unknown, local: string, attr?: string) => byName(doc, local).map((e) => (attr ? (e.getAttribute(attr) ?? '') : (e.textContent ?? '')));
  expect(covering(o, 'dataValidation', 'sqref'), 'validations').toEqual(covering(t, 'dataValidation', 'sqref').map((s) => expectedShift(s, move)));
  expect(covering(o, 'conditionalFormatting', 'sqref'), 'conditional formats').toEqual(covering(t, 'conditionalFormatting', 'sqref').map((s) => expectedShift(s, move)));
  expect(covering(o, 'sqref'), 'x14 ranges').toEqual(covering(t, 'sqref').map((s) => expectedShift(s, move)));
  expect(covering(o, 'formula'), 'format formulas').toEqual(covering(t, 'formula').map((s) => expectedShift(s, move)));
  expect(covering(o, 'formula1'), 'validation formulas').toEqual(covering(t, 'formula1').map((s) => expectedShift(s, move)));
  expect(byName(o, 'brk').map((e) => e.getAttribute('id')), 'row breaks').toEqual(byName(t, 'brk').map((e) => {
    const id = Number(e.getAttribute('id'));
    return String(id >= move.at - 1 ? id + move.count : id);
  }));
  expect(byName(o, 'hyperlink').map((e) => ({ ...attrs(e), ref: e.getAttribute('ref') })), 'hyperlinks').toEqual(
    byName(t, 'hyperlink').map((e) => ({ ...attrs(e), ref: expectedShift(e.getAttribute('ref') ?? '', { at: move.at, count: move.count }) })),
  );
}

/** Drawing anchors (0-based rows in xdr:from / xdr:to) moved with the rows; everything else in the drawing the same. */
export function expectAnchorsMoved(tPart: Buffer | undefined, oPart: Buffer | undefined, move: Move): void {
  const anchors = (b: Buffer | undefined) =>
    byName(parse(b), 'row')
      .filter((e) => ['from', 'to'].includes(e.parentNode?.localName ?? ''))
      .map((e) => Number(e.textContent));
  expect(anchors(oPart), 'drawing anchors').toEqual(anchors(tPart).map((r) => (r + 1 >= move.at ? r + move.count : r)));
  const rest = (b: Buffer | undefined) => (b?.toString('utf8') ?? '').replace(/<(\w+:)?row>\d+<\/(\w+:)?row>/g, '');
  expect(rest(oPart), 'the rest of the drawing').toBe(rest(tPart));
}

/** Notes: same text and author, at the moved cell; their VML shapes on the moved row. */
export function expectNotesMoved(tComments: Buffer | undefined, oComments: Buffer | undefined, tVml: Buffer | undefined, oVml: Buffer | undefined, move: Move): void {
  const notes = (b: Buffer | undefined) => {
    const doc = parse(b);
    const authors = byName(doc, 'author').map((a) => a.textContent);
    return byName(doc, 'comment').map((c) => ({ ref: c.getAttribute('ref'), author: authors[Number(c.getAttribute('authorId'))], text: c.textContent }));
  };
  expect(notes(oComments), 'notes').toEqual(notes(tComments).map((n) => ({ ...n, ref: expectedShift(n.ref ?? '', { at: move.at, count: move.count }) })));
  // Each shape whole: its note's row (x:Row) and the rows its box spans (x:Anchor's 3rd and 7th numbers), 0-based, moved each by itself.
  const moved = (r: number) => (r + 1 >= move.at ? r + move.count : r);
  const shapes = (b: Buffer | undefined) =>
    byName(parse(b), 'ClientData').map((e) => ({
      row: byName(e, 'Row').map((r) => Number(r.textContent)),
      column: byName(e, 'Column').map((c) => Number(c.textContent)),
      anchor: byName(e, 'Anchor').map((a) => (a.textContent ?? '').split(',').map((n) => Number(n.trim()))),
    }));
  expect(shapes(oVml), 'note shapes').toEqual(
    shapes(tVml).map((s) => ({ ...s, row: s.row.map(moved), anchor: s.anchor.map((a) => a.map((n, i) => (i === 2 || i === 6 ? moved(n) : n))) })),
  );
  const rest = (b: Buffer | undefined) => (b?.toString('utf8') ?? '').replace(/<(\w+:)?(Row|Anchor)>[^<]*<\/(\w+:)?(Row|Anchor)>/g, '');
  expect(rest(oVml), 'the rest of the note shapes').toBe(rest(tVml));
}

/** Chart series ranges on the sheet moved (and grown over the block). */
export function expectChartMoved(tPart: Buffer | undefined, oPart: Buffer | undefined, sheet: string, move: Move): void {
  const refs = (b: Buffer | undefined) => byName(parse(b), 'f').map((e) => e.textContent ?? '');
  expect(refs(oPart), 'chart ranges').toEqual(refs(tPart).map((f) => expectedShift(f, move, sheet)));
}

/** Defined names as text, by name (and sheet index). */
export function definedNames(book: Buffer | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of byName(parse(book), 'definedName')) out[`${n.getAttribute('name')}${n.getAttribute('localSheetId') === null ? '' : `@${n.getAttribute('localSheetId')}`}`] = n.textContent ?? '';
  return out;
}
