/**
 * Text to a YAML document with positions, turning the parser's errors into
 * diagnostics a clerk can act on (full-width colons, tabs, duplicate keys…).
 */
import { LineCounter, parseDocument, isAlias, isMap, isScalar, isSeq, visit, type Document, type Node, type Pair } from 'yaml';
import { makeDiagnostic, type Diagnostic, type Position } from '../diagnostics.js';
import { t, type MessageCode } from '../messages/index.js';
import { zh } from '../messages/zh.js';
import { readBlockYaml } from './block.js';

/** Deeper nesting than this is refused before parsing: the parser recurses and can exhaust the stack or memory. */
export const MAX_DEPTH = 32;
const DEEP_INDENT = new RegExp(`^[ \\t\\u3000]{${MAX_DEPTH}}`, 'm');

export interface ParsedYaml {
  doc?: Document.Parsed;
  lineCounter: LineCounter;
  diagnostics: Diagnostic[];
  /** The text the document was parsed from: the file's text with typing habits repaired (same lines). */
  text: string;
  /** Columns in the (repaired) document back to columns in the file as typed. */
  originalColumn(line: number, column: number): number;
}

/** Position (1-based line and column) of a source offset. */
export function positionAt(lineCounter: LineCounter, offset: number, path?: (string | number)[]): Position {
  const { line, col } = lineCounter.linePos(offset);
  return path ? { line, column: col, path } : { line, column: col };
}

export function nodePosition(lineCounter: LineCounter, node: unknown, path?: (string | number)[]): Position {
  const range = (node as Node | undefined)?.range;
  return range ? positionAt(lineCounter, range[0], path) : path ? { path } : {};
}

