/**
 * One worksheet of the template, parsed and edited in place: read as a grid of cells (for
 * locateTable), rows inserted, cells written. Cells keep their own format (`s`); a number
 * format or wrapping is added through a new cell format made from the cell's own.
 */
import type { CellContent, CellWrite, RowInsert } from './plan.js';
import type { Grid, GridCell } from '../table/locate.js';
import { cellAddress, parseCell, parseRange, translateFormula, type Range } from '../xlsx/refs.js';
import { looksLikeFormula, type StyleBook } from '../xlsx/styles.js';
import { estimateLines, fitHeight } from './style.js';
import { fitCell } from '../text/labels.js';
import { WORKSHEET_ORDER, child, children, createLike, descendants, insertInOrder, setText, textOf, type Document, type Element } from '../xlsx/xml.js';
import { needsPreserve, xmlChars } from '../text/xml-text.js';

const key = (row: number, col: number) => row * 20000 + col;

/** The text of a string item (<si> or <is>): its runs, without phonetic guides. */
export function stringItemText(item: Element): string {
  return descendants(item, 't')
    .filter((t) => (t.parentNode as Element | null)?.localName !== 'rPh')
    .map((t) => textOf(t))
    .join('');
}

/** A cell's text as a person sees it: its shared or inline string, TRUE or FALSE, else its value as written. */
export function cellText(c: Element, strings: readonly string[]): string {
  const t = c.getAttribute('t');
  const v = child(c, 'v');
  const is = child(c, 'is');
  if (t === 's') return strings[Number(textOf(v))] ?? '';
  if (t === 'inlineStr') return is ? stringItemText(is) : '';
  if (t === 'b') return textOf(v) === '1' ? 'TRUE' : v ? 'FALSE' : '';
  return textOf(v);
}

/** The shared strings of a workbook, in order. */
export function readSharedStrings(doc: Document | undefined): string[] {
  const root = doc?.documentElement;
  return root ? children(root, 'si').map(stringItemText) : [];
}

export class SheetEditor {
  readonly root: Element;
  private readonly data: Element;
  private rows = new Map<number, Element>();
  private cells = new Map<number, Element>();
  /** Row number → the greatest column of its cells. */
  private lastCol = new Map<number, number>();
  private merges: Range[] = [];
  /** Shared formula groups: si → the master's formula and position. */
  private shared = new Map<string, { formula: string; row: number; col: number; ref: string }>();

  constructor(
    readonly doc: Document,
    private readonly styles: StyleBook,
    private readonly strings: readonly string[],
  ) {
    this.root = doc.documentElement as Element;
    const data = child(this.root, 'sheetData');
    if (!data) throw new Error('sheet without sheetData');
    this.data = data;
    this.index();
  }

  /** Rebuilds the row, cell, merge and shared-formula indexes from the XML. */
  private index(): void {
    this.rows.clear();
    this.cells.clear();
    this.lastCol.clear();
    this.shared.clear();
    let lastRow = 0;
    for (const row of children(this.data, 'row')) {
      const r = Number(row.getAttribute('r') ?? lastRow + 1);
      lastRow = r;
      if (!row.getAttribute('r')) row.setAttribute('r', String(r));
      this.rows.set(r, row);
      let lastCol = 0;
      for (const c of children(row, 'c')) {
        const at = parseCell(c.getAttribute('r') ?? '');
        const col = at ? at.col : lastCol + 1;
        lastCol = col;
        if (!at) c.setAttribute('r', cellAddress(r, col));
        this.cells.set(key(r, col), c);
        this.lastCol.set(r, Math.max(this.lastCol.get(r) ?? 0, col));
        const f = child(c, 'f');
        if (f?.getAttribute('t') === 'shared' && f.getAttribute('ref') && textOf(f)) {
          this.shared.set(f.getAttribute('si') ?? '', { formula: textOf(f), row: r, col, ref: f.getAttribute('ref') ?? '' });
        }
      }
    }
    const mc = child(this.root, 'mergeCells');
    this.merges = mc ? children(mc, 'mergeCell').flatMap((m) => parseRange(m.getAttribute('ref') ?? '') ?? []) : [];
  }

