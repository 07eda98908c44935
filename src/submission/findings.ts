/**
 * The schema's findings as diagnostics: each zod issue carries a Finding (schema.ts); its
 * path goes through the source's map to where the value was typed. Nothing here knows the
 * format: a text source answers with lines and columns, a workbook with sheets and cells.
 */
import type { z } from 'zod';
import { makeDiagnostic, type Diagnostic, type Position } from '../diagnostics.js';
import type { Path, SourceMap } from '../source/source.js';
import { parseCell } from '../xlsx/refs.js';
import type { Finding } from './schema.js';

/** Where a path points: its own place, else the nearest enclosing value's, else the source's start. */
export function place(map: SourceMap, path: Path, part?: 'key'): Position {
  const exact = map.locate(path, part);
  if (exact) return exact;
  // A missing key is reported at what encloses it; one missing at the top, at the very start.
  for (let n = path.length - 1; n >= 1; n--) {
    const enclosing = map.locate(path.slice(0, n));
    if (enclosing) return enclosing;
  }
  return path.length === 0 ? (map.locate([]) ?? map.start) : map.start;
}

/** A path as a clerk reads it in a message: `statistics.fines`, `cases[2].date`. */
export function formatPath(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p + 1}]` : i === 0 ? p : `.${p}`)).join('');
}

/** True when position `a` comes after `b` in the source. */
function isAfter(a: Position, b: Position): boolean {
  if (a.line !== undefined && b.line !== undefined) return a.line !== b.line ? a.line > b.line : (a.column ?? 0) > (b.column ?? 0);
  if (a.sheet !== undefined && a.sheet === b.sheet && a.cell && b.cell) return cellOrder(a.cell) > cellOrder(b.cell);
  return false;
}

/** Row-major order of an A1 reference. */
function cellOrder(cell: string): number {
  const at = parseCell(cell);
  return at ? at.row * 20_000 + at.col : 0;
}

const keyOf = (path: Path) => String(path[path.length - 1] ?? '');

/** The schema's issues as diagnostics at their places in the source. */
export function placeFindings(issues: readonly z.core.$ZodIssue[], map: SourceMap): Diagnostic[] {
  let found = issues.map((issue) => ({
    path: issue.path.filter((p): p is string | number => typeof p !== 'symbol'),
    finding: ((issue as { params?: { finding?: Finding } }).params?.finding ?? { code: 'schema/invalid', params: { detail: issue.message } }) as Finding,
  }));
  const alone = found.filter((f) => f.finding.alone);
  if (alone.length) found = alone;
  // A key typed wrong already says which key was meant: that key is not also reported missing.
  const suggested = new Set(found.flatMap((f) => (f.finding.params?.suggestion ? [[...f.path.slice(0, -1), f.finding.params.suggestion].join('\u0000')] : [])));
  found = found.filter((f) => !(f.finding.code === 'schema/required' && suggested.has(f.path.join('\u0000'))));

  return found.map(({ path, finding }) => {
    const params = { ...finding.params };
    let at = finding.offset !== undefined ? (map.locateIn(path, finding.offset) ?? place(map, path)) : place(map, path, finding.part);
    let reported = path;
    if (finding.duplicateOf !== undefined) {
      // One thing given twice: reported at the later spelling, naming the earlier one.
      const other = [...path.slice(0, -1), finding.duplicateOf];
      const otherAt = place(map, other, finding.part);
      let earlier = otherAt;
      if (isAfter(otherAt, at)) [reported, at, earlier] = [other, otherAt, at];
      const first = reported === path ? other : path;
      Object.assign(params, { key: keyOf(reported), first: keyOf(first), second: keyOf(reported), firstLine: earlier.line ?? earlier.cell ?? '?' });
    }
    if (params.key === undefined || params.key === '') params.key = map.name?.(reported) ?? formatPath(reported);
    return makeDiagnostic('error', map.wording?.[finding.code] ?? finding.code, params, { ...at, ...(reported.length && { path: [...reported] }) });
  });
}