/** A `key：value` line: key-like text, then a full-width colon. Returns the colon's index. */
export const FULLWIDTH_COLON = /^(\s*(?:-\s+)?)([^\s#:："'][^:："'#]*?)\s*：/;
/** `key:value` with no space: common when typing fast. */
const MISSING_SPACE = /^(\s*(?:-\s+)?)([A-Za-z_][\w]*):(\S.*)$/;

/** A submission's tree: `root` is undefined when syntax errors leave nothing to check. */
export interface ParsedTree extends Omit<ParsedYaml, 'doc'> {
  root?: Node | null;
}

/**
 * Parse a submission or a campaign. Structural hazards (alias bombs, deep nesting) are
 * refused before or instead of building values; callers never expand aliases. The usual
 * layout is read by the fast block reader (block.ts), which gives the same tree; anything
 * else, mistakes included, goes to `yaml`, with the typing habits explained and repaired.
 */
export function parseTree(typed: string): ParsedTree {
  // Line ends as old Macs and Unicode write them (CR, NEL, LS, PS) are line ends: one character each, so offsets stay.
  const text = /\r(?!\n)|\u0085|\u2028|\u2029/.test(typed) ? typed.replace(/\r(?!\n)|\u0085|\u2028|\u2029/g, '\n') : typed;
  const refused = refuseDeepNesting(text);
  if (refused) return refused;
  const fast = readBlockYaml(text);
  if (fast) return { root: fast.root, lineCounter: fast.lineCounter, diagnostics: [], text, originalColumn: (_line, column) => column };
  const { doc, ...parsed } = parseWithRepairs(text);
  return doc && !doc.errors.length ? { ...parsed, root: doc.contents } : parsed;
}

/** The finding for nesting deeper than MAX_DEPTH, before any parser sees the text. */
function refuseDeepNesting(text: string): ParsedYaml | undefined {
  const tooDeep = findExcessiveNesting(text);
  if (!tooDeep) return undefined;
  const lineCounter = new LineCounter();
  for (let offset = 0; offset >= 0; offset = text.indexOf('\n', offset) + 1 || -1) lineCounter.addNewLine(offset);
  return { lineCounter, diagnostics: [makeDiagnostic('error', 'yaml/too-deep', { limit: MAX_DEPTH }, tooDeep)], text, originalColumn: (_, c) => c };
}

/** The full parser, run again on a repaired copy while the mistakes are typing habits. */
function parseWithRepairs(text: string): ParsedYaml {
  let lineCounter = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  const reported = new Set<number>();
  // Per line: characters a repair added, and after which column of the repaired line.
  const shifts = new Map<number, { after: number; added: number }[]>();
  const originalColumn = (line: number, column: number) =>
    (shifts.get(line) ?? []).reduce((c, s) => (column > s.after ? c - s.added : c), column);
  let current = text;
  let doc = parseDocument(current, { lineCounter, ...PARSE_OPTIONS });
  // A typing habit (tab, full-width colon or space, `key:value`) is explained, repaired in a
  // copy of the text and the copy parsed again, so one run reports every mistake in the file.
  for (let round = 0; round < 5 && doc.errors.length; round++) {
    const repairs = new Map<number, string>();
    const currentLines = current.split(/\r\n|\r|\n/);
    const explained: Diagnostic[] = [];
    const unexplained: Diagnostic[] = [];
    for (const error of doc.errors) {
      const start = positionAt(lineCounter, error.pos[0]);
      const end = positionAt(lineCounter, Math.max(error.pos[0], error.pos[1] - 1));
      const at = error.code === 'MISSING_CHAR' ? positionAt(lineCounter, quoteOpenedAt(doc, error.pos[0])) : start;
      const { diagnostic, line, repaired } = explainSyntaxError(error.code, currentLines, start.line ?? 1, end.line ?? start.line ?? 1, at);
      if (repaired !== undefined) {
        repairs.set(line, repaired);
        explained.push(diagnostic);
      } else unexplained.push(diagnostic);
    }
    // Errors after a repaired line are usually its cascade: they are judged again after the repair.
    for (const d of repairs.size ? explained : unexplained) {
      if (reported.has(d.line ?? 0)) continue; // one message per line
      reported.add(d.line ?? 0);
      if (d.line !== undefined && d.column !== undefined) d.column = originalColumn(d.line, d.column);
      diagnostics.push(d);
    }
    if (repairs.size === 0) return { doc, lineCounter, diagnostics, text: current, originalColumn };
    for (const [line, repaired] of repairs) {
      const before = currentLines[line - 1]!;
      // Repairs only add characters at one place: find it by the common prefix.
      let at = 0;
      while (at < before.length && before[at] === repaired[at]) at++;
      shifts.set(line, [...(shifts.get(line) ?? []), { after: at, added: repaired.length - before.length }]);
      currentLines[line - 1] = repaired;
    }
    current = currentLines.join('\n');
    lineCounter = new LineCounter();
    doc = parseDocument(current, { lineCounter, ...PARSE_OPTIONS });
  }
  return { doc, lineCounter, diagnostics, text: current, originalColumn };
}

/**
 * yaml reports a quote left open where the text ends, past the last line; the clerk needs
 * the quote that was opened: the start of the quoted value that runs to that end.
 */
function quoteOpenedAt(doc: Document.Parsed, end: number): number {
  let start = end;
  visit(doc, {
    Scalar(_, node) {
      if ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && node.range?.[1] === end) start = node.range[0];
    },
  });
  return start;
}

const PARSE_OPTIONS = { uniqueKeys: false, prettyErrors: false, strict: true, merge: false } as const;

interface Explained {
  diagnostic: Diagnostic;
  line: number;
  /** The line as it was meant, when the mistake is a typing habit that can be undone. */
  repaired?: string;
}

/** Give the parser's error the clerk's explanation where the cause is a typing habit. */
function explainSyntaxError(code: string, lines: string[], fromLine: number, toLine: number, at: Position): Explained {
  for (let n = fromLine; n <= Math.min(toLine, fromLine + 5); n++) {
    const line = lines[n - 1] ?? '';
    const indent = /^[ \t\u3000]*/.exec(line)![0];
    const rest = line.slice(indent.length);
    if (indent.includes('\t'))
      return { diagnostic: makeDiagnostic('error', 'yaml/tab-indent', {}, { line: n, column: indent.indexOf('\t') + 1 }), line: n, repaired: intendedIndent(lines, n) + rest };
    if (indent.includes('\u3000'))
      return { diagnostic: makeDiagnostic('error', 'yaml/fullwidth-space', {}, { line: n, column: indent.indexOf('\u3000') + 1 }), line: n, repaired: intendedIndent(lines, n) + rest };
    const fw = FULLWIDTH_COLON.exec(line);
    if (fw) {
      const column = fw[0].length; // the colon is the match's last character
      const after = line.slice(column);
      return {
        diagnostic: makeDiagnostic('error', 'yaml/fullwidth-colon', { key: fw[2]!.trim() }, { line: n, column }),
        line: n,
        repaired: `${line.slice(0, column - 1)}:${after.startsWith(' ') || after === '' ? '' : ' '}${after}`,
      };
    }
    const ns = MISSING_SPACE.exec(line);
    if (ns && !/^\/\//.test(ns[3]!)) {
      const column = ns[1]!.length + ns[2]!.length + 1;
      return { diagnostic: makeDiagnostic('error', 'yaml/colon-space', { key: ns[2]!, value: ns[3]! }, { line: n, column }), line: n, repaired: `${ns[1]}${ns[2]}: ${ns[3]}` };
    }
    const above = continued(lines, n);
    if (above)
      return {
        diagnostic: makeDiagnostic('error', 'yaml/continuation', { key: above.key }, { line: n, column: 1 }),
        line: n,
        repaired: ' '.repeat(above.indent + 2) + rest,
      };
  }
  const line = at.line ?? 1;
  if (code === 'TAB_AS_INDENT') return { diagnostic: makeDiagnostic('error', 'yaml/tab-indent', {}, at), line };
  if (code === 'MULTIPLE_DOCS') return { diagnostic: makeDiagnostic('error', 'yaml/multiple-documents', {}, at), line };
  return { diagnostic: makeDiagnostic('error', 'yaml/syntax', { detail: describeYamlError(code) }, at), line };
}

/**
 * The `key: text` line that line `n` (no colon, not indented under it) was probably meant to
 * go on: a second line of a text typed without indenting it. Undefined when `n` is not such a line.
 */
function continued(lines: string[], n: number): { key: string; indent: number } | undefined {
  const line = lines[n - 1] ?? '';
  const rest = line.trimStart();
  if (rest === '' || /[:：#]/.test(rest) || rest.startsWith('- ')) return undefined;
  for (let p = n - 2; p >= 0; p--) {
    const above = lines[p]!;
    if (above.trim() === '' || above.trimStart().startsWith('#')) continue;
    const m = /^( *)(?:- +)?([^\s#:：'"][^:：#]*?): +([^\s#|>].*)$/.exec(above);
    // A text, not a number: 第二行 after `fines: 3` is a stray line, not a continuation.
    if (!m || /^[-+\d.,，\s]+$/.test(m[3]!) || line.length - rest.length > m[1]!.length) return undefined;
    return { key: m[2]!.trim(), indent: m[1]!.length };
  }
  return undefined;
}

/**
 * The indentation a line typed with tabs or full-width spaces was meant to have: one
 * level under the line above when that line opens a block (`key:`), else the same as it.
 * Widths can't be trusted (a tab or a full-width space shows as two to eight columns).
 */
function intendedIndent(lines: string[], n: number): string {
  for (let p = n - 2; p >= 0; p--) {
    const above = lines[p]!;
    const content = above.trimStart();
    if (content === '' || content.startsWith('#')) continue;
    const typed = /^[ \t\u3000]*/.exec(above)![0];
    // The line above may carry the same mistake: take the indentation it was meant to have.
    const width = /[\t\u3000]/.test(typed) ? intendedIndent(lines, p + 1).length : typed.length;
    const opensBlock = /:\s*(#.*)?$/.test(above) && !/^-\s*$/.test(content);
    return ' '.repeat(opensBlock ? width + 2 : width);
  }
  return '';
}

/** The parser's complaint in the catalogue's words (never the library's English). */
function describeYamlError(code: string): string {
  const known = `yaml-error/${code}` as MessageCode;
  return t(Object.hasOwn(zh, known) ? known : 'yaml-error/other');
}

/**
 * Refuse nesting deeper than MAX_DEPTH, counting flow brackets outside quotes and
 * comments, and block indentation levels. Cheap, and run before the parser sees the text.
 */
function findExcessiveNesting(text: string): Position | undefined {
  // Brackets nest only where there are brackets: most files have none, and skip the scan.
  const brackets = text.search(/[[{]/) >= 0;
  let depth = 0;
  let quote = 0;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; brackets && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      line++;
      lineStart = i + 1;
      continue;
    }
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 0x23 /* # */ && (i === 0 || /\s/.test(text[i - 1]!))) {
      const next = text.indexOf('\n', i);
      if (next < 0) break;
      i = next - 1;
    } else if (c === 0x22 || c === 0x27) {
      if (i === 0 || /[\s,[{:]/.test(text[i - 1]!)) quote = c;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_DEPTH) return { line, column: i - lineStart + 1 };
    } else if (c === 0x5d || c === 0x7d) {
      depth = Math.max(0, depth - 1);
    }
  }
  // Nesting past MAX_DEPTH by indentation needs a line indented by that much at least.
  if (!DEEP_INDENT.test(text)) return undefined;
  const lines = text.split(/\r\n|\r|\n/);
  const stack: number[] = [];
  for (let n = 0; n < lines.length; n++) {
    const l = lines[n]!;
    const content = l.trimStart();
    if (content === '' || content.startsWith('#')) continue;
    const indent = l.length - content.length;
    while (stack.length && stack[stack.length - 1]! >= indent) stack.pop();
    stack.push(indent);
    if (stack.length > MAX_DEPTH) return { line: n + 1, column: indent + 1 };
  }
  return undefined;
}

/** Every alias in the tree: refused outright, so alias bombs never expand. */
export function findAliases(node: unknown, found: Node[] = []): Node[] {
  if (isAlias(node)) found.push(node);
  else if (isMap(node) || isSeq(node)) for (const item of node.items) isMap(node) ? visitPair(item as Pair, found) : findAliases(item, found);
  return found;
}

function visitPair(pair: Pair, found: Node[]) {
  findAliases(pair.key, found);
  findAliases(pair.value, found);
}

/** The key of a pair as text ('' for a missing or complex key). */
export function keyText(pair: Pair): string {
  return isScalar(pair.key) && pair.key.value !== null ? String(pair.key.value) : '';
}
