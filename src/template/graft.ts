/**
 * The generated sheets (典型案例, 重点任务落实, 报送情况, 工作总结) and the template package:
 * exceljs writes their frames in a scratch workbook; here each frame's sheet XML is taken
 * over into the template as a new part — its cell formats copied into the template's
 * styles, its strings made inline — with its body (body.ts), its print titles, its
 * relationship and content type. The template's own parts are not touched beyond the lists
 * that name sheets. A custom document property marks the added sheets, so that an output
 * used again as a template (last round's table sent back) has them replaced, not doubled.
 */
import { fillBody, type Table } from './body.js';
import { CONTENT_TYPE, NS, REL_TYPE, XlsxPackage, workbookSheets } from '../xlsx/package.js';
import { cellText, stringItemText } from './sheet.js';
import { customProperty, setCustomProperties } from '../xlsx/custom-props.js';
import { StyleBook } from '../xlsx/styles.js';
import { child, children, createLike, descendants, insertInOrder, setText, textOf, type Document, type Element } from '../xlsx/xml.js';

/** Name of the custom document property listing the sheets this tool added. */
const MARKER_PROPERTY = 'report-generated-sheets';
const MARKER_SEPARATOR = '/'; // never in a sheet name

/** CT_Workbook's sequence, for elements added to workbook.xml. */
export const WORKBOOK_ORDER = [
  'fileVersion', 'fileSharing', 'workbookPr', 'workbookProtection', 'bookViews', 'sheets', 'functionGroups',
  'externalReferences', 'definedNames', 'calcPr', 'oleSize', 'customWorkbookViews', 'pivotCaches', 'smartTagPr',
  'smartTagTypes', 'webPublishing', 'fileRecoveryPr', 'webPublishObjects', 'extLst',
];

/** The workbook's structure is locked (workbookProtection lockStructure): no sheet can be added. */
export function isStructureLocked(pkg: XlsxPackage, book: string): boolean {
  const root = pkg.doc(book)?.documentElement;
  const p = root && child(root, 'workbookProtection');
  return ['1', 'true'].includes(p?.getAttribute('lockStructure') ?? '');
}

/** The sheet names the marker property lists (an earlier output of this tool), or none. */
function markedSheets(pkg: XlsxPackage): string[] {
  return (customProperty(pkg, MARKER_PROPERTY) ?? '').split(MARKER_SEPARATOR).filter(Boolean);
}

/** Writes (or replaces) the marker property listing the added sheets. */
export function markSheets(pkg: XlsxPackage, names: readonly string[]): void {
  setCustomProperties(pkg, { [MARKER_PROPERTY]: names.join(MARKER_SEPARATOR) });
}

/**
 * Removes sheets this tool added to an earlier output: those the marker names, or, when
 * the marker is gone (the file was saved by another program), sheets that carry one of
 * the generated names and exactly its header row. Returns the names removed.
 */
export function removeGeneratedSheets(pkg: XlsxPackage, book: string, headers: ReadonlyMap<string, readonly string[]>, strings: readonly string[]): string[] {
  const marked = new Set(markedSheets(pkg));
  const isOurs = (name: string, part: string) => {
    if (marked.has(name)) return true;
    const base = /^(.+?)(?:\(汇总\d*\))?$/u.exec(name)?.[1] ?? name;
    const expected = headers.get(base);
    return expected !== undefined && headerRow(pkg, part, strings).join('|') === expected.join('|');
  };
  const removed: string[] = [];
  const sheets = workbookSheets(pkg, book);
  // Keep at least one sheet: a workbook of generated sheets only is not a template.
  const doomed = sheets.filter((s) => isOurs(s.name, s.part));
  if (doomed.length === sheets.length) return [];
  for (const s of doomed.reverse()) {
    removeSheet(pkg, book, s);
    removed.unshift(s.name);
  }
  unlistInAppProperties(pkg, removed);
  return removed;
}

/** The texts of row 2 of a sheet (the header row of a generated table). */
function headerRow(pkg: XlsxPackage, part: string, strings: readonly string[]): string[] {
  const root = pkg.doc(part)?.documentElement;
  const data = root && child(root, 'sheetData');
  const row = data && children(data, 'row').find((r) => r.getAttribute('r') === '2');
  return row ? children(row, 'c').map((c) => cellText(c, strings)) : [];
}

