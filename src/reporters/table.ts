/**
 * Tables for people, drawn by cli-table3. Cells are wrapped here first, by terminal columns
 * (a CJK character takes two), at a space where there is one: cli-table3's own wrapping cuts
 * Chinese text off with "…". Box-drawing characters are of ambiguous width and take two
 * columns in Chinese Windows consoles, which breaks the box there: `ascii` draws with + - |.
 */
import Table from 'cli-table3';
import { printable } from '../messages/index.js';
import { displayWidth } from './style.js';

/** A cell: text, or text with a colour applied to it (never to the padding). */
export type Cell = string | { text: string; paint: (s: string) => string };

/** Widest column, in terminal columns; longer text wraps. */
const MAX_COLUMN = 40;

const ASCII_CHARS = {
  top: '-', 'top-mid': '+', 'top-left': '+', 'top-right': '+',
  bottom: '-', 'bottom-mid': '+', 'bottom-left': '+', 'bottom-right': '+',
  left: '|', right: '|', middle: '|',
};
/** No rule between rows: a long table reads as one block (the rule under the header is added after). */
const NO_ROW_RULES = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

export interface TableOptions {
  /** Borders of + - | instead of box-drawing characters. */
  ascii?: boolean;
  /** Rows laid out by cli-table3 at a time (BLOCK; the tests vary it). */
  block?: number;
}

/**
 * cli-table3 lays a table out in time quadratic in its rows (fillInTable looks for spans
 * through every row above each cell): 0.56 s for 1,000 rows, 1.35 s for 3,000. A long table
 * is drawn in blocks of this many rows with the same column widths and joined where one
 * block's bottom border meets the next one's top: the same lines as one table.
 */
const BLOCK = 200;

/** One table with a header row; cells may hold several lines. */
export function renderTable(head: string[], rows: Cell[][], options: TableOptions = {}): string {
  // Cells hold file names and what files say: printed safely (see printable).
  const text = (cell: Cell | undefined) => printable(cell === undefined ? '' : typeof cell === 'string' ? cell : cell.text);
  const widths = head.map((h, c) => Math.min(MAX_COLUMN, Math.max(...[h, ...rows.map((r) => text(r[c]))].flatMap((s) => s.split('\n')).map(displayWidth))));
  const cells = rows.map((row) =>
    widths.map((w, c) => {
      const cell = row[c];
      const lines = text(cell).split('\n').flatMap((line) => wrap(line, w));
      return typeof cell === 'object' ? lines.map((l) => cell.paint(l)).join('\n') : lines.join('\n');
    }),
  );
  const draw = (block: string[][], withHead: boolean) => {
    const table = new Table({
      head: withHead ? head : [],
      colWidths: widths.map((w) => w + 2),
      style: { head: [], border: [], 'padding-left': 1, 'padding-right': 1 },
      chars: { ...NO_ROW_RULES, ...(options.ascii && ASCII_CHARS) },
    });
    table.push(...block);
    return table.toString().split('\n');
  };
  const size = options.block ?? BLOCK;
  const [top = '', header = '', ...body] = draw(cells.slice(0, size), true);
  for (let i = size; i < cells.length; i += size) {
    body.pop(); // the bottom border, where the next block's rows go on
    body.push(...draw(cells.slice(i, i + size), false).slice(1));
  }
  // A rule under the header only (cli-table3 draws one under every row or none): the top border with its joints turned inward.
  const rule = top.replace('┌', '├').replace('┐', '┤').replaceAll('┬', '┼');
  return [top, header, rule, ...body].join('\n');
}

/**
 * Whether to draw with ASCII: asked for (`--ascii`, REPORT_ASCII=1), or a Windows console
 * that is not Windows Terminal (the classic console with a Chinese code page draws box
 * characters two columns wide). REPORT_ASCII=0 asks for boxes anywhere.
 */
export function prefersAscii(asked?: boolean): boolean {
  if (asked) return true;
  if (process.env.REPORT_ASCII === '1') return true;
  if (process.env.REPORT_ASCII === '0') return false;
  return process.platform === 'win32' && !process.env.WT_SESSION && !process.env.TERM_PROGRAM;
}

/** Lines of at most `width` columns: broken after the last space that fits, else where the width ends. */
function wrap(line: string, width: number): string[] {
  const lines: string[] = [];
  let rest = line;
  while (displayWidth(rest) > width) {
    let fit = 0;
    let used = 0;
    for (const ch of rest) {
      used += displayWidth(ch);
      if (used > width && fit > 0) break; // at least one character a line, however narrow the column
      fit += ch.length;
    }
    const space = rest.lastIndexOf(' ', fit);
    const cut = space > 0 ? space : fit;
    lines.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  lines.push(rest);
  return lines;
}
