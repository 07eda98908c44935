/**
 * An xlsx package → plain grids of cells, every cell read through one normaliser that knows
 * what Excel, WPS and LibreOffice actually write (see shared ecosystem notes, section 2):
 * shared and inline strings, rich text runs (flattened), formulas (their cached value; none
 * cached is said), error values, booleans, dates as date cells, as serials under a date
 * format — including the CJK built-in ids 27–36 and 50–58 that exceljs leaves as numbers —
 * and as ISO `t="d"` cells, the 1904 date system, merged ranges, hidden rows, shared
 * formulas (only their cached values are read) and WPS's in-cell pictures (DISPIMG).
 *
 * Not exceljs: loading exceljs alone takes about six times a bare node start, and reading a
 * clerk's workbook needs only the sheets' cells. The package is unzipped with node's zlib
 * and its XML read by a small tokenizer (no regular-expression edits: reading only).
 * Failures the clerk can act on are WorkbookError with a message code, never a stack.
 */
import { posix } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { cellAddress, parseCell, resolvePart } from './refs.js';

/** One cell as a person sees it. */
export interface Cell {
  row: number;
  col: number;
  /** A1 reference. */
  ref: string;
  /** Text as typed (rich text flattened), a number, a boolean, or null when empty. */
  value: string | number | boolean | null;
  /** The value is a date (a date cell, a serial under a date format, an ISO cell): YYYY-MM-DD or YYYY-MM-DD HH:mm in `value`. */
  isDate?: boolean;
  /** The number under a date, as stored. */
  serial?: number;
  /** An error value (#DIV/0!, #REF!…): `value` is null. */
  error?: string;
  /** A formula without a cached value (written by a program, never opened in Excel/WPS): `value` is null. */
  uncalculated?: boolean;
  /** The formula, when the cell has one. */
  formula?: string;
  /** A WPS in-cell picture (DISPIMG): `value` is null. */
  picture?: boolean;
  /** The cell has a left (start) or bottom border (tables are drawn with borders): see isBoxed. */
  bordered?: boolean;
  /** Its number format shows nothing (`;;;`): a value no one sees on screen or on paper. */
  concealed?: boolean;
  /** A shared string that is not in the workbook's list (a damaged or edited file): `value` is null. */
  missingString?: boolean;
}

