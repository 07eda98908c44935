/**
 * Tables for people, drawn with box-drawing characters. Written here rather than with a
 * table package: a province's status table has 1,000 rows, and a general-purpose layout
 * (cli-table3) took about 0.45 s of it, measuring every cell several times.
 */
import { displayWidth } from './style.js';

/** A cell: text, or text with a colour applied to it (never to the padding). */
export type Cell = string | { text: string; paint: (s: string) => string };

/** Widest column, in terminal columns; longer text wraps (at a space where there is one). */
const MAX_COLUMN = 40;

/** One table with a header row; cells may hold several lines. */
export function renderTable(head: string[], rows: Cell[][]): string {
  const text = (cell: Cell | undefined) => (cell === undefined ? '' : typeof cell === 'string' ? cell : cell.text);
  const widths = head.map((h, c) => Math.min(MAX_COLUMN, Math.max(...[h, ...rows.map((r) => text(r[c]))].flatMap((s) => s.split('\n')).map(displayWidth))));
  const rule = (left: string, mid: string, right: string) => left + widths.map((w) => '─'.repeat(w + 2)).join(mid) + right;
  const out = [rule('┌', '┬', '┐')];
  for (const row of [head, ...rows]) {
    const cells = widths.map((w, c) => {
      const cell = row[c];
      const paint = typeof cell === 'object' ? cell.paint : (s: string) => s;
      return text(cell)
        .split('\n')
        .flatMap((line) => wrap(line, w))
        .map((line) => paint(line) + ' '.repeat(w - displayWidth(line)));
    });
    const height = Math.max(...cells.map((lines) => lines.length));
    for (let i = 0; i < height; i++) out.push(`│ ${cells.map((lines, c) => lines[i] ?? ' '.repeat(widths[c]!)).join(' │ ')} │`);
  }
  out.push(rule('└', '┴', '┘'));
  return out.join('\n');
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
