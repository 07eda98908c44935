/**
 * The template's own cell formats (styles.xml, parsed): what a cell's format says (border,
 * number format, font size, wrapping), and new formats made from existing ones — a number
 * format set, text wrapped, bold taken away, or a format copied from another package's
 * styles (the generated sheets) — appended to cellXfs, never changing one in use.
 */
import { isBoxed } from './cells.js';
import { child, children, createLike, type Document, type Element } from './xml.js';

/** Number formats every spreadsheet application knows by id. */
const BUILTIN_FORMATS: Record<string, number> = { General: 0, '0': 1, '0.00': 2, '#,##0': 3, '#,##0.00': 4, '0%': 9, '0.00%': 10, '@': 49 };

/** What a new format changes. */
export interface FormatChange {
  numFmt?: string;
  wrap?: boolean;
  /** Not bold (a department row made from the 合计 row's look). */
  plain?: boolean;
  /** Text kept as text when edited or exported (quotePrefix): for a text that starts like a formula. */
  quotePrefix?: boolean;
}

/** Text Excel, WPS or a CSV export would take for a formula when re-entered: =, +, -, @ first (or a tab or CR before them). */
export const looksLikeFormula = (text: string): boolean => /^[\t\r]*[=+\-@]/.test(text);

export class StyleBook {
  private readonly root: Element;
  private readonly derived = new Map<string, number>();
  /** numFmt's answers, until a format is added (every cell the fill writes asks). */
  private readonly codes = new Map<number, string>();
  /** Set when a format was added: styles.xml has to be written again. */
  changed = false;

  constructor(readonly doc: Document) {
    this.root = doc.documentElement as Element;
  }

  private list(name: string): Element | undefined {
    return child(this.root, name);
  }

  private xf(index: number): Element | undefined {
    const xfs = this.list('cellXfs');
    return xfs ? children(xfs, 'xf')[index] : undefined;
  }

  /** The number format code of a cell format ('General' when none). */
  numFmt(index: number): string {
    let code = this.codes.get(index);
    if (code === undefined) {
      const id = Number(this.xf(index)?.getAttribute('numFmtId') ?? 0);
      const custom = children(this.list('numFmts') ?? this.root, 'numFmt').find((f) => Number(f.getAttribute('numFmtId')) === id);
      code = custom ? (custom.getAttribute('formatCode') ?? 'General') : (Object.entries(BUILTIN_FORMATS).find(([, v]) => v === id)?.[0] ?? (id === 0 ? 'General' : `#${id}`));
      this.codes.set(index, code);
    }
    return code;
  }

  /** True when a cell format draws a left (start) or bottom line: the cell belongs to a table (cells.ts isBoxed). */
  boxed(index: number): boolean {
    const borderId = Number(this.xf(index)?.getAttribute('borderId') ?? 0);
    const border = children(this.list('borders') ?? this.root, 'border')[borderId];
    return border !== undefined && isBoxed((side) => child(border, side)?.getAttribute('style'));
  }

  /** The font size of a cell format, in points (11 when unknown). */
  fontSize(index: number): number {
    const fontId = Number(this.xf(index)?.getAttribute('fontId') ?? 0);
    const font = children(this.list('fonts') ?? this.root, 'font')[fontId];
    const sz = font && child(font, 'sz')?.getAttribute('val');
    return sz ? Number(sz) : 11;
  }

  /** True when the format wraps text. */
  wraps(index: number): boolean {
    const a = this.xf(index) && child(this.xf(index) as Element, 'alignment');
    return ['1', 'true'].includes(a?.getAttribute('wrapText') ?? '');
  }

  /** A cell format like `index` with `change` applied: an existing derived one, or a new one appended. */
  derive(index: number, change: FormatChange): number {
    const key = `${index}|${change.numFmt ?? ''}|${change.wrap ? 1 : 0}|${change.plain ? 1 : 0}|${change.quotePrefix ? 1 : 0}`;
    const known = this.derived.get(key);
    if (known !== undefined) return known;
    const base = this.xf(index) ?? this.xf(0);
    const xfs = this.list('cellXfs');
    if (!base || !xfs) return index;
    const xf = base.cloneNode(true) as Element;
    if (change.numFmt !== undefined) {
      xf.setAttribute('numFmtId', String(this.numFmtId(change.numFmt)));
      xf.setAttribute('applyNumberFormat', '1');
    }
    if (change.wrap) {
      let a = child(xf, 'alignment');
      if (!a) {
        a = createLike(xf, 'alignment');
        xf.insertBefore(a, xf.firstChild);
      }
      a.setAttribute('wrapText', '1');
      xf.setAttribute('applyAlignment', '1');
    }
    if (change.quotePrefix) xf.setAttribute('quotePrefix', '1');
    if (change.plain) {
      const fontId = Number(xf.getAttribute('fontId') ?? 0);
      xf.setAttribute('fontId', String(this.plainFont(fontId)));
      xf.setAttribute('applyFont', '1');
    }
    const id = this.append(xfs, xf);
    this.derived.set(key, id);
    return id;
  }