/** A merged range, 1-based and inclusive. */
export interface Merge {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** One worksheet as a grid. */
export interface Sheet {
  name: string;
  /** The file it is in, when not the workbook read (a merged table's second workbook, 附表). */
  book?: string;
  state: 'visible' | 'hidden' | 'veryHidden';
  /** row → col → cell; only cells with something in them (or a border). */
  rows: Map<number, Map<number, Cell>>;
  hiddenRows: Set<number>;
  /** Hidden columns, as the sheet's <col min max hidden> ranges give them. */
  hiddenCols: { min: number; max: number }[];
  merges: Merge[];
  maxRow: number;
  maxCol: number;
  /** Pictures pasted onto the sheet (its drawing's <pic> elements): never read, so said. */
  pictures?: number;
}

export interface Workbook {
  sheets: Sheet[];
  /** The 1904 date system (serials count from 1904-01-01): see serialDate. */
  date1904: boolean;
  /** The custom document properties (name → text): what merge wrote into its output; empty when none. */
  properties: Map<string, string>;
}

/**
 * What is wrong with a file read as a workbook. The toolkit knows no messages: each problem is
 * named as the message catalogue names the text a caller gives the clerk for it.
 */
export type WorkbookProblem =
  | 'workbook/damaged'
  | 'workbook/too-large-inside'
  | 'workbook/legacy'
  | 'workbook/encrypted'
  | 'workbook/text-named-xlsx'
  | 'workbook/ods'
  | 'workbook/not-a-workbook'
  | 'workbook/no-sheets'
  | 'workbook/cell-out-of-range';

/** A workbook that cannot be read: the problem, and where (the part, or the sheet and cell). */
export class WorkbookError extends Error {
  constructor(
    readonly code: WorkbookProblem,
    readonly params: Readonly<Record<string, string | number>> = {},
  ) {
    super(code);
  }
}

/** Most bytes the parts we read may inflate to: a zip bomb stops here. */
export const MAX_INFLATED = 200 * 1024 * 1024;
/**
 * Most bytes the shared strings may inflate to: they are all held as strings at once (a bomb of
 * them took 809 MB of memory), and a clerk's or a merged workbook's texts are far smaller.
 */
export const MAX_SHARED_STRINGS = 64 * 1024 * 1024;
/** The last row and column a sheet may have (A1:XFD1048576): a cell past them is refused, never looped to. */
export const MAX_ROW = 1_048_576;
export const MAX_COL = 16_384;

// ── the package ──

const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ZIP = [0x50, 0x4b, 0x03, 0x04];

/** True when an OLE file names stream `name` in its directory (stored as UTF-16LE). */
export const hasOleStream = (bytes: Uint8Array, name: string): boolean =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(Buffer.from(name, 'utf16le'));

/**
 * What a file's first bytes say it is: a zip package, an OLE container (legacy .xls/.et, or
 * anything else of Office's old format), an encrypted xlsx, or other. Used for submissions
 * here and for templates (legacy.ts).
 */
export function sniff(bytes: Uint8Array): 'zip' | 'legacy' | 'encrypted' | 'other' {
  if (ZIP.every((b, i) => bytes[i] === b)) return 'zip';
  if (OLE.every((b, i) => bytes[i] === b)) {
    // A password-protected xlsx is an OLE container holding the streams EncryptionInfo and EncryptedPackage.
    return hasOleStream(bytes, 'EncryptedPackage') ? 'encrypted' : 'legacy';
  }
  return 'other';
}

/**
 * The zip's entries by name: central directory only, each inflated when asked for. Together
 * they may inflate to MAX_INFLATED at most, counted in the bytes actually inflated (the sizes
 * the directory declares may lie): a zip bomb stops there (workbook/too-large-inside); an entry
 * may be given a lower limit of its own (`limits`). A damaged package or entry is
 * workbook/damaged. Submissions are read with it, and templates (XlsxPackage.load).
 */
export function unzip(bytes: Buffer, limits: Record<string, number> = {}): Map<string, () => Buffer> {
  const damaged = () => new WorkbookError('workbook/damaged');
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (bytes.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw damaged();
  const count = bytes.readUInt16LE(eocd + 10);
  let at = bytes.readUInt32LE(eocd + 16);
  const entries = new Map<string, () => Buffer>();
  let total = 0;
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== 0x02014b50) throw damaged();
    const method = bytes.readUInt16LE(at + 10);
    const size = bytes.readUInt32LE(at + 20);
    const inflated = bytes.readUInt32LE(at + 24);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extra = bytes.readUInt16LE(at + 30);
    const comment = bytes.readUInt16LE(at + 32);
    const local = bytes.readUInt32LE(at + 42);
    const name = bytes.toString('utf8', at + 46, at + 46 + nameLength).replace(/\\/g, '/').replace(/^\//, '');
    at += 46 + nameLength + extra + comment;
    entries.set(name, () => {
      if (local + 30 > bytes.length || bytes.readUInt32LE(local) !== 0x04034b50) throw damaged();
      const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
      const data = bytes.subarray(start, start + size);
      if (data.length !== size) throw damaged();
      // What is left of the whole allowance, or of this entry's own if lower; the declared size is only a first check.
      const allowed = Math.min(MAX_INFLATED - total, limits[name] ?? Infinity);
      const tooLarge = () => new WorkbookError('workbook/too-large-inside');
      if (inflated > allowed) throw tooLarge();
      let out: Buffer;
      if (method === 0) out = data;
      else if (method !== 8) throw damaged();
      else {
        try {
          // One byte over the allowance is enough to know it is too much.
          out = inflateRawSync(data, { maxOutputLength: allowed + 1 });
        } catch (error) {
          throw (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? tooLarge() : damaged();
        }
      }
      if (out.length > allowed) throw tooLarge();
      total += out.length;
      return out;
    });
  }
  return entries;
}

/**
 * What kind of office file some bytes are, by their content: an xlsx, an ODS spreadsheet, a Word
 * document, an old Office (OLE) file, an encrypted one, another zip, text, or other.
 */
export function containerKind(bytes: Uint8Array): 'xlsx' | 'ods' | 'docx' | 'zip' | 'legacy' | 'encrypted' | 'text' | 'other' {
  const kind = sniff(bytes);
  if (kind === 'legacy' || kind === 'encrypted') return kind;
  if (kind === 'other') return looksLikeText(bytes) ? 'text' : 'other';
  let names: string[];
  try {
    names = [...unzip(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).keys()];
  } catch {
    return 'zip';
  }
  if (names.some((n) => n.startsWith('xl/'))) return 'xlsx';
  if (names.includes('content.xml') && bytes.subarray(0, 100).toString().includes('opendocument.spreadsheet')) return 'ods';
  if (names.some((n) => n.startsWith('word/'))) return 'docx';
  return 'zip';
}

/** No NUL byte in the first 8 KiB: text (a YAML file named .xlsx), not a package. */
const looksLikeText = (bytes: Uint8Array) => bytes.length > 0 && !bytes.subarray(0, 8192).includes(0);

// ── XML, read only ──

/** A parsed element: local name (prefix dropped: some exporters write <x:c>), attributes, children, text. */
export interface Element {
  name: string;
  attrs: Record<string, string>;
  children: Element[];
  text: string;
}

const ENTITY: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return ENTITY[e] ?? m;
  });
}

