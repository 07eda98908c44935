/**
 * The YAML source: text → plain data and the place of every key and value. Syntax and the
 * typing habits that break it (tabs, full-width colons and spaces, `key:value`) are explained
 * and repaired by parse.ts; what only a YAML text can get wrong with keys (a key typed twice,
 * a reserved or half-typed key) is found here. Scalars become text as typed — `1.23450`,
 * `18955952972` and `2024-11-10` stay exactly what the clerk wrote — so the schema judges
 * every value the same whichever format it came from. An empty value is null.
 */
import { isMap, isScalar, isSeq, type LineCounter, type Node, type Pair, type Scalar } from 'yaml';
import { makeDiagnostic, type Diagnostic, type Position } from '../diagnostics.js';
import { type MessageCode, type MessageParams } from '../messages/index.js';
import { findAliases, keyText, parseTree, positionAt } from './parse.js';
import { ODD, oddCharacterKinds } from '../text/odd-characters.js';
import { LINE_END, RESERVED_KEYS, pathKey, type Path, type SourceMap, type SourceRead } from './source.js';

/** Where a key and its value start in the (repaired) text, and the scalar for positions inside it. */
interface Place {
  key?: number;
  value?: number;
  scalar?: Scalar;
}

/** Read a submission's (or campaign's) text. Pure. */
export function readYamlSource(text: string): SourceRead {
  const parsed = parseTree(text);
  // The lines as typed, split only when a finding needs them (most files have none).
  let split: string[] | undefined;
  const lines = () => (split ??= text.split(LINE_END));
  const places = new Map<string, Place>();
  const map = new YamlMap(places, parsed.lineCounter, parsed.text, parsed.originalColumn, lines);
  const diagnostics = [...parsed.diagnostics.map((d) => inCharacters(d, lines)), ...oddCharacters(text, lines)];
  // Repaired typing habits leave a usable tree; any other syntax error ends the reading here.
  if (parsed.root === undefined) return { map, diagnostics };
  const aliases = findAliases(parsed.root);
  if (aliases.length) {
    for (const a of aliases.slice(0, 3)) diagnostics.push(makeDiagnostic('error', 'yaml/alias', {}, map.at(a.range?.[0])));
    return { map, diagnostics };
  }
  const data = new Converter(places, map, diagnostics).value(parsed.root, []);
  return { data, map, diagnostics };
}

/** Builds the plain data from the tree, recording places and the findings about keys. */
class Converter {
  constructor(
    private readonly places: Map<string, Place>,
    private readonly map: YamlMap,
    private readonly diagnostics: Diagnostic[],
  ) {}

  /** The data of `node` at `path` (whose map key is `key`, made as the path grows). */
  value(node: unknown, path: Path, key = pathKey(path)): unknown {
    if (node === null || node === undefined) return null;
    let place = this.places.get(key);
    if (!place) this.places.set(key, (place = {}));
    if (!isEmpty(node)) place.value = (node as Node).range?.[0];
    if (isScalar(node)) place.scalar = node;
    if (isMap(node)) return this.mapping(node.items as Pair[], path, key);
    if (isSeq(node)) return node.items.map((item, i) => this.value(item, [...path, i], path.length ? `${key}\u0000${i}` : String(i)));
    if (isScalar(node)) return scalarText(node);
    return null;
  }

  /** Keys as typed, the first of duplicates kept; reserved and half-typed keys reported and left out. */
  private mapping(pairs: Pair[], path: Path, parentKey: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const first = new Map<string, Pair>();
    const prefix = path.length ? `${parentKey}\u0000` : '';
    for (const pair of pairs) {
      const key = keyText(pair);
      // Where a finding about the key goes: worked out only for a finding (a province's files have millions of keys).
      const at = () => this.map.at((pair.key as Node | null)?.range?.[0] ?? (pair.value as Node | null)?.range?.[0], [...path, key]);
      // `: 12` with nothing before the colon, or a list or mapping used as a key.
      if (key === '') {
        const complex = pair.key !== null && !isScalar(pair.key);
        this.diagnostics.push(makeDiagnostic('error', complex ? 'yaml/complex-key' : 'yaml/null-key', {}, at()));
        continue;
      }
      const earlier = first.get(key);
      if (earlier) {
        const firstLine = this.map.at((earlier.key as Node | null)?.range?.[0]).line ?? '?';
        this.diagnostics.push(makeDiagnostic('error', 'yaml/duplicate-key', { key, firstLine }, at()));
        continue;
      }
      first.set(key, pair);
      const problem = keyProblem(key);
      if (problem) {
        this.diagnostics.push(makeDiagnostic('error', problem.code, problem.params, at()));
        continue;
      }
      const childKey = prefix + key;
      this.places.set(childKey, { key: (pair.key as Node | null)?.range?.[0] });
      out[key] = this.value(pair.value, [...path, key], childKey);
    }
    return out;
  }
}