  /** The formula of a cell, a shared formula's member translated from its master. */
  formulaOf(c: Element): string | undefined {
    const f = child(c, 'f');
    if (!f) return undefined;
    const own = textOf(f);
    if (own || f.getAttribute('t') !== 'shared') return own || undefined;
    const master = this.shared.get(f.getAttribute('si') ?? '');
    const at = parseCell(c.getAttribute('r') ?? '');
    if (!master || !at) return undefined;
    return translateFormula(master.formula, at.row - master.row, at.col - master.col);
  }

  /** The sheet as a grid for locateTable: texts, numbers, formulas, merges, boxes. */
  grid(): Grid {
    const masters = new Map<number, { row: number; col: number }>();
    const ends = new Map<number, { row: number; col: number }>();
    for (const m of this.merges) {
      ends.set(key(m.top, m.left), { row: m.bottom, col: m.right });
      for (let r = m.top; r <= m.bottom; r++)
        for (let c = m.left; c <= m.right; c++) if (r !== m.top || c !== m.left) masters.set(key(r, c), { row: m.top, col: m.left });
    }
    let rowCount = 0;
    let colCount = 0;
    for (const k of this.cells.keys()) {
      rowCount = Math.max(rowCount, Math.floor(k / 20000));
      colCount = Math.max(colCount, k % 20000);
    }
    for (const m of this.merges) {
      rowCount = Math.max(rowCount, m.bottom);
      colCount = Math.max(colCount, m.right);
    }
    const boxed = new Map<number, boolean>();
    const memo = new Map<number, GridCell>();
    const cell = (row: number, col: number): GridCell | undefined => {
      const k = key(row, col);
      const known = memo.get(k);
      if (known) return known;
      const c = this.cells.get(k);
      const master = masters.get(k);
      const end = ends.get(k);
      if (!c && !master && !end) return undefined;
      const g: GridCell = c ? this.readCell(c) : { text: '' };
      if (c) {
        const s = Number(c.getAttribute('s') ?? 0);
        if (!boxed.has(s)) boxed.set(s, this.styles.boxed(s));
        g.boxed = boxed.get(s) as boolean;
      }
      if (master) g.master = master;
      if (end) g.mergeEnd = end;
      memo.set(k, g);
      return g;
    };
    return { rowCount, colCount, cell };
  }

  private readCell(c: Element): GridCell {
    const t = c.getAttribute('t') ?? 'n';
    const v = child(c, 'v');
    const formula = this.formulaOf(c);
    const out: GridCell = { text: cellText(c, this.strings) };
    if ((t === 'n' || t === 'd') && v && textOf(v).trim() !== '' && Number.isFinite(Number(textOf(v)))) out.number = Number(textOf(v));
    if (formula !== undefined) out.formula = formula;
    return out;
  }

  private rowElement(r: number): Element {
    let row = this.rows.get(r);
    if (row) return row;
    row = createLike(this.data, 'row');
    row.setAttribute('r', String(r));
    // Before the first row below it (one pass: a thousand rows are added to a province's table).
    let next: number | undefined;
    for (const x of this.rows.keys()) if (x > r && (next === undefined || x < next)) next = x;
    this.data.insertBefore(row, next === undefined ? null : (this.rows.get(next) as Element));
    this.rows.set(r, row);
    return row;
  }