const localName = (qname: string) => qname.slice(qname.indexOf(':') + 1);

const TOKEN = /<!\[CDATA\[([\s\S]*?)\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<(\/?)([^\s/>]+)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g;
const ATTR = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** A tag's attributes by local name, values decoded. */
function parseAttrs(raw: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  if (!raw) return attrs;
  ATTR.lastIndex = 0;
  for (let a = ATTR.exec(raw); a; a = ATTR.exec(raw)) attrs[localName(a[1]!)] = decodeEntities(a[2] ?? a[3] ?? '');
  return attrs;
}

/** Parses an XML document into elements. Malformed input gives whatever it gave, never throws. */
export function parseXml(xml: string): Element {
  const root: Element = { name: '#root', attrs: {}, children: [], text: '' };
  const stack: Element[] = [root];
  let last = 0;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(xml); m; m = TOKEN.exec(xml)) {
    const top = stack[stack.length - 1]!;
    if (m.index > last) top.text += decodeEntities(xml.slice(last, m.index));
    last = TOKEN.lastIndex;
    if (m[1] !== undefined) {
      top.text += m[1];
      continue;
    }
    const name = m[3];
    if (name === undefined) continue; // comment, declaration
    if (m[2] === '/') {
      const local = localName(name);
      for (let i = stack.length - 1; i > 0; i--) {
        if (stack[i]!.name === local) {
          stack.length = i;
          break;
        }
      }
      continue;
    }
    const element: Element = { name: localName(name), attrs: parseAttrs(m[4] ?? ''), children: [], text: '' };
    top.children.push(element);
    if (m[5] !== '/') stack.push(element);
  }
  return root;
}

const child = (e: Element | undefined, name: string) => e?.children.find((c) => c.name === name);
const children = (e: Element | undefined, name: string) => e?.children.filter((c) => c.name === name) ?? [];

/** OOXML escapes characters XML cannot hold as _xHHHH_ (Excel writes a CR as _x000D_). */
const unescapeOoxml = (s: string) => s.replace(/_x([0-9A-Fa-f]{4})_/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** The text of a string item (<si>, <is>): its <t>, or every run's <t> (rich text), phonetic runs left out. */
function stringItem(e: Element): string {
  let text = '';
  for (const c of e.children) {
    if (c.name === 't') text += c.text;
    else if (c.name === 'r') text += child(c, 't')?.text ?? '';
  }
  return unescapeOoxml(text).replace(/\r\n?/g, '\n');
}

// ── formats ──

/** Built-in number formats that are dates or times: 14–22, 45–47, and in Chinese Excel and WPS 27–36 and 50–58. */
const DATE_IDS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** True for a number format code that shows a date or time: y, m, d, h or s outside quotes, brackets and escapes. */
export function isDateFormat(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/\[(?:h+|m+|s+)\]/gi, 'h')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\\./g, '')
    .replace(/_.|\*./g, '');
  const first = bare.split(';')[0] ?? '';
  return /[ymdhs]/i.test(first) && !/^general$/i.test(first.trim());
}

/** The sides whose line puts a cell in a drawn table: left (start, as LibreOffice and newer Excel write it) or bottom. */
const BOX_SIDES = ['left', 'start', 'bottom'];

/**
 * True when a border (the style of each of its sides, as `sideStyle` gives it) boxes a cell:
 * tables are found by their lines. The one test for reading (here) and writing (styles.ts).
 */
