/**
 * A fast reader for the YAML that submissions and campaigns are written in: `report init`'s
 * layout of block mappings and lists, one-line plain or quoted values, `|` / `>` texts,
 * and one-line lists of words (`[market, police]`, `[]`, `{}`). It builds the same nodes as
 * the `yaml` package — same structure, values, types, `source`, the start and end
 * (`range[0]`, `range[1]`) of every scalar and the start of every collection — about ten
 * times faster: a province checks thousands of files at a time.
 *
 * It accepts only what it is sure of: on anything else (other flow collections, anchors, tags,
 * escapes, values over several lines, tabs, odd indentation, any syntax error) it returns
 * undefined and the caller parses with `yaml`, which explains every mistake. A test
 * compares both readers on every fixture and sample and on thousands of mutated files.
 */
import { Document, LineCounter, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';

/** Thrown (a plain value, no stack) to give the text to the full parser. */
const DECLINE = Symbol('decline');

/** Characters the fast reader leaves to the full parser wherever they are. */
const UNSUPPORTED = /[\x00-\x09\x0b\x0c\x0e-\x1f\x7f\u0085\u2028\u2029\ufeff]|\r(?!\n)/;

/** The core schema's plain-scalar tags (null, bool, int, float; string is the fallback), as `yaml` resolves them. */
const TAGS = (new Document(null, { merge: false }).schema.tags as { default?: unknown; test?: RegExp; resolve: (s: string, onError: (m: string) => void, o: object) => unknown }[])
  .filter((tag) => tag.default === true && tag.test);
const RESOLVE_OPTIONS = { intAsBigInt: false };

const SPACE = 0x20;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;
/** Characters a plain scalar cannot start with (or that the fast reader leaves alone, like `?` and `:`). */
const INDICATORS = '[]{},#&*!|>\'"%@`?:';

/** The root collection of the text, with its line starts, or undefined when the full parser must read it. */
export function readBlockYaml(text: string): { root: Node; lineCounter: LineCounter } | undefined {
  if (UNSUPPORTED.test(text)) return undefined;
  try {
    return new BlockReader(text).read();
  } catch (error) {
    if (error === DECLINE) return undefined;
    throw error;
  }
}

class BlockReader {
  private readonly starts: number[] = [];
  /** Where each line's content ends (before `\r\n` or `\n`). */
  private readonly ends: number[] = [];
  private readonly lineCounter = new LineCounter();
  /** The next line to read. */
  private line = 0;

  constructor(private readonly text: string) {
    for (let at = 0; ; ) {
      this.starts.push(at);
      this.lineCounter.addNewLine(at);
      const nl = text.indexOf('\n', at);
      const end = nl < 0 ? text.length : nl;
      this.ends.push(end > at && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end);
      if (nl < 0) break;
      at = nl + 1;
    }
  }

  read(): { root: Node; lineCounter: LineCounter } {
    const first = this.nextContent(0);
    if (first === this.starts.length) throw DECLINE; // an empty file
    this.line = first;
    const root = this.collection(this.indentOf(first));
    if (this.nextContent(this.line) !== this.starts.length) throw DECLINE; // something after the root
    return { root, lineCounter: this.lineCounter };
  }

  private indentOf(line: number): number {
    const start = this.starts[line]!;
    let at = start;
    while (this.text.charCodeAt(at) === SPACE) at++;
    return at - start;
  }

  /** The first line from `line` on that is not blank or a comment (the line count at the end). */
  private nextContent(line: number): number {
    const { text, starts, ends } = this;
    for (; line < starts.length; line++) {
      const at = starts[line]! + this.indentOf(line);
      if (at >= ends[line]!) continue;
      const c = text.charCodeAt(at);
      if (c === HASH) continue;
      if (at === starts[line] && (c === 0x25 || text.startsWith('---', at) || text.startsWith('...', at))) throw DECLINE; // directives, document markers
      if (c === 0x3000) throw DECLINE; // a full-width space as indentation: the full parser explains it
      return line;
    }
    return line;
  }

  /** `- ` (or a lone `-`) at `at`. */
  private isDash(at: number, end: number): boolean {
    return this.text.charCodeAt(at) === DASH && (at + 1 === end || this.text.charCodeAt(at + 1) === SPACE);
  }

  /** A map or a list starting at the current line, indented by `indent`. */
  private collection(indent: number): Node {
    const at = this.starts[this.line]! + indent;
    if (this.isDash(at, this.ends[this.line]!)) return this.seq(indent);
    if (this.keyColon(at, this.ends[this.line]!) < 0) throw DECLINE; // a value on its own line, or a syntax error
    return this.map(indent, at);
  }

  /**
   * The colon that ends a plain key starting at `at`, or -1 when the line is not `key: …`.
   * Keys in quotes or starting with an indicator are left to the full parser.
   */
  private keyColon(at: number, end: number): number {
    const { text } = this;
    if (!plainStart(text, at, end)) return -1;
    for (let q = at; q < end; q++) {
      const c = text.charCodeAt(q);
      if (c === COLON && (q + 1 === end || text.charCodeAt(q + 1) === SPACE)) return q - at > 1024 ? -1 : q;
      if (c === HASH && text.charCodeAt(q - 1) === SPACE) return -1;
    }
    return -1;
  }

  /** A block map whose first key starts at `at` on the current line; its keys are indented by `indent`. */
  private map(indent: number, at: number): YAMLMap {
    const { text, starts, ends } = this;
    const map = new YAMLMap();
    map.range = [at, at, at];
    for (;;) {
      const end = ends[this.line]!;
      const colon = this.keyColon(at, end);
      if (colon < 0) throw DECLINE;
      let keyEnd = colon;
      while (text.charCodeAt(keyEnd - 1) === SPACE) keyEnd--;
      const key = this.plain(at, keyEnd);
      const p = this.skipSpaces(colon + 1, end);
      const value = p === end || text.charCodeAt(p) === HASH ? this.valueBelow(p, indent, true) : this.inlineValue(p, end, indent);
      map.items.push(new Pair(key, value));
      const next = this.nextContent(this.line);
      if (next === starts.length) break;
      const nextIndent = this.indentOf(next);
      if (nextIndent < indent) break;
      if (nextIndent > indent) throw DECLINE; // a value over several lines, or bad indentation
      this.line = next;
      at = starts[next]! + indent;
      if (this.isDash(at, ends[next]!)) throw DECLINE; // a list item among keys
    }
    return map;
  }

  /** A block list whose dashes are indented by `indent`, starting at the current line. */
  private seq(indent: number): YAMLSeq {
    const { text, starts, ends } = this;
    const seq = new YAMLSeq();
    const start = starts[this.line]! + indent;
    seq.range = [start, start, start];
    for (;;) {
      const end = ends[this.line]!;
      const p = this.skipSpaces(starts[this.line]! + indent + 1, end);
      let item: Node;
      if (p === end || text.charCodeAt(p) === HASH) item = this.valueBelow(p, indent, false);
      else if (this.isDash(p, end)) throw DECLINE; // `- - x`
      else if (this.keyColon(p, end) >= 0) item = this.map(p - starts[this.line]!, p);
      else item = this.inlineValue(p, end, indent);
      seq.items.push(item);
      const next = this.nextContent(this.line);
      if (next === starts.length) break;
      const nextIndent = this.indentOf(next);
      if (nextIndent < indent) break;
      if (nextIndent > indent) throw DECLINE;
      if (!this.isDash(starts[next]! + indent, ends[next]!)) break; // a key of the map around this list
      this.line = next;
    }
    return seq;
  }

  /**
   * The value of a key or dash with nothing after it on its line (`p`: where the line's
   * text ends): the block below, for a key also a list at its own indentation, or empty.
   */
  private valueBelow(p: number, indent: number, listAtSameIndent: boolean): Node {
    const { starts, ends } = this;
    const next = this.nextContent(this.line + 1);
    const nextIndent = next < starts.length ? this.indentOf(next) : -1;
    if (nextIndent > indent) {
      this.line = next;
      return this.collection(nextIndent);
    }
    if (listAtSameIndent && nextIndent === indent && this.isDash(starts[next]! + indent, ends[next]!)) {
      this.line = next;
      return this.seq(indent);
    }
    this.line++;
    return emptyScalar(p);
  }

  private skipSpaces(at: number, end: number): number {
    while (at < end && this.text.charCodeAt(at) === SPACE) at++;
    return at;
  }

  /** Only spaces and a comment from `at` to `end` (a comment needs a space before it). */
  private onlyComment(at: number, end: number): boolean {
    const p = this.skipSpaces(at, end);
    return p === end || (this.text.charCodeAt(p) === HASH && p > at);
  }

  /** A value starting at `p` on the current line, in a collection indented by `indent`; moves past it. */
  private inlineValue(p: number, end: number, indent: number): Node {
    const { text } = this;
    const c = text.charCodeAt(p);
    if (c === 0x22 || c === 0x27) return this.quoted(p, end);
    if ((c === 0x5b || c === 0x7b) && text.charCodeAt(p + 1) === c + 2) return this.emptyFlow(p, end); // `[]`, `{}`
    if (c === 0x5b) return this.flowList(p, end);
    if (c === 0x7c || c === 0x3e) return this.blockScalar(p, end, indent);
    if (!plainStart(text, p, end)) throw DECLINE;
    let q = p;
    for (; q < end; q++) {
      const ch = text.charCodeAt(q);
      if (ch === COLON && (q + 1 === end || text.charCodeAt(q + 1) === SPACE)) throw DECLINE; // `a: b: c`
      if (ch === HASH && text.charCodeAt(q - 1) === SPACE) break;
    }
    while (text.charCodeAt(q - 1) === SPACE) q--;
    this.line++;
    return this.plain(p, q);
  }

  /** An empty list `[]` or mapping `{}`, with only a comment after it. */
  private emptyFlow(p: number, end: number): Node {
    if (!this.onlyComment(p + 2, end)) throw DECLINE;
    const node = this.text.charCodeAt(p) === 0x5b ? new YAMLSeq() : new YAMLMap();
    node.flow = true;
    node.range = [p, p + 2, p + 2];
    this.line++;
    return node;
  }

  /** A list of plain words on one line, `[market, police]`, with only a comment after it. */
  private flowList(p: number, end: number): YAMLSeq {
    const { text } = this;
    const close = text.indexOf(']', p);
    if (close < 0 || close >= end) throw DECLINE; // over several lines
    if (!this.onlyComment(close + 1, end)) throw DECLINE;
    const seq = new YAMLSeq();
    seq.flow = true;
    seq.range = [p, close + 1, close + 1];
    for (let at = p + 1; ; ) {
      while (text.charCodeAt(at) === SPACE) at++;
      let to = at;
      while (to < close && text.charCodeAt(to) !== 0x2c) to++;
      let itemEnd = to;
      while (itemEnd > at && text.charCodeAt(itemEnd - 1) === SPACE) itemEnd--;
      // Empty items, nested brackets, comments, `key: value` pairs and quotes are the full parser's.
      if (itemEnd === at || !plainStart(text, at, itemEnd) || /[[\]{}#:"']/.test(text.slice(at, itemEnd))) throw DECLINE;
      seq.items.push(this.plain(at, itemEnd));
      if (to === close) break;
      at = to + 1;
    }
    this.line++;
    return seq;
  }

  /** A plain scalar from `from` to `to`, resolved as `yaml` does (null, true, 12, 3.5, or text). */
  private plain(from: number, to: number): Scalar {
    const source = this.text.slice(from, to);
    let value: unknown = source;
    // Every core tag's pattern starts with an ASCII character: Chinese text is always a string.
    if (source.charCodeAt(0) < 0x80) {
      const tag = TAGS.find((t) => t.test!.test(source));
      if (tag) {
        const resolved = tag.resolve(source, () => { throw DECLINE; }, RESOLVE_OPTIONS);
        value = resolved instanceof Scalar ? resolved.value : resolved;
      }
    }
    return scalar(value, Scalar.PLAIN, source, from, to);
  }

  /** A quoted value closed on the same line, with only a comment after it. No escapes. */
  private quoted(p: number, end: number): Scalar {
    const { text } = this;
    const quote = text.charCodeAt(p);
    let q = p + 1;
    for (; q < end; q++) {
      const ch = text.charCodeAt(q);
      if (ch === 0x5c && quote === 0x22) throw DECLINE; // a backslash escape
      if (ch === quote) {
        if (quote === 0x27 && text.charCodeAt(q + 1) === 0x27) q++; // '' inside single quotes
        else break;
      }
    }
    if (q >= end) throw DECLINE; // not closed on this line
    if (!this.onlyComment(q + 1, end)) throw DECLINE; // `"k": v` or text after the quote
    const inner = text.slice(p + 1, q);
    const value = quote === 0x27 ? inner.replaceAll("''", "'") : inner;
    this.line++;
    return scalar(value, quote === 0x27 ? Scalar.QUOTE_SINGLE : Scalar.QUOTE_DOUBLE, value, p, q + 1);
  }

  /** `|`, `|-`, `>` or `>-` at `p`, and the lines under it indented more than `indent`. */
  private blockScalar(p: number, end: number, indent: number): Scalar {
    const { text, starts, ends } = this;
    const folded = text.charCodeAt(p) === 0x3e;
    const strip = text.charCodeAt(p + 1) === DASH;
    if (!this.onlyComment(strip ? p + 2 : p + 1, end)) throw DECLINE; // `|+`, `|2`, or text after the header
    // The text: the lines under the header indented as much as its first line (blank lines inside it too).
    const header = this.line;
    const parts: string[] = [];
    let kept = 0; // parts up to the last line that is not blank
    let contentIndent = -1;
    let line = header + 1;
    for (; line < starts.length; line++) {
      const lineIndent = this.indentOf(line);
      if (starts[line]! + lineIndent >= ends[line]!) {
        if (contentIndent < 0) continue; // blank lines under the header: see below
        if (lineIndent > contentIndent) throw DECLINE; // spaces that would be content
        parts.push('');
        continue;
      }
      if (contentIndent < 0) {
        if (lineIndent <= indent) break; // no text
        if (line > header + 1) throw DECLINE; // blank lines before the text
        contentIndent = lineIndent;
      } else if (lineIndent < contentIndent) break;
      if (folded && lineIndent > contentIndent) throw DECLINE; // more-indented lines in folded text
      parts.push(text.slice(starts[line]! + contentIndent, ends[line]!));
      kept = parts.length;
    }
    let value = '';
    let last: number; // the scalar's last line
    if (kept) {
      parts.length = kept; // blank lines after the text are not part of it
      value = (folded ? fold(parts) : parts.join('\n')) + (strip ? '' : '\n');
      last = header + kept;
      this.line = last + 1;
    } else {
      // No text. As in yaml's lexer, the scalar takes the first blank line under the header
      // and those after it indented more than the line that ends it.
      if (line === starts.length && line - 1 > header && ends[line - 1]! > starts[line - 1]!) throw DECLINE; // spaces at the very end
      const endIndent = line < starts.length ? this.indentOf(line) : 0;
      last = header;
      for (let k = header + 1; k < line; k++) if (k === header + 1 || this.indentOf(k) > endIndent) last = k;
      this.line = line;
    }
    const to = last + 1 < starts.length ? starts[last + 1]! : text.length;
    return scalar(value, folded ? Scalar.BLOCK_FOLDED : Scalar.BLOCK_LITERAL, value, p, to);
  }
}

/** Can a plain scalar start at `at`? Indicators and quotes are left to the full parser. */
function plainStart(text: string, at: number, end: number): boolean {
  if (text.charCodeAt(at) === DASH) return at + 1 < end && text.charCodeAt(at + 1) !== SPACE; // `-5`, not `- `
  return !INDICATORS.includes(text[at]!);
}

/** Folded text: lines joined by spaces; a run of n blank lines becomes n line breaks. */
function fold(lines: string[]): string {
  let out = lines[0]!;
  let blanks = 0;
  for (let i = 1; i < lines.length; i++) {
    if (lines[i] === '') blanks++;
    else {
      out += (blanks ? '\n'.repeat(blanks) : ' ') + lines[i];
      blanks = 0;
    }
  }
  return out;
}

function scalar(value: unknown, type: Scalar.Type, source: string, from: number, to: number): Scalar {
  const node = new Scalar(value);
  node.type = type;
  node.source = source;
  node.range = [from, to, to];
  return node;
}

/** An empty value (`key:` with nothing under it): null, at the first character after the colon's spaces. */
function emptyScalar(at: number): Scalar {
  return scalar(null, Scalar.PLAIN, '', at, at);
}