  /** The cell element at (row, col), created in column order when absent. */
  private cellElement(r: number, col: number): Element {
    const k = key(r, col);
    let c = this.cells.get(k);
    if (c) return c;
    const row = this.rowElement(r);
    c = createLike(row, 'c');
    c.setAttribute('r', cellAddress(r, col));
    // A new cell in a styled row takes the row's format, as a spreadsheet application would.
    if (row.getAttribute('customFormat') === '1' && row.getAttribute('s')) c.setAttribute('s', row.getAttribute('s') as string);
    // Before the row's first cell to the right; a cell right of them all (a new row's next) goes last.
    const last = this.lastCol.get(r) ?? 0;
    const after = col > last ? undefined : children(row, 'c').find((x) => (parseCell(x.getAttribute('r') ?? '')?.col ?? 0) > col);
    row.insertBefore(c, after ?? null);
    this.lastCol.set(r, Math.max(last, col));
    this.cells.set(k, c);
    return c;
  }

  /**
   * Gives every member of shared formula groups explicit formulas (same meaning, no
   * master): before rows are inserted through a group, or when one of its cells is written.
   * `which` selects groups by their range. Returns true when there was such a group.
   */
  unshare(which: (range: Range) => boolean): boolean {
    let changed = false;
    for (const [si, group] of [...this.shared]) {
      const range = parseRange(group.ref);
      if (!range || !which(range)) continue;
      for (let r = range.top; r <= range.bottom; r++)
        for (let col = range.left; col <= range.right; col++) {
          const c = this.cells.get(key(r, col));
          const f = c && child(c, 'f');
          if (!c || !f || f.getAttribute('t') !== 'shared' || f.getAttribute('si') !== si) continue;
          const formula = this.formulaOf(c) ?? '';
          for (const a of ['t', 'ref', 'si']) f.removeAttribute(a);
          setText(f, formula);
        }
      this.shared.delete(si);
      changed = true;
    }
    return changed;
  }

  /**
   * Adds the rows of `ins` (after the sheet's own rows were renumbered by shiftSheet): each
   * a copy of the style row's look — cell formats (without bold when the look comes from
   * the 合计 row), height, single-row merges — and of its formula columns (a 校验 column),
   * translated to the new row. `skipFormulas` are the columns the plan writes.
   */
  addRows(ins: RowInsert, fromTotal: boolean, skipFormulas: ReadonlySet<number>): void {
    // The style row as numbered now, after the rows below the insertion moved down.
    const styleRow = ins.styleRow >= ins.at ? ins.styleRow + ins.count : ins.styleRow;
    const source = this.rows.get(styleRow);
    const sourceCells = source ? children(source, 'c') : [];
    // Merges across a department row (a name over two columns) are copied; the 合计 row's
    // (序号 and 单位 as one cell) are not.
    const rowMerges = fromTotal ? [] : this.merges.filter((m) => m.top === styleRow && m.bottom === styleRow);
    for (let i = 0; i < ins.count; i++) {
      const r = ins.at + i;
      const row = this.rowElement(r);
      if (source) {
        for (let a = 0; a < source.attributes.length; a++) {
          const attr = source.attributes.item(a);
          if (attr && attr.name !== 'r' && attr.name !== 'hidden' && !(attr.name === 's' && fromTotal)) row.setAttribute(attr.name, attr.value);
        }
      }
      for (const sc of sourceCells) {
        const col = parseCell(sc.getAttribute('r') ?? '')?.col;
        if (!col) continue;
        const c = this.cellElement(r, col);
        const s = Number(sc.getAttribute('s') ?? 0);
        if (sc.hasAttribute('s')) c.setAttribute('s', String(fromTotal ? this.styles.derive(s, { plain: true }) : s));
        const formula = this.formulaOf(sc);
        if (formula !== undefined && !fromTotal && !skipFormulas.has(col)) {
          const f = createLike(c, 'f');
          setText(f, translateFormula(formula, r - styleRow, 0));
          c.appendChild(f);
          if (sc.getAttribute('t') === 'str') c.setAttribute('t', 'str');
        }
      }
      for (const m of rowMerges) this.addMerge({ top: r, bottom: r, left: m.left, right: m.right });
    }
  }