export function isBoxed(sideStyle: (side: string) => string | null | undefined): boolean {
  return BOX_SIDES.some((side) => {
    const style = sideStyle(side);
    return Boolean(style) && style !== 'none';
  });
}

interface Styles {
  isDate: boolean[];
  bordered: boolean[];
  /** The number format shows nothing: `;;;` (every section empty). */
  concealed: boolean[];
}

function readStyles(xml: string | undefined): Styles {
  if (!xml) return { isDate: [], bordered: [], concealed: [] };
  const root = child(parseXml(xml), 'styleSheet');
  const custom = new Map<number, string>();
  for (const f of children(child(root, 'numFmts'), 'numFmt')) custom.set(Number(f.attrs.numFmtId), f.attrs.formatCode ?? '');
  const borders = children(child(root, 'borders'), 'border').map((b) => isBoxed((side) => child(b, side)?.attrs.style));
  const xfs = children(child(root, 'cellXfs'), 'xf');
  return {
    isDate: xfs.map((xf) => {
      const id = Number(xf.attrs.numFmtId ?? 0);
      const code = custom.get(id);
      return code !== undefined ? isDateFormat(code) : DATE_IDS.has(id);
    }),
    bordered: xfs.map((xf) => borders[Number(xf.attrs.borderId ?? 0)] ?? false),
    concealed: xfs.map((xf) => {
      const code = custom.get(Number(xf.attrs.numFmtId ?? 0));
      return code !== undefined && code.includes(';') && code.split(';').slice(0, 3).every((section) => section.trim() === '');
    }),
  };
}

// ── dates ──

const pad = (n: number) => String(n).padStart(2, '0');

/** An Excel date serial → YYYY-MM-DD, or YYYY-MM-DD HH:mm when it has a time of day. */
export function serialToDate(serial: number, date1904 = false): string {
  // 1900 system: day 1 is 1900-01-01 and Excel counts a 29 February 1900 that never was (serial 60).
  const days = date1904 ? serial + 1462 : serial < 60 ? serial + 1 : serial;
  const ms = Math.round((days - 25569) * 86_400_000 / 60_000) * 60_000;
  const d = new Date(ms);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return d.getUTCHours() || d.getUTCMinutes() ? `${date} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}` : date;
}

/** A serial as its date (serialToDate) when Excel can show it as one (up to 9999-12-31); undefined otherwise. */
export function serialDate(serial: number, date1904: boolean): string | undefined {
  return serial >= 0 && serial < 2_958_466 ? serialToDate(serial, date1904) : undefined;
}

/** A `t="d"` cell's ISO text → the same form. */
function isoToDate(iso: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2}))?/.exec(iso.trim());
  if (!m) return undefined;
  return m[2] && (m[2] !== '00' || m[3] !== '00') ? `${m[1]} ${m[2]}:${m[3]}` : m[1];
}

// ── the workbook ──

/**
 * Reads every sheet of an xlsx package. Throws WorkbookError for a file that is no workbook
 * (legacy .xls/.et, encrypted, damaged, no sheets).
 */
