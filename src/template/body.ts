/**
 * The body rows of the sheets the merge adds, written as sheet XML instead of through
 * exceljs's in-memory model. At a province's scale (50,000 case rows) exceljs's writer
 * alone took ≈ 600 MiB and half the run. exceljs still writes each sheet's frame — title,
 * header, widths, frozen panes, print setup and titles — plus one row of styled empty
 * cells, one per column (BODY_ROW); `fillBody` replaces that row with the body, reusing
 * the style ids exceljs gave those cells. Strings are inline (`t="inlineStr"`), so the
 * shared strings part is left alone.
 */
import { MAX_ROW_HEIGHT, estimateLines, fitHeight, heightFor } from './style.js';
import { WORKSHEET_ORDER, child, children, createLike, insertInOrder, serializeXml, type Document, type Element } from '../xlsx/xml.js';
import { fitCell } from '../text/labels.js';
import { columnLetter } from '../xlsx/refs.js';
import { escapeXml, needsPreserve } from '../text/xml-text.js';
import { looksLikeFormula } from '../xlsx/styles.js';
import type { Chunks } from '../xlsx/zip.js';
export type { Chunks };

export interface Column {
  header: string;
  width: number;
  /** Long text columns are left-aligned; short ones centred. */
  left?: boolean;
  /** Aligned to the top: cells merged over many rows show their text where the block starts. */
  top?: boolean;
  /** The format of the column's numbers. */
  numFmt?: string;
}

export type Value = string | number | undefined;

/** A vertical merge in the body: column index and first and last row index, from 0. */
export interface Merge {
  col: number;
  first: number;
  last: number;
}

/** A generated sheet: a title over a boxed header and its body rows. */
export interface Table {
  name: string;
  title: string;
  columns: Column[];
  rows: Value[][];
  /** Cells merged down; the value is the first row's, the others should be undefined. */
  merges?: Merge[];
}

/** The frame's row of styled empty cells; the body starts there. */
export const BODY_ROW = 3;

/** Font size of the body (仿宋 11), for row heights. */
const BODY_SIZE = 11;

function cellXml(ref: string, style: number, value: Value, quotedStyle?: number): string {
  if (typeof value === 'number' && Number.isFinite(value)) return `<c r="${ref}" s="${style}"><v>${value}</v></c>`;
  if (typeof value !== 'string' || value === '') return `<c r="${ref}" s="${style}"/>`;
  // A clerk's text that starts like a formula stays text when someone edits the cell or exports CSV.
  if (quotedStyle !== undefined && looksLikeFormula(value)) style = quotedStyle;
  const text = escapeXml(fitCell(value));
  const space = needsPreserve(text) ? ' xml:space="preserve"' : '';
  return `<c r="${ref}" s="${style}" t="inlineStr"><is><t${space}>${text}</t></is></c>`;
}

/**
 * Row heights that show every cell's text: each row fits its own cells; a cell merged over
 * several rows, when their heights together are too short for it, makes the last one taller.
 */
export function rowHeights(table: Table): number[] {
  const { columns, rows, merges = [] } = table;
  const spanning = new Set(merges.filter((m) => m.last > m.first).map((m) => m.first * columns.length + m.col));
  // fitHeight's rule, without an object per cell: a province's body has near a million cells.
  const heights = new Array<number>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const values = rows[i]!;
    let lines = 1;
    for (let j = 0; j < columns.length; j++) {
      const value = values[j];
      // A number or an empty cell is one line; a merged cell's text is fitted over its rows below.
      if (typeof value !== 'string' || value === '' || spanning.has(i * columns.length + j)) continue;
      lines = Math.max(lines, estimateLines(value, columns[j]!.width - 1, BODY_SIZE));
    }
    heights[i] = heightFor(lines, BODY_SIZE);
  }
  for (const m of merges) {
    if (m.last <= m.first) continue;
    const column = columns[m.col];
    const text = String(rows[m.first]?.[m.col] ?? '');
    if (!column || !text) continue;
    const needed = fitHeight([{ text, width: column.width }], BODY_SIZE);
    let have = 0;
    for (let i = m.first; i <= m.last; i++) have += heights[i] ?? 0;
    if (needed > have) heights[m.last] = Math.min(MAX_ROW_HEIGHT, (heights[m.last] ?? 0) + needed - have);
  }
  return heights;
}

