/**
 * Rows inserted into the statistics sheet, and every reference that points below them moved
 * with them: the sheet's rows and cells, merges, formulas (its own and other sheets'),
 * defined names and print areas, validations, conditional formats (plain and x14), hyperlinks,
 * page breaks, drawings' anchors (images, charts), notes and their shapes,
 * threaded comments, tables and their filters, charts' data ranges, pivot sources.
 * Validations, formats, names, tables and formulas that covered the department block down
 * to its last row are extended over the new rows (RowShift.extendFrom).
 */
import { posix } from 'node:path';
import { XlsxPackage } from './package.js';
import { shiftFormulaRows, shiftSqref, type RowShift } from './refs.js';
import { descendants, setText, textOf, type Document, type Element } from './xml.js';

/**
 * Attributes holding cells or ranges, by element: moved with the cells, never extended.
 * Views (pane, selection) are left alone: they say where the clerk scrolled, not what a cell is.
 */
const PLAIN_ATTRS: Record<string, string[]> = {
  mergeCell: ['ref'],
  hyperlink: ['ref'],
  f: ['ref'],
  cellWatch: ['r'],
  inputCells: ['r'],
  comment: ['ref'],
  threadedComment: ['ref'],
};

/** Attributes holding ranges that cover the block and grow with it. */
const COVERING_ATTRS: Record<string, string[]> = {
  dimension: ['ref'],
  dataValidation: ['sqref'],
  conditionalFormatting: ['sqref'],
  protectedRange: ['sqref'],
  ignoredError: ['sqref'],
  autoFilter: ['ref'],
  sortState: ['ref'],
  sortCondition: ['ref'],
  table: ['ref'],
};

/** Elements whose text is a formula. */
const FORMULAS = new Set(['f', 'formula', 'formula1', 'formula2', 'calculatedColumnFormula', 'totalsRowFormula']);

/** Rewrites an attribute; returns true when it changed. */
function rewrite(e: Element, attr: string, fn: (v: string) => string): boolean {
  const v = e.getAttribute(attr);
  if (v === null || v === '') return false;
  const next = fn(v);
  if (next === v) return false;
  e.setAttribute(attr, next);
  return true;
}

function rewriteText(e: Element, fn: (v: string) => string): boolean {
  const v = textOf(e);
  if (!v) return false;
  const next = fn(v);
  if (next === v) return false;
  setText(e, next);
  return true;
}

/**
 * Shifts one worksheet's XML. `own`: rows are inserted in this sheet (rows, cells, merges,
 * ranges and unqualified references move); otherwise only references naming `sheet` do.
 * The sheet's notes, threaded comments and tables are shifted as its own too: the cases
 * for sheet elements (row, c, brk, sqref, hyperlink) never occur in them.
 * Returns true when anything changed.
 */
function shiftSheetXml(doc: Document, sheet: string, own: boolean, s: RowShift): boolean {
  const plain: RowShift = { at: s.at, count: s.count };
  const formula = (f: string) => shiftFormulaRows(f, sheet, own, s);
  let changed = false;
  // From the document, so that the root is shifted too: a table part's <table ref>.
  for (const e of descendants(doc)) {
    const name = e.localName ?? '';
    const parent = (e.parentNode as Element | null)?.localName;
    if (own) {
      if (name === 'row' && parent === 'sheetData') changed = rewrite(e, 'r', (v) => String(Number(v) >= s.at ? Number(v) + s.count : Number(v))) || changed;
      else if (name === 'c' && parent === 'row') changed = rewrite(e, 'r', (v) => shiftSqref(v, plain)) || changed;
      for (const a of PLAIN_ATTRS[name] ?? []) changed = rewrite(e, a, (v) => shiftSqref(v, plain)) || changed;
      for (const a of COVERING_ATTRS[name] ?? []) changed = rewrite(e, a, (v) => shiftSqref(v, s)) || changed;
      if (name === 'brk' && parent === 'rowBreaks') changed = rewrite(e, 'id', (v) => String(Number(v) >= s.at - 1 ? Number(v) + s.count : Number(v))) || changed;
      if (name === 'sqref') changed = rewriteText(e, (v) => shiftSqref(v, s)) || changed;
    }
    if (FORMULAS.has(name)) changed = rewriteText(e, formula) || changed;
    if (name === 'hyperlink') changed = rewrite(e, 'location', (v) => shiftFormulaRows(v, sheet, false, plain)) || changed;
  }
  return changed;
}