export function readWorkbook(bytes: Uint8Array): Workbook {
  const kind = sniff(bytes);
  if (kind === 'legacy') throw new WorkbookError('workbook/legacy');
  if (kind === 'encrypted') throw new WorkbookError('workbook/encrypted');
  if (kind !== 'zip') throw new WorkbookError(looksLikeText(bytes) ? 'workbook/text-named-xlsx' : 'workbook/damaged');
  // The shared strings get a lower limit of their own, set once their part is known (below).
  const limits: Record<string, number> = {};
  const entries = unzip(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), limits);
  const text = (path: string) => {
    const get = entries.get(path);
    return get ? get().toString('utf8') : undefined;
  };
  // The workbook part is named by the package's root relationships (usually xl/workbook.xml).
  const rootRels = text('_rels/.rels');
  const officeDoc = rootRels && children(child(parseXml(rootRels), 'Relationships'), 'Relationship').find((r) => /officeDocument$/.test(r.attrs.Type ?? ''));
  const workbookPath = officeDoc ? resolvePart('', officeDoc.attrs.Target ?? '') : 'xl/workbook.xml';
  const folder = posix.dirname(workbookPath);
  const workbookXml = text(workbookPath);
  if (workbookXml === undefined) {
    if (entries.has('content.xml') && text('mimetype')?.includes('opendocument.spreadsheet')) throw new WorkbookError('workbook/ods');
    throw new WorkbookError(entries.has('word/document.xml') ? 'workbook/not-a-workbook' : 'workbook/damaged');
  }
  const wbRoot = child(parseXml(workbookXml), 'workbook');
  const date1904 = ['1', 'true'].includes(child(wbRoot, 'workbookPr')?.attrs.date1904 ?? '');
  const relsXml = text(resolvePart(folder, `_rels/${posix.basename(workbookPath)}.rels`));
  const rels = new Map<string, Element>();
  for (const r of children(child(parseXml(relsXml ?? ''), 'Relationships'), 'Relationship')) rels.set(r.attrs.Id ?? '', r);
  const targetOf = (type: RegExp) => {
    for (const r of rels.values()) if (type.test(r.attrs.Type ?? '')) return resolvePart(folder, r.attrs.Target ?? '');
    return undefined;
  };
  const sharedPath = targetOf(/\/sharedStrings$/);
  if (sharedPath) limits[sharedPath] = MAX_SHARED_STRINGS;
  const shared = sharedPath ? children(child(parseXml(text(sharedPath) ?? ''), 'sst'), 'si').map(stringItem) : [];
  const stylesPath = targetOf(/\/styles$/);
  const styles = readStyles(stylesPath ? text(stylesPath) : undefined);

  const sheets: Sheet[] = [];
  for (const s of children(child(wbRoot, 'sheets'), 'sheet')) {
    const rel = rels.get(s.attrs.id ?? '');
    if (!rel || !/\/worksheet$/.test(rel.attrs.Type ?? '')) continue; // chart sheets, dialog sheets
    const xml = text(resolvePart(folder, rel.attrs.Target ?? ''));
    if (xml === undefined) throw new WorkbookError('workbook/damaged');
    const state = s.attrs.state === 'hidden' || s.attrs.state === 'veryHidden' ? s.attrs.state : 'visible';
    const sheet = readSheet(s.attrs.name ?? '', state, xml, shared, styles, date1904);
    const pictures = countPictures(text, resolvePart(folder, rel.attrs.Target ?? ''));
    if (pictures) sheet.pictures = pictures;
    sheets.push(sheet);
  }
  if (sheets.length === 0) throw new WorkbookError('workbook/no-sheets');
  return { sheets, date1904, properties: customProperties(text) };
}

/** The custom document properties (name → text); none when there are none or they cannot be read: the workbook is then judged by its cells alone. */
function customProperties(text: (path: string) => string | undefined): Map<string, string> {
  const props = new Map<string, string>();
  try {
    const xml = text('docProps/custom.xml');
    const root = xml === undefined ? undefined : parseXml(xml).children.find((e) => e.name === 'Properties');
    for (const p of root?.children ?? []) if (p.name === 'property' && p.attrs.name) props.set(p.attrs.name, p.children[0]?.text ?? '');
  } catch {
    // A damaged properties part: the workbook is judged by its cells alone.
  }
  return props;
}

/** The pictures on a sheet: the <pic> elements of the drawing its relationships name (none when it has none). */
function countPictures(text: (path: string) => string | undefined, sheetPath: string): number {
  const rels = text(resolvePart(posix.dirname(sheetPath), `_rels/${posix.basename(sheetPath)}.rels`));
  if (!rels) return 0;
  let count = 0;
  for (const r of children(child(parseXml(rels), 'Relationships'), 'Relationship')) {
    if (!/\/drawing$/.test(r.attrs.Type ?? '') || r.attrs.TargetMode === 'External') continue;
    count += text(resolvePart(posix.dirname(sheetPath), r.attrs.Target ?? ''))?.match(/<(?:[\w.-]+:)?pic\b/g)?.length ?? 0;
  }
  return count;
}

/** The parts of a sheet's XML read here: rows, cells, merged ranges and column widths (nothing else in a sheet has these names). */
const SHEET_TOKEN = /<([\w.-]+:)?(row|c|mergeCell|col)\b((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g;
const STYLE_ATTR = /(?:^|\s)s="(\d+)"/;
const REF_ATTR = /(?:^|\s)r="([^"]+)"/;

/**
 * One sheet's cells. The sheet XML is scanned for rows, cells and merges only, and a cell's
 * content is parsed only when it has some: a fill-in workbook has hundreds of styled empty
 * cells (room for cases), and building elements for them was most of the reading time.
 */
