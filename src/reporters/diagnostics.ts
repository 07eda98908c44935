/** Diagnostics for people: `file:line:column` (or `file sheet!cell`), severity, code, message, the line and a caret. */
import type { Diagnostic } from '../diagnostics.js';
import { printable, t } from '../messages/index.js';
import { LINE_END } from '../source/source.js';
import { displayWidth, paint } from './style.js';

export interface FileReport {
  file: string;
  source?: string | undefined;
  diagnostics: Diagnostic[];
}

/** Render one file's diagnostics like a compiler does. */
export function formatDiagnostics({ file, source, diagnostics }: FileReport): string {
  const lines = source?.split(LINE_END);
  const out: string[] = [];
  const sorted = [...diagnostics].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  const name = printable(file);
  // A file with hundreds of mistakes is a wrong file, not a list to read: the first ones, and how many more.
  for (const d of sorted.slice(0, MAX_SHOWN)) {
    const where = d.line ? `${name}:${d.line}:${d.column ?? 1}` : d.sheet ? `${name} ${printable(cellName(d.sheet, d.cell))}` : name;
    const severity = d.severity === 'error' ? paint.red.bold(t('ui/error')) : paint.yellow.bold(t('ui/warning'));
    out.push(`${paint.bold(where)} ${severity} ${paint.dim(`[${d.code}]`)} ${d.message}`);
    const text = d.line ? lines?.[d.line - 1] : undefined;
    if (text !== undefined && text.trim() !== '') {
      const gutter = String(d.line);
      // Columns count characters as a person sees them: an emoji is one, two columns wide.
      const shown = [...printable(text.replace(/\t/g, '→'))];
      const before = shown.slice(0, Math.max(0, (d.column ?? 1) - 1)).join('');
      out.push(`${paint.dim(`${gutter} |`)} ${shown.join('')}`);
      out.push(`${' '.repeat(gutter.length)} ${paint.dim('|')} ${' '.repeat(displayWidth(before))}${paint.red('^')}`);
    }
  }
  if (sorted.length > MAX_SHOWN) out.push(paint.bold(t('ui/more-findings', { count: sorted.length - MAX_SHOWN })));
  return out.join('\n');
}

/** Findings shown for one file; the rest are counted (all are in --json). */
export const MAX_SHOWN = 50;

/** A workbook place as Excel writes it: 统计表!D4, 'Sheet 1'!B2; the sheet alone when no cell. */
export function cellName(sheet: string, cell: string | undefined): string {
  const name = /^[\p{L}\p{N}_]+$/u.test(sheet) ? sheet : `'${sheet.replace(/'/g, "''")}'`;
  return cell ? `${name}!${cell}` : name;
}

export function countBySeverity(diagnostics: readonly Diagnostic[]) {
  let errors = 0;
  let warnings = 0;
  for (const d of diagnostics) d.severity === 'error' ? errors++ : warnings++;
  return { errors, warnings };
}