/** What is wrong with a key as such: reserved, or typed with a full-width space or colon. */
function keyProblem(key: string): { code: MessageCode; params: MessageParams } | undefined {
  if (RESERVED_KEYS.has(key.trim())) return { code: 'schema/reserved-key', params: { key } };
  if (key.startsWith('\u3000')) return { code: 'yaml/fullwidth-space', params: {} };
  if (key.includes('：')) return { code: 'yaml/fullwidth-colon', params: { key: key.split('：')[0]!.trim() } };
  return undefined;
}

/** A value with nothing typed: `key:` alone. Findings about it go to its key. */
const isEmpty = (node: unknown) => isScalar(node) && node.value === null && (node.source ?? '') === '';

/** A scalar's text as typed (plain) or as meant (quoted, block); null when empty or null. */
function scalarText(node: Scalar): string | null {
  if (node.value === null) return null;
  if (node.type === 'PLAIN' && typeof node.source === 'string') return node.source;
  return typeof node.value === 'string' ? node.value : String(node.value);
}

class YamlMap implements SourceMap {
  readonly start: Position = { line: 1, column: 1 };

  constructor(
    private readonly places: ReadonlyMap<string, Place>,
    private readonly lineCounter: LineCounter,
    private readonly text: string,
    private readonly originalColumn: (line: number, column: number) => number,
    /** The lines as typed, for columns counted in characters. */
    private readonly lines: () => readonly string[],
  ) {}

  /** The place of an offset of the parsed text, in the file as typed (columns in characters). */
  at(offset: number | undefined, path?: Path): Position {
    if (offset === undefined) return path ? { path: [...path] } : {};
    const p = positionAt(this.lineCounter, offset, path ? [...path] : undefined);
    return inCharacters({ ...p, column: this.originalColumn(p.line!, p.column!) }, this.lines);
  }

  locate(path: Path, part: 'key' | 'value' = 'value'): Position | undefined {
    const place = this.places.get(pathKey(path));
    const offset = part === 'key' ? (place?.key ?? place?.value) : (place?.value ?? place?.key);
    return offset === undefined ? undefined : this.at(offset);
  }

  locateIn(path: Path, offset: number): Position | undefined {
    const scalar = this.places.get(pathKey(path))?.scalar;
    const start = scalar?.range?.[0];
    if (!scalar || start === undefined) return this.locate(path);
    return this.at(scalar.type === 'PLAIN' ? plainOffset(this.text, start, offset) : start);
  }
}

/**
 * A position whose column counts characters as a person sees them: a parser counts UTF-16
 * units, in which an emoji (or a rare CJK character beyond the BMP) is two.
 */
function inCharacters<T extends { line?: number; column?: number }>(p: T, lines: () => readonly string[]): T {
  if (p.line === undefined || p.column === undefined) return p;
  const before = (lines()[p.line - 1] ?? '').slice(0, p.column - 1);
  const pairs = before.match(/[\ud800-\udbff][\udc00-\udfff]/g)?.length ?? 0;
  return pairs ? { ...p, column: p.column - pairs } : p;
}

/**
 * A warning for each kind of invisible or control character on each line, at the first of
 * them: pasted from a web page or a chat, they make a value differ from what is seen (a
 * number with a no-break space is no number), and control characters can rewrite a terminal.
 */
function oddCharacters(text: string, lines: () => readonly string[]): Diagnostic[] {
  // One scan of the whole text; lines are looked at only where something was found.
  if (text.search(ODD) < 0) return [];
  const found: Diagnostic[] = [];
  lines().forEach((line, i) => {
    if (line.trimStart().startsWith('#')) return;
    for (const odd of oddCharacterKinds(line)) found.push(makeDiagnostic('warning', odd.code, odd.params, inCharacters({ line: i + 1, column: odd.index + 1 }, lines)));
  });
  return found;
}

/**
 * Where character `index` of a plain scalar's value lies in the text: YAML folds each line
 * break of a plain scalar, with the indentation around it, into one space (or keeps the
 * breaks of empty lines), so the value and the text differ only there.
 */
function plainOffset(text: string, start: number, index: number): number {
  let at = start;
  for (let i = 0; i < index && at < text.length; ) {
    const fold = /^[ \t]*(\r?\n[ \t]*)+/.exec(text.slice(at, at + 200));
    if (fold) {
      const breaks = fold[0].split('\n').length - 1;
      i += breaks === 1 ? 1 : breaks - 1;
      at += fold[0].length;
    } else {
      i++;
      at++;
    }
  }
  return at;
}