function readSheet(name: string, state: Sheet['state'], xml: string, shared: string[], styles: Styles, date1904: boolean): Sheet {
  const sheet: Sheet = { name, state, rows: new Map(), hiddenRows: new Set(), hiddenCols: [], merges: [], maxRow: 0, maxCol: 0 };
  // A place past A1:XFD1048576 is no cell Excel can have: refused, so that no loop runs to it.
  const beyond = (ref: string) => new WorkbookError('workbook/cell-out-of-range', { sheet: name, cell: ref });
  let rowNo = 0;
  let colNo = 0;
  /** Empty cells passed over since the last cell read, and the last one's attributes: the column of a next cell written without `r`. */
  let skipped = 0;
  let lastSkipped = '';
  SHEET_TOKEN.lastIndex = 0;
  for (let m = SHEET_TOKEN.exec(xml); m; m = SHEET_TOKEN.exec(xml)) {
    const [, prefix = '', tag, raw = '', selfClosing] = m;
    if (tag === 'c' && selfClosing && !styles.bordered[Number(STYLE_ATTR.exec(raw)?.[1] ?? 0)]) {
      // An empty cell is kept only when boxed (tables are found by their lines): its style is looked at first.
      skipped++;
      lastSkipped = raw;
      continue;
    }
    const attrs = parseAttrs(raw);
    if (tag === 'c' && skipped && !attrs.r) {
      const ref = REF_ATTR.exec(lastSkipped)?.[1];
      colNo = (ref && parseCell(ref)?.col) || colNo + skipped;
    }
    skipped = 0;
    if (tag === 'row') {
      rowNo = attrs.r ? Number(attrs.r) : rowNo + 1;
      colNo = 0;
      if (!(rowNo >= 1 && rowNo <= MAX_ROW)) throw beyond(`${attrs.r ?? rowNo}:${attrs.r ?? rowNo}`); // a row, as Excel writes one
      if (attrs.hidden === '1' || attrs.hidden === 'true') sheet.hiddenRows.add(rowNo);
      continue;
    }
    if (tag === 'col') {
      if (attrs.hidden === '1' || attrs.hidden === 'true') sheet.hiddenCols.push({ min: Number(attrs.min), max: Number(attrs.max) });
      continue;
    }
    if (tag === 'mergeCell') {
      const [a, b] = (attrs.ref ?? '').split(':');
      const tl = parseCell(a ?? '');
      const br = parseCell(b ?? a ?? '');
      if (tl && br) sheet.merges.push({ top: tl.row, left: tl.col, bottom: br.row, right: br.col });
      continue;
    }
    const at = attrs.r ? parseCell(attrs.r) : undefined;
    colNo = at ? at.col : colNo + 1;
    if (attrs.r && !at) throw beyond(attrs.r);
    if (at && (at.row < 1 || at.row > MAX_ROW)) throw beyond(attrs.r!);
    if (colNo > MAX_COL) throw beyond(attrs.r ?? cellAddress(rowNo, colNo));
    let content: Element[] = [];
    if (!selfClosing) {
      const close = `</${prefix}c>`;
      const end = xml.indexOf(close, SHEET_TOKEN.lastIndex);
      if (end < 0) break; // a truncated part: what came before is read
      content = parseXml(xml.slice(SHEET_TOKEN.lastIndex, end)).children;
      SHEET_TOKEN.lastIndex = end + close.length;
    }
    const cell = readCell({ name: 'c', attrs, children: content, text: '' }, rowNo, colNo, shared, styles, date1904);
    if (cell.value === null && !cell.error && !cell.uncalculated && !cell.picture && !cell.missingString && !cell.bordered) continue;
    let cells = sheet.rows.get(rowNo);
    if (!cells) sheet.rows.set(rowNo, (cells = new Map()));
    cells.set(colNo, cell);
    sheet.maxRow = Math.max(sheet.maxRow, rowNo);
    sheet.maxCol = Math.max(sheet.maxCol, colNo);
  }
  return sheet;
}

