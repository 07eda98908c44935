/** Diagnostics for people: `file:line:column` (or `file sheet!cell`), severity, code, message, the line and a caret. */
import type { Diagnostic } from '../diagnostics.js';
import { t } from '../messages/index.js';
import { displayWidth, paint } from './style.js';

export interface FileReport {
  file: string;
  source?: string | undefined;
  diagnostics: Diagnostic[];
}

/** Render one file's diagnostics like a compiler does. */
export function formatDiagnostics({ file, source, diagnostics }: FileReport): string {
  const lines = source?.split(/\r\n|\r|\n/);
  const out: string[] = [];
  const sorted = [...diagnostics].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  for (const d of sorted) {
    const where = d.line ? `${file}:${d.line}:${d.column ?? 1}` : d.sheet ? `${file} ${cellName(d.sheet, d.cell)}` : file;
    const severity = d.severity === 'error' ? paint.red.bold(t('ui/error')) : paint.yellow.bold(t('ui/warning'));
    out.push(`${paint.bold(where)} ${severity} ${paint.dim(`[${d.code}]`)} ${d.message}`);
    const text = d.line ? lines?.[d.line - 1] : undefined;
    if (text !== undefined && text.trim() !== '') {
      const gutter = String(d.line);
      const shown = text.replace(/\t/g, '→');
      const before = shown.slice(0, Math.max(0, (d.column ?? 1) - 1));
      out.push(`${paint.dim(`${gutter} |`)} ${shown}`);
      out.push(`${' '.repeat(gutter.length)} ${paint.dim('|')} ${' '.repeat(displayWidth(before))}${paint.red('^')}`);
    }
  }
  return out.join('\n');
}

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