/**
 * Puts the table's body into the frame exceljs wrote (its sheet XML, parsed; edited in
 * place): the styled row at BODY_ROW gives the style id of each column and is replaced by
 * the body rows; the body's merges are added and the sheet's dimension covers the body.
 * The body, generated here, goes in where the styled row was; `onRows` is told how many
 * rows each block held as the blocks are taken (the zip writer takes them as it deflates).
 */
/** `quoted` gives a style's quotePrefix variant, for texts that start like a formula (see looksLikeFormula). */
export function fillBody(doc: Document, table: Table, onRows?: (rows: number) => void, quoted?: (style: number) => number): Chunks {
  const root = doc.documentElement as Element;
  const letters = table.columns.map((_, j) => columnLetter(j + 1));
  const lastRow = Math.max(BODY_ROW + table.rows.length - 1, BODY_ROW - 1);
  child(root, 'dimension')?.setAttribute('ref', `A1:${letters.at(-1) ?? 'A'}${lastRow}`);

  const merges = (table.merges ?? []).filter((m) => m.last > m.first);
  if (merges.length) {
    let list = child(root, 'mergeCells');
    if (!list) {
      list = createLike(root, 'mergeCells');
      insertInOrder(root, list, WORKSHEET_ORDER);
    }
    for (const m of merges) {
      const e = createLike(list, 'mergeCell');
      e.setAttribute('ref', `${letters[m.col]}${BODY_ROW + m.first}:${letters[m.col]}${BODY_ROW + m.last}`);
      list.appendChild(e);
    }
    list.setAttribute('count', String(children(list, 'mergeCell').length));
  }

  const data = child(root, 'sheetData');
  const styled = data && children(data, 'row').find((r) => r.getAttribute('r') === String(BODY_ROW));
  if (!data || !styled) throw new Error(`sheet ${table.name}: no row ${BODY_ROW} to take the body's styles from`);
  const styleOf = new Map(children(styled, 'c').map((c) => [c.getAttribute('r'), Number(c.getAttribute('s') ?? 0)]));
  const styles = letters.map((l) => styleOf.get(`${l}${BODY_ROW}`) ?? 0);
  // Made now, not as the rows are: the styles part is written before the body is.
  const quotedStyles = quoted && styles.map(quoted);
  const marker = doc.createComment(BODY_MARKER);
  data.replaceChild(marker, styled);

  const heights = rowHeights(table);
  const [before, after] = serializeXml(doc).split(`<!--${BODY_MARKER}-->`);
  // The body is made as the zip writer takes it, a block of rows at a time: a province's
  // 50,000 case rows never stand in memory as one string.
  return function* body() {
    yield Buffer.from(before ?? '', 'utf8');
    const block = new Utf8Block();
    for (let from = 0; from < table.rows.length; from += ROWS_A_CHUNK) {
      for (let i = from; i < Math.min(from + ROWS_A_CHUNK, table.rows.length); i++) {
        const r = BODY_ROW + i;
        const values = table.rows[i]!;
        let xml = `<row r="${r}" ht="${heights[i]}" customHeight="1">`;
        for (let j = 0; j < letters.length; j++) xml += cellXml(`${letters[j]}${r}`, styles[j] ?? 0, values[j], quotedStyles?.[j]);
        block.add(`${xml}</row>`);
      }
      yield block.take();
      onRows?.(Math.min(ROWS_A_CHUNK, table.rows.length - from));
    }
    yield Buffer.from(after ?? '', 'utf8');
  };
}

/**
 * A block of UTF-8 made row by row: each row's XML encoded straight into one reused buffer,
 * about half the time of joining the block into one string and encoding that.
 */
class Utf8Block {
  private bytes = Buffer.allocUnsafe(256 * 1024);
  private used = 0;

  add(text: string): void {
    // A UTF-16 unit is at most 3 bytes of UTF-8 (a pair, two units, is 4).
    const most = text.length * 3;
    if (this.used + most > this.bytes.length) {
      const bigger = Buffer.allocUnsafe(Math.max(2 * this.bytes.length, this.used + most));
      this.bytes.copy(bigger, 0, 0, this.used);
      this.bytes = bigger;
    }
    this.used += this.bytes.write(text, this.used);
  }

  /** The block's bytes (a copy), and an empty block. */
  take(): Buffer {
    const taken = Buffer.from(this.bytes.subarray(0, this.used));
    this.used = 0;
    return taken;
  }
}

/** Rows a block of the body holds: about 100 KiB of XML. */
const ROWS_A_CHUNK = 200;

/** Where the body goes in the serialised frame (a comment no frame holds). */
const BODY_MARKER = 'report:body';
