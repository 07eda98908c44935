/** Tables for people (cli-table3), fast at any length. */
import { stripVTControlCharacters } from 'node:util';
import Table from 'cli-table3';
import { displayWidth } from './style.js';

/** Rows per cli-table3 table: its layout is quadratic in rows, so a province's list is laid out in chunks. */
const CHUNK = 100;
const MAX_COLUMN = 40;

/**
 * One table with a header row. Column widths are computed once over all rows, so
 * the chunks line up and are joined into what reads as a single table.
 */
export function renderTable(head: string[], rows: string[][]): string {
  const colWidths = head.map((h, c) => {
    const widest = Math.max(...[h, ...rows.map((r) => r[c] ?? '')].flatMap((cell) => stripVTControlCharacters(cell).split('\n')).map(displayWidth));
    return Math.min(widest, MAX_COLUMN) + 2;
  });
  const chunks: string[][] = [];
  for (let i = 0; i === 0 || i < rows.length; i += CHUNK) {
    const table = new Table({
      ...(i === 0 && { head }),
      colWidths,
      wordWrap: true,
      style: { head: [], border: [] },
      chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    });
    table.push(...rows.slice(i, i + CHUNK));
    chunks.push(table.toString().split('\n'));
  }
  // Drop the borders where chunks meet.
  return chunks.map((lines, i) => lines.slice(i === 0 ? 0 : 1, i === chunks.length - 1 ? undefined : -1).join('\n')).join('\n');
}
