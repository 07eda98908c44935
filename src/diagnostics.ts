/**
 * Diagnostics are data: the core returns them, reporters print them, and one
 * function turns them into an exit code.
 */
import { t, type MessageCode, type MessageParams } from './messages/index.js';

export type Severity = 'error' | 'warning';

/** One finding about one place in one file. Line and column are 1-based. */
export interface Diagnostic {
  severity: Severity;
  /** Stable, namespaced code, e.g. `value/unit-in-number`. */
  code: MessageCode;
  /** Rendered in the active language. */
  message: string;
  /** In a text file. */
  line?: number;
  column?: number;
  /** In a workbook: the sheet and the cell (A1). */
  sheet?: string;
  cell?: string;
  /** Path of keys to the offending value, e.g. ['statistics', 'fines']. */
  path?: (string | number)[];
}

/** Where a diagnostic points: a line and column of a text, or a sheet and cell of a workbook. */
export interface Position {
  line?: number;
  column?: number;
  sheet?: string;
  cell?: string;
  path?: (string | number)[];
}

export function makeDiagnostic(
  severity: Severity,
  code: MessageCode,
  params: MessageParams = {},
  at: Position = {},
): Diagnostic {
  const d: Diagnostic = { severity, code, message: t(code, params) };
  if (at.line !== undefined) d.line = at.line;
  if (at.column !== undefined) d.column = at.column;
  if (at.sheet !== undefined) d.sheet = at.sheet;
  if (at.cell !== undefined) d.cell = at.cell;
  if (at.path !== undefined) d.path = at.path;
  return d;
}

export const ExitCode = {
  /** Everything in order (warnings allowed unless --strict). */
  ok: 0,
  /** Findings: invalid files, missing departments. */
  findings: 1,
  /** Usage or configuration: unknown flag, unreadable path, broken campaign file. */
  usage: 2,
  /** A bug in this program (EX_SOFTWARE): the only case that prints a stack. */
  internal: 70,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export const hasErrors = (ds: readonly Diagnostic[]) => ds.some((d) => d.severity === 'error');

/** The exit-code policy for a set of findings. */
export function exitCodeFor(diagnostics: readonly Diagnostic[], strict = false): ExitCode {
  if (hasErrors(diagnostics)) return ExitCode.findings;
  if (strict && diagnostics.length > 0) return ExitCode.findings;
  return ExitCode.ok;
}

/**
 * A known failure that ends the command with one clear line and an exit code,
 * never a stack trace. Optional diagnostics are printed first (e.g. for a broken campaign file).
 */
export class ReportError extends Error {
  constructor(
    readonly code: MessageCode,
    readonly params: MessageParams = {},
    readonly exitCode: ExitCode = ExitCode.usage,
    readonly details: { file: string; source?: string; diagnostics: Diagnostic[] }[] = [],
  ) {
    super(t(code, params));
  }
}