/** Moves drawing anchors (xdr:from / xdr:to, 0-based rows) at or below the insertion. */
function shiftAnchors(doc: Document, s: RowShift): boolean {
  let changed = false;
  for (const row of descendants(doc.documentElement as Element, 'row')) {
    const parent = (row.parentNode as Element | null)?.localName;
    if (parent !== 'from' && parent !== 'to') continue;
    changed = rewriteText(row, (v) => (Number(v) + 1 >= s.at ? String(Number(v) + s.count) : v)) || changed;
  }
  return changed;
}

/** Moves the shapes of notes (VML: x:Row and the rows of x:Anchor, 0-based). */
function shiftVml(doc: Document, s: RowShift): boolean {
  let changed = false;
  const move = (v: number) => (v + 1 >= s.at ? v + s.count : v);
  for (const e of descendants(doc.documentElement as Element)) {
    if (e.localName === 'Row') changed = rewriteText(e, (v) => String(move(Number(v.trim())))) || changed;
    if (e.localName === 'Anchor')
      changed =
        rewriteText(e, (v) => {
          const parts = v.split(',').map((p) => p.trim());
          if (parts.length !== 8) return v;
          parts[2] = String(move(Number(parts[2])));
          parts[6] = String(move(Number(parts[6])));
          return parts.join(', ');
        }) || changed;
  }
  return changed;
}

/** Shifts the formula texts (chart series, defined names) that name `sheet`. */
function shiftQualified(doc: Document, sheet: string, s: RowShift, elements: Set<string>): boolean {
  let changed = false;
  for (const e of descendants(doc.documentElement as Element)) {
    if (elements.has(e.localName ?? '')) changed = rewriteText(e, (f) => shiftFormulaRows(f, sheet, false, s)) || changed;
    if (e.localName === 'worksheetSource' && e.getAttribute('sheet') === sheet) changed = rewrite(e, 'ref', (v) => shiftSqref(v, s)) || changed;
  }
  return changed;
}

/**
 * A cheap look at a part's text before parsing it: false only when it cannot name `sheet`.
 * The name is looked for in the pieces between the characters XML may escape or a formula
 * doubles (O'Brien is 'O''Brien'! in a formula, O&apos;Brien in some producers' text).
 * Character references count as a maybe: openpyxl writes 统计表 as &#32479;&#35745;&#34920;.
 */
export function mayMention(text: string, sheet: string): boolean {
  return text.includes('&#') || sheet.split(/[&<>'"]/).every((piece) => text.includes(piece));
}

/**
 * Inserts `s.count` rows at `s.at` into sheet `sheet` (part `part`) of the package: the
 * sheet itself, the sheets of `others` (those that may refer to it: see mayMention) and every
 * part that refers to its rows. Parts that do not mention the sheet are left as they are,
 * byte for byte.
 */
export function shiftPackage(pkg: XlsxPackage, book: string, sheet: string, part: string, others: { part: string }[], s: RowShift): void {
  const mentions = (name: string) => mayMention(pkg.readText(name) ?? '', sheet);
  const edit = (name: string, fn: (doc: Document) => boolean) => {
    const doc = pkg.doc(name);
    if (doc && fn(doc)) pkg.touch(name);
  };

  edit(part, (doc) => shiftSheetXml(doc, sheet, true, s));
  for (const other of others) edit(other.part, (doc) => shiftSheetXml(doc, sheet, false, s));
  if (mentions(book)) edit(book, (doc) => shiftQualified(doc, sheet, s, new Set(['definedName'])));

  // The sheet's own parts: drawings (and their charts), notes, their shapes, tables.
  for (const rel of pkg.rels(part)) {
    if (rel.external || !pkg.has(rel.target)) continue;
    const type = posix.basename(rel.type);
    if (type === 'drawing') edit(rel.target, (doc) => shiftAnchors(doc, s));
    else if (type === 'vmlDrawing') edit(rel.target, (doc) => shiftVml(doc, s));
    else if (type === 'comments' || type === 'threadedComment' || type === 'table') edit(rel.target, (doc) => shiftSheetXml(doc, sheet, true, s));
  }
  // Charts and pivot caches anywhere may take their data from the sheet.
  for (const name of pkg.names()) {
    if (/^xl\/(charts\/chart|pivotCache\/pivotCacheDefinition)[^/]*\.xml$/.test(name) && mentions(name))
      edit(name, (doc) => shiftQualified(doc, sheet, s, new Set(['f'])));
  }
}