/** Takes a sheet out of the workbook: its entry, relationship, part, names and view index. */
function removeSheet(pkg: XlsxPackage, book: string, sheet: { name: string; part: string; element: Element; rid: string }): void {
  const doc = pkg.doc(book) as Document;
  const root = doc.documentElement as Element;
  const index = workbookSheets(pkg, book).findIndex((s) => s.part === sheet.part);
  sheet.element.parentNode?.removeChild(sheet.element);
  pkg.removeRel(book, sheet.rid);
  for (const rel of pkg.rels(sheet.part)) if (!rel.external && /\/(printerSettings)$/.test(rel.type)) pkg.remove(rel.target);
  pkg.remove(XlsxPackage.relsName(sheet.part));
  pkg.remove(sheet.part);
  pkg.setContentType(sheet.part, undefined);
  const names = child(root, 'definedNames');
  for (const n of names ? children(names, 'definedName') : []) {
    const local = n.getAttribute('localSheetId');
    if (local === null) continue;
    if (Number(local) === index) names?.removeChild(n);
    else if (Number(local) > index) n.setAttribute('localSheetId', String(Number(local) - 1));
  }
  if (names && children(names).length === 0) root.removeChild(names);
  const views = child(root, 'bookViews');
  for (const v of views ? children(views, 'workbookView') : []) {
    for (const a of ['activeTab', 'firstSheet']) {
      const value = Number(v.getAttribute(a) ?? 0);
      if (value >= index && value > 0) v.setAttribute(a, String(value - 1));
    }
  }
  pkg.touch(book);
}

/** The scratch workbook exceljs wrote with the frames, and the table each sheet holds. */
export interface Generated {
  scratch: XlsxPackage;
  tables: { name: string; table: Table }[];
}

/**
 * Adds the generated sheets to the template package after its own sheets: each frame
 * (formats adopted into `styles`, strings inline) with its body, print titles, relationship
 * and content type; app.xml's list of sheets when it has one. Returns the added names.
 */
export function graftGenerated(pkg: XlsxPackage, book: string, styles: StyleBook, generated: Generated, onRows?: (done: number) => void): string[] {
  const { scratch, tables } = generated;
  const sBook = scratch.workbookName() ?? 'xl/workbook.xml';
  const sSheets = workbookSheets(scratch, sBook);
  const sStyles = new StyleBook(scratch.doc('xl/styles.xml') as Document);
  const sstRoot = scratch.doc('xl/sharedStrings.xml')?.documentElement;
  const sStrings = sstRoot ? children(sstRoot, 'si') : [];
  const doc = pkg.doc(book) as Document;
  const root = doc.documentElement as Element;
  const sheetsElement = child(root, 'sheets') as Element;
  const existing = workbookSheets(pkg, book);
  const relPrefix = existing[0]?.element.lookupPrefix(NS.rel) ?? 'r';
  let sheetId = Math.max(0, ...children(sheetsElement, 'sheet').map((s) => Number(s.getAttribute('sheetId') ?? 0)));
  const base = existing.length;
  let rows = 0;
  const added: string[] = [];

  sSheets.forEach((s, i) => {
    const table = tables.find((t) => t.name === s.name)?.table;
    const frame = scratch.doc(s.part);
    if (!table || !frame) return;
    for (const e of descendants(frame.documentElement as Element)) {
      if (e.localName === 'c' || e.localName === 'row') {
        if (e.hasAttribute('s')) e.setAttribute('s', String(styles.adopt(sStyles, Number(e.getAttribute('s')))));
      } else if (e.localName === 'col' && e.hasAttribute('style')) {
        e.setAttribute('style', String(styles.adopt(sStyles, Number(e.getAttribute('style')))));
      }
      if (e.localName === 'c' && e.getAttribute('t') === 's') {
        const item = sStrings[Number(textOf(child(e, 'v')))];
        const v = child(e, 'v');
        if (v) e.removeChild(v);
        e.setAttribute('t', 'inlineStr');
        const is = createLike(e, 'is');
        const t = createLike(is, 't');
        setText(t, item ? stringItemText(item) : '');
        is.appendChild(t);
        e.appendChild(is);
      }
    }
    const part = freePart(pkg, 'xl/worksheets/sheet', '.xml');
    pkg.put(part, fillBody(frame, table, (n) => onRows?.((rows += n)), (s) => styles.derive(s, { quotePrefix: true })));
    pkg.setContentType(part, CONTENT_TYPE.worksheet);
    const rid = pkg.addRel(book, REL_TYPE.worksheet, part);
    const sheet = createLike(sheetsElement, 'sheet');
    sheet.setAttribute('name', s.name);
    sheet.setAttribute('sheetId', String(++sheetId));
    sheet.setAttributeNS(NS.rel, `${relPrefix}:id`, rid);
    sheetsElement.appendChild(sheet);
    added.push(s.name);

    // The frame's print titles, for the sheet's new position.
    const sRoot = scratch.doc(sBook)?.documentElement;
    const sNames = sRoot && child(sRoot, 'definedNames');
    for (const n of sNames ? children(sNames, 'definedName') : []) {
      if (Number(n.getAttribute('localSheetId')) !== i) continue;
      let names = child(root, 'definedNames');
      if (!names) {
        names = createLike(root, 'definedNames');
        insertInOrder(root, names, WORKBOOK_ORDER);
      }
      const copy = createLike(names, 'definedName');
      copy.setAttribute('name', n.getAttribute('name') ?? '');
      copy.setAttribute('localSheetId', String(base + i));
      setText(copy, textOf(n));
      names.appendChild(copy);
    }
  });
  pkg.touch(book);
  listInAppProperties(pkg, added);
  return added;
}

