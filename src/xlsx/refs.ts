/**
 * A1 references in formulas, defined names, chart series and sqref lists: found by a small
 * scanner (string literals, quoted sheet names, function names and structured references
 * are skipped) and rewritten when rows are inserted, or when a formula is copied to another
 * row; and a relationship's target as a part name (resolvePart). Pure: no XML and no
 * exceljs here.
 */
import { posix } from 'node:path';

/** Column number → letters (1 → A, 27 → AA). */
export function columnLetter(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Letters → column number (A → 1); 0 when not letters. */
export function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) {
    const c = ch.charCodeAt(0);
    if (c < 65 || c > 90) return 0;
    n = n * 26 + (c - 64);
  }
  return n;
}

/** A cell address such as C12 → { row: 12, col: 3 }; undefined when it is not one. */
export function parseCell(address: string): { row: number; col: number } | undefined {
  const m = /^\$?([A-Za-z]{1,3})\$?(\d+)$/.exec(address);
  if (!m) return undefined;
  return { col: columnNumber(m[1] as string), row: Number(m[2]) };
}

export const cellAddress = (row: number, col: number) => `${columnLetter(col)}${row}`;

/** A relationship target resolved against the folder of its source part ('' or '.' for the package root). */
export function resolvePart(base: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  return posix.normalize(posix.join(base || '.', target)).replace(/^\.\//, '');
}

/** A rectangle of cells, 1-based, inclusive. */
export interface Range {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** `A1:C3` or `B2` → a range. */
export function parseRange(text: string): Range | undefined {
  const [a, b] = text.split(':');
  const from = parseCell(a ?? '');
  const to = b === undefined ? from : parseCell(b);
  if (!from || !to) return undefined;
  return { top: Math.min(from.row, to.row), left: Math.min(from.col, to.col), bottom: Math.max(from.row, to.row), right: Math.max(from.col, to.col) };
}

/**
 * What happens to row numbers: rows from `at` on move down by `count`; with `extendFrom`,
 * a range whose last row is `at - 1` (the department block's last row) and whose first row
 * is at or above it grows by `count` too, so the new rows, put right below the block, are
 * covered by what covered the block. A single row is extended only when it is `extendFrom`,
 * the first row of the block (a block of one row).
 */
export interface RowShift {
  at: number;
  count: number;
  extendFrom?: number;
}

const moved = (row: number, s: RowShift) => (row >= s.at ? row + s.count : row);

/** The new [first, last] of a span of rows. */
export function shiftSpan(first: number, last: number, s: RowShift): [number, number] {
  const top = Math.min(first, last);
  const bottom = Math.max(first, last);
  const grows = s.extendFrom !== undefined && bottom === s.at - 1 && (top < bottom || top === s.extendFrom);
  return [moved(top, s), grows ? bottom + s.count : moved(bottom, s)];
}

/** One reference found in a formula. */
interface Ref {
  /** Sheet name (unquoted), when the reference names one. */
  sheet?: string;
  /** The text before the reference proper: `'统计表'!`, `Sheet1!` or nothing. */
  prefix: string;
  /** The reference proper: `$C$6:$C$12`, `C6`, `$4:$5`, `A:C`. */
  body: string;
}

const CELL = /^(\$?)([A-Za-z]{1,3})(\$?)(\d+)$/;
const ROW = /^(\$?)(\d+)$/;
const COL = /^(\$?)([A-Za-z]{1,3})$/;
const MAX_COL = 16384;
const MAX_ROW = 1048576;

const isRefStart = (ch: string) => /[$A-Za-z0-9]/.test(ch);
const isNameChar = (ch: string) => /[\p{L}\p{N}_.\\?]/u.test(ch);

/** What one step of the scan gives: the text to put out and where the next step starts. */
interface Step {
  text: string;
  next: number;
}

type Edit = (ref: Ref) => string;

/**
 * Calls `edit` for every reference in `formula` and puts back what it returns. Quoted
 * strings, function names (LOG10( is a function, not cell LOG10), defined names and
 * structured references (Table1[列]) are left alone.
 */
export function mapRefs(formula: string, edit: Edit): string {
  let out = '';
  let i = 0;
  while (i < formula.length) {
    const step = stepAt(formula, i, edit);
    out += step.text;
    i = step.next;
  }
  return out;
}

/** What starts at a character: a string, a bracket, a quoted sheet name, a name or reference, or anything else (copied). */
const STARTS = new Map<string, (formula: string, i: number, edit: Edit) => Step>([
  ['"', stringLiteral],
  ['[', bracketed],
  ["'", quotedSheet],
]);

/** One step of the scan at `i`. */
function stepAt(formula: string, i: number, edit: Edit): Step {
  const ch = formula[i] as string;
  const start = STARTS.get(ch);
  if (start) return start(formula, i, edit);
  if (isNameChar(ch) || ch === '$') return nameOrRef(formula, i, edit);
  return { text: ch, next: i + 1 };
}

/** A string literal, copied; "" inside is a quote. */
function stringLiteral(formula: string, i: number): Step {
  const n = formula.length;
  let j = i + 1;
  while (j < n && !(formula[j] === '"' && formula[j + 1] !== '"')) j += formula[j] === '"' ? 2 : 1;
  return { text: formula.slice(i, j + 1), next: j + 1 };
}

/** A structured reference or an external book index: copied as is, with an external sheet's reference after it. */
function bracketed(formula: string, i: number): Step {
  const n = formula.length;
  let depth = 0;
  let j = i;
  for (; j < n; j++) {
    if (formula[j] === '[') depth++;
    else if (formula[j] === ']' && --depth === 0) break;
  }
  let text = formula.slice(i, j + 1);
  let next = j + 1;
  // an external workbook's sheet: [1]Sheet!A1 — never ours, copied with its reference
  if (formula[next - 1] === ']' && next < n && formula[next] !== '!' && isNameChar(formula[next] as string)) {
    const end = scanName(formula, next);
    if (formula[end] === '!') {
      const body = scanRefBody(formula, end + 1);
      text += formula.slice(next, body);
      next = body;
    }
  }
  return { text, next };
}

/** A quoted sheet name: 'Sheet (2)'!A1 — the reference after it edited; without a `!`, copied. */
function quotedSheet(formula: string, i: number, edit: Edit): Step {
  const n = formula.length;
  let j = i + 1;
  while (j < n && !(formula[j] === "'" && formula[j + 1] !== "'")) j += formula[j] === "'" ? 2 : 1;
  const quoted = formula.slice(i, j + 1);
  if (formula[j + 1] !== '!') return { text: quoted, next: j + 1 };
  return sheetRef(formula, j + 2, quoted.slice(1, -1).replace(/''/g, "'"), `${quoted}!`, edit);
}

/** The reference after `sheet!` (body from `start`): edited when it is one, else copied. */
function sheetRef(formula: string, start: number, sheet: string, prefix: string, edit: Edit): Step {
  const end = scanRefBody(formula, start);
  const body = formula.slice(start, end);
  return { text: isRef(body) ? edit({ sheet, prefix, body }) : `${prefix}${body}`, next: end };
}

/** A name: a sheet before `!`, an unqualified reference (C6, $C$6:$C$12, 4:5, A:C), or a function or defined name (copied). */
function nameOrRef(formula: string, i: number, edit: Edit): Step {
  const ch = formula[i] as string;
  // inside a longer name: not the start of anything
  if (i !== 0 && isNameChar(formula[i - 1] as string)) return { text: ch, next: i + 1 };
  const end = scanName(formula, i);
  const word = formula.slice(i, end);
  if (formula[end] === '!') return sheetRef(formula, end + 1, word, `${word}!`, edit);
  // An unqualified reference: C6, $C$6:$C$12, 4:5, A:C — but not SUM( or a name.
  const bodyEnd = scanRefBody(formula, i);
  const body = formula.slice(i, bodyEnd);
  if (formula[bodyEnd] !== '(' && isRef(body) && !isNameChar(formula[bodyEnd] ?? '')) return { text: edit({ prefix: '', body }), next: bodyEnd };
  return { text: word, next: Math.max(end, i + 1) };
}

/** The end of a name or sheet name written without quotes. */
function scanName(s: string, from: number): number {
  let j = from;
  while (j < s.length && (isNameChar(s[j] as string) || s[j] === '$')) j++;
  return j;
}

/** The end of a reference body: cells, rows or columns, with one optional colon. */
function scanRefBody(s: string, from: number): number {
  let j = from;
  while (j < s.length && isRefStart(s[j] as string)) j++;
  if (s[j] === ':' && isRefStart(s[j + 1] ?? '')) {
    j++;
    while (j < s.length && isRefStart(s[j] as string)) j++;
  }
  return j;
}

function isRef(body: string): boolean {
  const parts = body.split(':');
  if (parts.length > 2 || parts.some((p) => p === '')) return false;
  if (parts.every((p) => CELL.test(p))) return parts.every((p) => validCell(p));
  if (parts.length === 2 && parts.every((p) => ROW.test(p))) return parts.every((p) => Number(p.replace('$', '')) >= 1);
  if (parts.length === 2 && parts.every((p) => COL.test(p))) return parts.every((p) => columnNumber(p.replace('$', '')) <= MAX_COL);
  return false;
}

function validCell(p: string): boolean {
  const m = CELL.exec(p);
  if (!m) return false;
  const col = columnNumber(m[2] as string);
  const row = Number(m[4]);
  return col >= 1 && col <= MAX_COL && row >= 1 && row <= MAX_ROW;
}

/** Rewrites the row numbers of a reference body with `rows(first, last)` → [first, last]. */
function rewriteRows(body: string, rows: (first: number, last: number) => [number, number]): string {
  const parts = body.split(':');
  const rowOf = (p: string) => Number((CELL.exec(p)?.[4] ?? ROW.exec(p)?.[2]) ?? NaN);
  const setRow = (p: string, r: number) => {
    const c = CELL.exec(p);
    if (c) return `${c[1]}${c[2]}${c[3]}${r}`;
    const w = ROW.exec(p);
    return w ? `${w[1]}${r}` : p;
  };
  if (parts.every((p) => COL.test(p))) return body; // whole columns: rows do not matter
  const first = rowOf(parts[0] as string);
  const last = rowOf((parts[1] ?? parts[0]) as string);
  if (Number.isNaN(first) || Number.isNaN(last)) return body;
  if (parts.length === 1) return setRow(parts[0] as string, rows(first, first)[0]);
  // A range written bottom-up (C12:C6) keeps its order.
  const [top, bottom] = rows(Math.min(first, last), Math.max(first, last));
  return first <= last
    ? `${setRow(parts[0] as string, top)}:${setRow(parts[1] as string, bottom)}`
    : `${setRow(parts[0] as string, bottom)}:${setRow(parts[1] as string, top)}`;
}

/**
 * Shifts the references to sheet `sheet` in a formula for rows inserted there. Unqualified
 * references count as that sheet's when `own` (the formula is in that sheet). Absolute and
 * relative references move alike: rows were inserted, nothing was copied.
 */
export function shiftFormulaRows(formula: string, sheet: string, own: boolean, s: RowShift): string {
  return mapRefs(formula, (ref) => {
    const ours = ref.sheet === undefined ? own : ref.sheet === sheet;
    return ours ? ref.prefix + rewriteRows(ref.body, (a, b) => shiftSpan(a, b, s)) : ref.prefix + ref.body;
  });
}

/** Shifts every cell and range of an sqref list (`C6:H12 K6`). */
export function shiftSqref(sqref: string, s: RowShift): string {
  return sqref
    .split(/\s+/)
    .filter(Boolean)
    .map((part) => (isRef(part) ? rewriteRows(part, (a, b) => shiftSpan(a, b, s)) : part))
    .join(' ');
}

/**
 * The formula of a cell copied `dRow` rows and `dCol` columns away: relative references
 * move, `$` parts stay (what Excel does when a formula is filled down or across).
 */
export function translateFormula(formula: string, dRow: number, dCol: number): string {
  if (dRow === 0 && dCol === 0) return formula;
  return mapRefs(formula, (ref) => {
    const parts = ref.body.split(':').map((p) => {
      const c = CELL.exec(p);
      if (c) {
        const col = c[1] ? columnNumber(c[2] as string) : columnNumber(c[2] as string) + dCol;
        const row = c[3] ? Number(c[4]) : Number(c[4]) + dRow;
        return `${c[1]}${columnLetter(Math.max(1, col))}${c[3]}${Math.max(1, row)}`;
      }
      const w = ROW.exec(p);
      if (w) return w[1] ? p : String(Math.max(1, Number(w[2]) + dRow));
      const k = COL.exec(p);
      if (k) return k[1] ? p : columnLetter(Math.max(1, columnNumber(k[2] as string) + dCol));
      return p;
    });
    return ref.prefix + parts.join(':');
  });
}

/** The ranges a formula refers to on its own sheet (unqualified, or qualified with `sheet`). */
export function rangesIn(formula: string, sheet: string): Range[] {
  const out: Range[] = [];
  mapRefs(formula, (ref) => {
    if (ref.sheet === undefined || ref.sheet === sheet) {
      const r = parseRange(ref.body.replace(/\$/g, ''));
      if (r) out.push(r);
    }
    return ref.prefix + ref.body;
  });
  return out;
}