  /** The id of a number format code: built in, already defined, or newly defined. */
  numFmtId(code: string): number {
    const builtin = BUILTIN_FORMATS[code];
    if (builtin !== undefined) return builtin;
    let list = this.list('numFmts');
    const existing = list && children(list, 'numFmt').find((f) => f.getAttribute('formatCode') === code);
    if (existing) return Number(existing.getAttribute('numFmtId'));
    if (!list) {
      list = createLike(this.root, 'numFmts');
      this.root.insertBefore(list, this.root.firstChild);
    }
    const id = Math.max(163, ...children(list, 'numFmt').map((f) => Number(f.getAttribute('numFmtId')))) + 1;
    const f = createLike(list, 'numFmt');
    f.setAttribute('numFmtId', String(id));
    f.setAttribute('formatCode', code);
    this.append(list, f);
    return id;
  }

  /** A font like `fontId`, not bold. */
  private plainFont(fontId: number): number {
    const fonts = this.list('fonts');
    const font = fonts && children(fonts, 'font')[fontId];
    if (!fonts || !font || !child(font, 'b')) return fontId;
    const copy = font.cloneNode(true) as Element;
    for (const b of children(copy, 'b')) copy.removeChild(b);
    return this.append(fonts, copy);
  }

  /** Appends an element to a counted list (fonts, cellXfs …); returns its index. */
  private append(list: Element, element: Element): number {
    this.codes.clear();
    list.appendChild(element);
    const count = children(list, element.localName ?? '').length;
    if (list.hasAttribute('count')) list.setAttribute('count', String(count));
    this.changed = true;
    return count - 1;
  }

  /**
   * Copies cell format `index` of another style book (with its font, fill, border and
   * number format) into this one; returns the new index. Used for the generated sheets,
   * whose formats come from the scratch workbook exceljs wrote.
   */
  adopt(other: StyleBook, index: number): number {
    const key = `adopt|${index}`;
    const known = this.derived.get(key);
    if (known !== undefined) return known;
    const source = other.xf(index);
    const xfs = this.list('cellXfs');
    if (!source || !xfs) return 0;
    const xf = importInto(this.doc, source);
    for (const [attr, list, item] of [['fontId', 'fonts', 'font'], ['fillId', 'fills', 'fill'], ['borderId', 'borders', 'border']] as const) {
      const id = Number(source.getAttribute(attr) ?? 0);
      const theirs = children(other.list(list) ?? other.root, item)[id];
      const ours = this.list(list);
      if (theirs && ours) xf.setAttribute(attr, String(this.append(ours, importInto(this.doc, theirs))));
    }
    const fmt = Number(source.getAttribute('numFmtId') ?? 0);
    if (fmt >= 164) xf.setAttribute('numFmtId', String(this.numFmtId(other.numFmt(index))));
    xf.removeAttribute('xfId'); // the scratch book's cell styles are not ours: Normal
    xf.setAttribute('xfId', '0');
    const id = this.append(xfs, xf);
    this.derived.set(key, id);
    return id;
  }
}

/** A deep copy of an element from another document, in this document's main namespace. */
function importInto(doc: Document, element: Element): Element {
  const root = doc.documentElement as Element;
  const copy = doc.createElementNS(root.namespaceURI, root.prefix ? `${root.prefix}:${element.localName}` : (element.localName as string));
  for (let i = 0; i < element.attributes.length; i++) {
    const a = element.attributes.item(i);
    if (a && !a.name.startsWith('xmlns')) copy.setAttribute(a.name, a.value);
  }
  for (const c of children(element)) copy.appendChild(importInto(doc, c));
  return copy;
}