/** The first part name `prefix{n}{suffix}` not in the package. */
function freePart(pkg: XlsxPackage, prefix: string, suffix: string): string {
  for (let n = 1; ; n++) if (!pkg.has(`${prefix}${n}${suffix}`)) return `${prefix}${n}${suffix}`;
}

const APP = 'docProps/app.xml';

/**
 * docProps/app.xml's list of sheet names (TitlesOfParts) and the count of its worksheets
 * (HeadingPairs), when it has them. The first pair is the worksheets' (工作表 / Worksheets)
 * in what Excel, WPS and LibreOffice write.
 */
function appWorksheets(pkg: XlsxPackage): { titles: Element; count: Element } | undefined {
  const root = pkg.doc(APP)?.documentElement;
  const pairs = root && child(root, 'HeadingPairs');
  const titles = root && child(root, 'TitlesOfParts');
  const pairVector = pairs && child(pairs, 'vector');
  const titleVector = titles && child(titles, 'vector');
  const variant = pairVector && children(pairVector, 'variant')[1];
  const count = variant && descendants(variant, 'i4')[0];
  return titleVector && count ? { titles: titleVector, count } : undefined;
}

/** Adds sheet names to docProps/app.xml's list of worksheets, when it has one. */
function listInAppProperties(pkg: XlsxPackage, names: readonly string[]): void {
  const list = names.length ? appWorksheets(pkg) : undefined;
  if (!list) return;
  const n = Number(textOf(list.count));
  const after = children(list.titles, 'lpstr')[n - 1];
  if (!after) return;
  let anchor: Element = after;
  for (const name of names) {
    const e = createLike(after, 'lpstr');
    setText(e, name);
    list.titles.insertBefore(e, anchor.nextSibling);
    anchor = e;
  }
  setText(list.count, String(n + names.length));
  list.titles.setAttribute('size', String(children(list.titles, 'lpstr').length));
  pkg.touch(APP);
}

/** Takes sheet names out of docProps/app.xml's list of worksheets. */
function unlistInAppProperties(pkg: XlsxPackage, names: readonly string[]): void {
  const list = names.length ? appWorksheets(pkg) : undefined;
  if (!list) return;
  const n = Number(textOf(list.count));
  const gone = children(list.titles, 'lpstr').slice(0, n).filter((e) => names.includes(textOf(e)));
  for (const e of gone) list.titles.removeChild(e);
  setText(list.count, String(n - gone.length));
  list.titles.setAttribute('size', String(children(list.titles, 'lpstr').length));
  pkg.touch(APP);
}