function readCell(c: Element, row: number, col: number, shared: string[], styles: Styles, date1904: boolean): Cell {
  const style = Number(c.attrs.s ?? 0);
  const cell: Cell = { row, col, ref: cellAddress(row, col), value: null };
  if (styles.bordered[style]) cell.bordered = true;
  const type = c.attrs.t ?? 'n';
  const f = child(c, 'f');
  const v = child(c, 'v');
  if (f) {
    cell.formula = f.text;
    // WPS puts a picture into a cell as a formula; its cached value is the formula's own text.
    if (/DISPIMG\s*\(/i.test(f.text) || /^=?DISPIMG\(/i.test(v?.text ?? '')) {
      cell.picture = true;
      return cell;
    }
    // No cached value: no <v>, or an empty one where only a text result could be empty (openpyxl writes <v></v>).
    if (type !== 'inlineStr' && (!v || (v.text === '' && type !== 'str'))) {
      cell.uncalculated = true;
      return cell;
    }
  }
  const raw = v?.text ?? '';
  switch (type) {
    case 's': {
      const text = shared[Number(raw)];
      if (text === undefined) cell.missingString = true;
      cell.value = text ?? '';
      break;
    }
    case 'inlineStr':
      cell.value = stringItem(child(c, 'is') ?? { name: 'is', attrs: {}, children: [], text: '' });
      break;
    case 'str':
      cell.value = unescapeOoxml(raw).replace(/\r\n?/g, '\n');
      break;
    case 'b':
      cell.value = raw === '1' || raw === 'true';
      break;
    case 'e':
      cell.error = raw || '#N/A';
      break;
    case 'd': {
      const date = isoToDate(raw);
      cell.value = date ?? raw;
      if (date) cell.isDate = true;
      break;
    }
    default: {
      if (raw.trim() === '') break;
      const n = Number(raw);
      const date = styles.isDate[style] ? serialDate(n, date1904) : undefined;
      if (!Number.isFinite(n)) cell.value = raw;
      else if (date !== undefined) {
        cell.value = date;
        cell.isDate = true;
        cell.serial = n;
      } else cell.value = n;
    }
  }
  if (typeof cell.value === 'string' && cell.value === '') cell.value = null;
  if (styles.concealed[style] && cell.value !== null) cell.concealed = true;
  return cell;
}

// ── helpers for readers of sheets ──

/** The cell at a place, or undefined when it is empty. */
export const cellAt = (sheet: Sheet, row: number, col: number): Cell | undefined => sheet.rows.get(row)?.get(col);

/** Merges of at most this many rows are indexed under each of their rows; taller ones are few and looked through. */
const INDEXED_HEIGHT = 64;
const mergeIndex = new WeakMap<Sheet, { byRow: Map<number, Merge[]>; tall: Merge[] }>();

/**
 * The merges over a row, from an index made once per sheet: scanning every merge for every
 * row took minutes on a sheet of 160,000 one-row merges.
 */
export function mergesOver(sheet: Sheet, row: number): Merge[] {
  let index = mergeIndex.get(sheet);
  if (!index) {
    index = { byRow: new Map(), tall: [] };
    for (const m of sheet.merges) {
      if (m.bottom - m.top >= INDEXED_HEIGHT) index.tall.push(m);
      else
        for (let r = m.top; r <= m.bottom; r++) {
          const list = index.byRow.get(r);
          if (list) list.push(m);
          else index.byRow.set(r, [m]);
        }
    }
    mergeIndex.set(sheet, index);
  }
  const short = index.byRow.get(row) ?? [];
  const tall = index.tall.filter((m) => row >= m.top && row <= m.bottom);
  return tall.length ? [...short, ...tall] : short;
}

/** The merge that covers a place, if any. */
export const mergeAt = (sheet: Sheet, row: number, col: number): Merge | undefined =>
  mergesOver(sheet, row).find((m) => col >= m.left && col <= m.right);

/** True when a column is hidden. */
export const isHiddenCol = (sheet: Sheet, col: number): boolean => sheet.hiddenCols.some((c) => col >= c.min && col <= c.max);

/** The rows holding cells, from `from` on, in order: loops go by the cells present, never to a row number. */
export function rowsFrom(sheet: Sheet, from: number): number[] {
  return [...sheet.rows.keys()].filter((r) => r >= from).sort((a, b) => a - b);
}

/** What a person reads in a cell as text: a number written out, a date as its text; '' when empty. */
export function cellText(cell: Cell | undefined): string {
  if (!cell || cell.value === null) return '';
  if (typeof cell.value === 'number') return numberText(cell.value);
  return String(cell.value);
}

/** A stored number as the text Excel shows at most (15 significant digits: 0.1+0.2 is 0.3). */
export function numberText(n: number): string {
  return String(Number(n.toPrecision(15)));
}