  private addMerge(range: Range): void {
    let mc = child(this.root, 'mergeCells');
    if (!mc) {
      mc = createLike(this.root, 'mergeCells');
      insertInOrder(this.root, mc, WORKSHEET_ORDER);
    }
    const m = createLike(mc, 'mergeCell');
    m.setAttribute('ref', `${cellAddress(range.top, range.left)}:${cellAddress(range.bottom, range.right)}`);
    mc.appendChild(m);
    if (mc.hasAttribute('count')) mc.setAttribute('count', String(children(mc, 'mergeCell').length));
    this.merges.push(range);
  }

  /** Re-reads rows, cells and merges after the XML was renumbered from outside. */
  reindex(): void {
    this.index();
  }

  /** Writes the plan's cells; a number format is set only where the cell's own is General. */
  write(writes: readonly CellWrite[]): void {
    for (const { row, col, content } of writes) this.writeCell(this.cellElement(row, col), row, col, content);
  }

  private writeCell(c: Element, row: number, col: number, content: CellContent): void {
    for (const e of children(c)) if (['f', 'v', 'is'].includes(e.localName ?? '')) c.removeChild(e);
    c.removeAttribute('t');
    const s = Number(c.getAttribute('s') ?? 0);
    const general = this.styles.numFmt(s).toLowerCase() === 'general';
    const setNumFmt = (numFmt: string) => {
      if (general) c.setAttribute('s', String(this.styles.derive(s, { numFmt })));
    };
    const add = (name: string, text: string) => {
      const e = createLike(c, name);
      setText(e, text);
      c.appendChild(e);
      return e;
    };
    switch (content.type) {
      case 'empty':
        break;
      case 'number':
        add('v', String(content.value));
        setNumFmt(content.numFmt);
        break;
      case 'formula':
        add('f', content.formula);
        add('v', String(content.result));
        setNumFmt(content.numFmt);
        break;
      case 'text': {
        const value = xmlChars(fitCell(content.value));
        c.setAttribute('t', 'inlineStr');
        // A text that starts like a formula stays text when the cell is edited or exported.
        if (looksLikeFormula(value)) c.setAttribute('s', String(this.styles.derive(s, { quotePrefix: true })));
        const is = createLike(c, 'is');
        const t = createLike(is, 't');
        if (needsPreserve(value)) t.setAttribute('xml:space', 'preserve');
        setText(t, value);
        is.appendChild(t);
        c.appendChild(is);
        this.growToFit(c, row, col, value);
        break;
      }
    }
  }

  /**
   * Makes a note we wrote (逾期报送（…）, 未含：…) readable in print: a note too long for its
   * column wraps (the cell gets a format of its own with wrapping) and its row grows to
   * fit. Rows only ever grow; merged cells and rows of default height are left alone.
   */
  private growToFit(c: Element, row: number, col: number, text: string): void {
    const rowElement = this.rows.get(row);
    const height = Number(rowElement?.getAttribute('ht') ?? NaN);
    if (!rowElement || Number.isNaN(height) || this.merges.some((m) => m.top <= row && row <= m.bottom && m.left <= col && col <= m.right)) return;
    const width = this.columnWidth(col);
    const s = Number(c.getAttribute('s') ?? 0);
    const size = this.styles.fontSize(s);
    if (estimateLines(text, width - 1, size) <= 1) return;
    if (!this.styles.wraps(s)) c.setAttribute('s', String(this.styles.derive(s, { wrap: true })));
    const needed = fitHeight([{ text, width }], size, 0);
    if (needed > height) {
      rowElement.setAttribute('ht', String(needed));
      rowElement.setAttribute('customHeight', '1');
    }
  }

  private columnWidth(col: number): number {
    const cols = child(this.root, 'cols');
    const def = child(this.root, 'sheetFormatPr')?.getAttribute('defaultColWidth');
    for (const c of cols ? children(cols, 'col') : []) {
      if (Number(c.getAttribute('min')) <= col && col <= Number(c.getAttribute('max')) && c.getAttribute('width')) return Number(c.getAttribute('width'));
    }
    return def ? Number(def) : 9;
  }
}
